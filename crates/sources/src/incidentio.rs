//! incident.io status pages, read natively: the data the page itself loads
//! (`<page>/proxy/<host>`: components with their groups and order, the
//! components not operational, ongoing incidents and scheduled maintenances)
//! and the page's history feed (`<page>/history.atom`: every incident with its
//! status, which carries the resolutions).
//!
//! The Statuspage-compatible `/api/v2/summary.json` these pages also serve
//! lacks components, start and resolve times, so detection prefers this.
//! Incident objects in the page data are read defensively: public clients
//! disagree on their field names (`current_worst_impact` or `impact`,
//! `affected_components` or `component_impacts`).

use crate::{
    at_path, feed, json, no_min_interval, platform::page_root, platform::probe_first, timestamp,
    Context, Endpoint, ParseError, Platform, Probe, Role, Spec,
};
use serde_json::Value;
use statuswatch_model::{
    Component, ComponentState, Impact, Incident, Kind, Snapshot, Status, Update,
};
use std::collections::HashMap;
use url::Url;

/// incident.io, in the registry.
pub static SPEC: Spec = Spec {
    name: "incidentio",
    aliases: &["incident.io"],
    about: "incident.io status pages, through the data their own page loads",
    endpoints,
    probes,
    min_interval: no_min_interval,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// The page data (`/proxy/<host>`).
pub static PAGE: Role = Role {
    platform: "incidentio",
    name: "page-data",
    parse: parse_page,
};

/// The history feed (`/history.atom`), keyed by incident id.
pub static FEED: Role = Role {
    platform: "incidentio",
    name: "history",
    parse: parse_feed,
};

/// The page data at the page's root, on any host.
fn probes(input: &Url, _asked: bool) -> Vec<Probe> {
    probe_first(PLATFORM, page_root(input))
}

/// The page data, then the history feed.
pub fn endpoints(url: &Url) -> Vec<Endpoint> {
    let host = url.host_str().unwrap_or_default();
    vec![
        Endpoint::required(at_path(url, &format!("/proxy/{host}")), &PAGE),
        Endpoint::optional(at_path(url, "/history.atom"), &FEED),
    ]
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|x| *x != "$undefined")
}

fn impact(word: &str) -> Option<Impact> {
    match word {
        "operational" => Some(Impact::None),
        "degraded_performance" => Some(Impact::Minor),
        "partial_outage" => Some(Impact::Major),
        "full_outage" | "major_outage" => Some(Impact::Critical),
        "under_maintenance" => Some(Impact::Maintenance),
        _ => None,
    }
}

/// incident.io's component statuses.
fn component_status(word: &str) -> statuswatch_model::ComponentStatus {
    use statuswatch_model::ComponentStatus as C;
    match word {
        "operational" => C::Operational,
        "degraded_performance" => C::Degraded,
        "partial_outage" => C::PartialOutage,
        "full_outage" | "major_outage" => C::MajorOutage,
        "under_maintenance" => C::Maintenance,
        _ => C::Unknown,
    }
}

/// Parses the page data (`{summary: {...}}`).
pub fn parse_page(body: &[u8], _ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let doc: Value = json(body)?;
    let summary = doc
        .get("summary")
        .filter(|s| s.get("components").is_some() || s.get("structure").is_some())
        .ok_or_else(|| {
            ParseError::WrongShape("no `summary` with components: not incident.io page data".into())
        })?;
    let mut warnings = Vec::new();
    let statuses: HashMap<&str, &str> = summary
        .get("affected_components")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| Some((s(c, "component_id")?, s(c, "status")?)))
        .collect();
    // Names and groups: the structure gives order and groups; `components` the rest.
    let mut named: Vec<(String, Component)> = Vec::new();
    let push = |named: &mut Vec<(String, Component)>, id: &str, name: &str, group: Option<&str>| {
        if !named.iter().any(|(i, _)| i == id) {
            named.push((
                id.to_string(),
                Component {
                    name: name.to_string(),
                    group: group.map(str::to_string),
                },
            ));
        }
    };
    let hidden = |v: &Value| v.get("hidden") == Some(&Value::Bool(true));
    for item in summary
        .pointer("/structure/items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(g) = item.get("group").filter(|g| !hidden(g)) {
            let gname = s(g, "name");
            for c in g
                .get("components")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let (false, Some(id), Some(name)) =
                    (hidden(c), s(c, "component_id"), s(c, "name"))
                {
                    push(&mut named, id, name, gname);
                }
            }
        } else if let Some(c) = item.get("component").filter(|c| !hidden(c)) {
            if let (Some(id), Some(name)) = (s(c, "component_id"), s(c, "name")) {
                push(&mut named, id, name, None);
            }
        }
    }
    for c in summary
        .get("components")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (false, Some(id), Some(name)) = (hidden(c), s(c, "id"), s(c, "name")) {
            push(&mut named, id, name, None);
        }
    }
    let components = named
        .iter()
        .map(|(id, c)| {
            let word = statuses.get(id.as_str()).copied().unwrap_or("operational");
            ComponentState::new(
                c.name.clone(),
                c.group.clone(),
                word,
                component_status(word),
            )
        })
        .collect();
    let by_id: HashMap<&str, &Component> = named.iter().map(|(i, c)| (i.as_str(), c)).collect();
    let mut incidents = Vec::new();
    for i in summary
        .get("ongoing_incidents")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        incidents.push(event(i, false, &by_id, &mut warnings));
    }
    for m in summary
        .get("scheduled_maintenances")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        incidents.push(event(m, true, &by_id, &mut warnings));
    }
    for m in summary
        .get("in_progress_maintenances")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        incidents.push(event(m, true, &by_id, &mut warnings));
    }
    Ok(Snapshot {
        provider: s(summary, "name").map(str::to_string),
        components,
        incidents,
        warnings,
    })
}

fn event(
    v: &Value,
    maintenance: bool,
    components: &HashMap<&str, &Component>,
    warnings: &mut Vec<String>,
) -> Incident {
    let raw = s(v, "status").unwrap_or("");
    let status = match raw {
        "maintenance_scheduled" => Status::Scheduled,
        "maintenance_in_progress" => Status::InProgress,
        "maintenance_complete" | "maintenance_completed" => Status::Completed,
        other => Status::from_word(other).unwrap_or(if maintenance {
            Status::Scheduled
        } else {
            Status::Investigating
        }),
    };
    let id = s(v, "id")
        .map(str::to_string)
        .unwrap_or_else(|| statuswatch_model::stable_hash(&[s(v, "name").unwrap_or("")]));
    let mut out = Incident::new(id, s(v, "name").unwrap_or("").trim(), status);
    out.url = s(v, "url").map(str::to_string);
    let mut worst = s(v, "current_worst_impact")
        .or(s(v, "impact"))
        .and_then(impact);
    for list in ["affected_components", "component_impacts"] {
        for c in v.get(list).and_then(Value::as_array).into_iter().flatten() {
            let cid = s(c, "component_id").or(s(c, "id"));
            let known = cid.and_then(|i| components.get(i)).map(|c| (*c).clone());
            let comp = known.or_else(|| {
                Some(Component {
                    name: s(c, "name")?.to_string(),
                    group: s(c, "group_name").map(str::to_string),
                })
            });
            if let Some(comp) = comp {
                out.add_component(comp);
            }
            worst = worst.max(s(c, "status").or(s(c, "current_status")).and_then(impact));
        }
    }
    if maintenance || status.is_maintenance() {
        out.kind = Kind::Maintenance;
        out.impact = Some(Impact::Maintenance);
        out.scheduled_for = timestamp(None, s(v, "starts_at").or(s(v, "started_at")), warnings);
        out.scheduled_until =
            timestamp(None, s(v, "ends_at").or(s(v, "scheduled_end_at")), warnings);
    } else {
        out.impact = worst.filter(|i| *i != Impact::Maintenance);
    }
    if let Some(msg) = s(v, "last_update_message").filter(|m| !m.trim().is_empty()) {
        out.updates.push(Update {
            vendor_id: None,
            status,
            label: status.heading().into(),
            at: timestamp(
                None,
                s(v, "last_update_at").or(s(v, "updated_at")),
                warnings,
            ),
            body: msg.trim().to_string(),
        });
    }
    out.normalize();
    out
}

/// Parses the history feed. Entries begin `Status: Resolved` (in bold); that
/// word is the incident's status.
pub fn parse_feed(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let mut snap = feed::parse_feed(body, ctx)?;
    for i in &mut snap.incidents {
        let Some(word) = i.updates.iter().find_map(|u| {
            let rest = u.body.trim_start().strip_prefix("Status:")?;
            let word: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphabetic() || *c == ' ' || *c == '_')
                .collect();
            let first_two: Vec<&str> = word.split_whitespace().take(2).collect();
            Status::from_word(&first_two.join(" "))
                .or_else(|| Status::from_word(first_two.first()?))
        }) else {
            continue;
        };
        i.status = word;
        if word.is_maintenance() {
            i.kind = Kind::Maintenance;
        }
        if let Some(last) = i.updates.last_mut() {
            last.status = word;
            last.label = word.heading().into();
        }
        i.resolved_at = None;
        i.normalize();
    }
    Ok(snap)
}
