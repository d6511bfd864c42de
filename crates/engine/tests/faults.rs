//! Every way a vendor's answer can go wrong changes nothing stored and shows
//! on the source's health.

mod support;

use serde_json::json;
use statuswatch_engine::Outcome;
use statuswatch_store::{IncidentQuery, Source, StoredIncident};
use std::time::Duration;
use support::{fixture, fixture_json, Harness, Reply, Vendor};

const SUMMARY: &str = "/api/v2/summary.json";

/// A vendor with a good Statuspage, polled once so something is stored.
async fn baseline() -> (Vendor, Harness, Source, Vec<StoredIncident>) {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let summary = fixture_json("cursor__summary_2026-09-25_incident.json");
    let page = summary["page"].clone();
    v.set(SUMMARY, Reply::json(&summary));
    v.set(
        "/api/v2/incidents.json",
        Reply::bytes(
            fixture("github__incidents_2026-08-18.json"),
            "application/json",
        ),
    );
    v.set(
        "/api/v2/scheduled-maintenances.json",
        Reply::json(&json!({"page": page, "scheduled_maintenances": []})),
    );
    let src = h.add("cursor", &v.url("/"), "statuspage").await;
    assert!(h.poll(&src).await.is_ok());
    let stored = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    assert_eq!(stored.len(), 6);
    (v, h, src, stored)
}

async fn check_fault(reply: Reply, expect_in_error: &str) {
    let (v, h, src, before) = baseline().await;
    let events_before = h.store.events_after(0, 1000).await.unwrap();
    v.set(SUMMARY, reply);
    let outcome = h.poll(&src).await;
    let msg = match &outcome {
        Outcome::Failed(m) | Outcome::Suspect(m) => m.clone(),
        other => panic!("expected a failure for `{expect_in_error}`, got {other:?}"),
    };
    assert!(
        msg.contains(expect_in_error),
        "`{msg}` should mention `{expect_in_error}`"
    );
    assert_eq!(
        h.store.incidents(&IncidentQuery::default()).await.unwrap(),
        before
    );
    assert_eq!(h.store.events_after(0, 1000).await.unwrap(), events_before);
    let health = h.store.source(src.id).await.unwrap().health;
    assert_eq!(health.consecutive_failures, 1);
    assert!(health.last_error.unwrap().contains(expect_in_error));
    assert!(matches!(
        health.last_outcome,
        Some(statuswatch_store::PollOutcome::Error) | Some(statuswatch_store::PollOutcome::Suspect)
    ));
}

#[tokio::test]
async fn an_empty_body() {
    check_fault(Reply::bytes("", "application/json"), "empty answer").await;
}

#[tokio::test]
async fn truncated_json() {
    let whole = fixture("cursor__summary_2026-09-25_incident.json");
    check_fault(
        Reply::bytes(whole[..whole.len() / 2].to_vec(), "application/json"),
        "truncated JSON",
    )
    .await;
}

#[tokio::test]
async fn html_instead_of_json() {
    check_fault(
        Reply::bytes(
            "<!DOCTYPE html><html><body>Maintenance</body></html>",
            "text/html",
        ),
        "not JSON",
    )
    .await;
}

#[tokio::test]
async fn json_of_another_shape() {
    check_fault(Reply::json(&json!({"ok": true})), "unexpected JSON shape").await;
}

#[tokio::test]
async fn a_server_error() {
    check_fault(Reply::Status(500, None), "HTTP 500").await;
}

#[tokio::test]
async fn a_timeout() {
    check_fault(Reply::Slow(Duration::from_secs(3)), "timed out").await;
}

#[tokio::test]
async fn a_body_over_the_cap() {
    let big = format!("{{\"pad\": \"{}\"}}", "x".repeat(300 * 1024));
    check_fault(Reply::bytes(big, "application/json"), "cap").await;
}

#[tokio::test]
async fn a_suddenly_empty_answer_is_held_as_suspect() {
    let mut empty = fixture_json("cursor__summary_2026-09-25_incident.json");
    empty["components"] = json!([]);
    empty["incidents"] = json!([]);
    check_fault(
        Reply::json(&empty),
        "empty answer where the last one listed",
    )
    .await;
}

#[tokio::test]
async fn too_many_requests_with_retry_after_defers_the_next_poll() {
    let (v, h, src, before) = baseline().await;
    v.set(SUMMARY, Reply::Status(429, Some(900)));
    let outcome = h.poll(&src).await;
    assert!(
        matches!(&outcome, Outcome::Failed(m) if m.contains("HTTP 429")),
        "{outcome:?}"
    );
    let after = h.store.source(src.id).await.unwrap();
    let wait = after.next_poll_at - after.health.last_poll_at.unwrap();
    assert!(
        wait >= chrono::Duration::seconds(900),
        "next poll in {wait}, not before Retry-After"
    );
    assert_eq!(
        h.store.incidents(&IncidentQuery::default()).await.unwrap(),
        before
    );
    // Until then the host is not asked at all, even by a forced poll.
    let hits = v.hits(SUMMARY);
    assert!(matches!(h.poll(&src).await, Outcome::Failed(m) if m.contains("asked to wait")));
    assert_eq!(v.hits(SUMMARY), hits);
}

#[tokio::test]
async fn failures_back_off_exponentially_and_a_good_poll_recovers() {
    let (v, h, src, _) = baseline().await;
    v.set(SUMMARY, Reply::Status(503, None));
    let mut waits = Vec::new();
    for _ in 0..4 {
        h.poll(&src).await;
        let s = h.store.source(src.id).await.unwrap();
        waits.push((s.next_poll_at - s.health.last_poll_at.unwrap()).num_seconds());
    }
    // 60 s doubled each time, ±10 % jitter.
    for (i, w) in waits.iter().enumerate() {
        let base = 60 * 2i64.pow(i as u32);
        assert!(
            (*w as f64) >= base as f64 * 0.89 && (*w as f64) <= base as f64 * 1.11,
            "{waits:?}"
        );
    }
    v.set(
        SUMMARY,
        Reply::json(&fixture_json("cursor__summary_2026-09-25_incident.json")),
    );
    assert!(h.poll(&src).await.is_ok());
    assert_eq!(
        h.store
            .source(src.id)
            .await
            .unwrap()
            .health
            .consecutive_failures,
        0
    );
}

#[tokio::test]
async fn a_304_stores_nothing_and_parses_nothing() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let summary = fixture_json("cursor__summary_2026-09-25_incident.json");
    let page = summary["page"].clone();
    v.set(SUMMARY, Reply::json(&summary).with_etag());
    v.set(
        "/api/v2/incidents.json",
        Reply::json(&json!({"page": page, "incidents": []})).with_etag(),
    );
    v.set(
        "/api/v2/scheduled-maintenances.json",
        Reply::json(&json!({"page": page, "scheduled_maintenances": []})).with_etag(),
    );
    let src = h.add("cursor", &v.url("/"), "statuspage").await;
    assert!(h.poll(&src).await.is_ok());
    let before = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    let state_before = h.store.source(src.id).await.unwrap().fetch_state;
    assert!(state_before.contains("etag"));
    assert_eq!(h.poll(&src).await, Outcome::Unchanged);
    let after = h.store.source(src.id).await.unwrap();
    assert_eq!(
        after.health.last_outcome,
        Some(statuswatch_store::PollOutcome::NotModified)
    );
    assert_eq!(after.fetch_state, state_before);
    assert_eq!(
        h.store.incidents(&IncidentQuery::default()).await.unwrap(),
        before
    );
    assert_eq!(h.store.events_after(0, 100).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_source_added_on_someones_behalf_is_never_fetched_from_inside() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let mut summary = fixture_json("cursor__summary_2026-09-25_incident.json");
    summary["incidents"] = json!([]);
    v.set("/api/v2/summary.json", Reply::json(&summary));
    let page = summary["page"].clone();
    v.set(
        "/api/v2/incidents.json",
        Reply::json(&json!({"page": page, "incidents": []})),
    );
    v.set(
        "/api/v2/scheduled-maintenances.json",
        Reply::json(&json!({"page": page, "scheduled_maintenances": []})),
    );
    let web = h
        .store
        .add_source(
            statuswatch_store::NewSource {
                name: "via web".into(),
                url: v.url("/"),
                platform: "statuspage".into(),
                provider: None,
                on_behalf: true,
            },
            h.clock.0.lock().map(|t| *t).unwrap(),
        )
        .await
        .unwrap();
    match h.poll(&web).await {
        Outcome::Failed(e) => assert!(e.contains("internal address"), "{e}"),
        o => panic!("a loopback vendor was fetched for a web-added source: {o:?}"),
    }
    assert_eq!(
        v.hits("/api/v2/summary.json"),
        0,
        "no request left the guard"
    );
    // The operator's own source on the same vendor is polled.
    let own = h.add("own", &v.url("/?own"), "statuspage").await;
    let o = h.poll(&own).await;
    assert!(o.is_ok(), "{o:?}");
}

#[tokio::test]
async fn a_gzipped_answer_is_read_and_a_gzip_bomb_is_cut_at_the_cap() {
    // The cap counts inflated bytes: a good gzipped answer is read whole...
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let summary = fixture("cursor__summary_2026-09-25_incident.json");
    v.set(SUMMARY, Reply::gzipped(&summary, "application/json"));
    let src = h.add("cursor", &v.url("/"), "statuspage").await;
    let o = h.poll(&src).await;
    assert!(o.is_ok(), "{o:?}");
    assert_eq!(
        h.store
            .incidents(&IncidentQuery::default())
            .await
            .unwrap()
            .len(),
        1
    );
    // ...and 64 MiB inflating from 64 KiB on the wire is refused at the cap.
    check_fault(Reply::gzip_bomb(64 * 1024 * 1024), "cap").await;
}
