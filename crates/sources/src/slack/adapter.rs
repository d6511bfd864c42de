//! Slack status items to the model.
//!
//! `type` gives the impact (outage: major, incident: minor, notice: none);
//! `services` are the components; each note is an update. Slack's notes have
//! no headings, so each is labelled `Update`; the last note of a resolved item
//! carries the resolution.

use super::wire;
use crate::{json_error, timestamp, Context, ParseError};
use chrono::{DateTime, Utc};
use statuswatch_extract::html_to_text;
use statuswatch_model::Warning;
use statuswatch_model::{Component, Impact, Incident, Kind, Snapshot, Status, Update};

/// Parses `history` (an array of items).
pub fn parse_history(body: &[u8], _ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let items: Vec<wire::Incident> =
        serde_json::from_slice(body).map_err(|e| json_error(body, &e))?;
    Ok(snapshot(&items))
}

/// Parses `current` (`{status, active_incidents}`).
pub fn parse_current(body: &[u8], _ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let current: wire::Current = serde_json::from_slice(body).map_err(|e| json_error(body, &e))?;
    let mut s = snapshot(&current.active_incidents);
    // The overall state, so an all-clear answer is not an empty one.
    let state = match current.status.as_str() {
        "ok" => statuswatch_model::ComponentStatus::Operational,
        "active" => statuswatch_model::ComponentStatus::Degraded,
        _ => statuswatch_model::ComponentStatus::Unknown,
    };
    s.components.push(statuswatch_model::ComponentState::new(
        "Slack",
        None,
        current.status,
        state,
    ));
    Ok(s)
}

fn snapshot(items: &[wire::Incident]) -> Snapshot {
    let mut warnings = Vec::new();
    let incidents = items.iter().map(|i| incident(i, &mut warnings)).collect();
    Snapshot {
        provider: Some("Slack".into()),
        components: Vec::new(),
        incidents,
        warnings,
    }
}

fn time(v: Option<&str>, warnings: &mut Vec<Warning>) -> Option<DateTime<Utc>> {
    timestamp(None, v, warnings)
}

fn incident(w: &wire::Incident, warnings: &mut Vec<Warning>) -> Incident {
    let raw_status = w.status.as_deref().unwrap_or("active");
    let status = match raw_status {
        "resolved" => Status::Resolved,
        "scheduled" => Status::Scheduled,
        "completed" => Status::Completed,
        "cancelled" => Status::Completed,
        _ => Status::Investigating,
    };
    let mut out = Incident::new(w.id.key(), w.title.trim(), status);
    let kind = w.kind.as_deref().unwrap_or("incident");
    out.impact = match kind {
        "outage" => Some(Impact::Major),
        "incident" => Some(Impact::Minor),
        "notice" => Some(Impact::None),
        "maintenance" => Some(Impact::Maintenance),
        _ => None,
    };
    if kind == "maintenance" || status.is_maintenance() {
        out.kind = Kind::Maintenance;
    }
    out.url = w.url.clone();
    out.started_at = time(w.date_created.as_deref(), warnings);
    for s in &w.services {
        out.add_component(Component {
            name: s.clone(),
            group: None,
        });
    }
    let n = w.notes.len();
    let ongoing = if out.kind == Kind::Maintenance {
        Status::Scheduled
    } else {
        Status::Investigating
    };
    for (k, note) in w.notes.iter().enumerate() {
        let last = k + 1 == n;
        out.updates.push(Update {
            vendor_id: None,
            status: if last { status } else { ongoing },
            label: "Update".into(),
            at: time(note.date_created.as_deref(), warnings),
            body: html_to_text(&note.body),
        });
    }
    out.normalize();
    if status.is_terminal() && out.resolved_at.is_none() {
        out.resolved_at = time(w.date_updated.as_deref(), warnings);
    }
    out
}
