//! `statuswatch-parse-bench`: what reading a feed costs, per committed feed
//! fixture: the platform's whole parse (`statuswatch_sources::parse`, with
//! its check of every stated timestamp) against feed-rs's bare parse of the
//! same bytes, the floor any feed reader pays; then what reading pages with
//! the extractor costs, ordinary and hostile (generated here: an incident
//! page of 100 KB, a history of 1,000 incidents, 6 MB of text, 40,000
//! nested elements). Run it in release:
//! `cargo run --release -p statuswatch-bench --bin statuswatch-parse-bench`.

use statuswatch_sources::{parse, Context, Role};
use std::path::Path;
use std::time::Instant;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sources/tests/fixtures");
    let cases: [(&str, &Role); 9] = [
        (
            "statuspage_feeds/github__history_atom_2026-08-22.atom",
            &statuswatch_sources::feed::FEED,
        ),
        (
            "statuspage_feeds/github__history_atom_2022-06-12.atom",
            &statuswatch_sources::feed::FEED,
        ),
        (
            "statuspage_feeds/digitalocean__history_rss_2020-01-21.rss",
            &statuswatch_sources::feed::FEED,
        ),
        (
            "statuspage_feeds/moonpay__history_rss_2025-11-28.rss",
            &statuswatch_sources::feed::FEED,
        ),
        (
            "aws_rss/aws__all_rss_2026-08-18.rss",
            &statuswatch_sources::aws::RSS,
        ),
        (
            "azure/constructed__status_feed_one_event.rss",
            &statuswatch_sources::azure::RSS,
        ),
        (
            "instatus/constructed__history_rss.rss",
            &statuswatch_sources::instatus::FEED,
        ),
        (
            "statusio/constructed__page_rss.rss",
            &statuswatch_sources::statusio::FEED,
        ),
        (
            "incidentio_native/constructed__history_atom.atom",
            &statuswatch_sources::incidentio::FEED,
        ),
    ];
    println!(
        "{:<58} {:>8} {:>7} {:>12} {:>12} {:>6}",
        "fixture", "bytes", "dates", "feed-rs µs", "parse µs", "ratio"
    );
    for (name, role) in cases {
        let body = std::fs::read(root.join(name)).expect(name);
        let dates = ["<pubDate", "<updated", "<published", "<lastBuildDate"]
            .iter()
            .map(|t| body.windows(t.len()).filter(|w| w == &t.as_bytes()).count())
            .sum::<usize>();
        let floor = time(|| {
            std::hint::black_box(feed_rs::parser::parse(&body[..]).ok());
        });
        let whole = time(|| {
            let mut ctx = Context {
                now: chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
                ..Context::default()
            };
            std::hint::black_box(parse(role, &body, &mut ctx).ok());
        });
        println!(
            "{:<58} {:>8} {:>7} {:>12.1} {:>12.1} {:>6.2}",
            name,
            body.len(),
            dates,
            floor,
            whole,
            whole / floor
        );
    }
    println!(
        "one malformed timestamp read through feed-rs's fixes: {:.1} µs",
        one_timestamp()
    );
    pages();
}

/// An incident page as Statuspage writes it, with `updates` updates and
/// page furniture (navigation, scripts, a footer) around them.
fn incident_page(updates: usize) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html><head><title>Elevated errors</title><script>window.x = 1;</script></head><body>\
         <nav><ul><li><a href='/'>Status</a></li><li><a href='/history'>History</a></li></ul></nav>\
         <div class='container'><h1 class='incident-name'>Elevated error rates on the API</h1>\
         <div class='subheader'>Incident Report for Acme Cloud</div>",
    );
    for k in 0..updates {
        html.push_str(&format!(
            "<div class='row update-row'><div class='update-title'><strong>{}</strong></div>\
             <div class='update-body'><span>We are still working on the elevated error rates affecting a subset of \
             API requests in the EU region; update {k} of the incident with more words than most.</span>\
             <small>Posted <span data-datetime-unix='1'>Nov {}, 2026 - {:02}:{:02} UTC</span></small></div></div>",
            if k == 0 { "Resolved" } else { "Update" },
            1 + k / 96 % 28,
            k / 4 % 24,
            k * 15 % 60
        ));
    }
    html.push_str("<div class='components-affected'>This incident affected: API (EU, US) and Dashboard.</div></div>");
    html.push_str(&"<footer><p>Powered by Atlassian Statuspage</p><a href='/subscribe'>Subscribe to updates</a></footer>".repeat(4));
    html.push_str("</body></html>");
    html
}

/// A history page listing `n` incidents under headings.
fn history_page(n: usize) -> String {
    let mut html = String::from("<!DOCTYPE html><html><body><h1>Acme incident history</h1>");
    for k in 0..n {
        html.push_str(&format!(
            "<h3>Incident number {k} on the API</h3><p><strong>Resolved</strong> - Fixed.</p><small>Posted Nov {}, 2026 - 10:{:02} UTC</small>\
             <p><strong>Investigating</strong> - Looking into it.</p><small>Posted Nov {}, 2026 - 09:{:02} UTC</small>",
            1 + k % 28, k % 60, 1 + k % 28, k % 60
        ));
    }
    html.push_str("</body></html>");
    html
}

/// What reading pages with the extractor costs.
fn pages() {
    use statuswatch_extract::{extract, extract_all, Limits};
    let now = chrono::DateTime::from_timestamp(1_796_000_000, 0).unwrap();
    println!();
    println!("{:<58} {:>10} {:>12}", "page", "bytes", "read ms");
    let row = |name: &str, input: &str, ms: f64| {
        println!("{name:<58} {:>10} {ms:>12.2}", input.len());
    };
    let mut n = 40;
    let mut page = incident_page(n);
    while page.len() < 100_000 {
        n += 10;
        page = incident_page(n);
    }
    row(
        "an incident page (HTML, extract)",
        &page,
        time(|| {
            std::hint::black_box(extract(&page, now).ok());
        }) / 1e3,
    );
    let history = history_page(1_000);
    row(
        "a history of 1,000 incidents (HTML, extract_all)",
        &history,
        once(|| {
            std::hint::black_box(extract_all(&history, now).ok());
        }),
    );
    let mut text = String::new();
    for k in 0..60_000 {
        text.push_str(&format!(
            "Resolved\nWe fixed issue number {k} in the Foo service for Acme customers.\nPosted Jan {}, 2024 - 10:{:02} UTC\n",
            k % 28 + 1,
            k % 60
        ));
    }
    row(
        "60,000 updates as text (extract)",
        &text,
        once(|| {
            std::hint::black_box(extract(&text, now).ok());
        }),
    );
    let deep = format!(
        "<html><body>{}x{}</body></html>",
        "<div>".repeat(40_000),
        "</div>".repeat(40_000)
    );
    row(
        "40,000 nested <div>s: refused by the census",
        &deep,
        once(|| {
            assert!(statuswatch_extract::html::parse(&deep, &Limits::default()).is_err());
        }),
    );
    let deep20 = format!(
        "<html><body>{}x{}</body></html>",
        "<div>".repeat(20_000),
        "</div>".repeat(20_000)
    );
    row(
        "20,000 nested <div>s: html5ever's tree builder alone",
        &deep20,
        once(|| {
            std::hint::black_box(scraper::Html::parse_document(&deep20));
        }),
    );
    let wide = format!(
        "<html><body>{}</body></html>",
        "<p>Resolved</p><p>text</p><small>Posted Jan 1, 2024 - 10:00 UTC</small>".repeat(60_000)
    );
    row(
        "60,000 updates as HTML, 180,000 elements (extract)",
        &wide,
        once(|| {
            std::hint::black_box(extract(&wide, now).ok());
        }),
    );
}

/// Milliseconds of one call: the median of 3.
fn once(mut f: impl FnMut()) -> f64 {
    let mut runs: Vec<f64> = (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[1]
}

/// What checking one stated timestamp costs when it is not well-formed
/// RFC 3339 or RFC 2822 (those are read directly): feed-rs's own lenient
/// reader, through a feed of one date.
fn one_timestamp() -> f64 {
    let doc = b"<rss version=\"2.0\"><channel><pubDate>Tue, 18 Aug 2026 5:20 PDT</pubDate></channel></rss>";
    time(|| {
        std::hint::black_box(feed_rs::parser::parse(&doc[..]).ok());
    })
}

/// Microseconds per call: the median of 15 rounds, each long enough to time.
fn time(mut f: impl FnMut()) -> f64 {
    let mut n = 1u32;
    loop {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        if t.elapsed().as_millis() >= 20 {
            break;
        }
        n *= 2;
    }
    let mut rounds: Vec<f64> = (0..15)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed().as_secs_f64() * 1e6 / f64::from(n)
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[rounds.len() / 2]
}
