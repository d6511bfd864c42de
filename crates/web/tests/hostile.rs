//! What an attack on the running server found, each as a test that failed
//! before its fix: a vendor listing thousands of components, vendor text
//! carrying characters XML forbids, a vendor's `javascript:` link.
// Tests may stamp their fixtures with the real time (see clippy.toml).
#![allow(clippy::disallowed_methods)]

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

/// A request to the app with optional headers; status, headers and body.
async fn send(
    app: App,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut req = Request::builder().method(method).uri(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = app_router(app)
        .oneshot(req.body(body.map(Body::from).unwrap_or_default()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), 16 << 20)
        .await
        .unwrap();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

const KEY: &str = "the-right-key-123";

async fn private_page(w: &World) {
    w.store
        .add_page("secretco", "Secret Co", w.now)
        .await
        .unwrap();
    let hash = statuswatch_pages::checks::access_hash(KEY);
    w.store
        .set_page_access("secretco", Some(&hash))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_private_page_and_a_missing_one_answer_alike() {
    let w = world().await;
    private_page(&w).await;
    let app = w.app();
    for (private, missing) in [
        ("/status/secretco", "/status/nosuchco"),
        (
            "/status/secretco/api/v2/summary.json",
            "/status/nosuchco/api/v2/summary.json",
        ),
        (
            "/status/secretco/history.atom",
            "/status/nosuchco/history.atom",
        ),
        ("/status/secretco/style.css", "/status/nosuchco/style.css"),
        (
            "/status/secretco/incidents/x",
            "/status/nosuchco/incidents/x",
        ),
    ] {
        let (a, _, body_a) = send(app.clone(), "GET", private, &[], None).await;
        let (b, _, body_b) = send(app.clone(), "GET", missing, &[], None).await;
        assert_eq!(a, b, "{private} and {missing}");
        assert_eq!(
            body_a.replace("secretco", "X"),
            body_b.replace("nosuchco", "X"),
            "{private}"
        );
        assert!(!body_a.contains("Secret Co"), "{private} names the page");
    }
    // A wrong key is told wrong alike.
    let (a, _, body_a) = send(
        app.clone(),
        "GET",
        "/status/secretco?key=nope-nope-nope",
        &[],
        None,
    )
    .await;
    let (b, _, body_b) = send(
        app.clone(),
        "GET",
        "/status/nosuchco?key=nope-nope-nope",
        &[],
        None,
    )
    .await;
    assert_eq!((a, b), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
    assert_eq!(
        body_a.replace("secretco", "X"),
        body_b.replace("nosuchco", "X")
    );
}

#[tokio::test]
async fn keyed_answers_are_private_and_the_cookie_needs_the_installations_secret() {
    let w = world().await;
    private_page(&w).await;
    let app = w.app();
    let (s, h, body) = send(
        app.clone(),
        "GET",
        &format!("/status/secretco?key={KEY}"),
        &[],
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(h["cache-control"], "private, no-store");
    let set = h["set-cookie"].to_str().unwrap().to_string();
    let cookie = set.split(';').next().unwrap().to_string();
    let (s, h, _) = send(
        app.clone(),
        "GET",
        "/status/secretco/api/v2/summary.json",
        &[("cookie", &cookie)],
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h["cache-control"], "private, no-store");
    // A public page's answers stay cacheable.
    w.store.add_page("openco", "Open Co", w.now).await.unwrap();
    let (s, h, _) = send(app.clone(), "GET", "/status/openco", &[], None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(h
        .get("cache-control")
        .is_none_or(|v| !v.to_str().unwrap().contains("private")));

    // What a copy of the database alone could make (a digest of the stored
    // hash and the slug, as before) opens nothing: the cookie is a MAC with
    // the installation's secret.
    use sha2::{Digest, Sha256};
    let page = w.store.page("secretco").await.unwrap().unwrap();
    let stored = page.access_hash.unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    let forged = hex::encode(
        Sha256::new()
            .chain_update(b"statuswatch page access\0")
            .chain_update(stored.as_bytes())
            .chain_update(b"\0")
            .chain_update(b"secretco")
            .finalize(),
    );
    let (s, _, _) = send(
        app.clone(),
        "GET",
        "/status/secretco",
        &[("cookie", &format!("statuswatch_page_secretco={forged}"))],
        None,
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // The secret is the store's, made once: another app over the same store
    // (another node) takes the same cookie.
    let (s, _, _) = send(
        App::read_only(w.store.clone()),
        "GET",
        "/status/secretco",
        &[("cookie", &cookie)],
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn a_key_stored_by_an_earlier_release_opens_and_is_hashed_anew() {
    use sha2::{Digest, Sha256};
    let w = world().await;
    w.store.add_page("oldco", "Old Co", w.now).await.unwrap();
    let legacy = hex::encode(Sha256::digest(KEY.as_bytes()));
    w.store
        .set_page_access("oldco", Some(&legacy))
        .await
        .unwrap();
    let (s, _, _) = send(w.app(), "GET", "/status/oldco?key=wrong-key-456", &[], None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _, _) = send(
        w.app(),
        "GET",
        &format!("/status/oldco?key={KEY}"),
        &[],
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let stored = w
        .store
        .page("oldco")
        .await
        .unwrap()
        .unwrap()
        .access_hash
        .unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    let (s, _, _) = send(
        w.app(),
        "GET",
        &format!("/status/oldco?key={KEY}"),
        &[],
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn signing_out_ends_the_session_for_good() {
    let w = world().await;
    let token = "an-admin-token-of-length";
    let app = App {
        admin_token: Some(token.into()),
        ..w.app()
    };
    let form = "application/x-www-form-urlencoded";
    let (s, h, _) = send(
        app.clone(),
        "POST",
        "/admin/login",
        &[("content-type", form)],
        Some(format!("token={token}")),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let cookie = h["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let (_, _, admin) = send(app.clone(), "GET", "/admin", &[("cookie", &cookie)], None).await;
    let csrf = admin
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("signed in: forms carry a CSRF token")
        .to_string();
    let (s, _, _) = send(
        app.clone(),
        "POST",
        "/admin/logout",
        &[("content-type", form), ("cookie", &cookie)],
        Some(format!("csrf={csrf}")),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    // The same cookie, kept (a copy, another tab, another node): signed out.
    let (_, _, admin) = send(app.clone(), "GET", "/admin", &[("cookie", &cookie)], None).await;
    assert!(!admin.contains("name=\"csrf\""), "still signed in");
    let (s, _, _) = send(
        app.clone(),
        "POST",
        "/admin/logout",
        &[("content-type", form), ("cookie", &cookie)],
        Some(format!("csrf={csrf}")),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn credentials_in_a_source_url_are_shown_nowhere() {
    let w = world().await;
    let src = w
        .source("Locked", "https://watcher:hunter2@status.locked.example/")
        .await;
    let token = "an-admin-token-of-length";
    let app = App {
        admin_token: Some(token.into()),
        ..w.app()
    };
    let bearer = format!("Bearer {token}");
    for path in [
        "/api/v1/sources".to_string(),
        "/api/v1/providers".to_string(),
        format!("/api/v1/providers/{}", src.id),
        format!("/providers/{}", src.id),
        "/admin".to_string(),
        "/".to_string(),
    ] {
        let (s, _, body) = send(
            app.clone(),
            "GET",
            &path,
            &[("authorization", &bearer)],
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(
            path == "/" || body.contains("status.locked.example"),
            "{path}: {body}"
        );
        assert!(!body.contains("hunter2"), "{path} shows the password");
        assert!(!body.contains("watcher:"), "{path} shows the user");
    }
}
