//! `/`: every provider's state (worst first), open incidents, upcoming
//! maintenances, unhealthy sources.

use crate::error::ApiError;
use crate::loaders::Overview;
use crate::pages::{incident_link, incident_rows, layout, state_tag, ts, ProviderRow};
use crate::state::State as PageState;
use crate::App;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use statuswatch_model::Kind;
use statuswatch_store::{Source, StoredIncident};

pub(crate) async fn page(State(app): State<App>) -> Result<Response, ApiError> {
    let now = app.now();
    let data = Overview::load(&*app.store).await?;
    let rows = data.rows(now);
    let upcoming = data.upcoming();
    Ok(Html(dashboard(&rows, &upcoming, now).into_string()).into_response())
}

/// The dashboard: every provider's state (worst first), open incidents,
/// upcoming maintenances, unhealthy sources.
pub fn dashboard(rows: &[ProviderRow], upcoming: &[&StoredIncident], now: DateTime<Utc>) -> Markup {
    let open: Vec<&StoredIncident> = rows
        .iter()
        .flat_map(|r| r.open.iter().copied())
        .filter(|i| i.incident.kind == Kind::Incident)
        .collect();
    let unhealthy: Vec<&Source> = rows
        .iter()
        .map(|r| r.source)
        .filter(|s| s.health.consecutive_failures > 0 || s.health.warning.is_some())
        .collect();
    let count = |s: PageState| rows.iter().filter(|r| r.state == s).count();
    layout(
        "Dashboard",
        html! {
            meta http-equiv="refresh" content="60";
            h1 { "Vendors" }
            p.muted {
                (rows.len()) " watched · "
                (count(PageState::Outage)) " in outage · " (count(PageState::Degraded)) " degraded · "
                (count(PageState::Maintenance)) " in maintenance · updated " (ts(now))
            }
            @if !open.is_empty() {
                h2 { "Open incidents" }
                (incident_rows(&open, now))
            }
            @if rows.is_empty() {
                p.empty {
                    "Nothing is watched yet. Add vendors by name with "
                    code { "statuswatch add github" } " (" code { "statuswatch catalog search <name>" }
                    " finds them), by URL with " code { "statuswatch add https://status.example.com" }
                    ", or from " a href="/admin" { "Admin" } "."
                }
            }
            h2 { "Providers" }
            table.providers {
                tr { th { "Provider" } th { "State" } th { "Open" } th.hide-sm { "Platform" } th.hide-sm { "Last poll" } }
                @for r in rows {
                    tr data-provider=(r.source.provider_name()) {
                        td { a href=(format!("/providers/{}", r.source.id)) { (r.source.provider_name()) } }
                        td { (state_tag(r.state)) }
                        td { (r.open.iter().filter(|i| i.incident.kind == Kind::Incident).count()) }
                        td.hide-sm { (r.source.platform) }
                        td.hide-sm { (r.source.health.last_poll_at.map(ts).unwrap_or_else(|| "never".into())) }
                    }
                }
            }
            @if !upcoming.is_empty() {
                h2 { "Upcoming maintenance" }
                table {
                    tr { th { "Maintenance" } th { "Provider" } th { "Window" } }
                    @for m in upcoming {
                        tr {
                            td { (incident_link(m)) }
                            td { (m.provider) }
                            td { (m.incident.scheduled_for.map(ts).unwrap_or_default())
                                @if let Some(u) = m.incident.scheduled_until { " to " (ts(u)) } }
                        }
                    }
                }
            }
            @if !unhealthy.is_empty() {
                h2 { "Unhealthy sources" }
                table {
                    tr { th { "Source" } th { "Failures in a row" } th { "Last error" } }
                    @for s in &unhealthy {
                        tr { td { (s.name) } td { (s.health.consecutive_failures) } td { (s.health.last_error.as_deref().or(s.health.warning.as_deref()).unwrap_or("")) } }
                    }
                }
            }
        },
    )
}
