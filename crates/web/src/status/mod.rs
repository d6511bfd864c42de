//! `/status/<slug>`: a page of one's own, for people (HTML), for machines in
//! Statuspage's API v2 form (`/status/<slug>/api/v2/*.json`), and as its
//! history feeds (`history.atom`, `history.rss`).

mod feeds;
mod html;
pub mod wire;

use crate::error::{html_error, ApiError};
use crate::App;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use statuswatch_model::{ComponentStatus, Status};
use statuswatch_store::{IncidentQuery, Page, PageExternal, Source, StoredIncident};
use wire::Wire;

/// What every view of a page reads.
pub(crate) struct Own {
    pub page: Page,
    pub source: Source,
    /// Newest first.
    pub incidents: Vec<StoredIncident>,
    /// The watched vendors the page shows, read live.
    pub externals: Vec<External>,
    pub base: String,
}

/// The group external components are listed under in the API.
pub const EXTERNAL_GROUP: &str = "Third-party services";

/// A watched vendor (or one of its components) on a page, as it is now.
pub(crate) struct External {
    /// The name the page shows.
    pub label: String,
    /// The watched source (its provider page is `/providers/<id>`).
    pub source_id: i64,
    /// The vendor's name.
    pub provider: String,
    /// The component's state (or the vendor's worst), as the vendor says.
    pub state: ComponentStatus,
    /// The vendor's open incidents and maintenances under way that touch
    /// what is shown, newest first.
    pub open: Vec<StoredIncident>,
}

impl External {
    async fn load(app: &App, e: &PageExternal) -> Result<External, ApiError> {
        let source = app.store.source(e.source_id).await?;
        let state = match &e.component {
            Some(name) => source
                .components
                .iter()
                .find(|c| &c.name == name)
                .map_or(ComponentStatus::Unknown, |c| c.state),
            None => ComponentStatus::worst(source.components.iter().map(|c| c.state))
                .unwrap_or(ComponentStatus::Unknown),
        };
        let open = app
            .store
            .incidents(&IncidentQuery {
                source_id: Some(e.source_id),
                open_only: true,
                limit: Some(20),
                ..Default::default()
            })
            .await?
            .into_iter()
            .filter(|s| {
                e.component
                    .as_ref()
                    .is_none_or(|name| s.incident.components.iter().any(|c| &c.name == name))
            })
            .collect();
        Ok(External {
            label: e.label.clone(),
            source_id: source.id,
            provider: source.provider_name().to_string(),
            state,
            open,
        })
    }
}

impl Own {
    async fn load(app: &App, slug: &str, headers: &HeaderMap) -> Result<Option<Own>, ApiError> {
        let Some(page) = app.store.page(slug).await? else {
            return Ok(None);
        };
        let source = app.store.source(page.source_id).await?;
        let incidents = app
            .store
            .incidents(&IncidentQuery {
                source_id: Some(source.id),
                limit: Some(500),
                ..Default::default()
            })
            .await?;
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        let scheme = headers
            .get("x-forwarded-proto")
            .and_then(|h| h.to_str().ok())
            .filter(|p| *p == "https")
            .unwrap_or("http");
        let base = format!("{scheme}://{host}/status/{}", page.slug);
        let mut externals = Vec::new();
        for e in app.store.page_externals(&page.slug).await? {
            externals.push(External::load(app, &e).await?);
        }
        Ok(Some(Own {
            page,
            source,
            incidents,
            externals,
            base,
        }))
    }

    pub(crate) fn wire(&self) -> Wire<'_> {
        Wire {
            page: &self.page,
            source: &self.source,
            incidents: &self.incidents,
            externals: self
                .externals
                .iter()
                .map(|e| {
                    statuswatch_model::ComponentState::new(
                        e.label.clone(),
                        Some(EXTERNAL_GROUP.to_string()),
                        statuswatch_engine::page::component_word(e.state),
                        e.state,
                    )
                })
                .collect(),
            base: self.base.clone(),
        }
    }
}

fn not_found(slug: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(serde_json::json!({"error": format!("no status page `{slug}`")})),
    )
        .into_response()
}

/// `/status/<slug>`.
pub(crate) async fn page(
    State(app): State<App>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    match Own::load(&app, &slug, &headers).await {
        Ok(Some(own)) => Html(html::page(&own, app.now()).into_string()).into_response(),
        Ok(None) => html_error(StatusCode::NOT_FOUND, &format!("Status page {slug}")),
        Err(e) => e.into_response(),
    }
}

/// `/status/<slug>/incidents/<id>`.
pub(crate) async fn incident(
    State(app): State<App>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match Own::load(&app, &slug, &headers).await {
        Ok(Some(own)) => match own.incidents.iter().find(|s| s.incident.vendor_id == id) {
            Some(s) => Html(html::incident(&own, s, app.now()).into_string()).into_response(),
            None => html_error(StatusCode::NOT_FOUND, &format!("Incident {id}")),
        },
        Ok(None) => html_error(StatusCode::NOT_FOUND, &format!("Status page {slug}")),
        Err(e) => e.into_response(),
    }
}

/// `/status/<slug>/api/v2/<answer>` (and `incidents/…`,
/// `scheduled-maintenances/…`).
pub(crate) async fn api(
    State(app): State<App>,
    Path((slug, rest)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let own = match Own::load(&app, &slug, &headers).await {
        Ok(Some(own)) => own,
        Ok(None) => return not_found(&slug),
        Err(e) => return e.into_response(),
    };
    let w = own.wire();
    let page = w.page();
    let body = match rest.as_str() {
        "summary.json" => w.summary(),
        "status.json" => serde_json::json!({"page": page, "status": w.status()}),
        "components.json" => serde_json::json!({"page": page, "components": w.components()}),
        "incidents.json" => serde_json::json!({"page": page, "incidents": w.incidents(false)}),
        "incidents/unresolved.json" => {
            serde_json::json!({"page": page, "incidents": w.incidents(true)})
        }
        "scheduled-maintenances.json" => {
            serde_json::json!({"page": page, "scheduled_maintenances": w.maintenances(&[])})
        }
        "scheduled-maintenances/upcoming.json" => serde_json::json!({
            "page": page, "scheduled_maintenances": w.maintenances(&[Status::Scheduled])
        }),
        "scheduled-maintenances/active.json" => serde_json::json!({
            "page": page,
            "scheduled_maintenances": w.maintenances(&[Status::InProgress, Status::Verifying])
        }),
        other => {
            return (
                StatusCode::NOT_FOUND,
                Json(serde_json::json!({"error": format!("no answer `{other}` in the API v2 of a status page")})),
            )
                .into_response()
        }
    };
    Json(body).into_response()
}

/// `/status/<slug>/history.atom`, `history.rss` and `maintenances.ics`.
pub(crate) async fn history(
    State(app): State<App>,
    Path((slug, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let own = match Own::load(&app, &slug, &headers).await {
        Ok(Some(own)) => own,
        Ok(None) => return not_found(&slug),
        Err(e) => return e.into_response(),
    };
    match file.as_str() {
        "history.atom" => (
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            feeds::atom(&own),
        )
            .into_response(),
        "history.rss" => (
            [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
            feeds::rss(&own),
        )
            .into_response(),
        "maintenances.ics" => (
            [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
            feeds::ics(&own),
        )
            .into_response(),
        _ => html_error(StatusCode::NOT_FOUND, &format!("{file} of {slug}")),
    }
}
