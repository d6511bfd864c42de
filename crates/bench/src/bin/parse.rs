//! `statuswatch-parse-bench`: what reading a feed costs, per committed feed
//! fixture: the platform's whole parse (`statuswatch_sources::parse`, with
//! its check of every stated timestamp) against feed-rs's bare parse of the
//! same bytes, the floor any feed reader pays. Run it in release:
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
