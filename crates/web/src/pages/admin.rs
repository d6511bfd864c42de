//! `/admin`: add (with detection), pause, resume and remove sources, behind
//! the admin token.

use crate::api::sources::{add_source, source_id};
use crate::auth::token_ok;
use crate::error::{html_error, ApiError};
use crate::pages::layout;
use crate::App;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use statuswatch_store::Source;

pub(crate) async fn admin_page(
    app: &App,
    status: StatusCode,
    message: Option<&str>,
) -> Result<Response, ApiError> {
    let sources = app.store.sources().await?;
    let token_set = app.admin_token.as_deref().is_some_and(|t| !t.is_empty());
    Ok((
        status,
        Html(admin(&sources, message, token_set).into_string()),
    )
        .into_response())
}

pub(crate) async fn page(State(app): State<App>) -> Result<Response, ApiError> {
    admin_page(&app, StatusCode::OK, None).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct AddForm {
    url: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    token: String,
}

pub(crate) async fn add_form(
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
pub(crate) struct TokenForm {
    #[serde(default)]
    token: String,
}

pub(crate) async fn action_form(
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

/// The admin page: add (with detection), pause, remove. The token is sent
/// with each form; nothing is remembered in the browser.
pub fn admin(sources: &[Source], message: Option<&str>, token_set: bool) -> Markup {
    layout(
        "Admin",
        html! {
            h1 { "Sources" }
            @if !token_set {
                p.muted { "Managing sources is off: set " code { "[web] admin_token" } " (or STATUSWATCH_ADMIN_TOKEN) to turn it on." }
            }
            @if let Some(m) = message { p.message { (m) } }
            form.filters method="post" action="/admin/sources" {
                label { "Status page URL, or pick a vendor"
                    input type="url" name="url" list="catalog" required placeholder="https://status.example.com";
                }
                datalist id="catalog" {
                    @for v in statuswatch_catalog::all() {
                        option value=(v.status_url) { (v.name) }
                    }
                }
                label { "Name (optional)" input type="text" name="name"; }
                label { "Admin token" input type="password" name="token" required; }
                button type="submit" { "Add" }
            }
            table {
                tr { th { "Source" } th { "Platform" } th { "State" } th { "" } }
                @for s in sources {
                    tr {
                        td { (s.name) br; span.muted { (s.url) } }
                        td { (s.platform) }
                        td { @if s.paused { "paused" } @else { "watching" } }
                        td {
                            form method="post" action=(format!("/admin/sources/{}/{}", s.id, if s.paused { "resume" } else { "pause" })) {
                                input type="password" name="token" placeholder="token" required;
                                button type="submit" { @if s.paused { "Resume" } @else { "Pause" } }
                            }
                            form method="post" action=(format!("/admin/sources/{}/remove", s.id)) {
                                input type="password" name="token" placeholder="token" required;
                                button type="submit" { "Remove" }
                            }
                        }
                    }
                }
            }
        },
    )
}
