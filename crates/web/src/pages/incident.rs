//! `/incidents/<id>`: one incident for people.

use crate::error::{html_error, ApiError};
use crate::pages::{layout, ts};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use statuswatch_store::{StoreError, StoredIncident};
use statuswatch_view::words::{detection_note, duration_of, format_duration, summary};
use statuswatch_view::IncidentView;

pub(crate) async fn page(State(app): State<crate::Shared>, Path(id): Path<String>) -> Response {
    match crate::loaders::public_incident(&*app.store, &id).await {
        Ok(s) => Html(incident_page(&s, app.now()).into_string()).into_response(),
        Err(StoreError::NotFound(_)) => {
            html_error(StatusCode::NOT_FOUND, &format!("Incident {id}"))
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// The page of one incident.
pub fn incident_page(s: &StoredIncident, now: DateTime<Utc>) -> Markup {
    let v = IncidentView::from(s);
    let i = &s.incident;
    let impact = v.impact.map(|x| x.as_str()).unwrap_or("impact not stated");
    layout(
        &v.title,
        html! {
            p.provider { a href=(format!("/providers/{}", s.source_id)) { (v.provider) } }
            h1 { (v.title) }
            p {
                span class=(format!("badge {impact}")) { (impact) }
                span.badge { (v.status.as_str().replace('_', " ")) }
                span.badge { (v.kind.as_str()) }
            }
            p.summary { (summary(&v.provider, i, now)) }
            dl {
                dt { "Started" } dd { (v.started_at.map(ts).unwrap_or_else(|| "not stated by the vendor".into())) }
                @if let Some(r) = v.resolved_at { dt { "Resolved" } dd { (ts(r)) } }
                @if let Some(d) = duration_of(i, now) {
                    dt { @if v.resolved_at.is_some() { "Duration" } @else { "Ongoing for" } }
                    dd { (format_duration(d)) }
                }
                @if let (Some(a), Some(b)) = (v.scheduled_for, v.scheduled_until) {
                    dt { "Window" } dd { (ts(a)) " to " (ts(b)) }
                }
                dt { "Detected by statuswatch" } dd { (detection_note(i, s.detected_at)) }
                @if let Some(u) = &v.url {
                    dt { "Vendor's page" } dd { a href=(u) rel="noopener noreferrer nofollow" { (u) } }
                }
            }
            @if !v.components.is_empty() {
                h2 { "Affected components" }
                ul { @for c in &v.components {
                    li { (c.name) @if let Some(g) = &c.group { " (" (g) ")" } }
                } }
            }
            h2 { "Timeline" }
            ol.timeline { @for u in &v.updates {
                li {
                    span.label { (u.label) }
                    @if let Some(at) = u.at { span.at { (ts(at)) } }
                    div.body { (u.body) }
                }
            } }
        },
    )
}
