//! What an attack on the running server found, each as a test that failed
//! before its fix: a vendor listing thousands of components, vendor text
//! carrying characters XML forbids, a vendor's `javascript:` link.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, Duration, Utc};
use statuswatch_model::{ComponentState, ComponentStatus, Impact, Incident, Status, Update};
use statuswatch_store::sqlite::SqliteStore;
use statuswatch_store::{IncidentWrite, NewSource, PollOutcome, PollRecord, Source, Store};
use statuswatch_web::{app_router, App};
use std::sync::Arc;
use tower::ServiceExt;

struct World {
    _dir: tempfile::TempDir,
    store: Arc<dyn Store>,
    now: DateTime<Utc>,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(dir.path().join("h.db").to_str().unwrap())
            .await
            .unwrap(),
    );
    World {
        _dir: dir,
        store,
        now: Utc::now(),
    }
}

impl World {
    async fn source(&self, name: &str, url: &str) -> Source {
        self.store
            .add_source(
                NewSource {
                    name: name.into(),
                    url: url.into(),
                    platform: "statuspage".into(),
                    provider: None,
                    on_behalf: false,
                },
                self.now - Duration::days(10),
            )
            .await
            .unwrap()
    }

    async fn answer(
        &self,
        src: &Source,
        components: Vec<ComponentState>,
        incidents: Vec<Incident>,
    ) {
        self.store
            .apply_poll(PollRecord {
                source_id: src.id,
                at: self.now,
                outcome: PollOutcome::Ok,
                provider: None,
                components: Some(components),
                writes: incidents
                    .into_iter()
                    .map(|i| IncidentWrite {
                        existing_id: None,
                        incident: i,
                        events: vec![],
                    })
                    .collect(),
                fetch_state: "{}".into(),
                item_count: Some(1),
                next_poll_at: self.now,
                warning: None,
            })
            .await
            .unwrap();
    }

    fn app(&self) -> App {
        App::read_only(self.store.clone())
    }

    async fn get(&self, path: &str) -> (StatusCode, String) {
        let resp = app_router(self.app())
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), 64 << 20)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }
}

fn incident(id: &str, title: &str, body: &str, at: DateTime<Utc>) -> Incident {
    let mut i = Incident::new(id, title, Status::Investigating);
    i.impact = Some(Impact::Major);
    i.updates.push(Update {
        vendor_id: Some(format!("{id}-1")),
        status: Status::Investigating,
        label: "Investigating".into(),
        at: Some(at),
        body: body.into(),
    });
    i.normalize();
    i
}

#[tokio::test]
async fn a_provider_with_thousands_of_components_is_shown_a_page_at_a_time() {
    let w = world().await;
    let src = w.source("Wide", "https://status.wide.example/").await;
    let components = (0..2_000)
        .map(|k| {
            ComponentState::new(
                format!("Edge {k}"),
                None,
                "operational",
                ComponentStatus::Operational,
            )
        })
        .collect();
    w.answer(&src, components, vec![]).await;

    let (s, page) = w.get(&format!("/providers/{}", src.id)).await;
    assert_eq!(s, StatusCode::OK);
    // 100 components with their 90 days, not 2,000 (each is an SVG of 90 bars).
    assert_eq!(page.matches("<tr data-component=").count(), 100);
    assert!(page.contains("Components page 1 of 20"), "no pager");
    assert!(page.contains(&format!("/providers/{}?components_page=2", src.id)));
    assert!(page.len() < 2 << 20, "{} bytes", page.len());

    let (_, last) = w
        .get(&format!("/providers/{}?components_page=20", src.id))
        .await;
    assert!(last.contains("data-component=\"Edge 1999\""));
    assert!(!last.contains("data-component=\"Edge 0\""));
    // A page past the end shows the last.
    let (_, past) = w
        .get(&format!("/providers/{}?components_page=99", src.id))
        .await;
    assert!(past.contains("Components page 20 of 20"));
}

#[tokio::test]
async fn characters_xml_forbids_never_reach_a_feed() {
    let w = world().await;
    let src = w.source("Nul", "https://status.nul.example/").await;
    let mut i = incident(
        "n1",
        "Errors\u{0} in\u{1b}[2J the API",
        "We are\u{0} looking\u{7} into it.",
        w.now - Duration::hours(1),
    );
    i.url = Some("javascript:alert(document.cookie)".into());
    w.answer(&src, vec![], vec![i]).await;

    let (s, feed) = w.get("/feed.atom").await;
    assert_eq!(s, StatusCode::OK);
    assert!(feed.contains("looking into it"), "{feed}");
    for bad in ['\u{0}', '\u{1b}', '\u{7}'] {
        assert!(!feed.contains(bad), "{bad:?} in the feed");
    }
    // A reader of XML accepts it.
    feed_rs::parser::parse(feed.as_bytes()).expect("a well-formed feed");
    // A vendor's javascript: link is served nowhere as a link.
    assert!(!feed.contains("javascript:"), "{feed}");
    let (_, api) = w.get("/api/v1/incidents").await;
    assert!(!api.contains("javascript:"), "{api}");
    let id = serde_json::from_str::<serde_json::Value>(&api).unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, page) = w.get(&format!("/incidents/{id}")).await;
    assert!(!page.contains("javascript:"));
}
