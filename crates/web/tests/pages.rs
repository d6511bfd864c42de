//! The incident page over a real store; vendor text is escaped.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{TimeZone, Utc};
use statuswatch_model::{Component, Impact, Incident, Status, Update};
use statuswatch_store::sqlite::SqliteStore;
use statuswatch_store::{IncidentQuery, IncidentWrite, NewSource, PollRecord, Store};
use std::sync::Arc;
use tower::ServiceExt;

async fn get(store: Arc<dyn Store>, path: &str) -> (StatusCode, String) {
    let resp = statuswatch_web::router(store)
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

/// A store with one resolved incident whose vendor text is hostile.
async fn seeded() -> (tempfile::TempDir, Arc<dyn Store>, String) {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(dir.path().join("w.db").to_str().unwrap())
            .await
            .unwrap(),
    );
    let t0 = Utc.with_ymd_and_hms(2026, 5, 3, 18, 53, 0).unwrap();
    let src = store
        .add_source(
            NewSource {
                name: "ionos".into(),
                url: "https://status.example.com/".into(),
                platform: "statuspage".into(),
                provider: None,
                on_behalf: false,
            },
            t0,
        )
        .await
        .unwrap();
    let mut i = Incident::new("abc", "<img src=x onerror=alert(1)>", Status::Resolved);
    i.impact = Some(Impact::Major);
    i.url = Some("https://status.example.com/incidents/abc".into());
    i.components.push(Component {
        name: "Cloud API".into(),
        group: Some("Core <b>".into()),
    });
    i.updates = vec![
        Update {
            vendor_id: None,
            status: Status::Investigating,
            label: "Investigating".into(),
            at: Some(t0),
            body: "<script>alert(2)</script> looking".into(),
        },
        Update {
            vendor_id: None,
            status: Status::Resolved,
            label: "Resolved".into(),
            at: Some(t0 + chrono::Duration::hours(59)),
            body: "Fixed.".into(),
        },
    ];
    i.normalize();
    store
        .apply_poll(PollRecord {
            source_id: src.id,
            at: t0 + chrono::Duration::minutes(2),
            outcome: statuswatch_store::PollOutcome::Ok,
            provider: Some("IONOS Cloud".into()),
            components: None,
            writes: vec![IncidentWrite {
                existing_id: None,
                incident: i,
                events: vec![],
            }],
            fetch_state: "{}".into(),
            item_count: Some(1),
            next_poll_at: t0,
            warning: None,
        })
        .await
        .unwrap();
    let id = store.incidents(&IncidentQuery::default()).await.unwrap()[0]
        .id
        .clone();
    (dir, store, id)
}

#[tokio::test]
async fn an_incident_page_shows_everything_and_escapes_vendor_text() {
    let (_dir, store, id) = seeded().await;
    let (status, page) = get(store.clone(), &format!("/incidents/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "title shown as text"
    );
    assert!(
        !page.contains("<img src=x"),
        "no vendor markup reaches the page"
    );
    assert!(!page.contains("<script>alert(2)"));
    assert!(page.contains("&lt;script&gt;alert(2)&lt;/script&gt; looking"));
    assert!(page.contains("Core &lt;b&gt;"));
    assert!(page.contains(
        "IONOS Cloud experienced a major incident on May 3, 2026 affecting Cloud API, lasting 2d 11h."
    ));
    assert!(page.contains("May 3, 2026 18:55 UTC (2 minutes after the vendor's first update)"));
    assert!(page.contains("href=\"https://status.example.com/incidents/abc\""));

    let (status, page) = get(store, "/incidents/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("Incident nope does not exist here."));
}

#[tokio::test]
async fn metrics_and_readiness_come_from_the_store() {
    use statuswatch_model::EventKind;
    use statuswatch_store::{FailureRecord, NewEvent};
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(dir.path().join("m.db").to_str().unwrap())
            .await
            .unwrap(),
    );
    let t0 = Utc.with_ymd_and_hms(2026, 5, 3, 18, 53, 0).unwrap();
    let good = store
        .add_source(
            NewSource {
                name: "good \"one\"".into(),
                url: "https://a.example/".into(),
                platform: "statuspage".into(),
                provider: None,
                on_behalf: false,
            },
            t0,
        )
        .await
        .unwrap();
    let bad = store
        .add_source(
            NewSource {
                name: "bad".into(),
                url: "https://b.example/".into(),
                platform: "feed".into(),
                provider: None,
                on_behalf: false,
            },
            t0,
        )
        .await
        .unwrap();
    let mut open = Incident::new("o", "Open one", Status::Investigating);
    open.updates.push(Update {
        vendor_id: None,
        status: Status::Investigating,
        label: "Investigating".into(),
        at: Some(t0),
        body: "x".into(),
    });
    open.normalize();
    store
        .apply_poll(PollRecord {
            source_id: good.id,
            at: t0,
            outcome: statuswatch_store::PollOutcome::Ok,
            provider: None,
            components: None,
            writes: vec![IncidentWrite {
                existing_id: None,
                incident: open,
                events: vec![NewEvent {
                    kind: EventKind::IncidentOpened,
                    occurred_at: t0,
                    update: None,
                    channels: vec!["ops".into(), "mail".into()],
                }],
            }],
            fetch_state: "{}".into(),
            item_count: Some(1),
            next_poll_at: t0,
            warning: None,
        })
        .await
        .unwrap();
    store
        .record_failure(FailureRecord {
            source_id: bad.id,
            at: t0,
            outcome: statuswatch_store::PollOutcome::Error,
            error: "HTTP 500".into(),
            next_poll_at: t0,
        })
        .await
        .unwrap();

    let (status, text) = get(store.clone(), "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    for line in [
        "statuswatch_sources 2",
        "statuswatch_source_up{source=\"good \\\"one\\\"\",platform=\"statuspage\"} 1",
        "statuswatch_source_up{source=\"bad\",platform=\"feed\"} 0",
        "statuswatch_source_consecutive_failures{source=\"bad\"} 1",
        "statuswatch_incidents 1",
        "statuswatch_incidents_open 1",
        "statuswatch_outbox_deliveries{status=\"pending\"} 2",
        "statuswatch_outbox_deliveries{status=\"failed\"} 0",
        "# TYPE statuswatch_incidents_open gauge",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing `{line}` in:\n{text}"
        );
    }
    let (status, body) = get(store.clone(), "/readyz").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("ready"));
    let (status, _) = get(store, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_atom_feed_parses_and_keeps_vendor_text_as_text() {
    let (_dir, store, id) = seeded().await;
    let (status, xml) = get(store.clone(), "/feed.atom").await;
    assert_eq!(status, StatusCode::OK);
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("valid Atom");
    assert_eq!(feed.entries.len(), 1);
    let e = &feed.entries[0];
    assert_eq!(
        e.title.as_ref().unwrap().content,
        "IONOS Cloud: <img src=x onerror=alert(1)>"
    );
    assert_eq!(e.id, format!("urn:statuswatch:incident:{id}"));
    assert_eq!(e.links[0].href, format!("/incidents/{id}"));
    let content = e.content.as_ref().unwrap().body.as_ref().unwrap();
    assert!(
        content.contains("&lt;script&gt;alert(2)&lt;/script&gt; looking"),
        "{content}"
    );
    assert!(!xml.contains("<img src=x"), "escaped in the document");
    let (_, none) = get(store, "/feed.atom?provider=nobody").await;
    assert!(feed_rs::parser::parse(none.as_bytes())
        .unwrap()
        .entries
        .is_empty());
}
