//! A real Google Cloud incident replayed from its own updates: the stored
//! timeline grows update by update, with one event each, and resolves once.

mod support;

use serde_json::{json, Value};
use statuswatch_engine::Outcome;
use statuswatch_model::{EventKind, Status};
use statuswatch_store::IncidentQuery;
use support::{fixture_json, Harness, Reply, Vendor};

/// The incident as Google showed it after its `n` oldest updates.
fn after(n: usize) -> Value {
    let mut inc = fixture_json("google-cloud__incidents_2026-08-18_trim2.json")[0].clone();
    let mut updates: Vec<Value> = inc["updates"].as_array().unwrap().clone();
    updates.reverse(); // oldest first
    updates.truncate(n);
    let ended = updates.iter().any(|u| u["status"] == "AVAILABLE");
    updates.reverse(); // Google lists newest first
    inc["most_recent_update"] = updates[0].clone();
    inc["updates"] = json!(updates);
    if !ended {
        inc["end"] = Value::Null;
    }
    json!([inc])
}

#[tokio::test]
async fn a_google_cloud_incident_replayed_update_by_update() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    v.set("/incidents.json", Reply::json(&json!([])));
    let src = h.add("gcp", &v.url("/incidents.json"), "gcp").await;
    assert_eq!(
        h.poll(&src).await,
        Outcome::Unchanged,
        "an empty history to start from"
    );

    let total = fixture_json("google-cloud__incidents_2026-08-18_trim2.json")[0]["updates"]
        .as_array()
        .unwrap()
        .len();
    for n in 1..=total {
        v.set("/incidents.json", Reply::json(&after(n)));
        assert!(h.poll(&src).await.is_ok());
        assert_eq!(
            h.poll(&src).await,
            Outcome::Unchanged,
            "step {n} stored once"
        );
    }
    let stored = &h.store.incidents(&IncidentQuery::default()).await.unwrap()[0];
    assert_eq!(stored.provider, "Google Cloud");
    assert_eq!(stored.incident.updates.len(), total);
    assert_eq!(stored.incident.status, Status::Postmortem);
    let kinds: Vec<EventKind> = h.event_kinds().await;
    assert_eq!(kinds.len(), total, "one event per update");
    assert_eq!(kinds[0], EventKind::IncidentOpened);
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == EventKind::IncidentResolved)
            .count(),
        1
    );
    assert_eq!(
        *kinds.last().unwrap(),
        EventKind::IncidentUpdated,
        "the incident report"
    );
}
