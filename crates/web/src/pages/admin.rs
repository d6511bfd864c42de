//! `/admin`: sign in with the admin token (a session cookie), then add (with
//! detection), pause, resume and remove sources; forms carry a CSRF token.

use crate::api::sources::{add_source, source_id};
use crate::auth::{self, token_ok};
use crate::error::{html_error, ApiError};
use crate::pages::layout;
use crate::App;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use statuswatch_store::{Source, SourceQuery};

/// Sources listed on one admin page; `?q=` finds the rest.
const PER_PAGE: u32 = 200;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AdminQuery {
    #[serde(default)]
    q: String,
}

pub(crate) async fn admin_page(
    app: &App,
    headers: &HeaderMap,
    q: &str,
    status: StatusCode,
    message: Option<&str>,
) -> Result<Response, ApiError> {
    let q = q.trim();
    let (sources, total) = app
        .store
        .find_sources(&SourceQuery {
            attention: false,
            search: (!q.is_empty()).then(|| q.to_string()),
            offset: 0,
            limit: PER_PAGE,
            include_private: false,
        })
        .await?;
    let csrf = auth::csrf_for(app, headers).await;
    let view = AdminView {
        sources: &sources,
        total,
        q,
        message,
        token_set: app.admin_token.as_deref().is_some_and(|t| !t.is_empty()),
        csrf: csrf.as_deref(),
    };
    Ok((status, Html(admin(&view).into_string())).into_response())
}

pub(crate) async fn page(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Query(q): Query<AdminQuery>,
) -> Result<Response, ApiError> {
    admin_page(&app, &headers, &q.q, StatusCode::OK, None).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    token: String,
}

/// Signs in: the token once, then a session cookie.
pub(crate) async fn login_form(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, ApiError> {
    if let Err(e) = token_ok(&app, Some(&f.token)) {
        return admin_page(&app, &headers, "", e.0, Some(&e.1)).await;
    }
    let token = app.admin_token.as_deref().unwrap_or_default();
    let session = auth::mint(token, app.now());
    Ok((
        [(
            header::SET_COOKIE,
            auth::set_cookie(&headers, Some(&session)),
        )],
        Redirect::to("/admin"),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Signs out: the cookie is cleared.
pub(crate) async fn logout_form(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Result<Response, ApiError> {
    if let Err(e) = auth::form_ok(&app, &headers, &f.csrf).await {
        return admin_page(&app, &headers, "", e.0, Some(&e.1)).await;
    }
    // The cookie is dropped, and the session ended for good: a copy of the
    // cookie kept elsewhere no longer signs in.
    auth::end_session(&app, &headers).await?;
    Ok((
        [(header::SET_COOKIE, auth::set_cookie(&headers, None))],
        Redirect::to("/admin"),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct AddForm {
    url: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn add_form(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Form(f): Form<AddForm>,
) -> Result<Response, ApiError> {
    if let Err(e) = auth::form_ok(&app, &headers, &f.csrf).await {
        return admin_page(&app, &headers, "", e.0, Some(&e.1)).await;
    }
    match add_source(&app, &f.url, Some(f.name)).await {
        Ok(s) => {
            admin_page(
                &app,
                &headers,
                "",
                StatusCode::OK,
                Some(&format!("Added {} ({}).", s.name, s.platform)),
            )
            .await
        }
        Err(e) => admin_page(&app, &headers, "", e.0, Some(&e.1)).await,
    }
}

pub(crate) async fn action_form(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, ApiError> {
    if let Err(e) = auth::form_ok(&app, &headers, &f.csrf).await {
        return admin_page(&app, &headers, "", e.0, Some(&e.1)).await;
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
            admin_page(&app, &headers, "", e.0, Some(&e.1)).await
        }
    }
}

/// What the admin page shows.
pub struct AdminView<'a> {
    /// The sources of this page of the list.
    pub sources: &'a [Source],
    /// How many sources match in all.
    pub total: i64,
    /// The search, if any.
    pub q: &'a str,
    /// What the last action did.
    pub message: Option<&'a str>,
    /// Whether an admin token is configured (management is on).
    pub token_set: bool,
    /// The session's CSRF token when signed in.
    pub csrf: Option<&'a str>,
}

/// The admin page: sign in with the token once; then add (with
/// detection), pause, resume and remove, each form carrying the session's
/// CSRF token.
pub fn admin(v: &AdminView) -> Markup {
    layout(
        "Admin",
        html! {
            h1 { "Sources" }
            @if v.csrf.is_some() { p { "Sources · " a href="/admin/pages" { "Your status pages" } } }
            @if !v.token_set {
                p.muted { "Managing sources is off: set " code { "[web] admin_token" } " (or STATUSWATCH_ADMIN_TOKEN) to turn it on." }
            }
            @if let Some(m) = v.message { p.message { (m) } }
            @if let Some(csrf) = v.csrf {
                form.filters method="post" action="/admin/sources" {
                    input type="hidden" name="csrf" value=(csrf);
                    label { "Status page URL, or pick a vendor"
                        input type="url" name="url" list="catalog" required placeholder="https://status.example.com";
                    }
                    datalist id="catalog" {
                        @for c in statuswatch_catalog::all() {
                            option value=(c.status_url) { (c.name) }
                        }
                    }
                    label { "Name (optional)" input type="text" name="name"; }
                    button type="submit" { "Add" }
                }
                form.logout method="post" action="/admin/logout" {
                    input type="hidden" name="csrf" value=(csrf);
                    button type="submit" { "Sign out" }
                }
            } @else if v.token_set {
                form.filters.login method="post" action="/admin/login" {
                    label { "Admin token" input type="password" name="token" required autocomplete="current-password"; }
                    button type="submit" { "Sign in" }
                }
            }
            form.filters method="get" action="/admin" {
                label { "Find a source" input type="search" name="q" value=(v.q); }
                button type="submit" { "Find" }
            }
            p.muted.source-count { (v.sources.len()) " of " (v.total) " sources" }
            table {
                tr { th { "Source" } th { "Platform" } th { "State" } th { "" } }
                @for s in v.sources {
                    tr {
                        td { (s.name) br; span.muted { (s.url) } }
                        td { (s.platform) }
                        td { @if s.paused { "paused" } @else { "watching" } }
                        td {
                            @if let Some(csrf) = v.csrf {
                                form method="post" action=(format!("/admin/sources/{}/{}", s.id, if s.paused { "resume" } else { "pause" })) {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button type="submit" { @if s.paused { "Resume" } @else { "Pause" } }
                                }
                                form method="post" action=(format!("/admin/sources/{}/remove", s.id)) {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button type="submit" { "Remove" }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
