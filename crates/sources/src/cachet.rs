//! Cachet, self-hosted. The 2.x API lives under `/api/v1/` (`components`,
//! `incidents` with their `updates`, `schedules` for maintenance since 2.4);
//! the 3.x API under `/api/` is JSON:API (`components`, `incidents?include=updates`).
//! The source URL ends in `/api/v1/` or `/api/` and so names the version.
//!
//! Cachet's times carry no offset: they are in the installation's zone, given
//! as `#tz=Europe/Berlin` on the source URL (UTC otherwise). An incident's own
//! `status` is what it was created with; its current state is `latest_status`
//! (2.x) or `status` (3.x). Status codes: 0 scheduled (2.x before schedules)
//! or unknown, 1 investigating, 2 identified, 3 watching, 4 fixed.

use crate::{
    at_path, json, platform::page_root, Context, Endpoint, ParseError, Platform, Probe, Role, Spec,
};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;
use statuswatch_model::Warning;
use statuswatch_model::{
    Component, ComponentState, Impact, Incident, Kind, Snapshot, Status, Update,
};
use url::Url;

/// Cachet, in the registry.
pub static SPEC: Spec = Spec {
    name: "cachet",
    aliases: &[],
    about: "Cachet, self-hosted: the 2.x API (/api/v1/) or the 3.x API (/api/)",
    endpoints,
    probes,
    min_interval: crate::one_per_second,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// 2.x `/api/v1/components`.
pub static COMPONENTS_V2: Role = Role {
    platform: "cachet",
    name: "v2-components",
    parse: parse_components,
};

/// 2.x `/api/v1/incidents`.
pub static INCIDENTS_V2: Role = Role {
    platform: "cachet",
    name: "v2-incidents",
    parse: parse_incidents_v2,
};

/// 2.x `/api/v1/schedules`.
pub static SCHEDULES_V2: Role = Role {
    platform: "cachet",
    name: "v2-schedules",
    parse: parse_schedules_v2,
};

/// 3.x `/api/components`.
pub static COMPONENTS_V3: Role = Role {
    platform: "cachet",
    name: "v3-components",
    parse: parse_components,
};

/// 3.x `/api/incidents`.
pub static INCIDENTS_V3: Role = Role {
    platform: "cachet",
    name: "v3-incidents",
    parse: parse_incidents_v3,
};

/// The components of the 2.x API, then of the 3.x API, under the pasted
/// API path or the page's root.
fn probes(input: &Url, _asked: bool) -> Vec<Probe> {
    let base = page_root(input);
    [("/api/v1/", &COMPONENTS_V2), ("/api/", &COMPONENTS_V3)]
        .into_iter()
        .map(|(api, role)| {
            let prefix = if input.path().contains("/api") {
                version(input).1
            } else {
                base.path().trim_end_matches('/').to_string()
            };
            let source = at_path(&base, &format!("{prefix}{api}"));
            let url = endpoints(&source).swap_remove(0).url;
            Probe {
                url,
                role,
                platform: PLATFORM,
                source_url: source,
            }
        })
        .collect()
}

/// Which API a source URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `/api/v1/`.
    V2,
    /// `/api/`.
    V3,
}

/// The API version and the path prefix before `/api`.
pub fn version(url: &Url) -> (Version, String) {
    let path = url.path();
    if let Some(i) = path.find("/api/v1") {
        (Version::V2, path[..i].to_string())
    } else if let Some(i) = path.find("/api") {
        (Version::V3, path[..i].to_string())
    } else {
        (Version::V2, path.trim_end_matches('/').to_string())
    }
}

/// Components, then incidents (and, for 2.x, schedules).
pub fn endpoints(url: &Url) -> Vec<Endpoint> {
    let (v, prefix) = version(url);
    let at = |path: &str, query: &str| {
        let mut u = at_path(url, &format!("{prefix}{path}"));
        u.set_query(Some(query));
        u
    };
    match v {
        Version::V2 => vec![
            Endpoint::required(at("/api/v1/components", "per_page=100"), &COMPONENTS_V2),
            Endpoint::optional(
                at("/api/v1/incidents", "sort=id&order=desc&per_page=50"),
                &INCIDENTS_V2,
            ),
            Endpoint::history(at("/api/v1/schedules", "per_page=50"), &SCHEDULES_V2),
        ],
        Version::V3 => vec![
            Endpoint::required(at("/api/components", "per_page=100"), &COMPONENTS_V3),
            Endpoint::optional(
                at("/api/incidents", "include=updates&sort=-id&per_page=50"),
                &INCIDENTS_V3,
            ),
        ],
    }
}

/// A Cachet time: `YYYY-MM-DD HH:MM:SS` in the installation's zone, or RFC 3339.
fn time(v: Option<&Value>, ctx: &Context, warnings: &mut Vec<Warning>) -> Option<DateTime<Utc>> {
    // 3.x wraps times as {human, string}.
    let v = match v? {
        Value::Object(o) => o.get("string")?,
        v => v,
    };
    let s = v.as_str()?.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    match NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S") {
        Ok(n) => match ctx.zone {
            Some(z) => z
                .from_local_datetime(&n)
                .earliest()
                .map(|t| t.with_timezone(&Utc)),
            None => Some(Utc.from_utc_datetime(&n)),
        },
        Err(e) => {
            warnings.push(crate::unreadable_date(None, s, &e));
            None
        }
    }
}

fn int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        // 3.x: {human, value}
        Value::Object(o) => int(o.get("value")),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

fn text(v: Option<&Value>) -> String {
    v.and_then(Value::as_str).unwrap_or("").trim().to_string()
}

fn id(v: Option<&Value>) -> Option<String> {
    // An empty id keys nothing: the same as none.
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The `data` list of a Cachet answer, and its `included` list (3.x; empty otherwise).
fn data(body: &[u8]) -> Result<(Vec<Value>, Vec<Value>), ParseError> {
    let mut doc: Value = json(body)?;
    let included = match doc.get_mut("included").map(Value::take) {
        Some(Value::Array(list)) => list,
        _ => Vec::new(),
    };
    match doc.get_mut("data").map(Value::take) {
        Some(Value::Array(items)) => Ok((items, included)),
        _ => Err(ParseError::WrongShape(
            "no `data` list: not a Cachet answer".into(),
        )),
    }
}

/// 3.x items keep their fields in `attributes`; 2.x items are flat.
fn attrs(item: &Value) -> &Value {
    item.get("attributes").unwrap_or(item)
}

fn incident_status(code: Option<i64>) -> Status {
    match code {
        Some(2) => Status::Identified,
        Some(3) => Status::Monitoring,
        Some(4) => Status::Resolved,
        _ => Status::Investigating,
    }
}

fn component_status(code: Option<i64>) -> &'static str {
    match code {
        Some(1) => "operational",
        Some(2) => "performance_issues",
        Some(3) => "partial_outage",
        Some(4) => "major_outage",
        Some(6) => "under_maintenance",
        _ => "unknown",
    }
}

fn component_state(code: Option<i64>) -> statuswatch_model::ComponentStatus {
    use statuswatch_model::ComponentStatus as C;
    match code {
        Some(1) => C::Operational,
        Some(2) => C::Degraded,
        Some(3) => C::PartialOutage,
        Some(4) => C::MajorOutage,
        Some(6) => C::Maintenance,
        _ => C::Unknown,
    }
}

fn component_impact(code: Option<i64>) -> Option<Impact> {
    match code {
        Some(2) => Some(Impact::Minor),
        Some(3) => Some(Impact::Major),
        Some(4) => Some(Impact::Critical),
        _ => None,
    }
}

/// Parses a components list (2.x or 3.x); names are remembered by id for
/// the incidents that name components by id.
pub fn parse_components(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let (items, _) = data(body)?;
    let mut components = Vec::new();
    for item in &items {
        let a = attrs(item);
        let name = text(a.get("name"));
        if name.is_empty() || a.get("enabled") == Some(&Value::Bool(false)) {
            continue;
        }
        if let Some(cid) = id(item.get("id")).or_else(|| id(a.get("id"))) {
            ctx.groups
                .insert(format!("cachet-component:{cid}"), name.clone());
        }
        let code = int(a.get("status"));
        components.push(ComponentState::new(
            name,
            None,
            component_status(code),
            component_state(code),
        ));
    }
    Ok(Snapshot {
        components,
        ..Snapshot::default()
    })
}

fn component_named(ctx: &Context, cid: &str) -> Option<Component> {
    ctx.groups
        .get(&format!("cachet-component:{cid}"))
        .map(|n| Component {
            name: n.clone(),
            group: None,
        })
}

/// Parses 2.x `incidents` (each with its `updates`).
pub fn parse_incidents_v2(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let (items, _) = data(body)?;
    let mut warnings = Vec::new();
    let mut incidents = Vec::new();
    for a in &items {
        let Some(iid) = id(a.get("id")) else {
            warnings.push("an incident without an id".into());
            continue;
        };
        let created = int(a.get("status"));
        let scheduled = created == Some(0) && a.get("scheduled_at").is_some_and(|v| !v.is_null());
        let latest = int(a.get("latest_status")).or(created);
        let resolved =
            a.get("is_resolved").and_then(Value::as_bool) == Some(true) || latest == Some(4);
        let status = if scheduled {
            if resolved {
                Status::Completed
            } else {
                Status::Scheduled
            }
        } else if resolved {
            Status::Resolved
        } else {
            incident_status(latest)
        };
        let mut out = Incident::new(iid.clone(), text(a.get("name")), status);
        out.url = a
            .get("permalink")
            .and_then(Value::as_str)
            .map(str::to_string);
        if scheduled {
            out.kind = Kind::Maintenance;
            out.impact = Some(Impact::Maintenance);
            out.scheduled_for = time(a.get("scheduled_at"), ctx, &mut warnings);
        }
        if let Some(c) = id(a.get("component_id"))
            .filter(|c| c != "0")
            .and_then(|c| component_named(ctx, &c))
        {
            out.add_component(c);
        }
        let opened = time(a.get("occurred_at"), ctx, &mut warnings)
            .or_else(|| time(a.get("created_at"), ctx, &mut warnings));
        let first_status = if scheduled {
            Status::Scheduled
        } else {
            incident_status(created)
        };
        out.updates.push(Update {
            vendor_id: Some(format!("incident-{iid}")),
            status: first_status,
            label: first_status.heading().into(),
            at: opened,
            body: text(a.get("message")),
        });
        for u in a
            .get("updates")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let st = incident_status(int(u.get("status")));
            let st = if scheduled && st == Status::Resolved {
                Status::Completed
            } else {
                st
            };
            out.updates.push(Update {
                vendor_id: id(u.get("id")),
                status: st,
                label: u
                    .get("human_status")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| st.heading().into()),
                at: time(u.get("created_at"), ctx, &mut warnings),
                body: text(u.get("message")),
            });
        }
        out.normalize();
        incidents.push(out);
    }
    Ok(Snapshot {
        incidents,
        warnings,
        ..Snapshot::default()
    })
}

/// Parses 2.x `schedules` (maintenance windows, 2.4 and later).
pub fn parse_schedules_v2(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let (items, _) = data(body)?;
    let mut warnings = Vec::new();
    let mut incidents = Vec::new();
    for a in &items {
        let Some(sid) = id(a.get("id")) else { continue };
        let status = match int(a.get("status")) {
            Some(1) => Status::InProgress,
            Some(2) => Status::Completed,
            _ => Status::Scheduled,
        };
        let mut out = Incident::new(format!("schedule-{sid}"), text(a.get("name")), status);
        out.kind = Kind::Maintenance;
        out.impact = Some(Impact::Maintenance);
        out.scheduled_for = time(a.get("scheduled_at"), ctx, &mut warnings);
        out.scheduled_until = time(a.get("completed_at"), ctx, &mut warnings);
        out.updates.push(Update {
            vendor_id: Some(format!("schedule-{sid}")),
            status,
            label: status.heading().into(),
            at: time(a.get("updated_at"), ctx, &mut warnings)
                .or_else(|| time(a.get("created_at"), ctx, &mut warnings)),
            body: text(a.get("message")),
        });
        out.normalize();
        if status == Status::Completed {
            out.resolved_at = out.scheduled_until.or(out.resolved_at);
        }
        incidents.push(out);
    }
    Ok(Snapshot {
        incidents,
        warnings,
        ..Snapshot::default()
    })
}

/// Parses 3.x `incidents?include=updates` (JSON:API).
pub fn parse_incidents_v3(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let (items, included) = data(body)?;
    let mut warnings = Vec::new();
    let mut incidents = Vec::new();
    for item in &items {
        let a = attrs(item);
        let Some(iid) = id(item.get("id")).or_else(|| id(a.get("id"))) else {
            continue;
        };
        let status = incident_status(int(a.get("status")));
        let mut out = Incident::new(iid.clone(), text(a.get("name")), status);
        let opened = time(a.get("occurred"), ctx, &mut warnings)
            .or_else(|| time(a.get("created"), ctx, &mut warnings));
        out.updates.push(Update {
            vendor_id: Some(format!("incident-{iid}")),
            status: Status::Investigating,
            label: "Reported".into(),
            at: opened,
            body: text(a.get("message")),
        });
        let rel_ids = |name: &str| -> Vec<String> {
            item.pointer(&format!("/relationships/{name}/data"))
                .and_then(Value::as_array)
                .map(|l| l.iter().filter_map(|x| id(x.get("id"))).collect())
                .unwrap_or_default()
        };
        for cid in rel_ids("components") {
            if let Some(c) = component_named(ctx, &cid) {
                out.add_component(c);
            }
        }
        let mut worst = None;
        for c in item
            .pointer("/relationships/components/data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            worst = worst.max(component_impact(int(c.pointer("/meta/component_status"))));
        }
        out.impact = worst;
        let update_ids = rel_ids("updates");
        let mut last = Status::Investigating;
        for u in included.iter().filter(|u| {
            u.get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.to_ascii_lowercase().contains("update"))
                && id(u.get("id")).is_some_and(|x| update_ids.contains(&x))
        }) {
            let ua = attrs(u);
            last = int(ua.get("status"))
                .map(|c| incident_status(Some(c)))
                .unwrap_or(last);
            out.updates.push(Update {
                vendor_id: id(u.get("id")),
                status: last,
                label: last.heading().into(),
                at: time(ua.get("created"), ctx, &mut warnings),
                body: text(ua.get("message")),
            });
        }
        out.normalize();
        incidents.push(out);
    }
    Ok(Snapshot {
        incidents,
        warnings,
        ..Snapshot::default()
    })
}
