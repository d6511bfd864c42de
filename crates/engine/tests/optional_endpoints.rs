//! A secondary endpoint that a page does not have (a history feed, an
//! incidents list answering 404) is a warning on the source's health, not a
//! failed poll: what the primary answer holds is stored, and the endpoint is
//! read once it answers. A primary endpoint that is gone still fails the poll.

mod support;

use serde_json::json;
use statuswatch_engine::Outcome;
use statuswatch_model::Status;
use statuswatch_store::{IncidentQuery, PollOutcome};
use support::{Harness, Reply, Vendor};

#[tokio::test]
async fn a_page_without_its_history_feed_still_stores_its_live_incidents() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let id = "cl4a8n3070721qtmzvts760c4";
    let link = v.url(&format!("/incident/{id}"));
    let summary = json!({"page": {"name": "Acme", "url": v.url("/"), "status": "HASISSUES"},
        "activeIncidents": [{"id": id, "name": "API errors", "started": "2026-09-26T00:01:00.000Z",
            "status": "INVESTIGATING", "impact": "MAJOROUTAGE", "url": link}]});
    v.set("/summary.json", Reply::json(&summary));
    // No /history.rss: the vendor answers 404.
    let src = h.add("acme", &v.url("/"), "instatus").await;
    let o = h.poll(&src).await;
    assert!(matches!(o, Outcome::Changed { inserted: 1, .. }), "{o:?}");
    let s = h.store.source(src.id).await.unwrap();
    assert_eq!(s.health.last_outcome, Some(PollOutcome::Ok));
    assert_eq!(s.health.consecutive_failures, 0);
    let warning = s.health.warning.clone().unwrap_or_default();
    assert!(
        warning.contains("history.rss") && warning.contains("404"),
        "{warning}"
    );
    let stored = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    assert_eq!(stored[0].incident.status, Status::Investigating);

    // The feed appears. It is a history, read when the live answer changes
    // or when the history is due (every 10 minutes by default): the next
    // poll, with the same summary, does not ask for it yet.
    let rss = format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Acme status</title><link>{}</link><description>d</description><item><title>API errors</title><link>{link}</link><guid>{link}</guid><pubDate>Sat, 26 Sep 2026 00:40:00 GMT</pubDate><description>Resolved: all clear.</description></item></channel></rss>", v.url("/"));
    v.set("/history.rss", Reply::bytes(rss, "application/rss+xml"));
    let o = h.poll(&src).await;
    assert_eq!(o, Outcome::Unchanged);
    let stored = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    assert_eq!(stored[0].incident.status, Status::Investigating);
    // Ten minutes on, the history is due: it is read, and the warning goes.
    h.clock.advance(10 * 60);
    let o = h.poll(&src).await;
    assert!(matches!(o, Outcome::Changed { .. }), "{o:?}");
    let s = h.store.source(src.id).await.unwrap();
    assert!(
        !s.health
            .warning
            .as_deref()
            .unwrap_or("")
            .contains("history.rss"),
        "{:?}",
        s.health.warning
    );
    let stored = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].incident.status, Status::Resolved);
}

#[tokio::test]
async fn a_missing_primary_endpoint_fails_the_poll_and_stores_nothing() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    // Only the history feed answers; summary.json is gone.
    v.set(
        "/history.rss",
        Reply::bytes(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><link>x</link><description>d</description></channel></rss>",
            "application/rss+xml",
        ),
    );
    let src = h.add("acme", &v.url("/"), "instatus").await;
    let o = h.poll(&src).await;
    assert!(
        matches!(&o, Outcome::Failed(e) if e.contains("404")),
        "{o:?}"
    );
    assert!(h
        .store
        .incidents(&IncidentQuery::default())
        .await
        .unwrap()
        .is_empty());
}
