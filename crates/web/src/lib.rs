//! The HTTP server: JSON API and health endpoints. It reads through the store
//! only; it never writes incident state.

pub mod api;
mod feed;
mod metrics;
pub mod page;
pub mod view;

use api::{IncidentView, SourceView};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use statuswatch_store::{IncidentQuery, Store, StoreError};
use std::future::Future;
use std::sync::Arc;

type AppState = Arc<dyn Store>;

/// The application's routes over a store.
pub fn router(store: Arc<dyn Store>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .route("/feed.atom", get(atom))
        .route("/api/v1/incidents", get(incidents))
        .route("/api/v1/incidents/{id}", get(incident))
        .route("/api/v1/sources", get(sources))
        .route("/incidents/{id}", get(incident_html))
        .with_state(store)
}

/// Serves the routes on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Arc<dyn Store>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(store))
        .with_graceful_shutdown(shutdown)
        .await
}

struct ApiError(StatusCode, String);

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

/// Liveness: the process answers.
async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Readiness: the store answers.
async fn readyz(State(store): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    store.counts().await?;
    Ok(Json(serde_json::json!({ "status": "ready" })))
}

#[derive(Debug, Deserialize)]
struct FeedParams {
    provider: Option<String>,
}

async fn atom(
    State(store): State<AppState>,
    Query(p): Query<FeedParams>,
) -> Result<Response, ApiError> {
    let rows = store
        .incidents(&IncidentQuery {
            provider: p.provider.clone(),
            open_only: false,
            source_id: None,
            limit: Some(50),
            ..Default::default()
        })
        .await?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "application/atom+xml; charset=utf-8",
        )],
        feed::render(&rows, p.provider.as_deref(), chrono::Utc::now()),
    )
        .into_response())
}

async fn metrics_text(State(store): State<AppState>) -> Result<Response, ApiError> {
    let sources = store.sources().await?;
    let counts = store.counts().await?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        metrics::render(&sources, &counts),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
struct IncidentParams {
    provider: Option<String>,
    #[serde(default)]
    open: bool,
    limit: Option<u32>,
}

async fn incidents(
    State(store): State<AppState>,
    Query(p): Query<IncidentParams>,
) -> Result<Json<Vec<IncidentView>>, ApiError> {
    let rows = store
        .incidents(&IncidentQuery {
            provider: p.provider,
            open_only: p.open,
            source_id: None,
            limit: Some(p.limit.unwrap_or(500).min(5000)),
            ..Default::default()
        })
        .await?;
    Ok(Json(rows.iter().map(IncidentView::from).collect()))
}

async fn incident(
    State(store): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<IncidentView>, ApiError> {
    Ok(Json(IncidentView::from(&store.incident(&id).await?)))
}

async fn incident_html(State(store): State<AppState>, Path(id): Path<String>) -> Response {
    match store.incident(&id).await {
        Ok(s) => Html(page::incident_page(&s, chrono::Utc::now()).into_string()).into_response(),
        Err(StoreError::NotFound(_)) => (
            StatusCode::NOT_FOUND,
            Html(page::not_found(&format!("Incident {id}")).into_string()),
        )
            .into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

async fn sources(State(store): State<AppState>) -> Result<Json<Vec<SourceView>>, ApiError> {
    Ok(Json(
        store
            .sources()
            .await?
            .iter()
            .map(SourceView::from)
            .collect(),
    ))
}
