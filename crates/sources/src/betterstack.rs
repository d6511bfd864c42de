//! Better Stack (Better Uptime) status pages: `<page>/index.json`, one JSON:API
//! document with the page, its sections (groups), resources (components),
//! status reports (incidents and maintenances) and their status updates.
//!
//! A report is over only when its `aggregate_state` is `resolved` (resolved
//! manual reports keep `ends_at` null); a maintenance report is scheduled,
//! in progress or completed by its window.

use crate::{
    at_path, json, no_min_interval, platform::page_root, platform::probe_first, timestamp, Context,
    Endpoint, ParseError, Platform, Probe, Role, Spec,
};
use serde_json::Value;
use statuswatch_model::Warning;
use statuswatch_model::{
    Component, ComponentState, Impact, Incident, Kind, Snapshot, Status, Update,
};
use std::collections::HashMap;
use url::Url;

mod wire {
    use serde::Deserialize;
    use serde_json::Value;

    #[derive(Debug, Deserialize)]
    pub struct Document {
        pub data: Value,
        #[serde(default)]
        pub included: Vec<Resource>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Resource {
        pub id: Value,
        #[serde(rename = "type")]
        pub kind: String,
        #[serde(default)]
        pub attributes: Value,
        #[serde(default)]
        pub relationships: Value,
    }
}

/// Better Stack, in the registry.
pub static SPEC: Spec = Spec {
    name: "betterstack",
    aliases: &["better-stack", "betteruptime"],
    about: "Better Stack (Better Uptime) pages (index.json)",
    endpoints,
    probes,
    min_interval: no_min_interval,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// `index.json`.
pub static INDEX: Role = Role {
    platform: "betterstack",
    name: "index",
    parse: parse_index,
};

/// `index.json` at the page's root, on any host.
fn probes(input: &Url, _asked: bool) -> Vec<Probe> {
    probe_first(PLATFORM, page_root(input))
}

/// `index.json` on the page's host.
pub fn endpoints(url: &Url) -> Vec<Endpoint> {
    vec![Endpoint::required(at_path(url, "/index.json"), &INDEX)]
}

use crate::{id_text as id, str_at as s};

/// Better Stack's resource statuses.
fn component_status(word: &str) -> statuswatch_model::ComponentStatus {
    use statuswatch_model::ComponentStatus as C;
    match word {
        "operational" => C::Operational,
        "degraded" => C::Degraded,
        "downtime" => C::MajorOutage,
        "maintenance" => C::Maintenance,
        _ => C::Unknown,
    }
}

/// Parses `index.json` (or a list of status reports with their updates included).
pub fn parse_index(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let doc: wire::Document = json(body)?;
    // The page document has one status_page; a report list has reports in `data`.
    let mut resources: Vec<wire::Resource> = doc.included;
    let page = match doc.data {
        Value::Object(_) if s(&doc.data, "type") == Some("status_page") => Some(doc.data),
        Value::Array(items) => {
            for item in items {
                resources.push(serde_json::from_value(item).map_err(|e| {
                    ParseError::WrongShape(format!("a `data` item is not a JSON:API resource: {e}"))
                })?);
            }
            None
        }
        _ => {
            return Err(ParseError::WrongShape(
                "`data` is neither a status_page nor a list of status reports".into(),
            ))
        }
    };
    let mut warnings = Vec::new();
    let sections: HashMap<String, String> = resources
        .iter()
        .filter(|r| r.kind == "status_page_section")
        .filter_map(|r| Some((id(&r.id), s(&r.attributes, "name")?.to_string())))
        .collect();
    let mut components = Vec::new();
    let mut names: HashMap<String, Component> = HashMap::new();
    for r in resources
        .iter()
        .filter(|r| r.kind == "status_page_resource")
    {
        let a = &r.attributes;
        let Some(name) = s(a, "public_name") else {
            continue;
        };
        let group = a
            .get("status_page_section_id")
            .map(id)
            .and_then(|sid| sections.get(&sid).cloned())
            .filter(|g| !g.trim().is_empty());
        names.insert(
            id(&r.id),
            Component {
                name: name.to_string(),
                group: group.clone(),
            },
        );
        let status = s(a, "status").unwrap_or("unknown");
        if status != "not_monitored" {
            components.push(ComponentState::new(
                name,
                group,
                status,
                component_status(status),
            ));
        }
    }
    let updates: HashMap<String, &wire::Resource> = resources
        .iter()
        .filter(|r| r.kind == "status_update")
        .map(|r| (id(&r.id), r))
        .collect();
    let mut incidents = Vec::new();
    for r in resources.iter().filter(|r| r.kind == "status_report") {
        incidents.push(report(r, &updates, &names, ctx, &mut warnings));
    }
    let provider = page
        .as_ref()
        .and_then(|p| s(p.get("attributes")?, "company_name"))
        .map(str::to_string);
    Ok(Snapshot {
        provider,
        components,
        incidents,
        warnings,
    })
}

fn state_impact(state: &str) -> Option<Impact> {
    match state {
        "degraded" => Some(Impact::Minor),
        "downtime" => Some(Impact::Major),
        "maintenance" => Some(Impact::Maintenance),
        _ => None,
    }
}

fn report(
    r: &wire::Resource,
    updates: &HashMap<String, &wire::Resource>,
    names: &HashMap<String, Component>,
    ctx: &Context,
    warnings: &mut Vec<Warning>,
) -> Incident {
    let a = &r.attributes;
    let maintenance = s(a, "report_type") == Some("maintenance");
    let state = s(a, "aggregate_state").unwrap_or("");
    let starts = timestamp(Some("starts_at"), s(a, "starts_at"), warnings);
    let ends = timestamp(Some("ends_at"), s(a, "ends_at"), warnings);
    let status = match (maintenance, state) {
        (false, "resolved") => Status::Resolved,
        (false, _) => Status::Investigating,
        (true, "resolved") => Status::Completed,
        (true, _) if ends.is_some_and(|e| e <= ctx.now) => Status::Completed,
        (true, _) if starts.is_some_and(|t| t > ctx.now) => Status::Scheduled,
        (true, _) => Status::InProgress,
    };
    let title = s(a, "title").unwrap_or("").trim().to_string();
    let mut out = Incident::new(id(&r.id), title, status);
    let affected = |v: &Value| -> Vec<(String, String)> {
        v.get("affected_resources")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|x| {
                        Some((
                            id(x.get("status_page_resource_id")?),
                            s(x, "status").unwrap_or("").to_string(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut worst: Option<Impact> = state_impact(state);
    let mut all_affected = affected(a);
    let mut timeline = Vec::new();
    let update_ids: Vec<String> = r
        .relationships
        .pointer("/status_updates/data")
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(|x| x.get("id").map(id)).collect())
        .unwrap_or_default();
    for uid in &update_ids {
        let Some(u) = updates.get(uid) else { continue };
        let ua = &u.attributes;
        all_affected.extend(affected(ua));
        timeline.push(Update {
            vendor_id: Some(uid.clone()),
            status: Status::Investigating,
            label: "Update".into(),
            at: timestamp(Some("published_at"), s(ua, "published_at"), warnings),
            body: s(ua, "message").unwrap_or("").trim().to_string(),
        });
    }
    for (rid, st) in &all_affected {
        worst = worst.max(state_impact(st));
        match names.get(rid) {
            Some(c) => out.add_component(c.clone()),
            None if !names.is_empty() => {
                warnings.push(format!("report {}: unknown resource {rid}", id(&r.id)).into())
            }
            None => {}
        }
    }
    out.impact = if maintenance {
        Some(Impact::Maintenance)
    } else {
        worst.filter(|i| *i != Impact::Maintenance)
    };
    if maintenance {
        out.kind = Kind::Maintenance;
        out.scheduled_for = starts;
        out.scheduled_until = ends;
        // A maintenance starts when its window does, whatever its first update says.
        out.started_at = starts;
    } else {
        out.started_at = starts;
    }
    // Updates carry no status of their own: the last one carries the report's.
    timeline.sort_by_key(|u| u.at);
    let ongoing = if maintenance {
        Status::Scheduled
    } else {
        Status::Investigating
    };
    let n = timeline.len();
    for (k, u) in timeline.iter_mut().enumerate() {
        u.status = if k + 1 == n { status } else { ongoing };
        if k + 1 == n && status.is_terminal() {
            u.label = status.heading().into();
        }
    }
    out.updates = timeline;
    out.normalize();
    if status.is_terminal() && out.resolved_at.is_none() {
        out.resolved_at = ends;
    }
    out
}
