//! Statuspage wire types to the model.

use super::wire;
use crate::{json_error, timestamp, Context, ParseError};
use chrono::{DateTime, Utc};
use statuswatch_model::Warning;
use statuswatch_model::{
    Component, ComponentState, Impact, Incident, Kind, Snapshot, Status, Update,
};
use std::collections::HashMap;

/// Statuspage's component statuses.
pub(crate) fn component_status(word: &str) -> statuswatch_model::ComponentStatus {
    use statuswatch_model::ComponentStatus as C;
    match word {
        "operational" => C::Operational,
        "degraded_performance" => C::Degraded,
        "partial_outage" => C::PartialOutage,
        "major_outage" => C::MajorOutage,
        "under_maintenance" => C::Maintenance,
        _ => C::Unknown,
    }
}

/// Parses `summary.json`; remembers component groups in `ctx` for later endpoints.
pub fn parse_summary(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let summary: wire::Summary = serde_json::from_slice(body).map_err(|e| json_error(body, &e))?;
    let mut warnings = Vec::new();
    let groups: HashMap<&str, &str> = summary
        .components
        .iter()
        .filter(|c| c.group == Some(true))
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    for c in &summary.components {
        if let Some(g) = c.group_id.as_deref().and_then(|g| groups.get(g)) {
            ctx.groups.insert(c.id.clone(), g.to_string());
        }
    }
    let mut components: Vec<&wire::Component> = summary
        .components
        .iter()
        .filter(|c| c.group != Some(true))
        .collect();
    components.sort_by_key(|c| c.position.unwrap_or(i64::MAX));
    let components = components
        .into_iter()
        .map(|c| {
            let word = c.status.clone().unwrap_or_else(|| "unknown".into());
            let state = component_status(&word);
            ComponentState::new(c.name.clone(), ctx.groups.get(&c.id).cloned(), word, state)
        })
        .collect();
    let page_url = summary.page.url.as_deref();
    let incidents = summary
        .incidents
        .iter()
        .chain(&summary.scheduled_maintenances)
        .filter_map(|i| incident(i, page_url, ctx, &mut warnings))
        .collect();
    Ok(Snapshot {
        provider: summary.page.name.filter(|n| !n.trim().is_empty()),
        components,
        incidents,
        warnings,
    })
}

/// Parses `incidents.json` or `scheduled-maintenances.json`.
pub fn parse_list(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let list: wire::List = serde_json::from_slice(body).map_err(|e| json_error(body, &e))?;
    if list.incidents.is_none() && list.scheduled_maintenances.is_none() {
        return Err(ParseError::WrongShape(
            "neither `incidents` nor `scheduled_maintenances` in the answer".into(),
        ));
    }
    let mut warnings = Vec::new();
    let page_url = list.page.url.as_deref();
    let incidents = list
        .incidents
        .iter()
        .flatten()
        .chain(list.scheduled_maintenances.iter().flatten())
        .filter_map(|i| incident(i, page_url, ctx, &mut warnings))
        .collect();
    Ok(Snapshot {
        provider: list.page.name.filter(|n| !n.trim().is_empty()),
        components: Vec::new(),
        incidents,
        warnings,
    })
}

fn time(field: &str, value: Option<&str>, warnings: &mut Vec<Warning>) -> Option<DateTime<Utc>> {
    timestamp(Some(field), value, warnings)
}

fn incident(
    w: &wire::Incident,
    page_url: Option<&str>,
    ctx: &Context,
    warnings: &mut Vec<Warning>,
) -> Option<Incident> {
    let Some(status) = Status::from_word(&w.status) else {
        warnings.push(format!("incident {}: unknown status `{}`, skipped", w.id, w.status).into());
        return None;
    };
    let mut out = Incident::new(w.id.clone(), w.name.clone(), status);
    out.impact = w.impact.as_deref().and_then(Impact::parse);
    let scheduled_for = time("scheduled_for", w.scheduled_for.as_deref(), warnings);
    if scheduled_for.is_some() || out.impact == Some(Impact::Maintenance) {
        out.kind = Kind::Maintenance;
    }
    out.scheduled_for = scheduled_for;
    out.scheduled_until = time("scheduled_until", w.scheduled_until.as_deref(), warnings);
    out.resolved_at = time("resolved_at", w.resolved_at.as_deref(), warnings);
    out.started_at = time("started_at", w.started_at.as_deref(), warnings)
        .or_else(|| time("created_at", w.created_at.as_deref(), warnings));
    if out.kind == Kind::Maintenance && w.started_at.is_none() {
        out.started_at = None; // filled from the first update
    }
    out.url = page_url
        .map(|p| format!("{}/incidents/{}", p.trim_end_matches('/'), w.id))
        .or_else(|| w.shortlink.clone());

    for c in w.components.iter().flatten() {
        out.add_component(Component {
            name: c.name.clone(),
            group: ctx.groups.get(&c.id).cloned(),
        });
    }

    // The API lists updates newest first; the model wants them oldest first.
    let mut previous: Option<Status> = None;
    for u in w.incident_updates.iter().rev() {
        let Some(st) = Status::from_word(&u.status) else {
            warnings.push(
                format!(
                    "incident {}: update with unknown status `{}` kept as `Update`",
                    w.id, u.status
                )
                .into(),
            );
            continue;
        };
        // Statuspage shows "Update" for an update that did not change the status.
        let label = if previous == Some(st) {
            "Update"
        } else {
            st.heading()
        };
        previous = Some(st);
        let at = time("display_at", u.display_at.as_deref(), warnings)
            .or_else(|| time("created_at", u.created_at.as_deref(), warnings));
        out.updates.push(Update {
            vendor_id: u.id.clone(),
            status: st,
            label: label.to_string(),
            at,
            body: u.body.clone().unwrap_or_default().replace("\r\n", "\n"),
        });
        if w.components.as_ref().is_none_or(Vec::is_empty) {
            for a in u.affected_components.iter().flatten() {
                out.add_component(Component {
                    name: a.name.clone(),
                    group: a.code.as_ref().and_then(|c| ctx.groups.get(c)).cloned(),
                });
            }
        }
    }
    if out.kind == Kind::Incident && out.updates.iter().any(|u| u.status.is_maintenance()) {
        out.kind = Kind::Maintenance;
    }
    out.normalize();
    Some(out)
}
