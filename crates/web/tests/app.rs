//! The web app over a real store: dashboard, provider pages with uptime and
//! filters, search, badges, the JSON API and its OpenAPI document, and source
//! management behind the admin token.
// Tests may stamp their fixtures with the real time (see clippy.toml).
#![allow(clippy::disallowed_methods)]

use async_trait::async_trait;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use statuswatch_model::{Component, ComponentState, Impact, Incident, Kind, Status, Update};
use statuswatch_store::sqlite::SqliteStore;
use statuswatch_store::{FailureRecord, IncidentWrite, NewSource, PollRecord, Source, Store};
use statuswatch_web::{app_router, AddError, App, SourceAdmin};
use std::sync::Arc;
use tower::ServiceExt;

struct World {
    _dir: tempfile::TempDir,
    store: Arc<dyn Store>,
    acme: Source,
    beta: Source,
    now: DateTime<Utc>,
}

fn incident(
    id: &str,
    title: &str,
    impact: Impact,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
    comp: &str,
) -> Incident {
    let mut i = Incident::new(
        id,
        title,
        if end.is_some() {
            Status::Resolved
        } else {
            Status::Investigating
        },
    );
    i.impact = Some(impact);
    i.components.push(Component {
        name: comp.into(),
        group: None,
    });
    i.updates.push(Update {
        vendor_id: Some(format!("{id}-1")),
        status: Status::Investigating,
        label: "Investigating".into(),
        at: Some(start),
        body: format!("We are looking into {title}."),
    });
    if let Some(e) = end {
        i.updates.push(Update {
            vendor_id: Some(format!("{id}-2")),
            status: Status::Resolved,
            label: "Resolved".into(),
            at: Some(e),
            body: "Fixed.".into(),
        });
    }
    i.normalize();
    i
}

async fn poll(
    store: &Arc<dyn Store>,
    src: &Source,
    at: DateTime<Utc>,
    components: Vec<(&str, &str)>,
    incidents: Vec<Incident>,
) {
    store
        .apply_poll(PollRecord {
            source_id: src.id,
            at,
            outcome: statuswatch_store::PollOutcome::Ok,
            provider: None,
            components: Some(
                components
                    .into_iter()
                    .map(|(n, s)| {
                        ComponentState::new(
                            n,
                            None,
                            s,
                            statuswatch_model::ComponentStatus::from_any_word(s),
                        )
                    })
                    .collect(),
            ),
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
            next_poll_at: at,
            warning: None,
        })
        .await
        .unwrap();
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(dir.path().join("a.db").to_str().unwrap())
            .await
            .unwrap(),
    );
    let now = Utc::now();
    let add = |name: &str| NewSource {
        name: name.into(),
        url: format!("https://status.{}.example/", name.to_lowercase()),
        platform: "statuspage".into(),
        provider: None,
        on_behalf: false,
    };
    let acme = store
        .add_source(add("Acme"), now - Duration::days(200))
        .await
        .unwrap();
    let beta = store
        .add_source(add("Beta"), now - Duration::days(200))
        .await
        .unwrap();
    let _gamma = store.add_source(add("Gamma"), now).await.unwrap();
    let delta = store.add_source(add("Delta"), now).await.unwrap();
    // Acme: an open major incident now, a resolved minor one 3 days ago.
    poll(
        &store,
        &acme,
        now - Duration::minutes(1),
        vec![("API", "major_outage"), ("Dashboard", "operational")],
        vec![
            incident(
                "a1",
                "<img src=x onerror=alert(1)>",
                Impact::Major,
                now - Duration::hours(1),
                None,
                "API",
            ),
            incident(
                "a2",
                "Slow dashboard",
                Impact::Minor,
                now - Duration::days(3),
                Some(now - Duration::days(3) + Duration::hours(2)),
                "Dashboard",
            ),
        ],
    )
    .await;
    // Beta: healthy now, with history and an upcoming maintenance. The
    // critical incident lies within one UTC day, whatever time the test runs.
    let critical_start = (now - Duration::days(40))
        .date_naive()
        .and_hms_opt(10, 0, 0)
        .unwrap()
        .and_utc();
    let mut m = Incident::new("b-m", "Database upgrade", Status::Scheduled);
    m.kind = Kind::Maintenance;
    m.impact = Some(Impact::Maintenance);
    m.scheduled_for = Some(now + Duration::days(2));
    m.scheduled_until = Some(now + Duration::days(2) + Duration::hours(1));
    m.updates.push(Update {
        vendor_id: None,
        status: Status::Scheduled,
        label: "Scheduled".into(),
        at: Some(now - Duration::days(1)),
        body: "Planned.".into(),
    });
    m.normalize();
    poll(
        &store,
        &beta,
        now - Duration::minutes(1),
        vec![("Payments", "operational")],
        vec![
            incident(
                "b1",
                "Payments failing",
                Impact::Critical,
                critical_start,
                Some(critical_start + Duration::hours(3)),
                "Payments",
            ),
            incident(
                "b2",
                "Webhooks delayed",
                Impact::Minor,
                now - Duration::days(100),
                Some(now - Duration::days(100) + Duration::minutes(30)),
                "Webhooks",
            ),
            m,
        ],
    )
    .await;
    store
        .record_failure(FailureRecord {
            source_id: delta.id,
            at: now,
            outcome: statuswatch_store::PollOutcome::Error,
            error: "HTTP 503".into(),
            next_poll_at: now,
        })
        .await
        .unwrap();
    World {
        _dir: dir,
        store,
        acme,
        beta,
        now,
    }
}

struct FakeAdmin(Arc<dyn Store>);

#[async_trait]
impl SourceAdmin for FakeAdmin {
    async fn add(&self, url: &str, name: Option<String>) -> Result<Source, AddError> {
        if url.contains("127.0.0.1") {
            return Err(AddError::Refused(format!(
                "{url}: 127.0.0.1 is an internal address"
            )));
        }
        self.0
            .add_source(
                NewSource {
                    name: name.unwrap_or_else(|| "New".into()),
                    url: url.into(),
                    platform: "feed".into(),
                    provider: None,
                    on_behalf: false,
                },
                Utc::now(),
            )
            .await
            .map_err(|e| match e {
                statuswatch_store::StoreError::Conflict(m) => AddError::Refused(m),
                e => AddError::Store(e),
            })
    }
}

fn app(w: &World, token: Option<&str>) -> App {
    App {
        store: w.store.clone(),
        admin: Some(Arc::new(FakeAdmin(w.store.clone()))),
        admin_token: token.map(str::to_string),
        extra_metrics: Some(Arc::new(|| {
            "statuswatch_polls_total{outcome=\"unchanged\"} 7\n".to_string()
        })),
        clock: Arc::new(statuswatch_engine::SystemClock),
        metrics_per_source: statuswatch_web::METRICS_PER_SOURCE,
        attempts: Default::default(),
        subscribe_attempts: Arc::new(statuswatch_web::Attempts::subscriptions()),
        pages: None,
        subscriber_mail: None,
        trusted_proxies: Arc::new([]),
        public_url: None,
        access: Default::default(),
        rendered: Default::default(),
        slack_signing_secret: None,
    }
}

async fn call(app: App, req: Request<Body>) -> (StatusCode, String, String) {
    let resp = app_router(app).oneshot(req).await.unwrap();
    let status = resp.status();
    let ctype = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(resp.into_body(), 8 << 20)
        .await
        .unwrap();
    (status, ctype, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn get(w: &World, path: &str) -> (StatusCode, String) {
    let (s, _, b) = call(
        app(w, None),
        Request::get(path).body(Body::empty()).unwrap(),
    )
    .await;
    (s, b)
}

async fn json(w: &World, path: &str) -> Value {
    let (s, b) = get(w, path).await;
    assert_eq!(s, StatusCode::OK, "{path}: {b}");
    serde_json::from_str(&b).unwrap()
}

#[tokio::test]
async fn the_dashboard_shows_states_worst_first_with_open_incidents_maintenance_and_unhealthy_sources(
) {
    let w = world().await;
    let (s, page) = get(&w, "/").await;
    assert_eq!(s, StatusCode::OK);
    let pos = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing"))
    };
    assert!(
        pos("data-provider=\"Acme\"") < pos("data-provider=\"Beta\""),
        "outage first"
    );
    assert!(
        pos("data-provider=\"Beta\"") < pos("data-provider=\"Gamma\""),
        "unknown last"
    );
    let acme_row = &page[pos("data-provider=\"Acme\"")..];
    assert!(acme_row[..400].contains("data-state=\"outage\""));
    let beta_row = &page[pos("data-provider=\"Beta\"")..];
    assert!(beta_row[..400].contains("data-state=\"operational\""));
    assert!(page.contains("Open incidents"));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;") && !page.contains("<img src=x"));
    assert!(page.contains("Upcoming maintenance") && page.contains("Database upgrade"));
    assert!(page.contains("Unhealthy sources") && page.contains("HTTP 503"));
}

#[tokio::test]
async fn a_provider_page_has_uptime_components_history_filters_and_figures() {
    let w = world().await;
    let (s, page) = get(&w, &format!("/providers/{}", w.beta.id)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        page.matches("rx=\"0.6\"").count(),
        180,
        "90 day bars for the provider and 90 for its one component"
    );
    // 90 bars for the provider and 90 for its one listed component; one day in outage.
    assert_eq!(
        page.matches("data-state=\"outage\" ").count()
            + page.matches("data-state=\"outage\">").count(),
        2,
        "the critical day, once per bar set"
    );
    assert!(page.contains("data-component=\"Payments\""));
    assert!(page.contains("Payments failing") && page.contains("Webhooks delayed"));
    assert!(
        page.contains("<b class=\"n-incidents\">2</b>"),
        "two incidents in the last year"
    );
    // Filters: impact, component, dates.
    let (_, minor) = get(&w, &format!("/providers/{}?impact=minor", w.beta.id)).await;
    assert!(minor.contains("Webhooks delayed") && !minor.contains("Payments failing</a>"));
    let (_, comp) = get(&w, &format!("/providers/{}?component=Payments", w.beta.id)).await;
    assert!(comp.contains("Payments failing</a>") && !comp.contains("Webhooks delayed</a>"));
    let from = (w.now - Duration::days(60)).format("%Y-%m-%d");
    let (_, recent) = get(&w, &format!("/providers/{}?from={from}", w.beta.id)).await;
    assert!(recent.contains("Payments failing</a>") && !recent.contains("Webhooks delayed</a>"));
    let (s, bad) = get(&w, &format!("/providers/{}?from=yesterday", w.beta.id)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(bad.contains("yesterday"));
    let (s, _) = get(&w, "/providers/999").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn search_finds_titles_and_update_text() {
    let w = world().await;
    let (_, page) = get(&w, "/search?q=looking+into+webhooks").await;
    assert!(page.contains("1 incidents match") && page.contains("Webhooks delayed"));
    let (_, none) = get(&w, "/search?q=nothing-like-this").await;
    assert!(none.contains("0 incidents match"));
    let api = json(&w, "/api/v1/incidents?q=payments").await;
    assert_eq!(api.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn badges_show_provider_and_component_states() {
    let w = world().await;
    let (s, ctype, body) = call(
        app(&w, None),
        Request::get("/badge/Acme.svg").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ctype, "image/svg+xml");
    assert!(body.contains("Acme: outage"));
    let (_, comp) = get(&w, "/badge/beta/Payments.svg").await;
    assert!(comp.contains("Payments: operational"));
    let (s, unknown) = get(&w, "/badge/Nobody.svg").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(unknown.contains("unknown"));
}

#[tokio::test]
async fn the_api_serves_providers_incidents_events_and_stats() {
    let w = world().await;
    let providers = json(&w, "/api/v1/providers").await;
    let p = providers.as_array().unwrap();
    assert_eq!(p[0]["name"], "Acme");
    assert_eq!(p[0]["state"], "outage");
    assert_eq!(p[0]["open_incidents"], 1);
    assert_eq!(p[0]["components"][0]["state"], "outage");
    let one = json(&w, &format!("/api/v1/providers/{}", w.beta.id)).await;
    assert_eq!(one["days"].as_array().unwrap().len(), 90);
    let up = one["uptime_percent_90d"].as_f64().unwrap();
    assert!(up < 100.0 && up > 99.0, "{up}");
    assert_eq!(one["figures"]["incidents"], 2);
    assert_eq!(one["figures"]["mean_time_to_resolve_minutes"], 105);
    // Filters and paging.
    let crit = json(&w, "/api/v1/incidents?impact=critical").await;
    assert_eq!(crit.as_array().unwrap().len(), 1);
    let maint = json(&w, "/api/v1/incidents?kind=maintenance").await;
    assert_eq!(maint[0]["title"], "Database upgrade");
    let page1 = json(&w, "/api/v1/incidents?limit=2").await;
    let page2 = json(&w, "/api/v1/incidents?limit=2&offset=2").await;
    assert_eq!(page1.as_array().unwrap().len(), 2);
    assert_ne!(page1[0]["id"], page2[0]["id"]);
    let since = (w.now - Duration::days(5)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let recent = json(
        &w,
        &format!("/api/v1/incidents?since={since}&source_id={}", w.acme.id),
    )
    .await;
    assert_eq!(recent.as_array().unwrap().len(), 2);
    for bad in [
        "impact=huge",
        "kind=x",
        "limit=0",
        "since=then",
        "open=maybe",
    ] {
        let (s, body) = get(&w, &format!("/api/v1/incidents?{bad}")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
        assert!(serde_json::from_str::<Value>(&body).unwrap()["error"].is_string());
    }
    let events = json(&w, "/api/v1/events?after=0&limit=10").await;
    assert!(
        events.as_array().unwrap().is_empty(),
        "the seed recorded no events"
    );
    let stats = json(&w, "/api/v1/stats?days=120").await;
    assert_eq!(stats["providers"], 4);
    assert_eq!(stats["figures"]["incidents"], 4);
    let (_, metrics) = get(&w, "/metrics").await;
    assert!(
        metrics.contains("statuswatch_source_up") || metrics.contains("statuswatch_open_incidents")
    );
    assert!(
        metrics.ends_with("statuswatch_polls_total{outcome=\"unchanged\"} 7\n"),
        "the process's counters follow"
    );
    let (_, page) = get(&w, "/stats").await;
    assert!(page.contains("Mean time to resolve per provider"));
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_lists_every_api_path() {
    let w = world().await;
    let doc = json(&w, "/api/v1/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/incidents",
        "/api/v1/incidents/{id}",
        "/api/v1/sources",
        "/api/v1/sources/{id}",
        "/api/v1/sources/{id}/pause",
        "/api/v1/sources/{id}/resume",
        "/api/v1/providers",
        "/api/v1/providers/{id}",
        "/api/v1/events",
        "/api/v1/stats",
    ] {
        assert!(paths.contains_key(p), "{p} missing");
    }
    assert!(doc["components"]["schemas"]["IncidentView"]["properties"]["detected_at"].is_object());
    // The failed-token limiter answers 429 on any path: every operation says so.
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            assert!(
                op["responses"]["429"].is_object(),
                "{method} {path} does not document 429"
            );
        }
    }
    // Every reference resolves (a missing schema makes fuzzers skip parameters).
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 10);
    for r in all {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r}"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{r} does not resolve"
        );
    }
}

#[tokio::test]
async fn sources_are_managed_only_with_the_admin_token() {
    let w = world().await;
    let add = |token: Option<&str>, url: &str| {
        let mut r = Request::post("/api/v1/sources").header("content-type", "application/json");
        if let Some(t) = token {
            r = r.header("authorization", format!("Bearer {t}"));
        }
        r.body(Body::from(format!(
            "{{\"url\": \"{url}\", \"name\": \"Zeta\"}}"
        )))
        .unwrap()
    };
    let token = "a-long-admin-token-123";
    // Off without a configured token; refused without or with a wrong one.
    let (s, _, _) = call(
        app(&w, None),
        add(Some(token), "https://status.zeta.example/"),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = call(
        app(&w, Some(token)),
        add(None, "https://status.zeta.example/"),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _, _) = call(
        app(&w, Some(token)),
        add(
            Some("wrong-token-wrong-token"),
            "https://status.zeta.example/",
        ),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // Refused addresses come back as 422 with the reason.
    let (s, _, body) = call(
        app(&w, Some(token)),
        add(Some(token), "http://127.0.0.1:9/"),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("internal address"));
    let (s, _, body) = call(
        app(&w, Some(token)),
        add(Some(token), "https://status.zeta.example/"),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let created: Value = serde_json::from_str(&body).unwrap();
    let id = created["id"].as_i64().unwrap();
    let with = |method: &str, path: String| {
        Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let (s, _, body) = call(
        app(&w, Some(token)),
        with("POST", format!("/api/v1/sources/{id}/pause")),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("\"name\":\"Zeta\""));
    assert!(w.store.source(id).await.unwrap().paused);
    let (s, _, _) = call(
        app(&w, Some(token)),
        with("POST", format!("/api/v1/sources/{id}/resume")),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(!w.store.source(id).await.unwrap().paused);
    let (s, _, _) = call(
        app(&w, Some(token)),
        with("DELETE", format!("/api/v1/sources/{id}")),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _, _) = call(
        app(&w, Some(token)),
        with("DELETE", format!("/api/v1/sources/{id}")),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The admin page's forms: sign in once, then a session and CSRF tokens.
    let form = |path: &str, body: &str, cookie: Option<&str>| {
        let mut r = Request::post(path).header("content-type", "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            r = r.header("cookie", c);
        }
        r.body(Body::from(body.to_string())).unwrap()
    };
    let eta_form =
        |csrf: &str| format!("url=https%3A%2F%2Fstatus.eta.example%2F&name=Eta&csrf={csrf}");
    let (s, _, page) = call(
        app(&w, Some(token)),
        form("/admin/sources", &eta_form("x"), None),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "no session");
    assert!(
        page.contains("sign in with the admin token first"),
        "{page}"
    );
    assert!(
        page.contains("action=\"/admin/login\""),
        "the login form is offered"
    );
    assert!(
        !page.contains("action=\"/admin/sources\""),
        "no add form before signing in"
    );
    let (s, _, page) = call(
        app(&w, Some(token)),
        form("/admin/login", "token=nope", None),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(page.contains("a valid admin token is required"));
    let resp = app_router(app(&w, Some(token)))
        .oneshot(form("/admin/login", &format!("token={token}"), None))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let set_cookie = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
        "{set_cookie}"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    let (_, _, page) = call(
        app(&w, Some(token)),
        Request::get("/admin")
            .header("cookie", &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        !page.contains(token),
        "the token itself is never in the page"
    );
    // Signed in, the admin page offers the catalog to pick from.
    assert!(page.contains("<datalist id=\"catalog\">"));
    assert!(page.contains("<option value=\"https://www.githubstatus.com/\">GitHub</option>"));
    assert!(page.matches("<option value=").count() >= 1000);
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a CSRF token in the forms")
        .to_string();
    // A form from elsewhere (no or another token) is refused, the session notwithstanding.
    let (s, _, page) = call(
        app(&w, Some(token)),
        form("/admin/sources", &eta_form("forged"), Some(&cookie)),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(page.contains("CSRF"));
    assert!(w
        .store
        .sources()
        .await
        .unwrap()
        .iter()
        .all(|s| s.name != "Eta"));
    let (s, _, page) = call(
        app(&w, Some(token)),
        form("/admin/sources", &eta_form(&csrf), Some(&cookie)),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert!(page.contains("Added Eta (feed)."));
    // Another token's session is no session (changing the token signs everyone out).
    let (s, _, _) = call(
        app(&w, Some("another-admin-token-456")),
        form("/admin/sources", &eta_form(&csrf), Some(&cookie)),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let eta = w
        .store
        .sources()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.name == "Eta")
        .unwrap();
    let (s, _, _) = call(
        app(&w, Some(token)),
        form(
            &format!("/admin/sources/{}/pause", eta.id),
            &format!("csrf={csrf}"),
            Some(&cookie),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(w.store.source(eta.id).await.unwrap().paused);
    let resp = app_router(app(&w, Some(token)))
        .oneshot(form(
            "/admin/logout",
            &format!("csrf={csrf}"),
            Some(&cookie),
        ))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_pages_need_no_inline_style_or_script() {
    let w = world().await;
    for path in [
        "/",
        "/admin",
        "/api/v1/providers",
        "/metrics",
        "/nope",
        "/assets/style.css",
    ] {
        let resp = app_router(app(&w, None))
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let h = resp.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.starts_with("default-src 'self'"), "{path}: {csp}");
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'none'"),
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
    }
    for path in ["/", "/providers/1", "/admin", "/search", "/stats"] {
        let (_, page) = get(&w, path).await;
        assert!(
            !page.contains("<style") && !page.contains(" style=\""),
            "{path} has inline style"
        );
        assert!(!page.contains("<script"), "{path} has a script");
        assert!(
            page.contains("<link rel=\"stylesheet\" href=\"/assets/style.css"),
            "{path}"
        );
    }
    let (s, css) = get(&w, "/assets/style.css").await;
    assert_eq!(s, StatusCode::OK);
    assert!(css.contains("ol.timeline"));
}

#[tokio::test]
async fn a_request_with_no_credential_is_refused_but_not_counted() {
    let w = world().await;
    let a = app(&w, Some("a-long-admin-token-123"));
    let bare = || {
        Request::post("/api/v1/sources/1/pause")
            .header("x-forwarded-for", "198.51.100.9")
            .body(Body::empty())
            .unwrap()
    };
    for _ in 0..(2 * statuswatch_web::MAX_FAILURES) {
        assert_eq!(call(a.clone(), bare()).await.0, StatusCode::UNAUTHORIZED);
    }
    // Nothing was guessed: the right token still works at once.
    let (s, _, _) = call(
        a.clone(),
        Request::post("/api/v1/sources/1/pause")
            .header("authorization", "Bearer a-long-admin-token-123")
            .header("x-forwarded-for", "198.51.100.9")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn failed_token_attempts_are_limited_per_client() {
    let w = world().await;
    let token = "a-long-admin-token-123";
    // Behind a reverse proxy on this machine, which names each client.
    let a = App {
        trusted_proxies: Arc::new(["127.0.0.1/32".parse().unwrap()]),
        ..app(&w, Some(token))
    };
    let proxy = axum::extract::ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 40000)));
    let attempt = |from: &str, t: &str| {
        Request::post("/api/v1/sources/1/pause")
            .header("authorization", format!("Bearer {t}"))
            .header("x-forwarded-for", from)
            .extension(proxy)
            .body(Body::empty())
            .unwrap()
    };
    for i in 0..statuswatch_web::MAX_FAILURES {
        let (s, _, _) = call(a.clone(), attempt("198.51.100.1", "wrong")).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let resp = app_router(a.clone())
        .oneshot(attempt("198.51.100.1", "wrong"))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Even the right token waits: guessing stops here, not at the token check.
    let (s, _, _) = call(a.clone(), attempt("198.51.100.1", token)).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    // What offers no credential is not refused: public pages are read, and
    // a secured operation says a token is needed.
    let bare = |path: &str, method: &str| {
        Request::builder()
            .method(method)
            .uri(path)
            .header("x-forwarded-for", "198.51.100.1")
            .extension(proxy)
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(
        call(a.clone(), bare("/api/v1/incidents", "GET")).await.0,
        StatusCode::OK
    );
    assert_eq!(
        call(a.clone(), bare("/api/v1/sources/1/pause", "POST"))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        call(a.clone(), attempt("198.51.100.1", token)).await.0,
        StatusCode::TOO_MANY_REQUESTS,
        "and that counted nothing new, nor lifted anything"
    );
    // Another client is not held to the first's failures.
    let (s, _, _) = call(a.clone(), attempt("198.51.100.2", token)).await;
    assert_eq!(s, StatusCode::OK);
    // Nor is the admin login, for another client.
    let (s, _, _) = call(
        a.clone(),
        Request::post("/admin/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", "198.51.100.1")
            .extension(proxy)
            .body(Body::from(format!("token={token}")))
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "the login is limited too");
}

#[tokio::test]
async fn a_client_cannot_choose_its_address_unless_through_a_trusted_proxy() {
    let w = world().await;
    let token = "a-long-admin-token-123";
    let attempt = |n: usize| {
        Request::post("/api/v1/sources/1/pause")
            .header("authorization", "Bearer wrong")
            // A new address every time: a spoofer hoping to dodge the limit.
            .header("x-forwarded-for", format!("198.51.100.{n}"))
            .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [127, 0, 0, 1],
                40000,
            ))))
            .body(Body::empty())
            .unwrap()
    };
    // No proxy trusted (the default), even a peer on this machine.
    let a = app(&w, Some(token));
    let mut codes = Vec::new();
    for n in 0..30 {
        codes.push(call(a.clone(), attempt(n)).await.0);
    }
    assert_eq!(
        codes
            .iter()
            .filter(|c| **c == StatusCode::UNAUTHORIZED)
            .count(),
        statuswatch_web::MAX_FAILURES
    );
    assert_eq!(codes.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
}

#[tokio::test]
async fn an_empty_dashboard_says_how_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(dir.path().join("e.db").to_str().unwrap())
            .await
            .unwrap(),
    );
    let (s, _, page) = call(
        App::read_only(store),
        Request::get("/").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Nothing is watched yet"));
    assert!(page.contains("<code>statuswatch add github</code>"));
}

#[tokio::test]
async fn the_slack_command_answers_signed_requests_only() {
    use hmac::{Hmac, Mac};
    let w = world().await;
    const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
    let slack = App {
        slack_signing_secret: Some(SECRET.into()),
        ..app(&w, None)
    };
    let sign = |ts: i64, body: &str| {
        let mut m = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
        m.update(format!("v0:{ts}:{body}").as_bytes());
        format!("v0={}", hex::encode(m.finalize().into_bytes()))
    };
    let ask = |text: &str, ts: i64, signature: Option<String>| {
        let body = format!("token=x&team_id=T1&command=%2Fstatuswatch&text={text}&user_id=U1");
        let sig = signature.unwrap_or_else(|| sign(ts, &body));
        Request::post("/slack/command")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-slack-request-timestamp", ts.to_string())
            .header("x-slack-signature", sig)
            .body(Body::from(body))
            .unwrap()
    };
    let now = Utc::now().timestamp();
    // A vendor: its state, what is not operational, its open incident.
    let (s, _, body) = call(slack.clone(), ask("acme", now, None)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["response_type"], "ephemeral");
    let text = v["text"].as_str().unwrap();
    assert!(
        text.contains("*Acme*") && text.contains("API (major outage)"),
        "{text}"
    );
    assert!(
        text.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "escaped: {text}"
    );
    // One component.
    let (_, _, body) = call(slack.clone(), ask("acme+dashboard", now, None)).await;
    assert!(body.contains("Acme · Dashboard*: operational"), "{body}");
    // A near miss suggests; no text lists what is open.
    let (_, _, body) = call(slack.clone(), ask("acm", now, None)).await;
    assert!(
        body.contains("did you mean") && body.contains("`Acme`"),
        "{body}"
    );
    let (_, _, body) = call(slack.clone(), ask("", now, None)).await;
    assert!(
        body.contains("vendors with something open") && body.contains("*Acme*"),
        "{body}"
    );
    // A wrong signature, or a replay of an old one: 401.
    let (s, _, _) = call(slack.clone(), ask("acme", now, Some("v0=00".into()))).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _, _) = call(slack.clone(), ask("acme", now - 301, None)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "older than 5 minutes");
    // Without a signing secret, there is no command.
    let (s, _, _) = call(app(&w, None), ask("acme", now, None)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
