//! The HTTP server: pages for people, the JSON API (documented by an OpenAPI
//! 3.1 document generated from this code), feeds, badges, health and metrics.
//! It reads through the store; the only writes are the admin's source
//! management (add, pause, remove), behind a token.

pub mod api;
mod browse;
pub mod charts;
mod feed;
mod metrics;
pub mod openapi;
pub mod page;
pub mod state;
pub mod ui;
pub use statuswatch_view::words as view;

use api::{IncidentView, SourceView};
use async_trait::async_trait;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use statuswatch_store::{IncidentQuery, Source, SourceId, Store, StoreError};
use std::future::Future;
use std::sync::Arc;

pub use browse::{EventView, ProviderDetail, ProviderView, StatsView};

/// Adds a source on someone's behalf (detection, URL checks). Implemented
/// by the binary, which owns detection and the fetcher.
#[async_trait]
pub trait SourceAdmin: Send + Sync + 'static {
    /// Detects and stores a source; the error is for the person who asked.
    async fn add(&self, url: &str, name: Option<String>) -> Result<Source, String>;
}

/// What the routes share.
#[derive(Clone)]
pub struct App {
    /// The store.
    pub store: Arc<dyn Store>,
    /// Source management, when the binary offers it.
    pub admin: Option<Arc<dyn SourceAdmin>>,
    /// The token that allows managing sources; none: management is off.
    pub admin_token: Option<String>,
    /// More `/metrics` text from the rest of the process (poll counters).
    pub extra_metrics: Option<Arc<dyn Fn() -> String + Send + Sync>>,
}

impl App {
    /// A read-only app over a store.
    pub fn read_only(store: Arc<dyn Store>) -> App {
        App {
            store,
            admin: None,
            admin_token: None,
            extra_metrics: None,
        }
    }
}

/// The application's routes over a store, read-only.
pub fn router(store: Arc<dyn Store>) -> Router {
    app_router(App::read_only(store))
}

/// The application's routes.
pub fn app_router(app: App) -> Router {
    Router::new()
        .route("/", get(dashboard))
        .route("/providers/{id}", get(provider_html))
        .route("/incidents/{id}", get(incident_html))
        .route("/search", get(search_html))
        .route("/stats", get(stats_html))
        .route("/admin", get(admin_html))
        .route("/admin/sources", post(admin_add_form))
        .route("/admin/sources/{id}/{action}", post(admin_action_form))
        .route("/badge/{name}", get(badge))
        .route("/badge/{name}/{component}", get(component_badge))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .route("/feed.atom", get(atom))
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/api/v1/providers", get(browse::providers))
        .route("/api/v1/providers/{id}", get(browse::provider))
        .route("/api/v1/incidents", get(incidents))
        .route("/api/v1/incidents/{id}", get(incident))
        .route("/api/v1/events", get(browse::events))
        .route("/api/v1/stats", get(browse::stats))
        .route("/api/v1/sources", get(sources).post(api_add_source))
        .route(
            "/api/v1/sources/{id}",
            axum::routing::delete(api_remove_source),
        )
        .route("/api/v1/sources/{id}/pause", post(api_pause))
        .route("/api/v1/sources/{id}/resume", post(api_resume))
        .with_state(app)
}

/// Serves the read-only routes on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Arc<dyn Store>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_app(listener, App::read_only(store), shutdown).await
}

/// Serves the routes on `listener` until `shutdown` completes.
pub async fn serve_app(
    listener: tokio::net::TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app_router(app))
        .with_graceful_shutdown(shutdown)
        .await
}

/// An error answer: a status and a message, as `{"error": "..."}`.
pub(crate) struct ApiError(pub(crate) StatusCode, pub(crate) String);

impl ApiError {
    pub(crate) fn bad_request(msg: impl Into<String>) -> Self {
        ApiError(StatusCode::BAD_REQUEST, msg.into())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => {
                ApiError(StatusCode::NOT_FOUND, format!("{what} not found"))
            }
            other => {
                tracing::error!(error = %other, "storage error while serving");
                ApiError(StatusCode::INTERNAL_SERVER_ERROR, "storage error".into())
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(serde_json::json!({ "error": self.1 }))).into_response()
    }
}

/// Parses a query string into `T`, answering 400 with what was wrong.
pub(crate) fn query<T: serde::de::DeserializeOwned>(raw: Option<String>) -> Result<T, ApiError> {
    let raw = raw.unwrap_or_default();
    serde_urlencoded::from_str(&raw)
        .map_err(|e| ApiError::bad_request(format!("bad query string: {e}")))
}

/// Liveness: the process answers.
async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Readiness: the store answers.
async fn readyz(State(app): State<App>) -> Result<Json<serde_json::Value>, ApiError> {
    app.store.counts().await?;
    Ok(Json(serde_json::json!({ "status": "ready" })))
}

#[derive(Debug, Deserialize)]
struct FeedParams {
    provider: Option<String>,
}

async fn atom(State(app): State<App>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let p: FeedParams = query(raw)?;
    let rows = app
        .store
        .incidents(&IncidentQuery {
            provider: p.provider.clone(),
            limit: Some(50),
            ..Default::default()
        })
        .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed::render(&rows, p.provider.as_deref(), chrono::Utc::now()),
    )
        .into_response())
}

async fn metrics_text(State(app): State<App>) -> Result<Response, ApiError> {
    let sources = app.store.sources().await?;
    let counts = app.store.counts().await?;
    let mut text = metrics::render(&sources, &counts);
    if let Some(more) = &app.extra_metrics {
        text.push_str(&more());
    }
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

async fn openapi_json() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi::document(),
    )
        .into_response()
}

/// Filters of `/api/v1/incidents`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncidentParams {
    /// Only this provider (the page's name or the source's name, any case).
    pub provider: Option<String>,
    /// Only this source.
    pub source_id: Option<i64>,
    /// Only open incidents and maintenances.
    #[serde(default)]
    pub open: bool,
    /// Only this stated impact.
    pub impact: Option<ImpactWord>,
    /// Only incidents or only maintenances.
    pub kind: Option<KindWord>,
    /// Started at or after this time (RFC 3339, or a YYYY-MM-DD date).
    #[param(value_type = Option<String>, format = DateTime)]
    pub since: Option<String>,
    /// Started before this time (RFC 3339, or a YYYY-MM-DD date).
    #[param(value_type = Option<String>, format = DateTime)]
    pub until: Option<String>,
    /// Words that must all appear in the title or the updates.
    pub q: Option<String>,
    /// Page size (default 500).
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<u32>,
    /// How many to skip (paging).
    #[param(minimum = 0, maximum = 1000000)]
    pub offset: Option<u32>,
}

/// An impact word in a filter.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImpactWord {
    /// No impact.
    None,
    /// Minor.
    Minor,
    /// Major.
    Major,
    /// Critical.
    Critical,
    /// Maintenance.
    Maintenance,
}

/// A kind in a filter.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum KindWord {
    /// Incidents.
    Incident,
    /// Maintenances.
    Maintenance,
}

pub(crate) fn parse_time(
    field: &str,
    v: Option<&str>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, ApiError> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(v) {
        return Ok(Some(t.with_timezone(&chrono::Utc)));
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()));
    }
    Err(ApiError::bad_request(format!(
        "`{field}`: `{v}` is not an RFC 3339 time or a YYYY-MM-DD date"
    )))
}

impl IncidentParams {
    pub(crate) fn to_query(&self) -> Result<IncidentQuery, ApiError> {
        use statuswatch_model::{Impact, Kind};
        let impacts = match self.impact {
            None => Vec::new(),
            Some(ImpactWord::None) => vec![Impact::None],
            Some(ImpactWord::Minor) => vec![Impact::Minor],
            Some(ImpactWord::Major) => vec![Impact::Major],
            Some(ImpactWord::Critical) => vec![Impact::Critical],
            Some(ImpactWord::Maintenance) => vec![Impact::Maintenance],
        };
        let kind = self.kind.map(|k| match k {
            KindWord::Incident => Kind::Incident,
            KindWord::Maintenance => Kind::Maintenance,
        });
        for (field, v) in [("since", &self.since), ("until", &self.until)] {
            if v.as_deref().is_some_and(|v| v.trim().is_empty()) {
                return Err(ApiError::bad_request(format!("`{field}` is empty")));
            }
        }
        if self.offset.is_some_and(|o| o > 1_000_000) {
            return Err(ApiError::bad_request("`offset` must be at most 1000000"));
        }
        let limit = self.limit.unwrap_or(500);
        if !(1..=5000).contains(&limit) {
            return Err(ApiError::bad_request("`limit` must be between 1 and 5000"));
        }
        Ok(IncidentQuery {
            provider: self.provider.clone(),
            open_only: self.open,
            source_id: self.source_id,
            limit: Some(limit),
            offset: self.offset,
            kind,
            impacts,
            since: parse_time("since", self.since.as_deref())?,
            until: parse_time("until", self.until.as_deref())?,
            text: self.q.clone(),
        })
    }
}

/// Incidents, newest first, filtered and paged.
#[utoipa::path(get, path = "/api/v1/incidents", params(IncidentParams),
    responses((status = 200, description = "Incidents, newest first", body = [IncidentView]),
              (status = 400, description = "A filter is not understood", body = openapi::ErrorBody)))]
async fn incidents(
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<IncidentView>>, ApiError> {
    let p: IncidentParams = query(raw)?;
    let rows = app.store.incidents(&p.to_query()?).await?;
    Ok(Json(rows.iter().map(IncidentView::from).collect()))
}

/// One incident.
#[utoipa::path(get, path = "/api/v1/incidents/{id}", params(("id" = String, Path, description = "The incident's id")),
    responses((status = 200, description = "The incident", body = IncidentView),
              (status = 404, description = "No such incident", body = openapi::ErrorBody)))]
async fn incident(
    State(app): State<App>,
    Path(id): Path<String>,
) -> Result<Json<IncidentView>, ApiError> {
    Ok(Json(IncidentView::from(&app.store.incident(&id).await?)))
}

fn html_error(status: StatusCode, what: &str) -> Response {
    (status, Html(page::not_found(what).into_string())).into_response()
}

async fn incident_html(State(app): State<App>, Path(id): Path<String>) -> Response {
    match app.store.incident(&id).await {
        Ok(s) => Html(page::incident_page(&s, chrono::Utc::now()).into_string()).into_response(),
        Err(StoreError::NotFound(_)) => {
            html_error(StatusCode::NOT_FOUND, &format!("Incident {id}"))
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

async fn dashboard(State(app): State<App>) -> Result<Response, ApiError> {
    let now = chrono::Utc::now();
    let data = browse::Overview::load(&*app.store).await?;
    let rows = data.rows(now);
    let upcoming = data.upcoming();
    Ok(Html(ui::dashboard(&rows, &upcoming, now).into_string()).into_response())
}

async fn provider_html(
    State(app): State<App>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let Ok(id) = id.parse::<SourceId>() else {
        return Ok(html_error(StatusCode::NOT_FOUND, &format!("Provider {id}")));
    };
    let filter: ui::HistoryFilter = match query(raw) {
        Ok(f) => f,
        Err(e) => return Ok(html_error(StatusCode::BAD_REQUEST, &e.1)),
    };
    let now = chrono::Utc::now();
    match browse::ProviderData::load(&*app.store, id, &filter, now).await {
        Ok(d) => Ok(Html(ui::provider(&d.page(filter), now).into_string()).into_response()),
        Err(ApiError(StatusCode::NOT_FOUND, _)) => {
            Ok(html_error(StatusCode::NOT_FOUND, &format!("Provider {id}")))
        }
        Err(ApiError(StatusCode::BAD_REQUEST, m)) => Ok(html_error(StatusCode::BAD_REQUEST, &m)),
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
struct SearchParams {
    #[serde(default)]
    q: String,
}

async fn search_html(
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p: SearchParams = query(raw).unwrap_or_default();
    let hits = if p.q.trim().is_empty() {
        Vec::new()
    } else {
        app.store
            .incidents(&IncidentQuery {
                text: Some(p.q.clone()),
                limit: Some(200),
                ..Default::default()
            })
            .await?
    };
    let refs: Vec<_> = hits.iter().collect();
    Ok(Html(ui::search(&p.q, &refs, chrono::Utc::now()).into_string()).into_response())
}

async fn stats_html(State(app): State<App>) -> Result<Response, ApiError> {
    let now = chrono::Utc::now();
    let s = browse::Stats::load(&*app.store, 90, now).await?;
    Ok(Html(ui::stats(&s.figures, &s.mttr_rows(), 90).into_string()).into_response())
}

async fn find_source(store: &dyn Store, name: &str) -> Result<Option<Source>, ApiError> {
    let sources = store.sources().await?;
    Ok(sources.into_iter().find(|s| {
        s.id.to_string() == name
            || s.name.eq_ignore_ascii_case(name)
            || s.provider_name().eq_ignore_ascii_case(name)
    }))
}

fn svg(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "max-age=60"),
        ],
        body,
    )
        .into_response()
}

async fn badge(State(app): State<App>, Path(name): Path<String>) -> Result<Response, ApiError> {
    let name = name.strip_suffix(".svg").unwrap_or(&name);
    let Some(source) = find_source(&*app.store, name).await? else {
        return Ok((
            StatusCode::NOT_FOUND,
            svg(charts::badge(name, state::State::Unknown)),
        )
            .into_response());
    };
    let now = chrono::Utc::now();
    let open = app
        .store
        .incidents(&IncidentQuery {
            source_id: Some(source.id),
            open_only: true,
            limit: Some(500),
            ..Default::default()
        })
        .await?;
    let refs: Vec<_> = open.iter().collect();
    let st = state::provider_state(&source, &refs, now);
    Ok(svg(charts::badge(source.provider_name(), st)))
}

async fn component_badge(
    State(app): State<App>,
    Path((name, component)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let component = component.strip_suffix(".svg").unwrap_or(&component);
    let Some(source) = find_source(&*app.store, &name).await? else {
        return Ok((
            StatusCode::NOT_FOUND,
            svg(charts::badge(component, state::State::Unknown)),
        )
            .into_response());
    };
    let Some(c) = source
        .components
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(component))
    else {
        return Ok((
            StatusCode::NOT_FOUND,
            svg(charts::badge(component, state::State::Unknown)),
        )
            .into_response());
    };
    Ok(svg(charts::badge(&c.name, state::component_state(c.state))))
}

/// The watched sources and their health.
#[utoipa::path(get, path = "/api/v1/sources",
    responses((status = 200, description = "Every source", body = [SourceView])))]
async fn sources(State(app): State<App>) -> Result<Json<Vec<SourceView>>, ApiError> {
    Ok(Json(
        app.store
            .sources()
            .await?
            .iter()
            .map(SourceView::from)
            .collect(),
    ))
}

// --- Source management -------------------------------------------------------

fn token_ok(app: &App, given: Option<&str>) -> Result<(), ApiError> {
    let Some(expected) = app.admin_token.as_deref().filter(|t| !t.is_empty()) else {
        return Err(ApiError(
            StatusCode::FORBIDDEN,
            "managing sources is off: no admin token is configured".into(),
        ));
    };
    match given {
        Some(g) if constant_time_eq(g.as_bytes(), expected.as_bytes()) => Ok(()),
        _ => Err(ApiError(
            StatusCode::UNAUTHORIZED,
            "a valid admin token is required".into(),
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// A source to add.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewSourceBody {
    /// The status page's URL (detected as `statuswatch add` does).
    #[schema(min_length = 1, example = "https://www.githubstatus.com/")]
    pub url: String,
    /// A name; the page's own name when omitted.
    pub name: Option<String>,
}

async fn add_source(app: &App, url: &str, name: Option<String>) -> Result<Source, ApiError> {
    let Some(admin) = &app.admin else {
        return Err(ApiError(
            StatusCode::FORBIDDEN,
            "this server cannot add sources".into(),
        ));
    };
    admin
        .add(url, name.filter(|n| !n.trim().is_empty()))
        .await
        .map_err(|e| ApiError(StatusCode::UNPROCESSABLE_ENTITY, e))
}

/// Adds a source (admin token required).
#[utoipa::path(post, path = "/api/v1/sources", request_body = NewSourceBody,
    security(("admin_token" = [])),
    responses((status = 201, description = "Added", body = SourceView),
              (status = 401, description = "No valid token", body = openapi::ErrorBody),
              (status = 403, description = "Managing sources is off", body = openapi::ErrorBody),
              (status = 422, description = "Not a page statuswatch can watch, or a refused address", body = openapi::ErrorBody)))]
async fn api_add_source(
    State(app): State<App>,
    headers: HeaderMap,
    body: Result<Json<NewSourceBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    token_ok(&app, bearer(&headers))?;
    let Json(body) = body.map_err(|e| ApiError(StatusCode::UNPROCESSABLE_ENTITY, e.body_text()))?;
    let s = add_source(&app, &body.url, body.name).await?;
    Ok((StatusCode::CREATED, Json(SourceView::from(&s))).into_response())
}

fn source_id(id: &str) -> Result<SourceId, ApiError> {
    id.parse()
        .map_err(|_| ApiError(StatusCode::NOT_FOUND, format!("source {id} not found")))
}

/// Stops watching a source and deletes its history (admin token required).
#[utoipa::path(delete, path = "/api/v1/sources/{id}", params(("id" = String, Path, description = "The source's id")),
    security(("admin_token" = [])),
    responses((status = 204, description = "Removed"),
              (status = 401, description = "No valid token", body = openapi::ErrorBody),
              (status = 403, description = "Managing sources is off", body = openapi::ErrorBody),
              (status = 404, description = "No such source", body = openapi::ErrorBody)))]
async fn api_remove_source(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    token_ok(&app, bearer(&headers))?;
    app.store.remove_source(source_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Pauses polling a source (admin token required).
#[utoipa::path(post, path = "/api/v1/sources/{id}/pause", params(("id" = String, Path, description = "The source's id")),
    security(("admin_token" = [])),
    responses((status = 200, description = "Paused", body = SourceView),
              (status = 401, description = "No valid token", body = openapi::ErrorBody),
              (status = 403, description = "Managing sources is off", body = openapi::ErrorBody),
              (status = 404, description = "No such source", body = openapi::ErrorBody)))]
async fn api_pause(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<SourceView>, ApiError> {
    token_ok(&app, bearer(&headers))?;
    Ok(Json(SourceView::from(
        &app.store.set_paused(source_id(&id)?, true).await?,
    )))
}

/// Resumes polling a source (admin token required).
#[utoipa::path(post, path = "/api/v1/sources/{id}/resume", params(("id" = String, Path, description = "The source's id")),
    security(("admin_token" = [])),
    responses((status = 200, description = "Resumed", body = SourceView),
              (status = 401, description = "No valid token", body = openapi::ErrorBody),
              (status = 403, description = "Managing sources is off", body = openapi::ErrorBody),
              (status = 404, description = "No such source", body = openapi::ErrorBody)))]
async fn api_resume(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<SourceView>, ApiError> {
    token_ok(&app, bearer(&headers))?;
    Ok(Json(SourceView::from(
        &app.store.set_paused(source_id(&id)?, false).await?,
    )))
}

async fn admin_page(
    app: &App,
    status: StatusCode,
    message: Option<&str>,
) -> Result<Response, ApiError> {
    let sources = app.store.sources().await?;
    let token_set = app.admin_token.as_deref().is_some_and(|t| !t.is_empty());
    Ok((
        status,
        Html(ui::admin(&sources, message, token_set).into_string()),
    )
        .into_response())
}

async fn admin_html(State(app): State<App>) -> Result<Response, ApiError> {
    admin_page(&app, StatusCode::OK, None).await
}

#[derive(Debug, Deserialize)]
struct AddForm {
    url: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    token: String,
}

async fn admin_add_form(
    State(app): State<App>,
    Form(f): Form<AddForm>,
) -> Result<Response, ApiError> {
    if let Err(e) = token_ok(&app, Some(&f.token)) {
        return admin_page(&app, e.0, Some(&e.1)).await;
    }
    match add_source(&app, &f.url, Some(f.name)).await {
        Ok(s) => {
            admin_page(
                &app,
                StatusCode::OK,
                Some(&format!("Added {} ({}).", s.name, s.platform)),
            )
            .await
        }
        Err(e) => admin_page(&app, e.0, Some(&e.1)).await,
    }
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    #[serde(default)]
    token: String,
}

async fn admin_action_form(
    State(app): State<App>,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<TokenForm>,
) -> Result<Response, ApiError> {
    if let Err(e) = token_ok(&app, Some(&f.token)) {
        return admin_page(&app, e.0, Some(&e.1)).await;
    }
    let id = source_id(&id)?;
    let result = match action.as_str() {
        "pause" => app.store.set_paused(id, true).await.map(|_| ()),
        "resume" => app.store.set_paused(id, false).await.map(|_| ()),
        "remove" => app.store.remove_source(id).await,
        _ => {
            return Ok(html_error(
                StatusCode::NOT_FOUND,
                &format!("Action {action}"),
            ))
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to("/admin").into_response()),
        Err(e) => {
            let e = ApiError::from(e);
            admin_page(&app, e.0, Some(&e.1)).await
        }
    }
}
