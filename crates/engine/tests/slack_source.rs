//! Slack's status API replayed: an active incident gets notes, then resolves.

mod support;

use serde_json::{json, Value};
use statuswatch_engine::Outcome;
use statuswatch_model::{EventKind, Status};
use statuswatch_store::IncidentQuery;
use support::{fixture_json, Harness, Reply, Vendor};

fn item(notes: usize, resolved: bool) -> Value {
    let mut i = fixture_json("slack__history_2026-08-18.json")[1].clone(); // a resolved incident with 3 notes
    let all = i["notes"].as_array().unwrap().clone();
    i["notes"] = json!(all[..notes].to_vec());
    i["status"] = json!(if resolved { "resolved" } else { "active" });
    i
}

#[tokio::test]
async fn a_slack_incident_replayed_note_by_note() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    v.set("/api/v2.0.0/current", Reply::json(&json!({"status": "ok", "active_incidents": [], "date_created": "2026-08-06T15:00:00-07:00", "date_updated": "2026-08-06T15:00:00-07:00"})));
    v.set("/api/v2.0.0/history", Reply::json(&json!([])));
    let src = h.add("slack", &v.url("/"), "slack").await;
    h.poll(&src).await;

    for (notes, resolved) in [(1, false), (2, false), (3, true)] {
        let it = item(notes, resolved);
        v.set("/api/v2.0.0/current", Reply::json(&json!({"status": "active", "active_incidents": if resolved { json!([]) } else { json!([it.clone()]) }})));
        v.set("/api/v2.0.0/history", Reply::json(&json!([it])));
        assert!(matches!(h.poll(&src).await, Outcome::Changed { .. }));
        assert_eq!(h.poll(&src).await, Outcome::Unchanged);
    }
    let stored = &h.store.incidents(&IncidentQuery::default()).await.unwrap()[0];
    assert_eq!(stored.provider, "Slack");
    assert_eq!(stored.incident.status, Status::Resolved);
    assert_eq!(stored.incident.updates.len(), 3);
    let kinds: Vec<EventKind> = h.event_kinds().await;
    assert_eq!(
        kinds,
        [
            EventKind::IncidentOpened,
            EventKind::IncidentUpdated,
            EventKind::IncidentResolved
        ]
    );
}
