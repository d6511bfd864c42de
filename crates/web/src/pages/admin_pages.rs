//! `/admin/pages`: managing pages of one's own from the browser, signed in
//! with the admin token (the session of `/admin`); every form carries the
//! session's CSRF token and calls the same [`PageAdmin`] as the CLI and the
//! JSON API.

use crate::auth;
use crate::error::{html_error, ApiError};
use crate::pages::{layout, ts};
use crate::App;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use statuswatch_model::Kind;
use statuswatch_pages::{
    Access, NewIncident, NewMaintenance, PageAdmin, PageChange, PageError, PageInfo,
};
use statuswatch_store::{IncidentQuery, Subscriber};

/// A form's fields; repeated ones (`component`) kept in order.
struct Fields(Vec<(String, String)>);

impl Fields {
    fn parse(body: &[u8]) -> Fields {
        Fields(
            url::form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }
    fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
    fn opt(&self, name: &str) -> Option<&str> {
        Some(self.get(name).trim()).filter(|v| !v.is_empty())
    }
    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    }
}

fn manager(app: &App) -> Result<&std::sync::Arc<PageAdmin>, ApiError> {
    crate::api::pages::manager(app)
}

/// The session's CSRF token and the page manager, or the answer saying
/// why not (no session: sign in first).
async fn signed_in<'a>(
    app: &'a App,
    headers: &HeaderMap,
) -> Result<(String, &'a std::sync::Arc<PageAdmin>), Box<Response>> {
    let Some(csrf) = auth::csrf_for(app, headers).await else {
        return Err(Box::new(answer(
            StatusCode::UNAUTHORIZED,
            signed_out("Managing pages needs a session."),
        )));
    };
    manager(app)
        .map(|m| (csrf, m))
        .map_err(|e| Box::new(e.into_response()))
}

fn answer(status: StatusCode, body: Markup) -> Response {
    (status, Html(body.into_string())).into_response()
}

fn signed_out(message: &str) -> Markup {
    layout(
        "Pages",
        html! {
            h1 { "Your status pages" }
            p.message { (message) }
            p { a href="/admin" { "Sign in on the admin page" } " with the admin token first." }
        },
    )
}

/// `GET /admin/pages`.
pub(crate) async fn list(State(app): State<crate::Shared>, headers: HeaderMap) -> Response {
    list_page(&app, &headers, StatusCode::OK, None).await
}

async fn list_page(
    app: &App,
    headers: &HeaderMap,
    status: StatusCode,
    message: Option<&str>,
) -> Response {
    let (csrf, pages) = match signed_in(app, headers).await {
        Ok(x) => x,
        Err(resp) => return *resp,
    };
    let rows = match pages.list().await {
        Ok(r) => r,
        Err(e) => return ApiError::from(e).into_response(),
    };
    answer(
        status,
        layout(
            "Pages",
            html! {
                h1 { "Your status pages" }
                p { a href="/admin" { "Sources" } " · Pages" }
                @if let Some(m) = message { p.message { (m) } }
                table {
                    tr { th { "Page" } th { "Components" } th { "Open" } th { "Access" } }
                    @for p in &rows {
                        tr {
                            td { a href=(format!("/admin/pages/{}", p.page.slug)) { (p.page.title) } br; span.muted { "/status/" (p.page.slug) } }
                            td { (p.source.components.len()) }
                            td { (p.open.len()) }
                            td { @if p.page.private() { "private" } @else { "public" } }
                        }
                    }
                }
                h2 { "New page" }
                form.filters method="post" action="/admin/pages" {
                    input type="hidden" name="csrf" value=(csrf);
                    label { "Address (/status/…)" input type="text" name="slug" required pattern="[a-z0-9]([a-z0-9-]*[a-z0-9])?" placeholder="acme"; }
                    label { "Title" input type="text" name="title" required placeholder="Acme Cloud"; }
                    button type="submit" { "Make the page" }
                }
            },
        ),
    )
}

/// `POST /admin/pages`: a new page.
pub(crate) async fn add_form(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    if let Err(e) = auth::form_ok(&app, &headers, f.get("csrf")).await {
        return list_page(&app, &headers, e.0, Some(&e.1)).await;
    }
    let pages = match manager(&app) {
        Ok(m) => m,
        Err(e) => return e.into_response(),
    };
    match pages.add(f.get("slug").trim(), f.get("title")).await {
        Ok(p) => Redirect::to(&format!("/admin/pages/{}", p.slug)).into_response(),
        Err(e) => {
            let e = ApiError::from(e);
            list_page(&app, &headers, e.0, Some(&e.1)).await
        }
    }
}

/// `GET /admin/pages/<slug>`.
pub(crate) async fn page(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    page_view(&app, &headers, &slug, StatusCode::OK, None).await
}

async fn page_view(
    app: &App,
    headers: &HeaderMap,
    slug: &str,
    status: StatusCode,
    message: Option<&str>,
) -> Response {
    let (csrf, pages) = match signed_in(app, headers).await {
        Ok(x) => x,
        Err(resp) => return *resp,
    };
    let info = match pages.get(slug).await {
        Ok(i) => i,
        Err(PageError::NotFound(_)) => {
            return html_error(StatusCode::NOT_FOUND, &format!("Page {slug}"))
        }
        Err(e) => return ApiError::from(e).into_response(),
    };
    let recent = app
        .store
        .incidents(&IncidentQuery {
            source_id: Some(info.source.id),
            limit: Some(20),
            include_private: true,
            ..Default::default()
        })
        .await;
    let subscribers = app.store.subscribers(slug).await;
    let sources = app.store.watched_sources().await;
    let (Ok(recent), Ok(subscribers), Ok(sources)) = (recent, subscribers, sources) else {
        return ApiError(StatusCode::INTERNAL_SERVER_ERROR, "storage error".into()).into_response();
    };
    let resolved: Vec<&statuswatch_model::Incident> = recent
        .iter()
        .map(|s| &s.incident)
        .filter(|i| i.kind == Kind::Incident && i.status == statuswatch_model::Status::Resolved)
        .collect();
    let watched: Vec<&statuswatch_store::Source> = sources.iter().collect();
    answer(
        status,
        page_markup(&PageForm {
            info: &info,
            csrf: &csrf,
            message,
            resolved: &resolved,
            subscribers: &subscribers,
            watched: &watched,
            now: app.now(),
        }),
    )
}

struct PageForm<'a> {
    info: &'a PageInfo,
    csrf: &'a str,
    message: Option<&'a str>,
    resolved: &'a [&'a statuswatch_model::Incident],
    subscribers: &'a [Subscriber],
    watched: &'a [&'a statuswatch_store::Source],
    now: DateTime<Utc>,
}

fn component_boxes(info: &PageInfo) -> Markup {
    html! {
        @if !info.source.components.is_empty() {
            fieldset {
                legend { "Affected components" }
                @for c in &info.source.components {
                    @let name = match &c.group { Some(g) => format!("{g}/{}", c.name), None => c.name.clone() };
                    label.check { input type="checkbox" name="component" value=(name); " " (name) }
                }
            }
        }
    }
}

fn page_markup(v: &PageForm) -> Markup {
    let p = &v.info.page;
    let action = |a: &str| format!("/admin/pages/{}/{a}", p.slug);
    let csrf = html! { input type="hidden" name="csrf" value=(v.csrf); };
    layout(
        &p.title,
        html! {
            p { a href="/admin" { "Sources" } " · " a href="/admin/pages" { "Pages" } }
            h1 { (p.title) }
            p { a href=(format!("/status/{}", p.slug)) { "/status/" (p.slug) } " · " @if p.private() { "private" } @else { "public" } }
            @if let Some(m) = v.message { p.message { (m) } }

            h2 { "Incidents and maintenances under way" }
            @if v.info.open.is_empty() { p.muted { "None." } }
            @for i in &v.info.open {
                div.open-incident data-id=(i.vendor_id) {
                    h3 { (i.title) " " span.badge { (i.status.as_str().replace('_', " ")) } }
                    @if let Some(at) = i.updates.last().and_then(|u| u.at) { p.muted { "Last update " (ts(at)) } }
                    form.filters method="post" action=(action(if i.kind == Kind::Maintenance { "maintenance-update" } else { "update" })) {
                        (csrf)
                        input type="hidden" name="id" value=(i.vendor_id);
                        label { "Status"
                            select name="status" {
                                @if i.kind == Kind::Maintenance {
                                    option value="in_progress" { "in progress" }
                                    option value="verifying" { "verifying" }
                                    option value="completed" { "completed" }
                                } @else {
                                    option value="investigating" { "investigating" }
                                    option value="identified" { "identified" }
                                    option value="monitoring" { "monitoring" }
                                    option value="resolved" { "resolved" }
                                }
                            }
                        }
                        @if i.kind == Kind::Incident {
                            label { "Impact"
                                select name="impact" {
                                    option value="" { "unchanged" }
                                    option value="none" { "none" } option value="minor" { "minor" }
                                    option value="major" { "major" } option value="critical" { "critical" }
                                }
                            }
                        }
                        label { "Message" input type="text" name="message"; }
                        button type="submit" { "Post update" }
                    }
                }
            }

            h2 { "Open an incident" }
            form.subscribe method="post" action=(action("incident")) {
                (csrf)
                label { "Title" input type="text" name="title" required; }
                label { "Message" input type="text" name="message" required; }
                label { "Status" select name="status" {
                    option value="investigating" { "investigating" } option value="identified" { "identified" } option value="monitoring" { "monitoring" }
                } }
                label { "Impact" select name="impact" {
                    option value="minor" { "minor" } option value="major" { "major" } option value="critical" { "critical" } option value="none" { "none" }
                } }
                (component_boxes(v.info))
                button type="submit" { "Open the incident" }
            }

            @if !v.resolved.is_empty() {
                h2 { "Postmortems" }
                @for i in v.resolved {
                    form.subscribe method="post" action=(action("postmortem")) {
                        (csrf)
                        input type="hidden" name="id" value=(i.vendor_id);
                        label { "Postmortem of “" (i.title) "”" textarea name="message" required rows="4" {} }
                        button type="submit" { "Publish the postmortem" }
                    }
                }
            }

            h2 { "Schedule a maintenance" }
            form.subscribe method="post" action=(action("maintenance")) {
                (csrf)
                label { "Title" input type="text" name="title" required; }
                label { "From (UTC)" input type="datetime-local" name="from" required value=((v.now + chrono::Duration::days(1)).format("%Y-%m-%dT%H:%M").to_string()); }
                label { "Until (UTC)" input type="datetime-local" name="until" required value=((v.now + chrono::Duration::days(1) + chrono::Duration::hours(1)).format("%Y-%m-%dT%H:%M").to_string()); }
                label { "Message" input type="text" name="message"; }
                (component_boxes(v.info))
                button type="submit" { "Schedule" }
            }

            h2 { "Components" }
            ul {
                @for c in &v.info.source.components {
                    @let full = match &c.group { Some(g) => format!("{g}/{}", c.name), None => c.name.clone() };
                    li {
                        @if let Some(g) = &c.group { span.muted { (g) " / " } } (c.name) " " span.badge { (c.status.replace('_', " ")) } " "
                        form.inline method="post" action=(action("component-remove")) {
                            (csrf)
                            input type="hidden" name="name" value=(full);
                            button type="submit" { "Take off" }
                        }
                    }
                }
            }
            form.filters method="post" action=(action("component")) {
                (csrf)
                label { "Name" input type="text" name="name" required; }
                label { "Group (optional)" input type="text" name="group"; }
                button type="submit" { "Add the component" }
            }

            h2 { "Third-party services" }
            ul {
                @for e in &v.info.externals {
                    li {
                        (e.label) " "
                        form.inline method="post" action=(action("external-remove")) {
                            (csrf)
                            input type="hidden" name="label" value=(e.label);
                            button type="submit" { "Take off" }
                        }
                    }
                }
            }
            @if v.watched.is_empty() {
                p.muted { "Watch a vendor on the admin page first; then it can be shown here." }
            } @else {
                form.filters method="post" action=(action("external")) {
                    (csrf)
                    label { "Watched vendor" select name="source" { @for s in v.watched { option value=(s.name) { (s.provider_name()) } } } }
                    label { "Component (optional)" input type="text" name="component"; }
                    label { "Shown as (optional)" input type="text" name="label"; }
                    button type="submit" { "Show it" }
                }
            }

            h2 { "Look and access" }
            form.subscribe method="post" action=(action("set")) {
                (csrf)
                label { "Title" input type="text" name="title" value=(p.title) required; }
                label { "Logo address (https://…, or a path on this server)" input type="text" name="logo_url" value=(p.logo_url.clone().unwrap_or_default()); }
                label { "Accent colour (#rrggbb)" input type="text" name="accent" pattern="#[0-9a-fA-F]{6}" value=(p.accent.clone().unwrap_or_default()); }
                label { "Access" select name="access" {
                    option value="keep" selected { @if p.private() { "private (keep its key)" } @else { "public (keep)" } }
                    option value="public" { "public" }
                    option value="private" { "private, with the key below" }
                } }
                label { "Key or password of a private page (8 characters or more)" input type="password" name="key" autocomplete="new-password"; }
                button type="submit" { "Save" }
            }

            h2 { "Email subscribers" }
            @if v.subscribers.is_empty() { p.muted { "None yet." } }
            table {
                @for s in v.subscribers {
                    tr {
                        td { (s.email) }
                        td { @if s.components.is_empty() { "all components" } @else { (s.components.join(", ")) } }
                        td { @match s.confirmed_at { Some(t) => { "confirmed " (ts(t)) }, None => { "pending" } } }
                    }
                }
            }

            h2 { "Delete" }
            form.filters method="post" action=(action("remove")) {
                (csrf)
                label.check { input type="checkbox" name="yes" value="yes" required; " Delete this page with its history" }
                button type="submit" { "Delete the page" }
            }
        },
    )
}

/// The UTC time of a `datetime-local` field (or RFC 3339).
fn local_time(field: &str, v: &str) -> Result<DateTime<Utc>, PageError> {
    let v = v.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(t.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(v, f) {
            return Ok(t.and_utc());
        }
    }
    Err(PageError::Invalid(format!(
        "{field} `{v}` is not a time (2026-12-24T02:00)"
    )))
}

/// `POST /admin/pages/<slug>/<action>`.
pub(crate) async fn action_form(
    State(app): State<crate::Shared>,
    headers: HeaderMap,
    Path((slug, action)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    if let Err(e) = auth::form_ok(&app, &headers, f.get("csrf")).await {
        return answer(e.0, signed_out(&e.1));
    }
    let pages = match manager(&app) {
        Ok(m) => m,
        Err(e) => return e.into_response(),
    };
    let done: Result<String, PageError> = async {
        // Ok: what was done (a page deleted answers apart, below).
        match action.as_str() {
            "component" => pages
                .add_component(&slug, f.get("name"), f.opt("group"))
                .await
                .map(|()| format!("Added the component {}.", f.get("name").trim())),
            "component-remove" => pages
                .remove_component(&slug, f.get("name"))
                .await
                .map(|()| format!("Took the component {} off.", f.get("name").trim())),
            "incident" => pages
                .open_incident(
                    &slug,
                    &NewIncident {
                        title: f.get("title").into(),
                        message: f.get("message").into(),
                        status: f.opt("status").map(String::from),
                        impact: f.opt("impact").map(String::from),
                        components: f.all("component"),
                    },
                )
                .await
                .map(|i| format!("Opened “{}”.", i.title)),
            "update" => pages
                .update_incident(
                    &slug,
                    f.get("id"),
                    f.get("status"),
                    f.get("message"),
                    f.opt("impact"),
                )
                .await
                .map(|i| format!("“{}” is {}.", i.title, i.status.as_str())),
            "postmortem" => pages
                .postmortem(&slug, f.get("id"), f.get("message"))
                .await
                .map(|i| format!("Published the postmortem of “{}”.", i.title)),
            "maintenance" => {
                let from = local_time("from", f.get("from"))?;
                let until = local_time("until", f.get("until"))?;
                pages
                    .add_maintenance(
                        &slug,
                        &NewMaintenance {
                            title: f.get("title").into(),
                            message: f.get("message").into(),
                            from,
                            until,
                            components: f.all("component"),
                        },
                    )
                    .await
                    .map(|m| format!("Scheduled “{}”.", m.title))
            }
            "maintenance-update" => pages
                .update_maintenance(&slug, f.get("id"), f.get("status"), f.get("message"))
                .await
                .map(|m| format!("“{}” is {}.", m.title, m.status.as_str().replace('_', " "))),
            "external" => pages
                .add_external(&slug, f.get("source"), f.opt("component"), f.opt("label"))
                .await
                .map(|e| format!("Showing {}.", e.label)),
            "external-remove" => pages
                .remove_external(&slug, f.get("label"))
                .await
                .map(|()| format!("Took {} off.", f.get("label"))),
            "set" => {
                let access = match f.get("access") {
                    "public" => Access::Public,
                    "private" => Access::Private(Some(f.get("key").to_string())),
                    _ => Access::Keep,
                };
                pages
                    .change(
                        &slug,
                        &PageChange {
                            title: Some(f.get("title").to_string()),
                            logo: Some(f.get("logo_url").to_string()),
                            accent: Some(f.get("accent").to_string()),
                            access,
                        },
                    )
                    .await?;
                Ok("Saved.".to_string())
            }
            "remove" => {
                if f.get("yes") != "yes" {
                    return Err(PageError::Invalid("tick the box to delete the page".into()));
                }
                let n = pages.remove(&slug).await?;
                Ok(format!(
                    "Deleted the page {slug} and its {n} incidents and maintenances."
                ))
            }
            other => Err(PageError::NotFound(format!("no action `{other}`"))),
        }
    }
    .await;
    match done {
        Ok(m) if action == "remove" => list_page(&app, &headers, StatusCode::OK, Some(&m)).await,
        Ok(m) => page_view(&app, &headers, &slug, StatusCode::OK, Some(&m)).await,
        Err(e) => {
            let e = ApiError::from(e);
            if e.0 == StatusCode::INTERNAL_SERVER_ERROR {
                return e.into_response();
            }
            page_view(&app, &headers, &slug, e.0, Some(&e.1)).await
        }
    }
}
