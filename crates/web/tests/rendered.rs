//! A page of one's own is served as rendered: conditional requests are
//! answered 304, another writer's change (the CLI, another node) is seen
//! within `FRESH`, and until then the store is not read for it.
// Tests may stamp their fixtures with the real time (see clippy.toml).
#![allow(clippy::disallowed_methods)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use chrono::Utc;
use statuswatch_model::{Incident, Status, Update};
use statuswatch_store::sqlite::SqliteStore;
use statuswatch_store::{IncidentWrite, PollOutcome, PollRecord, Store};
use statuswatch_web::{app_router, App};
use std::sync::Arc;
use tower::ServiceExt;

async fn send(app: &App, path: &str, headers: &[(&str, &str)]) -> (StatusCode, HeaderMap, String) {
    let mut req = Request::get(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = app_router(app.clone())
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, 8 << 20).await.unwrap();
    (
        parts.status,
        parts.headers,
        String::from_utf8(bytes.to_vec()).unwrap(),
    )
}

/// Publishes an incident on the page as another process would: straight
/// into the store, this server told nothing.
async fn publish(store: &dyn Store, source_id: i64, title: &str) {
    let now = Utc::now();
    let mut i = Incident::new(
        title.to_lowercase().replace(' ', "-"),
        title,
        Status::Investigating,
    );
    i.updates.push(Update {
        vendor_id: None,
        status: Status::Investigating,
        label: "Investigating".into(),
        at: Some(now),
        body: "Looking into it.".into(),
    });
    i.normalize();
    store
        .apply_poll(PollRecord {
            source_id,
            at: now,
            outcome: PollOutcome::Ok,
            provider: None,
            components: None,
            writes: vec![IncidentWrite {
                existing_id: None,
                incident: i,
                events: vec![],
            }],
            fetch_state: "{}".into(),
            item_count: Some(1),
            next_poll_at: now,
            warning: None,
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn a_page_is_served_as_rendered_until_another_writer_changes_it() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(dir.path().join("r.db").to_str().unwrap())
            .await
            .unwrap(),
    );
    let page = store.add_page("acme", "Acme", Utc::now()).await.unwrap();
    publish(&*store, page.source_id, "Login errors").await;
    let app = App::read_only(store.clone());

    let views = [
        "/status/acme",
        "/status/acme/api/v2/summary.json",
        "/status/acme/history.atom",
        "/status/acme/maintenances.ics",
        "/status/acme/incidents/login-errors",
    ];
    let mut tags = Vec::new();
    for path in views {
        let (s, h, body) = send(&app, path, &[]).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert_eq!(
            h["cache-control"], "public, max-age=0, s-maxage=1, stale-if-error=86400",
            "{path}: a CDN may keep a public page's answer a second"
        );
        assert!(h.contains_key("last-modified"), "{path}");
        let etag = h["etag"].to_str().unwrap().to_string();
        // The client holding these bytes is told so, without them.
        let (s, h304, body304) = send(&app, path, &[("if-none-match", &etag)]).await;
        assert_eq!(s, StatusCode::NOT_MODIFIED, "{path}");
        assert!(body304.is_empty());
        assert_eq!(h304["etag"], etag.as_str());
        let since = h["last-modified"].to_str().unwrap().to_string();
        let (s, _, _) = send(&app, path, &[("if-modified-since", &since)]).await;
        assert_eq!(s, StatusCode::NOT_MODIFIED, "{path} by date");
        tags.push((path, etag, body));
    }
    assert!(tags[0].2.contains("Login errors"));

    // Another writer publishes: for up to FRESH the page is served as it
    // was rendered (the store is not read for each request) ...
    publish(&*store, page.source_id, "Database down").await;
    let (_, h, body) = send(&app, "/status/acme", &[]).await;
    assert!(!body.contains("Database down"), "served as rendered");
    assert_eq!(h["etag"], tags[0].1.as_str());
    // ... then seen, with new tags: the old bytes are no longer current.
    tokio::time::sleep(statuswatch_web::status::FRESH + std::time::Duration::from_millis(200))
        .await;
    for (path, etag, _) in &tags[..4] {
        let (s, h, body) = send(&app, path, &[("if-none-match", etag)]).await;
        if path.ends_with(".ics") {
            // No maintenance: the calendar's bytes did not change.
            assert_eq!(s, StatusCode::NOT_MODIFIED, "{path}");
            continue;
        }
        assert_eq!(s, StatusCode::OK, "{path} changed");
        assert_ne!(h["etag"], etag.as_str(), "{path}");
        assert!(body.contains("Database down"), "{path}: {body}");
    }

    // A page removed by another writer is gone within FRESH too.
    store.remove_source(page.source_id).await.unwrap();
    tokio::time::sleep(statuswatch_web::status::FRESH + std::time::Duration::from_millis(200))
        .await;
    let (s, _, _) = send(&app, "/status/acme", &[]).await;
    assert_eq!(
        s,
        StatusCode::UNAUTHORIZED,
        "gone: answered as a private page is"
    );
}
