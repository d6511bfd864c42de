//! A poll asks for what can have changed: a page's live answer every poll,
//! its history (every incident, resolved ones included) only on the first
//! poll, when the live answer changed (an incident opened, moved or left it)
//! and otherwise once every `history_every`. A source's own requests share one
//! turn on their host: they are not spaced as if they were many sources'.

mod support;

use statuswatch_engine::{EngineConfig, Outcome, Poller};
use statuswatch_fetch::{FetchConfig, Fetcher};
use statuswatch_model::Status;
use statuswatch_store::IncidentQuery;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{add_update, cursor_incident, Harness, Page, Reply, Vendor};

const SUMMARY: &str = "/api/v2/summary.json";
const INCIDENTS: &str = "/api/v2/incidents.json";
const MAINTENANCES: &str = "/api/v2/scheduled-maintenances.json";

fn hits(v: &Vendor) -> (usize, usize, usize) {
    (v.hits(SUMMARY), v.hits(INCIDENTS), v.hits(MAINTENANCES))
}

#[tokio::test]
async fn the_history_is_read_when_the_live_answer_changes_or_is_due() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let page = Page::new();
    page.serve(&v, &[]);
    let src = h.add("cursor", &v.url("/"), "statuspage").await;

    // First poll: everything, to learn the history.
    h.poll(&src).await;
    assert_eq!(hits(&v), (1, 1, 1));
    // The same summary: one request.
    assert_eq!(h.poll(&src).await, Outcome::Unchanged);
    assert_eq!(hits(&v), (2, 1, 1));

    // An incident opens: the summary changed, so the history is read too.
    let mut inc = cursor_incident();
    page.serve(&v, &[inc.clone()]);
    assert!(matches!(
        h.poll(&src).await,
        Outcome::Changed { inserted: 1, .. }
    ));
    assert_eq!(hits(&v), (3, 2, 2));

    // It is resolved: it leaves the summary, and its resolution is read
    // from the history in the same poll.
    add_update(
        &mut inc,
        "u2",
        "resolved",
        "2026-09-26T00:20:00.000Z",
        "This incident has been resolved.",
    );
    page.serve(&v, &[inc.clone()]);
    assert!(matches!(
        h.poll(&src).await,
        Outcome::Changed { updated: 1, .. }
    ));
    assert_eq!(hits(&v), (4, 3, 3));
    let stored = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    let resolved = stored.iter().find(|s| s.incident.vendor_id == inc["id"]);
    assert_eq!(resolved.unwrap().incident.status, Status::Resolved);

    // Nine quiet polls: the summary only.
    for _ in 0..9 {
        assert_eq!(h.poll(&src).await, Outcome::Unchanged);
    }
    assert_eq!(hits(&v), (13, 3, 3));
    // Ten intervals after its last read, the history is due again.
    h.poll(&src).await;
    assert_eq!(hits(&v), (14, 4, 4));
}

#[tokio::test]
async fn a_failed_history_read_is_retried_at_the_next_poll() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let page = Page::new();
    page.serve(&v, &[]);
    let src = h.add("cursor", &v.url("/"), "statuspage").await;
    h.poll(&src).await;

    // An incident opens while the history answers 500: the poll fails and
    // nothing is stored, so the next poll sees the summary as changed again
    // and reads the history once it answers.
    let inc = cursor_incident();
    page.serve(&v, std::slice::from_ref(&inc));
    v.set(INCIDENTS, Reply::Status(500, None));
    assert!(matches!(h.poll(&src).await, Outcome::Failed(_)));
    page.serve(&v, std::slice::from_ref(&inc));
    assert!(matches!(
        h.poll(&src).await,
        Outcome::Changed { inserted: 1, .. }
    ));
    let stored = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    assert!(stored.iter().any(|s| s.incident.vendor_id == inc["id"]));
}

#[tokio::test]
async fn a_sources_requests_share_one_turn_and_two_sources_are_spaced() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let page = Page::new();
    page.serve(&v, &[]);
    let gap = Duration::from_millis(400);
    let fetcher = Arc::new(
        Fetcher::new(FetchConfig {
            per_host_interval: gap,
            ..FetchConfig::default()
        })
        .unwrap(),
    );
    let poller = Poller::new(
        h.store.clone(),
        fetcher,
        Arc::new(h.clock.clone()),
        EngineConfig::default(),
    );
    let a = h.add("a", &v.url("/"), "statuspage").await;
    let b = h
        .add("b", &format!("{}?second", v.url("/")), "statuspage")
        .await;
    // One source, three requests: one turn, no spacing between them.
    let t = Instant::now();
    assert!(poller.poll(&a).await.outcome.is_ok());
    assert!(t.elapsed() < gap, "{:?}", t.elapsed());
    assert_eq!(hits(&v), (1, 1, 1));
    // A second source on the same host waits for the host's spacing.
    let t = Instant::now();
    assert!(poller.poll(&b).await.outcome.is_ok());
    assert!(t.elapsed() >= gap.mul_f64(0.9), "{:?}", t.elapsed());
}
