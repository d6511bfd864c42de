//! Google Cloud incidents to the model.
//!
//! Severity is the impact (low: minor, medium: major, high: critical).
//! Products and locations are the components (locations in the group
//! `Locations`). Updates name a service state, not a lifecycle step:
//! `AVAILABLE` is the recovery; a later update whose text is an incident
//! report is the postmortem; the others keep the incident under investigation.

use super::wire;
use crate::{json_error, timestamp, Context, ParseError};
use chrono::{DateTime, Utc};
use statuswatch_model::Warning;
use statuswatch_model::{Component, Impact, Incident, Snapshot, Status, Update};

/// Parses Google Cloud's `incidents.json`.
pub fn parse_incidents(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    parse_dashboard(body, ctx, &super::DASHBOARDS[0])
}

/// Parses the `incidents.json` of one of Google's dashboards: the same
/// schema; its provider's name and its incidents' links are the dashboard's.
pub fn parse_dashboard(
    body: &[u8],
    _ctx: &mut Context,
    dashboard: &super::Dashboard,
) -> Result<Snapshot, ParseError> {
    let list: Vec<wire::Incident> =
        serde_json::from_slice(body).map_err(|e| json_error(body, &e))?;
    let mut warnings = Vec::new();
    let page = format!("https://{}{}", dashboard.host, dashboard.root);
    let incidents = list
        .iter()
        .map(|w| incident(w, &page, &mut warnings))
        .collect();
    Ok(Snapshot {
        provider: Some(dashboard.provider.into()),
        components: Vec::new(),
        incidents,
        warnings,
    })
}

fn time(v: Option<&str>, warnings: &mut Vec<Warning>) -> Option<DateTime<Utc>> {
    timestamp(None, v, warnings)
}

/// `SERVICE_DISRUPTION` -> `Service disruption`.
fn heading(status: &str) -> String {
    let words = status.to_ascii_lowercase().replace('_', " ");
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => "Update".into(),
    }
}

fn incident(w: &wire::Incident, page: &str, warnings: &mut Vec<Warning>) -> Incident {
    let mut out = Incident::new(w.id.clone(), w.external_desc.trim(), Status::Investigating);
    out.impact = match w.severity.as_deref() {
        Some("low") => Some(Impact::Minor),
        Some("medium") => Some(Impact::Major),
        Some("high") => Some(Impact::Critical),
        _ => None,
    };
    out.started_at = time(w.begin.as_deref(), warnings);
    out.url = w
        .uri
        .as_ref()
        .map(|u| format!("{page}{}", u.trim_start_matches('/')));
    for p in &w.affected_products {
        out.add_component(Component {
            name: p.title.clone(),
            group: None,
        });
    }
    for l in w
        .previously_affected_locations
        .iter()
        .chain(&w.currently_affected_locations)
    {
        out.add_component(Component {
            name: l.title.clone(),
            group: Some("Locations".into()),
        });
    }
    let mut status = Status::Investigating;
    for u in w.updates.iter().rev() {
        let raw = u.status.as_deref().unwrap_or("");
        let report = u.text.contains("Incident Report");
        status = match (raw, status) {
            ("AVAILABLE", s) if s.is_terminal() && report => Status::Postmortem,
            ("AVAILABLE", s) if s.is_terminal() => s,
            ("AVAILABLE", _) => Status::Resolved,
            (_, s) if s.is_terminal() => s, // a note after recovery
            _ => Status::Investigating,
        };
        out.updates.push(Update {
            vendor_id: None,
            status,
            label: if status == Status::Postmortem && report {
                "Incident report".into()
            } else {
                heading(raw)
            },
            at: time(u.created.as_deref().or(u.when.as_deref()), warnings),
            body: u.text.trim().to_string(),
        });
    }
    let end = time(w.end.as_deref(), warnings);
    out.status = match (end, status) {
        (Some(_), s) if s.is_terminal() => s,
        (Some(_), _) => Status::Resolved,
        (None, s) => s,
    };
    out.resolved_at = end.filter(|_| out.status.is_terminal());
    out.normalize();
    out
}
