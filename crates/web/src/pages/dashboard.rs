//! `/`: the fleet summarized first (counts by state, nodes falling behind),
//! then what needs attention (open incidents, providers not operational,
//! upcoming maintenances, unhealthy sources), then the providers a page at a
//! time (`?page=`, `?q=` to search). A small fleet fits on one page, worst
//! first; the page stays small and quick at 100,000 sources.

use crate::error::ApiError;
use crate::loaders::{Dashboard, PAGE};
use crate::pages::{incident_link, incident_rows, layout, state_tag, ts, urlencode, ProviderRow};
use crate::state::State as PageState;
use axum::extract::{RawQuery, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use serde::Deserialize;
use statuswatch_model::Kind;
use statuswatch_store::{Source, StoredIncident};

/// Open incidents listed at most.
const OPEN_SHOWN: usize = 100;
/// Providers not operational listed at most.
const NOT_OPERATIONAL_SHOWN: usize = 200;
/// Unhealthy sources listed at most.
const UNHEALTHY_SHOWN: usize = 20;

#[derive(Debug, Default, Deserialize)]
struct Params {
    #[serde(default)]
    page: Option<u32>,
    #[serde(default)]
    q: Option<String>,
}

pub(crate) async fn page(
    State(app): State<crate::Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p: Params = crate::params::query(raw)?;
    let now = app.now();
    let data = Dashboard::load(
        &*app.store,
        p.page.unwrap_or(0),
        p.q.as_deref().unwrap_or(""),
        now,
    )
    .await?;
    Ok(Html(dashboard(&data, now).into_string()).into_response())
}

fn provider_table(rows: &[ProviderRow]) -> Markup {
    html! {
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
    }
}

/// The dashboard.
pub(crate) fn dashboard(d: &Dashboard, now: DateTime<Utc>) -> Markup {
    let open: Vec<&StoredIncident> = d
        .open
        .iter()
        .filter(|i| i.incident.kind == Kind::Incident)
        .collect();
    let upcoming = d.upcoming();
    let mut unhealthy: Vec<&Source> = d
        .attention
        .iter()
        .filter(|s| s.health.consecutive_failures > 0 || s.health.warning.is_some())
        .collect();
    unhealthy.sort_by_key(|s| std::cmp::Reverse(s.health.consecutive_failures));
    let unhealthy_total = (d.failing + d.warned).max(unhealthy.len() as i64);
    let count = |s: PageState| d.counts.get(&s).copied().unwrap_or(0);
    let one_page = d.total <= i64::from(PAGE) && d.search.trim().is_empty();
    let behind: Vec<&statuswatch_store::NodeBeat> = d
        .nodes
        .iter()
        .filter(|n| {
            statuswatch_engine::is_up(n.seen_at, now)
                && n.interval_ms > 0
                && n.lag_ms > n.interval_ms / 4
        })
        .collect();
    layout(
        "Dashboard",
        html! {
            meta http-equiv="refresh" content="60";
            h1 { "Vendors" }
            p.muted data-summary {
                (d.total) " watched · "
                (count(PageState::Outage)) " in outage · " (count(PageState::Degraded)) " degraded · "
                (count(PageState::Maintenance)) " in maintenance · "
                (count(PageState::Operational)) " operational · "
                (count(PageState::Unknown)) " not read yet · updated " (ts(now))
            }
            @for n in &behind {
                p.warning data-behind=(n.id) {
                    "Polling is behind on " (n.host) " (node " (n.id) "): sources are polled up to "
                    (n.lag_ms / 1000) " s after they fall due, at a " (n.interval_ms / 1000) " s interval."
                }
            }
            @if !open.is_empty() {
                h2 { "Open incidents" }
                (incident_rows(&open[..open.len().min(OPEN_SHOWN)], now))
                @if open.len() > OPEN_SHOWN {
                    p.muted { "and " (open.len() - OPEN_SHOWN) " more: " a href="/api/v1/incidents?open=true&kind=incident" { "all open incidents (JSON)" } }
                }
            }
            @if d.total == 0 {
                p.empty {
                    "Nothing is watched yet. Add vendors by name with "
                    code { "statuswatch add github" } " (" code { "statuswatch catalog search <name>" }
                    " finds them), by URL with " code { "statuswatch add https://status.example.com" }
                    ", or from " a href="/admin" { "Admin" } "."
                }
            }
            @if one_page {
                h2 { "Providers" }
                (provider_table(&d.rows(&d.listing, now)))
            } @else {
                @let rows = d.rows(&d.attention, now);
                @let not_ok: Vec<ProviderRow> = rows.into_iter()
                    .filter(|r| !matches!(r.state, PageState::Operational | PageState::Unknown))
                    .collect();
                @if !not_ok.is_empty() {
                    h2 { "Not operational" }
                    (provider_table(&not_ok[..not_ok.len().min(NOT_OPERATIONAL_SHOWN)]))
                    @if not_ok.len() > NOT_OPERATIONAL_SHOWN {
                        p.muted { "and " (not_ok.len() - NOT_OPERATIONAL_SHOWN) " more." }
                    }
                }
            }
            @if !upcoming.is_empty() {
                h2 { "Upcoming maintenance" }
                table {
                    tr { th { "Maintenance" } th { "Provider" } th { "Window" } }
                    @for m in upcoming.iter().take(50) {
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
                p.muted { (unhealthy_total) " sources failing or with a warning" @if unhealthy_total as usize > UNHEALTHY_SHOWN { "; the " (UNHEALTHY_SHOWN) " failing longest:" } }
                table {
                    tr { th { "Source" } th { "Failures in a row" } th { "Last error" } }
                    @for s in unhealthy.iter().take(UNHEALTHY_SHOWN) {
                        tr { td { (s.name) } td { (s.health.consecutive_failures) } td { (s.health.last_error.as_deref().or(s.health.warning.as_deref()).unwrap_or("")) } }
                    }
                }
            }
            @if !one_page {
                h2 { "All providers" }
                form method="get" action="/" {
                    input type="search" name="q" value=(d.search) placeholder="name, vendor or URL";
                    button type="submit" { "Search" }
                }
                (provider_table(&d.rows_in_order(&d.listing, now)))
                @let pages = (d.listed + i64::from(PAGE) - 1) / i64::from(PAGE);
                p.pager {
                    "Page " (d.page + 1) " of " (pages.max(1)) " (" (d.listed) " providers)"
                    @let q = if d.search.trim().is_empty() { String::new() } else { format!("&q={}", urlencode(&d.search)) };
                    @if d.page > 0 { " · " a rel="prev" href=(format!("/?page={}{q}", d.page - 1)) { "previous" } }
                    @if i64::from(d.page + 1) < pages { " · " a rel="next" href=(format!("/?page={}{q}", d.page + 1)) { "next" } }
                }
            }
        },
    )
}
