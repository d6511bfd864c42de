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
use statuswatch_model::Warning;
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

/// The recent incidents with their updates (`/proxy/<host>/incidents`).
pub static INCIDENTS: Role = Role {
    platform: "incidentio",
    name: "incidents",
    parse: parse_incidents,
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
        Endpoint::history(
            at_path(url, &format!("/proxy/{host}/incidents")),
            &INCIDENTS,
        ),
        Endpoint::history(at_path(url, "/history.atom"), &FEED),
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

/// Where a component's name and group are kept for the other endpoints of
/// the poll (the incidents list names components by id only).
fn name_key(id: &str) -> String {
    format!("incidentio:{id}")
}

fn group_key(id: &str) -> String {
    format!("incidentio-group:{id}")
}

/// Parses the page data (`{summary: {...}}`).
pub fn parse_page(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
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
    for (id, c) in &named {
        ctx.groups.insert(name_key(id), c.name.clone());
        if let Some(g) = &c.group {
            ctx.groups.insert(group_key(id), g.clone());
        }
    }
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
    warnings: &mut Vec<Warning>,
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
    // The timeline: `updates[]` with their ids, statuses and times.
    let mut status_now = None;
    for u in v
        .get("updates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let st = s(u, "to_status").and_then(|w| match w {
            "maintenance_scheduled" => Some(Status::Scheduled),
            "maintenance_in_progress" => Some(Status::InProgress),
            "maintenance_complete" | "maintenance_completed" => Some(Status::Completed),
            w => Status::from_word(w),
        });
        let body = s(u, "message_string")
            .or_else(|| u.pointer("/message/markdown").and_then(Value::as_str))
            .unwrap_or("")
            .trim()
            .to_string();
        let at = timestamp(Some("published_at"), s(u, "published_at"), warnings);
        let st = st.unwrap_or(status);
        if status_now.is_none_or(|(t, _)| at > t) {
            status_now = Some((at, st));
        }
        out.updates.push(Update {
            vendor_id: s(u, "id").map(str::to_string),
            status: st,
            label: st.heading().into(),
            at,
            body,
        });
    }
    if out.updates.is_empty() {
        // An incident shown without its updates started when it was published.
        out.started_at = timestamp(Some("published_at"), s(v, "published_at"), warnings);
    }
    // Over, with no update saying when: the latest end of its components'
    // impacts is when incident.io says it ended.
    if out.status.is_terminal() && !out.updates.iter().any(|u| u.status.is_terminal()) {
        out.resolved_at = v
            .get("component_impacts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| timestamp(Some("component_impacts.end_at"), s(c, "end_at"), warnings))
            .max();
    }
    if let Some(msg) =
        s(v, "last_update_message").filter(|m| !m.trim().is_empty() && out.updates.is_empty())
    {
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

/// Parses the recent incidents (`{incidents: [...]}`, or one `{incident: {...}}`),
/// naming their components with what the page data of the same poll gave.
pub fn parse_incidents(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let doc: Value = json(body)?;
    let list: Vec<&Value> = match (doc.get("incidents"), doc.get("incident")) {
        (Some(Value::Array(l)), _) => l.iter().collect(),
        (_, Some(one @ Value::Object(_))) => vec![one],
        _ => {
            return Err(ParseError::WrongShape(
                "no `incidents` list: not incident.io page data".into(),
            ))
        }
    };
    let mut names: HashMap<String, Component> = HashMap::new();
    for (k, name) in &ctx.groups {
        if let Some(id) = k.strip_prefix("incidentio:") {
            names.insert(
                id.to_string(),
                Component {
                    name: name.clone(),
                    group: ctx.groups.get(&group_key(id)).cloned(),
                },
            );
        }
    }
    let by_id: HashMap<&str, &Component> = names.iter().map(|(i, c)| (i.as_str(), c)).collect();
    let mut warnings = Vec::new();
    let incidents = list
        .into_iter()
        .map(|i| {
            let maintenance = s(i, "type") == Some("maintenance");
            event(i, maintenance, &by_id, &mut warnings)
        })
        .collect();
    Ok(Snapshot {
        incidents,
        warnings,
        ..Snapshot::default()
    })
}

/// Parses the history feed. Each entry holds `Status: Resolved` (in bold), the
/// latest update's text, and the affected components with their *current*
/// states; its `<updated>` is that update's time. The feed shows no start:
/// the incident's timeline is partial (its start comes from the page data
/// when an incident is seen there, and stays unknown otherwise).
pub fn parse_feed(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let mut snap = feed::parse_feed(body, ctx)?;
    for i in &mut snap.incidents {
        let Some(u) = i.updates.pop() else { continue };
        let text = u.body.trim_start();
        let (status_line, rest) = text.split_once('\n').unwrap_or((text, ""));
        let word = status_line
            .strip_prefix("Status:")
            .map(|w| w.trim().to_string())
            .and_then(|w| {
                let w = w.replace(' ', "_").to_ascii_lowercase();
                match w.as_str() {
                    "scheduled" | "maintenance_scheduled" => Some(Status::Scheduled),
                    "in_progress" | "maintenance_in_progress" => Some(Status::InProgress),
                    "completed" | "complete" | "maintenance_complete" => Some(Status::Completed),
                    w => Status::from_word(w),
                }
            });
        let (message, components) = match rest.split_once("Affected components") {
            Some((m, list)) => (m, list),
            None => (rest, ""),
        };
        for line in components
            .lines()
            .map(|l| l.trim().trim_start_matches(['-', '•', '*']).trim())
            .filter(|l| !l.is_empty())
        {
            // `File uploads (Operational)`: the state is today's, not the incident's.
            let name = match line.rfind(" (") {
                Some(k) if line.ends_with(')') => &line[..k],
                _ => line,
            };
            i.add_component(Component {
                name: name.trim().to_string(),
                group: None,
            });
        }
        let status = word.unwrap_or(i.status);
        i.status = status;
        if status.is_maintenance() {
            i.kind = Kind::Maintenance;
        }
        i.started_at = None;
        i.resolved_at = status.is_terminal().then_some(u.at).flatten();
        i.partial = true;
        i.updates.push(Update {
            vendor_id: None,
            status,
            label: status.heading().into(),
            at: u.at,
            body: message.trim().to_string(),
        });
        i.normalize();
    }
    Ok(snap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resolved_incident_without_updates_ends_with_its_impacts() {
        let body = br#"{"incidents": [{"id": "01ABC", "name": "Elevated errors", "status": "resolved",
            "published_at": "2026-08-20T16:58:53.272Z",
            "component_impacts": [
              {"component_id": "c1", "status": "degraded_performance", "start_at": "2026-08-20T16:58:53.272Z", "end_at": "2026-08-20T17:15:51.764Z"},
              {"component_id": "c2", "status": "full_outage", "start_at": "2026-08-20T16:58:53.272Z", "end_at": "2026-08-20T17:05:00.000Z"}
            ]}]}"#;
        let snap = parse_incidents(body, &mut Context::default()).unwrap();
        let i = &snap.incidents[0];
        assert_eq!(i.status, Status::Resolved);
        assert_eq!(
            i.resolved_at.map(|t| t.to_rfc3339()),
            Some("2026-08-20T17:15:51.764+00:00".to_string())
        );
    }
}
