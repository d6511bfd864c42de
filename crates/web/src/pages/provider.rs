//! `/providers/<id>`: a provider's components, 90-day uptime, filtered
//! history and its figures.

use crate::charts::{column_chart, uptime_bars};
use crate::error::{html_error, ApiError};
use crate::loaders::ProviderData;
use crate::pages::{incident_rows, layout, state_tag, urlencode};
use crate::params::query;
use crate::state::{Figures, State as PageState, Uptime};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use maud::{html, Markup};
use statuswatch_store::{Source, SourceId, StoredIncident};
use statuswatch_view::words::format_duration;

pub(crate) async fn page(
    State(app): State<crate::Shared>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let Ok(id) = id.parse::<SourceId>() else {
        return Ok(html_error(StatusCode::NOT_FOUND, &format!("Provider {id}")));
    };
    let filter: HistoryFilter = match query(raw) {
        Ok(f) => f,
        Err(e) => return Ok(html_error(StatusCode::BAD_REQUEST, &e.1)),
    };
    let now = app.now();
    match ProviderData::load(&*app.store, id, &filter, now).await {
        Ok(d) => Ok(Html(provider(&d.page(filter), now).into_string()).into_response()),
        Err(ApiError(StatusCode::NOT_FOUND, _)) => {
            Ok(html_error(StatusCode::NOT_FOUND, &format!("Provider {id}")))
        }
        Err(ApiError(StatusCode::BAD_REQUEST, m)) => Ok(html_error(StatusCode::BAD_REQUEST, &m)),
        Err(e) => Err(e),
    }
}

/// The filters of a provider's history, as given in the query string.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct HistoryFilter {
    /// `critical`, `major`, `minor`, `none`; empty for any.
    #[serde(default)]
    pub impact: String,
    /// A component or group name; empty for any.
    #[serde(default)]
    pub component: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    pub from: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    pub to: String,
    /// Which page of the components list (from 1).
    #[serde(default)]
    pub components_page: usize,
}

/// What a provider's page shows.
pub struct ProviderPage<'a> {
    /// The source.
    pub source: &'a Source,
    /// Its state.
    pub state: PageState,
    /// 90 days over all its incidents.
    pub uptime: Uptime,
    /// 90 days per component of this page of the list, in the vendor's order.
    pub components: Vec<(String, Option<String>, PageState, Uptime)>,
    /// Which page of the components list this is (from 1).
    pub components_page: usize,
    /// How many pages the components list has.
    pub components_pages: usize,
    /// The filtered history, newest first.
    pub history: Vec<&'a StoredIncident>,
    /// Figures of the filtered history.
    pub figures: Figures,
    /// The filter in force.
    pub filter: HistoryFilter,
    /// Component names to filter by.
    pub component_names: Vec<String>,
    /// Whether the history was cut at its limit.
    pub truncated: bool,
}

/// Links to the other pages of a long components list.
fn components_nav(p: &ProviderPage) -> Markup {
    let link = |n: usize| format!("/providers/{}?components_page={n}", p.source.id);
    html! {
        nav.pager aria-label="Components" {
            "Components page " (p.components_page) " of " (p.components_pages) " "
            @if p.components_page > 1 { a href=(link(p.components_page - 1)) rel="prev" { "← previous" } " " }
            @if p.components_page < p.components_pages { a href=(link(p.components_page + 1)) rel="next" { "next →" } }
        }
    }
}

/// A provider's page.
pub fn provider(p: &ProviderPage, now: DateTime<Utc>) -> Markup {
    let name = p.source.provider_name();
    let f = &p.figures;
    layout(
        name,
        html! {
            h1 { (name) " " (state_tag(p.state)) }
            p.muted { (p.source.platform) " · " a href=(p.source.url) rel="noopener noreferrer nofollow" { (p.source.url) }
                " · " a href=(format!("/feed.atom?provider={}", urlencode(name))) { "Atom feed" }
                " · badge: " code { "/badge/" (urlencode(&p.source.name)) ".svg" } }
            h2 { "Last 90 days" }
            p { b { (format!("{:.2}%", p.uptime.percent)) } " without a major or critical incident" }
            (uptime_bars(&p.uptime, name))
            @if !p.components.is_empty() {
                h2 { "Components" }
                @if p.components_pages > 1 {
                    (components_nav(p))
                }
                table.components {
                    @for (c, g, st, u) in &p.components {
                        tr data-component=(c) {
                            td { (c) @if let Some(g) = g { br; span.muted { (g) } } }
                            td { (state_tag(*st)) }
                            td.hide-sm.bars { (uptime_bars(u, c)) }
                            td { (format!("{:.2}%", u.percent)) }
                        }
                    }
                }
            }
            @if p.components_pages > 1 {
                (components_nav(p))
            }
            h2 { "History" }
            form.filters method="get" {
                label { "Impact"
                    select name="impact" {
                        @for (v, l) in [("", "any"), ("critical", "critical"), ("major", "major"), ("minor", "minor"), ("none", "none")] {
                            option value=(v) selected[p.filter.impact == v] { (l) }
                        }
                    }
                }
                label { "Component"
                    select name="component" {
                        option value="" { "any" }
                        @for c in &p.component_names {
                            option value=(c) selected[&p.filter.component == c] { (c) }
                        }
                    }
                }
                label { "From" input type="date" name="from" value=(p.filter.from); }
                label { "To" input type="date" name="to" value=(p.filter.to); }
                button type="submit" { "Filter" }
            }
            div.figs {
                div { b.n-incidents { (f.incidents) } "incidents" }
                div { b { (format_duration(Duration::minutes(f.impacted_minutes))) } "impacted" }
                div { b { (f.mean_time_to_resolve_minutes.map(|m| format_duration(Duration::minutes(m))).unwrap_or_else(|| "-".into())) } "mean time to resolve" }
            }
            h3 { "Incidents per month" }
            (column_chart(&f.per_month, "Incidents per month"))
            @if p.truncated { p.muted { "Showing the newest " (p.history.len()) "; narrow the dates to see older ones." } }
            (incident_rows(&p.history, now))
        },
    )
}
