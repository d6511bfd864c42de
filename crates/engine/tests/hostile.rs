//! Vendors that answer to hurt: a page nested 40,000 elements deep, a page
//! listing 100,000 components, an answer repeating an incident's id. Each is
//! refused or bounded, named on the source's health, and what was stored
//! stays as it was.

mod support;

use serde_json::json;
use statuswatch_engine::EngineConfig;
use statuswatch_engine::Outcome;
use statuswatch_model::Status;
use statuswatch_sources::bounds::{MAX_COMPONENTS, MAX_INCIDENTS};
use statuswatch_store::IncidentQuery;
use support::{Harness, Reply, Vendor};

/// A harness with the default cap on answers (8 MiB).
async fn harness() -> Harness {
    Harness::with_fetch(Vec::new(), EngineConfig::default(), 8 * 1024 * 1024).await
}

const GOOD: &str = "<!DOCTYPE html><html><head><title>Acme Status</title></head><body>\
    <h1>Elevated API errors</h1>\
    <div><strong>Investigating</strong> - We are looking into errors.<br><small>Posted Nov 20, 2026 - 10:00 UTC</small></div>\
    </body></html>";

fn nested(depth: usize) -> String {
    format!(
        "<!DOCTYPE html><html><body><h1>Elevated API errors</h1>{}<strong>Resolved</strong> - Gone.<br><small>Posted Nov 20, 2026 - 11:00 UTC</small>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    )
}

#[tokio::test]
async fn a_page_nested_too_deep_is_refused_and_named() {
    let v = Vendor::start().await;
    let h = harness().await;
    v.set("/status", Reply::bytes(GOOD, "text/html"));
    let src = h.add("acme", &v.url("/status"), "html").await;
    assert!(matches!(h.poll(&src).await, Outcome::Changed { .. }));

    // 40,000 nested <div>s cost a tree builder seconds; the census refuses them.
    v.set("/status", Reply::bytes(nested(40_000), "text/html"));
    let out = h.poll(&src).await;
    let Outcome::Failed(why) = &out else {
        panic!("{out:?}")
    };
    assert!(why.contains("nests elements more than 512 deep"), "{why}");
    let health = h.store.source(src.id).await.unwrap().health;
    assert!(
        health
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("more than 512 deep")),
        "{health:?}"
    );
    // Nothing stored changed: the incident is still open.
    let all = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].incident.status, Status::Investigating);

    // The same page at an ordinary depth is read.
    v.set("/status", Reply::bytes(nested(50), "text/html"));
    assert!(matches!(h.poll(&src).await, Outcome::Changed { .. }));
    let all = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    assert_eq!(all[0].incident.status, Status::Resolved);
}

fn summary(components: usize, incidents: usize) -> serde_json::Value {
    let comps: Vec<_> = (0..components)
        .map(|k| {
            json!({"id": format!("c{k}"), "name": format!("Edge {k}"), "status": "operational",
                   "position": k, "group": false, "group_id": null, "only_show_if_degraded": false})
        })
        .collect();
    let incs: Vec<_> = (0..incidents)
        .map(|k| {
            json!({"id": format!("i{k}"), "name": format!("Incident {k}"), "status": "investigating",
                   "impact": "minor", "created_at": "2026-09-25T10:00:00Z", "updated_at": "2026-09-25T10:00:00Z",
                   "started_at": "2026-09-25T10:00:00Z", "resolved_at": null, "shortlink": "https://stspg.io/x",
                   "incident_updates": [{"id": format!("u{k}"), "status": "investigating", "body": "Looking.",
                       "created_at": "2026-09-25T10:00:00Z", "display_at": "2026-09-25T10:00:00Z", "affected_components": []}],
                   "components": []})
        })
        .collect();
    json!({"page": {"id": "p", "name": "Wide", "url": "https://status.example.com", "updated_at": "2026-09-25T10:00:00Z"},
           "components": comps, "incidents": incs, "scheduled_maintenances": [],
           "status": {"indicator": "minor", "description": "Minor"}})
}

#[tokio::test]
async fn a_page_listing_too_many_components_and_incidents_is_bounded() {
    let v = Vendor::start().await;
    let h = harness().await;
    let body = serde_json::to_vec(&summary(20_000, MAX_INCIDENTS + 10)).unwrap();
    v.set(
        "/api/v2/summary.json",
        Reply::bytes(body, "application/json"),
    );
    v.set(
        "/api/v2/incidents.json",
        Reply::bytes(r#"{"page": {"id": "p", "name": "Wide", "url": "https://status.example.com", "updated_at": "2026-09-25T10:00:00Z"}, "incidents": []}"#, "application/json"),
    );
    v.set(
        "/api/v2/scheduled-maintenances.json",
        Reply::bytes(r#"{"page": {"id": "p", "name": "Wide", "url": "https://status.example.com", "updated_at": "2026-09-25T10:00:00Z"}, "scheduled_maintenances": []}"#, "application/json"),
    );
    let src = h.add("wide", &v.url("/"), "statuspage").await;
    let out = h.poll(&src).await;
    assert!(matches!(out, Outcome::Changed { .. }), "{out:?}");
    let stored = h.store.source(src.id).await.unwrap();
    assert_eq!(stored.components.len(), MAX_COMPONENTS);
    let warning = stored.health.warning.unwrap_or_default();
    assert!(
        warning.contains("lists 20000 components; the first 2000 are kept"),
        "{warning}"
    );
    assert!(
        warning.contains("incidents; the 2000 open or newest are kept"),
        "{warning}"
    );
    let all = h
        .store
        .incidents(&IncidentQuery {
            limit: Some(10_000),
            ..IncidentQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), MAX_INCIDENTS);
}
