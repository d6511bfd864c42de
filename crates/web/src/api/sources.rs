//! `/api/v1/sources`: the watched sources and their health; adding (with
//! detection), pausing, resuming and removing them behind the admin token.

use crate::auth::{bearer, token_ok};
use crate::error::{ApiError, ErrorBody};
use crate::App;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use statuswatch_store::{PollOutcome, Source, SourceId};
use statuswatch_view::time::{ser as ts, ser_opt as ts_opt};

/// A source with its health.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SourceView {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The URL polled.
    pub url: String,
    /// The platform.
    pub platform: String,
    /// The vendor's name.
    pub provider: String,
    /// When it was last polled.
    #[serde(serialize_with = "ts_opt")]
    pub last_poll_at: Option<DateTime<Utc>>,
    /// `ok`, `not_modified`, `error`, `suspect`, or null before the first poll.
    #[schema(value_type = Option<String>)]
    pub last_outcome: Option<PollOutcome>,
    /// Failed polls in a row.
    pub consecutive_failures: i64,
    /// The last failure.
    pub last_error: Option<String>,
    /// What the last good poll could not read (a secondary endpoint gone).
    pub warning: Option<String>,
    /// When it is due next.
    #[serde(serialize_with = "ts")]
    pub next_poll_at: DateTime<Utc>,
}

impl From<&Source> for SourceView {
    fn from(s: &Source) -> Self {
        SourceView {
            id: s.id,
            name: s.name.clone(),
            url: s.url.clone(),
            platform: s.platform.clone(),
            provider: s.provider_name().to_string(),
            last_poll_at: s.health.last_poll_at,
            last_outcome: s.health.last_outcome,
            consecutive_failures: s.health.consecutive_failures,
            last_error: s.health.last_error.clone(),
            warning: s.health.warning.clone(),
            next_poll_at: s.next_poll_at,
        }
    }
}

/// The watched sources and their health.
#[utoipa::path(get, path = "/api/v1/sources",
    responses((status = 200, description = "Every source", body = [SourceView])))]
pub(crate) async fn list(
    State(app): State<crate::Shared>,
) -> Result<Json<Vec<SourceView>>, ApiError> {
    Ok(Json(
        crate::loaders::public_sources(&*app.store)
            .await?
            .iter()
            .map(SourceView::from)
            .collect(),
    ))
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

pub(crate) async fn add_source(
    app: &App,
    url: &str,
    name: Option<String>,
) -> Result<Source, ApiError> {
    let Some(admin) = &app.admin else {
        return Err(ApiError(
            StatusCode::FORBIDDEN,
            "this server cannot add sources".into(),
        ));
    };
    admin
        .add(url, name.filter(|n| !n.trim().is_empty()))
        .await
        .map_err(|e| match e {
            crate::AddError::Refused(why) => ApiError(StatusCode::UNPROCESSABLE_ENTITY, why),
            crate::AddError::Store(e) => ApiError::from(e),
        })
}

/// Adds a source (admin token required).
#[utoipa::path(post, path = "/api/v1/sources", request_body = NewSourceBody,
    security(("admin_token" = [])),
    responses((status = 201, description = "Added", body = SourceView),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing sources is off", body = ErrorBody),
              (status = 422, description = "Not a page statuswatch can watch, or a refused address", body = ErrorBody)))]
pub(crate) async fn add(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    body: Result<Json<NewSourceBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    token_ok(&app, bearer(&headers))?;
    let Json(body) = body.map_err(|e| ApiError(StatusCode::UNPROCESSABLE_ENTITY, e.body_text()))?;
    let s = add_source(&app, &body.url, body.name).await?;
    Ok((StatusCode::CREATED, Json(SourceView::from(&s))).into_response())
}

pub(crate) fn source_id(id: &str) -> Result<SourceId, ApiError> {
    id.parse()
        .map_err(|_| ApiError(StatusCode::NOT_FOUND, format!("source {id} not found")))
}

/// Stops watching a source and deletes its history (admin token required).
#[utoipa::path(delete, path = "/api/v1/sources/{id}", params(("id" = String, Path, description = "The source's id")),
    security(("admin_token" = [])),
    responses((status = 204, description = "Removed"),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing sources is off", body = ErrorBody),
              (status = 404, description = "No such source", body = ErrorBody)))]
pub(crate) async fn remove(
    State(app): State<crate::Shared>,
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
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing sources is off", body = ErrorBody),
              (status = 404, description = "No such source", body = ErrorBody)))]
pub(crate) async fn pause(
    State(app): State<crate::Shared>,
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
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing sources is off", body = ErrorBody),
              (status = 404, description = "No such source", body = ErrorBody)))]
pub(crate) async fn resume(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<SourceView>, ApiError> {
    token_ok(&app, bearer(&headers))?;
    Ok(Json(SourceView::from(
        &app.store.set_paused(source_id(&id)?, false).await?,
    )))
}
