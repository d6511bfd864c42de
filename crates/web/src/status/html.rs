//! A page of one's own for people: its state, components with 90-day uptime
//! bars, what is open and upcoming first, then its history. No script.

use crate::charts::uptime_bars;
use crate::pages::ts;
use crate::state::{self, component_state};
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use statuswatch_model::{Component, Kind, Status};
use statuswatch_pages::Published;
use statuswatch_store::Page;
use statuswatch_store::StoredIncident;

fn entry(own: &Published, s: &StoredIncident) -> Markup {
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

/// The frame of a page of one's own: its logo and title, its accent; not
/// the aggregator's navigation (a team's public page is its own).
pub(crate) fn layout(page: &Page, title: &str, body: Markup) -> Markup {
    frame(page, title, false, body)
}

/// The frame; on the page itself its title is the heading.
fn frame(page: &Page, title: &str, heading: bool, body: Markup) -> Markup {
    html! {
        (maud::DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href=(crate::pages::layout::STYLE_PATH);
                @if let Some(a) = &page.accent {
                    link rel="stylesheet" href=(format!("/status/{}/style.css?v={}", page.slug, a.trim_start_matches('#')));
                }
            }
            body.own {
                header.own {
                    a href=(format!("/status/{}", page.slug)) {
                        @if let Some(logo) = &page.logo_url {
                            img.logo src=(logo) alt=(format!("{} logo", page.title));
                        }
                        @if heading { h1.name { (page.title) } } @else { span.name { (page.title) } }
                    }
                }
                (body)
                footer.own.muted { "Powered by statuswatch" }
            }
        }
    }
}

/// The page's accent as a style sheet (the content security policy
/// allows no inline style).
pub(crate) fn accent_css(page: &Page) -> String {
    match page.accent.as_deref().filter(|a| statuswatch_pages::checks::valid_accent(a)) {
        Some(a) => format!(
            "header.own{{border-bottom:4px solid {a}}}body.own a{{color:{a}}}body.own button{{background:{a};border-color:{a}}}"
        ),
        None => String::new(),
    }
}

/// A page asking for its key: the answer for a private page and for one
/// that does not exist alike, so neither its title nor its existence shows.
pub(crate) fn locked(slug: &str, wrong: bool) -> Markup {
    html! {
        (maud::DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Private status page" }
                link rel="stylesheet" href=(crate::pages::layout::STYLE_PATH);
            }
            body.own {
                h1 { "This status page is private, or there is none here" }
                @if wrong { p.error { "That key does not open this page." } }
                form.key method="post" action=(format!("/status/{slug}/access")) {
                    label { "Key or password " input type="password" name="key" required autocomplete="current-password"; }
                    " " button type="submit" { "Open" }
                }
                p.muted { "Machines give the key as ?key=KEY or Authorization: Bearer KEY." }
                footer.own.muted { "Powered by statuswatch" }
            }
        }
    }
}

/// A short answer on the page's frame.
pub(crate) fn message(page: &Page, title: &str, text: &str) -> Markup {
    layout(
        page,
        &page.title,
        html! {
            h1 { (title) }
            p data-message=(title) { (text) }
            p { a href=(format!("/status/{}", page.slug)) { "Back to " (page.title) } }
        },
    )
}

/// The one button of a confirmation or unsubscribe link.
pub(crate) fn subscriber_button(page: &Page, action: &str, token: &str) -> Markup {
    let (title, button) = if action == "confirm" {
        ("Confirm your subscription", "Confirm")
    } else {
        ("Unsubscribe", "Unsubscribe")
    };
    layout(
        page,
        &page.title,
        html! {
            h1 { (title) }
            p { "Status page: " (page.title) }
            form method="post" action=(format!("/status/{}/subscribers/{action}?token={}", page.slug, token)) {
                button type="submit" { (button) }
            }
        },
    )
}

/// `/status/<slug>`.
pub(crate) fn page(own: &Published, now: DateTime<Utc>) -> Markup {
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
    frame(
        &own.page,
        &own.page.title,
        true,
        html! {
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
                h2 { (statuswatch_pages::EXTERNAL_GROUP) }
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
            @if own.subscribe {
                h2 { "Get updates by email" }
                form.subscribe method="post" action=(format!("/status/{}/subscribe", own.page.slug)) {
                    label { "Email " input type="email" name="email" required autocomplete="email"; }
                    @if !own.source.components.is_empty() {
                        fieldset {
                            legend { "Only these components (none ticked: all)" }
                            @for c in &own.source.components {
                                label.check { input type="checkbox" name="component" value=(c.name); " " (c.name) }
                            }
                        }
                    }
                    button type="submit" { "Subscribe" }
                }
            }
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
pub(crate) fn incident(own: &Published, s: &StoredIncident, _now: DateTime<Utc>) -> Markup {
    let i = &s.incident;
    layout(
        &own.page,
        &i.title,
        html! {
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
