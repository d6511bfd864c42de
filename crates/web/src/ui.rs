//! The pages people look at every day: the dashboard, a provider's page,
//! search and stats, and the admin page. Server-rendered with maud; vendor
//! text is escaped; the only script is none.

use crate::charts::{bar_list, column_chart, uptime_bars};
use crate::page::{layout, ts};
use crate::state::{Figures, State, Uptime};
use chrono::{DateTime, Duration, Utc};
use maud::{html, Markup};
use statuswatch_model::Kind;
use statuswatch_store::{Source, StoredIncident};
use statuswatch_view::words::format_duration;

/// One provider on the dashboard.
pub struct ProviderRow<'a> {
    /// Its source.
    pub source: &'a Source,
    /// Its state now.
    pub state: State,
    /// Its open incidents and maintenances.
    pub open: Vec<&'a StoredIncident>,
}

fn state_tag(s: State) -> Markup {
    html! { span class=(format!("state {}", s.as_str())) data-state=(s.as_str()) { (s.label()) } }
}

fn impact_tag(i: &StoredIncident) -> Markup {
    let impact = i
        .incident
        .impact
        .map(|x| x.as_str())
        .unwrap_or("not stated");
    html! { span class=(format!("badge {impact}")) { (impact) } }
}

fn incident_link(i: &StoredIncident) -> Markup {
    html! { a href=(format!("/incidents/{}", i.id)) { (i.incident.title) } }
}

fn incident_rows(list: &[&StoredIncident], now: DateTime<Utc>) -> Markup {
    html! {
        table.incidents {
            tr { th { "Incident" } th { "Provider" } th { "Impact" } th { "Status" } th.hide-sm { "Started" } th.hide-sm { "Duration" } }
            @for i in list {
                tr data-incident=(i.id) {
                    td { (incident_link(i)) }
                    td { a href=(format!("/providers/{}", i.source_id)) { (i.provider) } }
                    td { (impact_tag(i)) }
                    td { (i.incident.status.as_str().replace('_', " ")) }
                    td.hide-sm { (i.incident.started_at.map(ts).unwrap_or_else(|| ts(i.detected_at))) }
                    td.hide-sm { (statuswatch_view::words::duration_of(&i.incident, now).map(format_duration).unwrap_or_default()) }
                }
            }
        }
    }
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
        .filter(|s| s.health.consecutive_failures > 0)
        .collect();
    let count = |s: State| rows.iter().filter(|r| r.state == s).count();
    layout(
        "Dashboard",
        html! {
            meta http-equiv="refresh" content="60";
            h1 { "Vendors" }
            p.muted {
                (rows.len()) " watched · "
                (count(State::Outage)) " in outage · " (count(State::Degraded)) " degraded · "
                (count(State::Maintenance)) " in maintenance · updated " (ts(now))
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
                        tr { td { (s.name) } td { (s.health.consecutive_failures) } td { (s.health.last_error.as_deref().unwrap_or("")) } }
                    }
                }
            }
        },
    )
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
}

/// What a provider's page shows.
pub struct ProviderPage<'a> {
    /// The source.
    pub source: &'a Source,
    /// Its state.
    pub state: State,
    /// 90 days over all its incidents.
    pub uptime: Uptime,
    /// 90 days per component, in the page's order.
    pub components: Vec<(String, Option<String>, State, Uptime)>,
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
                table.components {
                    @for (c, g, st, u) in &p.components {
                        tr data-component=(c) {
                            td { (c) @if let Some(g) = g { br; span.muted { (g) } } }
                            td { (state_tag(*st)) }
                            td.hide-sm style="width:50%" { (uptime_bars(u, c)) }
                            td { (format!("{:.2}%", u.percent)) }
                        }
                    }
                }
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

/// Search results.
pub fn search(q: &str, hits: &[&StoredIncident], now: DateTime<Utc>) -> Markup {
    layout(
        "Search",
        html! {
            h1 { "Search" }
            form.filters method="get" action="/search" {
                label { "Words in titles and updates" input type="search" name="q" value=(q) autofocus; }
                button type="submit" { "Search" }
            }
            @if !q.trim().is_empty() {
                p.muted.result-count { (hits.len()) " incidents match" }
                (incident_rows(hits, now))
            }
        },
    )
}

/// Stats across providers.
pub fn stats(f: &Figures, mttr: &[(String, f64, String)], days: i64) -> Markup {
    layout(
        "Stats",
        html! {
            h1 { "Last " (days) " days" }
            div.figs {
                div { b { (f.incidents) } "incidents" }
                div { b { (format_duration(Duration::minutes(f.impacted_minutes))) } "with at least one incident" }
                div { b { (f.mean_time_to_resolve_minutes.map(|m| format_duration(Duration::minutes(m))).unwrap_or_else(|| "-".into())) } "mean time to resolve" }
            }
            h2 { "Incidents per month" }
            (column_chart(&f.per_month, "Incidents per month"))
            h2 { "Mean time to resolve per provider" }
            @if mttr.is_empty() { p.muted { "No resolved incident in this period." } }
            @else { (bar_list(mttr, "Mean time to resolve per provider")) }
        },
    )
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

/// Percent-encodes a path or query component.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
