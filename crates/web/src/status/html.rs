//! A page of one's own for people: its state, components with 90-day uptime
//! bars, what is open and upcoming first, then its history. No script.

use super::Own;
use crate::charts::uptime_bars;
use crate::pages::{layout, ts};
use crate::state::{self, component_state};
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use statuswatch_model::{Component, Kind, Status};
use statuswatch_store::StoredIncident;

fn entry(own: &Own, s: &StoredIncident) -> Markup {
    let i = &s.incident;
    let last = i.updates.last();
    html! {
        li {
            a href=(format!("/status/{}/incidents/{}", own.page.slug, i.vendor_id)) { (i.title) }
            " " span.badge { (i.status.as_str().replace('_', " ")) }
            @if let (Some(a), Some(b)) = (i.scheduled_for, i.scheduled_until) {
                span.at { (ts(a)) " to " (ts(b)) }
            }
            @if let Some(u) = last {
                p.body { span.label { (u.label) } " - " (u.body) @if let Some(at) = u.at { span.at { (ts(at)) } } }
            }
        }
    }
}

/// `/status/<slug>`.
pub(crate) fn page(own: &Own, now: DateTime<Utc>) -> Markup {
    let (worst, _, line) = own.wire().overall();
    let class = component_state(worst).as_str();
    let open: Vec<&StoredIncident> = own
        .incidents
        .iter()
        .filter(|s| s.incident.kind == Kind::Incident && !s.incident.status.is_terminal())
        .collect();
    let upcoming: Vec<&StoredIncident> = own
        .incidents
        .iter()
        .filter(|s| s.incident.kind == Kind::Maintenance && !s.incident.status.is_terminal())
        .collect();
    let past: Vec<&StoredIncident> = own
        .incidents
        .iter()
        .filter(|s| s.incident.status.is_terminal())
        .take(50)
        .collect();
    let everything: Vec<&statuswatch_model::Incident> =
        own.incidents.iter().map(|s| &s.incident).collect();
    layout(
        &own.page.title,
        html! {
            h1 { (own.page.title) }
            p { span class=(format!("state {class}")) data-state=(class) { (line) } }
            @if !open.is_empty() {
                h2 { "Open incidents" }
                ul { @for s in &open { (entry(own, s)) } }
            }
            @if !upcoming.is_empty() {
                h2 { "Scheduled maintenance" }
                ul { @for s in &upcoming { (entry(own, s)) } }
            }
            h2 { "Components" }
            @if own.source.components.is_empty() {
                p.muted { "No components yet." }
            }
            table {
                @for c in &own.source.components {
                    @let st = component_state(c.state);
                    @let named = Component { name: c.name.clone(), group: c.group.clone() };
                    @let mine = everything.iter().copied().filter(|i| i.components.contains(&named));
                    tr {
                        td { @if let Some(g) = &c.group { span.muted { (g) " / " } } (c.name) }
                        td { span class=(format!("state {}", st.as_str())) data-component=(c.name) { (c.status.replace('_', " ")) } }
                    }
                    tr { td colspan="2" { (uptime_bars(&state::uptime(mine, 90, now), &c.name)) } }
                }
            }
            @if !own.externals.is_empty() {
                h2 { (super::EXTERNAL_GROUP) }
                table.externals {
                    @for e in &own.externals {
                        @let st = component_state(e.state);
                        tr {
                            td { a href=(format!("/providers/{}", e.source_id)) { (e.label) } }
                            td { span class=(format!("state {}", st.as_str())) data-external=(e.label) { (st.label()) } }
                        }
                        @for s in &e.open {
                            tr { td colspan="2" {
                                span.muted { (e.provider) ": " }
                                a href=(format!("/incidents/{}", s.id)) { (s.incident.title) }
                                " " span.badge { (s.incident.status.as_str().replace('_', " ")) }
                            } }
                        }
                    }
                }
            }
            h2 { "Past incidents" }
            @if past.is_empty() { p.muted { "No incidents reported." } }
            ul { @for s in &past { (entry(own, s)) } }
            p.muted {
                "Subscribe: " a href=(format!("/status/{}/history.atom", own.page.slug)) { "Atom" }
                " · " a href=(format!("/status/{}/history.rss", own.page.slug)) { "RSS" }
                " · " a href=(format!("/status/{}/maintenances.ics", own.page.slug)) { "Maintenance calendar" }
                " · API: " a href=(format!("/status/{}/api/v2/summary.json", own.page.slug)) { "summary.json" }
            }
        },
    )
}

/// `/status/<slug>/incidents/<id>`.
pub(crate) fn incident(own: &Own, s: &StoredIncident, _now: DateTime<Utc>) -> Markup {
    let i = &s.incident;
    layout(
        &i.title,
        html! {
            p.provider { a href=(format!("/status/{}", own.page.slug)) { (own.page.title) } }
            h1 { (i.title) }
            p {
                @if let Some(x) = i.impact { span class=(format!("badge {}", x.as_str())) { (x.as_str()) } }
                span.badge { (i.status.as_str().replace('_', " ")) }
            }
            dl {
                @if let Some(t) = i.started_at { dt { "Started" } dd { (ts(t)) } }
                @if let Some(t) = i.resolved_at {
                    dt { @if i.kind == Kind::Maintenance { "Completed" } @else { "Resolved" } } dd { (ts(t)) }
                }
                @if let (Some(a), Some(b)) = (i.scheduled_for, i.scheduled_until) {
                    dt { "Window" } dd { (ts(a)) " to " (ts(b)) }
                }
                @if !i.components.is_empty() {
                    dt { "Affected" }
                    dd { @for (n, c) in i.components.iter().enumerate() { @if n > 0 { ", " } (c.name) } }
                }
            }
            ol.timeline {
                @for u in i.updates.iter().rev() {
                    li {
                        span.label { (u.label) }
                        @if let Some(at) = u.at { span.at { (ts(at)) } }
                        @if u.status == Status::Postmortem { " " span.badge { "postmortem" } }
                        div.body { (u.body) }
                    }
                }
            }
        },
    )
}
