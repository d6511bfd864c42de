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
        let x = extract(&input, Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        // The timeline is in time order wherever times were read.
        let times: Vec<_> = x.incident.updates.iter().filter_map(|u| u.at).collect();
        let mut sorted = times.clone();
        sorted.sort();
        prop_assert_eq!(times, sorted);
        for x in extract_all(&input, Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()) {
            prop_assert!(!x.incident.vendor_id.is_empty());
        }
    }
}
