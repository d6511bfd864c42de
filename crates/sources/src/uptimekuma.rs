//! Uptime Kuma status pages, self-hosted (`https://host/status/<slug>`):
//! `/api/status-page/<slug>` (the page, its monitors by group, its pinned
//! incident and the maintenances under way) and
//! `/api/status-page/heartbeat/<slug>` (each monitor's recent heartbeats:
//! 0 down, 1 up, 2 pending, 3 maintenance), as Kuma's
//! `server/routers/status-page-router.js` answers them.
//!
//! Kuma's incident is a message an operator pins (1.x: one, `incident`;
//! 2.x: a list, `incidents`); unpinning it states nothing, so an incident
//! read here is never resolved by its absence and Kuma never says it ended.
//! Its times carry no offset: UTC, or the zone the source URL names
//! (`#tz=Europe/Berlin`).

use crate::{
    at_path, json, platform::probe_first, Context, Endpoint, ParseError, Platform, Probe, Role,
    Spec,
};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::Deserialize;
use serde_json::Value;
use statuswatch_model::{
    ComponentState, ComponentStatus, Impact, Incident, Kind, Snapshot, Status, Update, Warning,
};
use url::Url;

/// Uptime Kuma, in the registry.
pub static SPEC: Spec = Spec {
    name: "uptimekuma",
    aliases: &["uptime-kuma", "kuma"],
    about: "Uptime Kuma status pages (/api/status-page/<slug> and its heartbeats)",
    endpoints,
    probes,
    min_interval: crate::one_per_second,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// `/api/status-page/<slug>`.
pub static PAGE: Role = Role {
    platform: "uptimekuma",
    name: "page",
    parse: parse_page,
};

/// `/api/status-page/heartbeat/<slug>`.
pub static HEARTBEATS: Role = Role {
    platform: "uptimekuma",
    name: "heartbeats",
    parse: parse_heartbeats,
};

/// The page's slug: `/status/<slug>` or `/api/status-page[/heartbeat]/<slug>`.
fn slug(url: &Url) -> Option<String> {
    let parts: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let s = match parts.as_slice() {
        ["status", slug, ..] => slug,
        ["api", "status-page", "heartbeat", slug, ..] => slug,
        ["api", "status-page", slug, ..] => slug,
        _ => return None,
    };
    Some(s.to_ascii_lowercase())
}

/// A page's address (`/status/<slug>`), on any host.
fn probes(input: &Url, _asked: bool) -> Vec<Probe> {
    match slug(input) {
        Some(s) => probe_first(PLATFORM, at_path(input, &format!("/status/{s}"))),
        None => Vec::new(),
    }
}

/// The page, then its heartbeats (a monitor's state).
pub fn endpoints(url: &Url) -> Vec<Endpoint> {
    let s = slug(url).unwrap_or_else(|| "default".into());
    let mut page = at_path(url, &format!("/api/status-page/{s}"));
    let mut beats = at_path(url, &format!("/api/status-page/heartbeat/{s}"));
    // The zone the times are in is the source's, not the endpoints'.
    page.set_fragment(None);
    beats.set_fragment(None);
    vec![
        Endpoint::required(page, &PAGE),
        Endpoint::optional(beats, &HEARTBEATS),
    ]
}

#[derive(Debug, Deserialize)]
struct PageData {
    config: Config,
    #[serde(default)]
    incident: Option<KumaIncident>,
    #[serde(default)]
    incidents: Vec<KumaIncident>,
    #[serde(rename = "publicGroupList")]
    groups: Vec<Group>,
    #[serde(rename = "maintenanceList", default)]
    maintenances: Vec<Maintenance>,
}

#[derive(Debug, Deserialize)]
struct Config {
    slug: String,
    #[serde(default)]
    title: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Group {
    name: String,
    #[serde(rename = "monitorList", default)]
    monitors: Vec<Monitor>,
}

#[derive(Debug, Deserialize)]
struct Monitor {
    id: Value,
    name: String,
}

#[derive(Debug, Deserialize)]
struct KumaIncident {
    id: Value,
    #[serde(default)]
    style: Option<String>,
    title: String,
    #[serde(default)]
    content: Option<String>,
    #[serde(rename = "createdDate", default)]
    created: Option<String>,
    #[serde(rename = "lastUpdatedDate", default)]
    updated: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Maintenance {
    id: Value,
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(rename = "timeslotList", default)]
    timeslots: Vec<Timeslot>,
}

#[derive(Debug, Deserialize)]
struct Timeslot {
    #[serde(rename = "startDate", default)]
    start: Option<String>,
    #[serde(rename = "endDate", default)]
    end: Option<String>,
}

fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// Kuma's `YYYY-MM-DD HH:mm:ss[.SSS]` (no offset) in `zone`, or RFC 3339.
fn kuma_time(
    field: &str,
    value: Option<&str>,
    zone: Option<chrono_tz::Tz>,
    warnings: &mut Vec<Warning>,
) -> Option<DateTime<Utc>> {
    let v = value.map(str::trim).filter(|v| !v.is_empty())?;
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Some(t.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(v, f) {
            return match zone {
                Some(z) => z
                    .from_local_datetime(&local)
                    .earliest()
                    .map(|t| t.with_timezone(&Utc)),
                None => Some(local.and_utc()),
            };
        }
    }
    warnings.push(crate::unreadable_date(
        Some(field),
        v,
        &"not a date Uptime Kuma writes",
    ));
    None
}

fn incident(
    i: &KumaIncident,
    zone: Option<chrono_tz::Tz>,
    w: &mut Vec<Warning>,
) -> Option<Incident> {
    let id = id_text(&i.id)?;
    let mut out = Incident::new(
        format!("incident-{id}"),
        i.title.trim(),
        Status::Investigating,
    );
    out.impact = Some(match i.style.as_deref() {
        Some("danger") => Impact::Major,
        Some("warning") => Impact::Minor,
        _ => Impact::None,
    });
    let created = kuma_time("createdDate", i.created.as_deref(), zone, w);
    let edited = kuma_time("lastUpdatedDate", i.updated.as_deref(), zone, w);
    let text = i.content.clone().unwrap_or_default().trim().to_string();
    out.started_at = created;
    out.updates.push(Update {
        vendor_id: None,
        status: Status::Investigating,
        label: "Incident".into(),
        at: created,
        body: text.clone(),
    });
    // Kuma keeps one text, edited in place: an edit is an update.
    if let Some(at) = edited.filter(|t| created.is_some_and(|c| t > &c)) {
        out.updates.push(Update {
            vendor_id: None,
            status: Status::Investigating,
            label: "Updated".into(),
            at: Some(at),
            body: text,
        });
    }
    out.normalize();
    Some(out)
}

fn maintenance(
    m: &Maintenance,
    zone: Option<chrono_tz::Tz>,
    w: &mut Vec<Warning>,
) -> Option<Incident> {
    let id = id_text(&m.id)?;
    let status = match m.status.as_deref() {
        Some("scheduled") => Status::Scheduled,
        Some("ended") => Status::Completed,
        // Kuma lists a maintenance on its page while it is under way.
        _ => Status::InProgress,
    };
    let mut out = Incident::new(format!("maintenance-{id}"), m.title.trim(), status);
    out.kind = Kind::Maintenance;
    out.impact = Some(Impact::Maintenance);
    if let Some(slot) = m.timeslots.first() {
        out.scheduled_for = kuma_time("startDate", slot.start.as_deref(), zone, w);
        out.scheduled_until = kuma_time("endDate", slot.end.as_deref(), zone, w);
    }
    out.updates.push(Update {
        vendor_id: None,
        status,
        label: status.heading().into(),
        at: out.scheduled_for,
        body: m.description.clone().unwrap_or_default().trim().to_string(),
    });
    out.normalize();
    Some(out)
}

/// Parses `/api/status-page/<slug>`: monitors (their state comes with the
/// heartbeats), the pinned incidents, the maintenances under way.
pub fn parse_page(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let doc: PageData = json(body)?;
    if doc.config.slug.trim().is_empty() {
        return Err(ParseError::WrongShape(
            "`config.slug` is empty: not Uptime Kuma".into(),
        ));
    }
    let mut warnings = Vec::new();
    let mut components = Vec::new();
    ctx.names.clear();
    for g in &doc.groups {
        for m in &g.monitors {
            let group = Some(g.name.trim().to_string()).filter(|n| !n.is_empty());
            if let Some(id) = id_text(&m.id) {
                ctx.names.push((id.clone(), m.name.trim().to_string()));
                if let Some(g) = &group {
                    ctx.groups.insert(id, g.clone());
                }
            }
            components.push(ComponentState::new(
                m.name.trim(),
                group,
                "unknown",
                ComponentStatus::Unknown,
            ));
        }
    }
    let mut incidents: Vec<Incident> = doc
        .incident
        .iter()
        .chain(&doc.incidents)
        .filter_map(|i| incident(i, ctx.zone, &mut warnings))
        .collect();
    incidents.dedup_by(|a, b| a.vendor_id == b.vendor_id);
    incidents.extend(
        doc.maintenances
            .iter()
            .filter_map(|m| maintenance(m, ctx.zone, &mut warnings)),
    );
    Ok(Snapshot {
        provider: doc
            .config
            .title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        components,
        incidents,
        warnings,
    })
}

/// Parses `/api/status-page/heartbeat/<slug>`: each monitor's latest beat
/// is its state (monitors named by the page's answer of the same poll).
pub fn parse_heartbeats(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let doc: Value = json(body)?;
    let list = doc
        .get("heartbeatList")
        .and_then(Value::as_object)
        .ok_or_else(|| ParseError::WrongShape("no `heartbeatList`: not Uptime Kuma".into()))?;
    let mut components = Vec::new();
    for (id, name) in &ctx.names {
        let last = list
            .get(id)
            .and_then(Value::as_array)
            .and_then(|beats| beats.iter().rev().find_map(|b| b.get("status")?.as_i64()));
        let (word, state) = match last {
            Some(0) => ("down", ComponentStatus::MajorOutage),
            Some(1) => ("up", ComponentStatus::Operational),
            Some(2) => ("pending", ComponentStatus::Degraded),
            Some(3) => ("maintenance", ComponentStatus::Maintenance),
            _ => ("unknown", ComponentStatus::Unknown),
        };
        components.push(ComponentState::new(
            name.clone(),
            ctx.groups.get(id).cloned(),
            word,
            state,
        ));
    }
    Ok(Snapshot {
        components,
        ..Snapshot::default()
    })
}
