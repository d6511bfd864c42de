//! Server-rendered pages, one module per page with its handler. Vendor text
//! is untrusted: every value goes through maud's escaping; nothing is
//! inserted as raw HTML; the pages carry no script.

pub mod admin;
pub mod admin_pages;
pub mod dashboard;
pub mod incident;
pub(crate) mod layout;
pub mod provider;
pub mod search;
pub mod stats;

pub(crate) use layout::{layout, ts};

use crate::state::State;
use chrono::{DateTime, Utc};
use maud::{html, Markup};
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

pub(crate) fn state_tag(s: State) -> Markup {
    html! { span class=(format!("state {}", s.as_str())) data-state=(s.as_str()) { (s.label()) } }
}

pub(crate) fn impact_tag(i: &StoredIncident) -> Markup {
    let impact = i
        .incident
        .impact
        .map(|x| x.as_str())
        .unwrap_or("not stated");
    html! { span class=(format!("badge {impact}")) { (impact) } }
}

pub(crate) fn incident_link(i: &StoredIncident) -> Markup {
    html! { a href=(format!("/incidents/{}", i.id)) { (i.incident.title) } }
}

pub(crate) fn incident_rows(list: &[&StoredIncident], now: DateTime<Utc>) -> Markup {
    html! {
        table.incidents {
            tr { th { "Incident" } th { "Provider" } th { "Impact" } th { "Status" } th.hide-sm { "Started" } th.hide-sm { "Duration" } }
            @for i in list {
                tr data-incident=(i.id) {
                    td { (incident_link(i)) }
                    td { a href=(format!("/providers/{}", i.source_id)) { (i.provider) } }
                    td { (impact_tag(i)) }
                    td { (i.incident.status.as_str().replace('_', " ")) }
                    td.hide-sm { (i.incident.started_at.map(ts).unwrap_or_else(|| "not stated".into())) }
                    td.hide-sm { (statuswatch_view::words::duration_of(&i.incident, now).map(format_duration).unwrap_or_default()) }
                }
            }
        }
    }
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

/// A page saying what was not found.
/// A request that cannot be answered, and why.
pub fn problem(title: &str, why: &str) -> Markup {
    layout(title, html! { h1 { (title) } p.error { (why) } })
}

pub fn not_found(what: &str) -> Markup {
    layout(
        "Not found",
        html! { h1 { "Not found" } p { (what) " does not exist here." } },
    )
}
