//! `/api/v1/pages`: managing pages of one's own behind the admin token —
//! the pages, their components, incidents, maintenances, postmortems,
//! watched vendors, access and look — with the same checks as
//! `statuswatch page …` (both call [`PageAdmin`]).

use crate::auth::{bearer, token_ok};
use crate::error::{ApiError, ErrorBody};
use crate::App;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use statuswatch_pages::{Access, NewIncident, NewMaintenance, PageAdmin, PageChange, PageError};
use statuswatch_view::time::{ser as ts, ser_opt as ts_opt};
use std::sync::Arc;

impl From<PageError> for ApiError {
    fn from(e: PageError) -> Self {
        match e {
            PageError::NotFound(m) => ApiError(StatusCode::NOT_FOUND, m),
            PageError::Invalid(m) => ApiError(StatusCode::UNPROCESSABLE_ENTITY, m),
            PageError::Conflict(m) => ApiError(StatusCode::CONFLICT, m),
            PageError::Store(m) => {
                tracing::error!(error = %m, "storage error while managing a page");
                ApiError(StatusCode::INTERNAL_SERVER_ERROR, "storage error".into())
            }
        }
    }
}

/// The admin token, then the page manager.
pub(crate) fn admin<'a>(app: &'a App, headers: &HeaderMap) -> Result<&'a Arc<PageAdmin>, ApiError> {
    token_ok(app, bearer(headers))?;
    manager(app)
}

pub(crate) fn manager(app: &App) -> Result<&Arc<PageAdmin>, ApiError> {
    app.pages.as_ref().ok_or_else(|| {
        ApiError(
            StatusCode::FORBIDDEN,
            "this server cannot manage pages".into(),
        )
    })
}

fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    b.map(|Json(t)| t)
        .map_err(|e| ApiError(StatusCode::UNPROCESSABLE_ENTITY, e.body_text()))
}

pub use super::page_views::*;

async fn view(pages: &PageAdmin, slug: &str) -> Result<PageView, ApiError> {
    Ok(PageView::from(&pages.get(slug).await?))
}

/// Every page of one's own (admin token required).
#[utoipa::path(get, path = "/api/v1/pages", security(("admin_token" = [])),
    responses((status = 200, description = "Every page", body = [PageView]),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing is off", body = ErrorBody)))]
pub(crate) async fn list(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
) -> Result<Json<Vec<PageView>>, ApiError> {
    let pages = admin(&app, &headers)?;
    Ok(Json(
        pages.list().await?.iter().map(PageView::from).collect(),
    ))
}

/// A page to make.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewPageBody {
    /// Its address: 1 to 64 lower-case letters, digits and dashes.
    #[schema(example = "acme")]
    pub slug: String,
    /// Its title.
    #[schema(example = "Acme Cloud")]
    pub title: String,
}

/// Makes a page (admin token required).
#[utoipa::path(post, path = "/api/v1/pages", request_body = NewPageBody, security(("admin_token" = [])),
    responses((status = 201, description = "Made", body = PageView),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing is off", body = ErrorBody),
              (status = 409, description = "The slug or title is taken", body = ErrorBody),
              (status = 422, description = "A slug or title that cannot be", body = ErrorBody)))]
pub(crate) async fn add(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    b: Result<Json<NewPageBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let pages = admin(&app, &headers)?;
    let b = body(b)?;
    let page = pages.add(&b.slug, &b.title).await?;
    Ok((StatusCode::CREATED, Json(view(pages, &page.slug).await?)).into_response())
}

/// One page (admin token required).
#[utoipa::path(get, path = "/api/v1/pages/{slug}", params(("slug" = String, Path, description = "The page's slug")),
    security(("admin_token" = [])),
    responses((status = 200, description = "The page", body = PageView),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing is off", body = ErrorBody),
              (status = 404, description = "No such page", body = ErrorBody)))]
pub(crate) async fn one(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Json<PageView>, ApiError> {
    let pages = admin(&app, &headers)?;
    Ok(Json(view(pages, &slug).await?))
}

/// What to change of a page; what is left out stays.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PageChangeBody {
    /// A new title.
    pub title: Option<String>,
    /// `true`: private (with `key`, or a new random key returned once);
    /// `false`: public.
    pub private: Option<bool>,
    /// The key (token or password, 8 characters or more) of a private page.
    pub key: Option<String>,
    /// Its logo: an http(s) address or a path on this server; `""` clears.
    pub logo_url: Option<String>,
    /// Its accent colour, `#rrggbb`; `""` clears.
    pub accent: Option<String>,
}

/// Changes a page: title, access, logo, accent (admin token required).
#[utoipa::path(patch, path = "/api/v1/pages/{slug}", params(("slug" = String, Path, description = "The page's slug")),
    request_body = PageChangeBody, security(("admin_token" = [])),
    responses((status = 200, description = "Changed", body = PageView),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing is off", body = ErrorBody),
              (status = 404, description = "No such page", body = ErrorBody),
              (status = 409, description = "The title is taken", body = ErrorBody),
              (status = 422, description = "A value that cannot be", body = ErrorBody)))]
pub(crate) async fn change(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    b: Result<Json<PageChangeBody>, JsonRejection>,
) -> Result<Json<PageView>, ApiError> {
    let pages = admin(&app, &headers)?;
    let b = body(b)?;
    if b.private == Some(false) && b.key.is_some() {
        return Err(ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            "a key is for a private page; leave it out with \"private\": false".into(),
        ));
    }
    let access = match (b.private, b.key) {
        (Some(false), _) => Access::Public,
        (_, Some(k)) => Access::Private(Some(k)),
        (Some(true), None) => Access::Private(None),
        (None, None) => Access::Keep,
    };
    let made = pages
        .change(
            &slug,
            &PageChange {
                title: b.title,
                logo: b.logo_url,
                accent: b.accent,
                access,
            },
        )
        .await?;
    let mut v = view(pages, &slug).await?;
    v.key = made;
    Ok(Json(v))
}

/// Deletes a page with its components, incidents and their alerts (admin
/// token required).
#[utoipa::path(delete, path = "/api/v1/pages/{slug}", params(("slug" = String, Path, description = "The page's slug")),
    security(("admin_token" = [])),
    responses((status = 204, description = "Deleted"),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing is off", body = ErrorBody),
              (status = 404, description = "No such page", body = ErrorBody)))]
pub(crate) async fn remove(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<StatusCode, ApiError> {
    let pages = admin(&app, &headers)?;
    pages.remove(&slug).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A component to add.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewComponentBody {
    /// Its name.
    #[schema(example = "API")]
    pub name: String,
    /// The group it is shown in.
    pub group: Option<String>,
}

/// Adds a component, operational until an incident says otherwise (admin
/// token required).
#[utoipa::path(post, path = "/api/v1/pages/{slug}/components", params(("slug" = String, Path, description = "The page's slug")),
    request_body = NewComponentBody, security(("admin_token" = [])),
    responses((status = 201, description = "Added", body = PageView),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing is off", body = ErrorBody),
              (status = 404, description = "No such page", body = ErrorBody),
              (status = 409, description = "The page has that component", body = ErrorBody),
              (status = 422, description = "An empty name", body = ErrorBody)))]
pub(crate) async fn add_component(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    b: Result<Json<NewComponentBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let pages = admin(&app, &headers)?;
    let b = body(b)?;
    pages
        .add_component(&slug, &b.name, b.group.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(view(pages, &slug).await?)).into_response())
}

/// Takes a component off the page; its past incidents keep naming it
/// (admin token required).
#[utoipa::path(delete, path = "/api/v1/pages/{slug}/components/{name}",
    params(("slug" = String, Path, description = "The page's slug"), ("name" = String, Path, description = "The component's name, or Group/Name")),
    security(("admin_token" = [])),
    responses((status = 204, description = "Taken off"),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing is off", body = ErrorBody),
              (status = 404, description = "No such page or component", body = ErrorBody),
              (status = 422, description = "A name that names components in several groups", body = ErrorBody)))]
pub(crate) async fn remove_component(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path((slug, name)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let pages = admin(&app, &headers)?;
    pages.remove_component(&slug, &name).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An incident to open.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewIncidentBody {
    /// Its title.
    pub title: String,
    /// The first update's text.
    #[serde(default)]
    pub message: String,
    /// `investigating` (default), `identified` or `monitoring`.
    pub status: Option<String>,
    /// `none`, `minor` (default), `major` or `critical`.
    pub impact: Option<String>,
    /// The affected components, by name or `Group/Name`.
    #[serde(default)]
    pub components: Vec<String>,
}

/// Opens an incident (admin token required).
#[utoipa::path(post, path = "/api/v1/pages/{slug}/incidents", params(("slug" = String, Path, description = "The page's slug")),
    request_body = NewIncidentBody, security(("admin_token" = [])),
    responses((status = 201, description = "Opened", body = PageIncidentView),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing is off", body = ErrorBody),
              (status = 404, description = "No such page or component", body = ErrorBody),
              (status = 422, description = "A status, impact or title that cannot be", body = ErrorBody)))]
pub(crate) async fn open_incident(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    b: Result<Json<NewIncidentBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let pages = admin(&app, &headers)?;
    let b = body(b)?;
    let i = pages
        .open_incident(
            &slug,
            &NewIncident {
                title: b.title,
                message: b.message,
                status: b.status,
                impact: b.impact,
                components: b.components,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(PageIncidentView::from(&i))).into_response())
}

/// An update of an incident or maintenance.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct UpdateBody {
    /// The new status: `investigating`, `identified`, `monitoring` or
    /// `resolved` (an incident); `in_progress`, `verifying` or `completed`
    /// (a maintenance).
    pub status: String,
    /// Its text.
    #[serde(default)]
    pub message: String,
    /// A new impact (an incident): `none`, `minor`, `major`, `critical`.
    pub impact: Option<String>,
}

/// Posts an update of an incident (admin token required).
#[utoipa::path(post, path = "/api/v1/pages/{slug}/incidents/{id}/updates",
    params(("slug" = String, Path, description = "The page's slug"), ("id" = String, Path, description = "The incident's id")),
    request_body = UpdateBody, security(("admin_token" = [])),
    responses((status = 200, description = "Updated", body = PageIncidentView),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing is off", body = ErrorBody),
              (status = 404, description = "No such page or incident", body = ErrorBody),
              (status = 422, description = "A status or impact that cannot be", body = ErrorBody)))]
pub(crate) async fn update_incident(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, String)>,
    b: Result<Json<UpdateBody>, JsonRejection>,
) -> Result<Json<PageIncidentView>, ApiError> {
    let pages = admin(&app, &headers)?;
    let b = body(b)?;
    let i = pages
        .update_incident(&slug, &id, &b.status, &b.message, b.impact.as_deref())
        .await?;
    Ok(Json(PageIncidentView::from(&i)))
}

/// A postmortem.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PostmortemBody {
    /// Its text.
    pub message: String,
}

/// Publishes the postmortem of a resolved incident (admin token required).
#[utoipa::path(post, path = "/api/v1/pages/{slug}/incidents/{id}/postmortem",
    params(("slug" = String, Path, description = "The page's slug"), ("id" = String, Path, description = "The incident's id")),
    request_body = PostmortemBody, security(("admin_token" = [])),
    responses((status = 200, description = "Published", body = PageIncidentView),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing is off", body = ErrorBody),
              (status = 404, description = "No such page or incident", body = ErrorBody),
              (status = 422, description = "Not resolved yet, or an empty text", body = ErrorBody)))]
pub(crate) async fn postmortem(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, String)>,
    b: Result<Json<PostmortemBody>, JsonRejection>,
) -> Result<Json<PageIncidentView>, ApiError> {
    let pages = admin(&app, &headers)?;
    let b = body(b)?;
    let i = pages.postmortem(&slug, &id, &b.message).await?;
    Ok(Json(PageIncidentView::from(&i)))
}

/// A maintenance to schedule.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewMaintenanceBody {
    /// Its title.
    pub title: String,
    /// The first update's text.
    #[serde(default)]
    pub message: String,
    /// The window's start (RFC 3339).
    #[schema(value_type = String, format = DateTime)]
    pub from: DateTime<Utc>,
    /// The window's end (RFC 3339).
    #[schema(value_type = String, format = DateTime)]
    pub until: DateTime<Utc>,
    /// The affected components, by name or `Group/Name`.
    #[serde(default)]
    pub components: Vec<String>,
}

/// Schedules a maintenance (admin token required).
#[utoipa::path(post, path = "/api/v1/pages/{slug}/maintenances", params(("slug" = String, Path, description = "The page's slug")),
    request_body = NewMaintenanceBody, security(("admin_token" = [])),
    responses((status = 201, description = "Scheduled", body = PageIncidentView),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing is off", body = ErrorBody),
              (status = 404, description = "No such page or component", body = ErrorBody),
              (status = 422, description = "A window or title that cannot be", body = ErrorBody)))]
pub(crate) async fn add_maintenance(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    b: Result<Json<NewMaintenanceBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let pages = admin(&app, &headers)?;
    let b = body(b)?;
    let m = pages
        .add_maintenance(
            &slug,
            &NewMaintenance {
                title: b.title,
                message: b.message,
                from: b.from,
                until: b.until,
                components: b.components,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(PageIncidentView::from(&m))).into_response())
}

/// Moves a maintenance on (admin token required).
#[utoipa::path(post, path = "/api/v1/pages/{slug}/maintenances/{id}/updates",
    params(("slug" = String, Path, description = "The page's slug"), ("id" = String, Path, description = "The maintenance's id")),
    request_body = UpdateBody, security(("admin_token" = [])),
    responses((status = 200, description = "Updated", body = PageIncidentView),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing is off", body = ErrorBody),
              (status = 404, description = "No such page or maintenance", body = ErrorBody),
              (status = 422, description = "A status that cannot be", body = ErrorBody)))]
pub(crate) async fn update_maintenance(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, String)>,
    b: Result<Json<UpdateBody>, JsonRejection>,
) -> Result<Json<PageIncidentView>, ApiError> {
    let pages = admin(&app, &headers)?;
    let b = body(b)?;
    let m = pages
        .update_maintenance(&slug, &id, &b.status, &b.message)
        .await?;
    Ok(Json(PageIncidentView::from(&m)))
}

/// A watched vendor to show.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewExternalBody {
    /// The watched source: its name or its vendor's.
    #[schema(example = "GitHub")]
    pub source: String,
    /// One of its components (default: the vendor as a whole).
    pub component: Option<String>,
    /// The name the page shows (default: "Vendor Component").
    pub label: Option<String>,
}

/// Shows a watched vendor on the page, read live (admin token required).
#[utoipa::path(post, path = "/api/v1/pages/{slug}/externals", params(("slug" = String, Path, description = "The page's slug")),
    request_body = NewExternalBody, security(("admin_token" = [])),
    responses((status = 201, description = "Shown", body = PageView),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing is off", body = ErrorBody),
              (status = 404, description = "No such page, source or component", body = ErrorBody),
              (status = 409, description = "Already on the page", body = ErrorBody),
              (status = 422, description = "A name that names several sources", body = ErrorBody)))]
pub(crate) async fn add_external(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    b: Result<Json<NewExternalBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let pages = admin(&app, &headers)?;
    let b = body(b)?;
    pages
        .add_external(&slug, &b.source, b.component.as_deref(), b.label.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(view(pages, &slug).await?)).into_response())
}

/// Takes a watched vendor off the page, by the name it shows (admin token
/// required).
#[utoipa::path(delete, path = "/api/v1/pages/{slug}/externals/{label}",
    params(("slug" = String, Path, description = "The page's slug"), ("label" = String, Path, description = "The name the page shows")),
    security(("admin_token" = [])),
    responses((status = 204, description = "Taken off"),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing is off", body = ErrorBody),
              (status = 404, description = "No such page or vendor on it", body = ErrorBody)))]
pub(crate) async fn remove_external(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path((slug, label)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let pages = admin(&app, &headers)?;
    pages.remove_external(&slug, &label).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An email subscriber of a page.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SubscriberView {
    /// Its id.
    pub id: String,
    /// The address.
    pub email: String,
    /// Only these components (by name); empty: all.
    pub components: Vec<String>,
    /// When it asked.
    #[serde(serialize_with = "ts")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<Utc>,
    /// When it confirmed; null: pending.
    #[serde(serialize_with = "ts_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// A page's email subscribers, pending and confirmed (admin token required).
#[utoipa::path(get, path = "/api/v1/pages/{slug}/subscribers", params(("slug" = String, Path, description = "The page's slug")),
    security(("admin_token" = [])),
    responses((status = 200, description = "Its subscribers", body = [SubscriberView]),
              (status = 401, description = "No valid token", body = ErrorBody),
              (status = 403, description = "Managing is off", body = ErrorBody),
              (status = 404, description = "No such page", body = ErrorBody)))]
pub(crate) async fn subscribers(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Json<Vec<SubscriberView>>, ApiError> {
    let pages = admin(&app, &headers)?;
    pages.page(&slug).await?;
    Ok(Json(
        app.store
            .subscribers(&slug)
            .await?
            .into_iter()
            .map(|s| SubscriberView {
                id: s.id,
                email: s.email,
                components: s.components,
                created_at: s.created_at,
                confirmed_at: s.confirmed_at,
            })
            .collect(),
    ))
}
