//! Extraction never panics, whatever the input. (A property test: it runs on
//! every `cargo test`; raise PROPTEST_CASES for a longer run.)

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use statuswatch_extract::{extract, extract_all};

/// Pieces of real pages, so that random inputs reach the parsers' branches.
const PIECES: &[&str] = &[
    "Resolved",
    "Investigating",
    "Update",
    "Post-mortem",
    "Escalate",
    "1.",
    "12)",
    "- ",
    "Posted Mar 31, 2025 - 07:30 CEST",
    "May 03, 2026, 06:53 PM UTC",
    "Mar 16, 04:38 UTC",
    "2026-05-11 20:00 CEST",
    "October 7, 2025 · 10:35 CEST",
    "Feb 29, 13:00 PST",
    "Started",
    "Duration",
    "2d 11h",
    "This incident affected: A (b, c), and d.",
    "Affected components",
    "Major",
    "from 2026-05-11 20:00 CEST to",
    "((",
    "))",
    ",",
    "\n",
    "\n\n",
    "<p>",
    "</p>",
    "<strong>",
    "<small>",
    "<!DOCTYPE html>",
    "é",
    "→",
    "·",
    "\u{a0}",
    "99:99",
    "PM",
    "AM",
    "Scheduled for",
    " - ",
    ":",
    "Incident Report for ",
    " experienced a major incident on",
];

fn page() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(PIECES).prop_map(str::to_string),
            any::<String>(),
            "[A-Za-z0-9 :,.()-]{0,20}",
        ],
        0..60,
    )
    .prop_map(|parts| parts.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000),
        ..ProptestConfig::default()
    })]

    #[test]
    fn extract_never_panics(input in page()) {
        let x = extract(&input, Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()).expect("text is never refused");
        // The timeline is in time order wherever times were read.
        let times: Vec<_> = x.incident.updates.iter().filter_map(|u| u.at).collect();
        let mut sorted = times.clone();
        sorted.sort();
        prop_assert_eq!(times, sorted);
        for x in extract_all(&input, Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()).expect("text is never refused") {
            prop_assert!(!x.incident.vendor_id.is_empty());
        }
    }
}

/// HTML built of tags, attributes and text, nested or broken.
fn html() -> impl Strategy<Value = String> {
    const TAGS: &[&str] = &[
        "<p>",
        "</p>",
        "<div class=\"update\">",
        "</div>",
        "<h1>",
        "</h1>",
        "<h3>",
        "</h3>",
        "<br>",
        "<br/>",
        "<script>",
        "</script>",
        "<style>",
        "</style>",
        "<template>",
        "</template>",
        "<strong>",
        "</strong>",
        "<li>",
        "<ul>",
        "</ul>",
        "<table><tr><td>",
        "</td></tr></table>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "&nbsp;",
        "&amp;",
        "&#x0;",
        "&#99999999;",
        "<title>",
        "</title>",
        "<a href=\"x\">",
        "</a>",
        "<",
        ">",
        "\"",
    ];
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(TAGS).prop_map(str::to_string),
            prop::sample::select(PIECES).prop_map(str::to_string),
            any::<String>(),
        ],
        0..80,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000),
        ..ProptestConfig::default()
    })]

    /// The date scanners read any line.
    #[test]
    fn date_scanners_never_panic(line in page()) {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let _ = statuswatch_extract::stamp::scan(&line);
        if let Some(m) = statuswatch_extract::time::scan_date(&line) {
            // What is left over is made of the line's own words.
            let spaced = line.replace([',', '\u{a0}'], " ");
            for word in &m.rest {
                prop_assert!(spaced.contains(word.as_str()), "{:?} is not in the line", word);
            }
        }
        let _ = statuswatch_extract::time::parse_month_day_time(&line, now);
        let _ = statuswatch_extract::time::parse_month_day_time_near(&line, now);
        let _ = statuswatch_extract::time::parse_zone(&line);
        let _ = statuswatch_extract::parse_duration(&line);
        let _ = statuswatch_extract::parse_affected_list(&line);
        let _ = statuswatch_extract::split_run_together(&line);
        let _ = statuswatch_extract::split_repeated(&line);
    }

    /// HTML to text reads any markup, and what comes out is already tidy
    /// (tidying it again changes nothing).
    #[test]
    fn html_to_text_never_panics(doc in html()) {
        let text = statuswatch_extract::html_to_text(&doc);
        prop_assert_eq!(statuswatch_extract::tidy(&text), text.clone());
        let _ = statuswatch_extract::html_title(&doc);
        let _ = statuswatch_extract::looks_like_html(&doc);
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let _ = extract(&doc, now);
    }
}

/// Documents deep or wide enough to cost a tree builder seconds: tags
/// repeated thousands of times, opened and never closed, or closed and
/// reopened, with a status page's text between them.
fn deep_or_wide() -> impl Strategy<Value = String> {
    const OPEN: &[&str] = &[
        "<div>",
        "<span>",
        "<b>",
        "<i>",
        "<a href=x>",
        "<table>",
        "<tr>",
        "<td>",
        "<li>",
        "<p>",
        "<ul>",
        "<section>",
        "<font>",
        "<button>",
        "<select>",
        "<svg>",
        "<math>",
        "<h3>",
    ];
    (
        prop::collection::vec(
            (prop::sample::select(OPEN), 1usize..20_000, any::<bool>()),
            1..4,
        ),
        prop::sample::select(&["Resolved\nPosted Jan 1, 2024 - 10:00 UTC", "x", ""][..]),
    )
        .prop_map(|(runs, text)| {
            let mut doc = String::from("<html><body>");
            for (tag, n, close) in runs {
                doc.push_str(&tag.repeat(n));
                doc.push_str(text);
                if close {
                    let end = format!("</{}", &tag[1..]);
                    doc.push_str(&end.split(' ').next().unwrap_or("").repeat(n));
                }
            }
            doc
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse::<u32>().ok()).map_or(64, |c| (c / 20).max(16)),
        ..ProptestConfig::default()
    })]

    /// Deep and wide documents are read or refused by name, never a panic;
    /// what is refused is refused for its depth, size or time.
    #[test]
    fn deep_and_wide_documents_are_read_or_refused(doc in deep_or_wide()) {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        match extract_all(&doc, now) {
            Ok(found) => prop_assert!(!found.is_empty()),
            Err(e) => prop_assert!(e.to_string().contains("it is not read"), "{}", e),
        }
        let _ = statuswatch_extract::html_to_text(&doc);
    }
}
