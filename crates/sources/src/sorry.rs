//! Sorry (sorryapp.com) status pages: `/api/v1/status` (the page and its
//! state) and `/api/v1/notices` (past, present and future notices: unplanned
//! incidents and planned maintenance).
//!
//! A notice's `synopsis` is its first update's text; `state` gives its
//! lifecycle (`investigating`, `identified`, `recovering`, `resolved`,
//! `false_alarm`; planned: `scheduled`, `underway`, `complete`).

use crate::{
    at_path, json, platform::page_root, platform::probe_first, timestamp, Context, Endpoint,
    ParseError, Platform, Probe, Role, Spec,
};
use serde_json::Value;
use statuswatch_model::{
    Component, ComponentState, Impact, Incident, Kind, Snapshot, Status, Update,
};
use url::Url;

/// Sorry, in the registry.
pub static SPEC: Spec = Spec {
    name: "sorry",
    aliases: &["sorryapp"],
    about: "Sorry (sorryapp.com) pages (/api/v1/status and /api/v1/notices)",
    endpoints,
    probes,
    min_interval: crate::one_per_second,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// `/api/v1/status`.
pub static STATUS: Role = Role {
    platform: "sorry",
    name: "status",
    parse: parse_status,
};

/// `/api/v1/notices`.
pub static NOTICES: Role = Role {
    platform: "sorry",
    name: "notices",
    parse: parse_notices,
};

/// The status at the page's root, on any host.
fn probes(input: &Url, _asked: bool) -> Vec<Probe> {
    probe_first(PLATFORM, page_root(input))
}

/// The page's status, then its notices.
pub fn endpoints(url: &Url) -> Vec<Endpoint> {
    vec![
        Endpoint::required(at_path(url, "/api/v1/status"), &STATUS),
        Endpoint::optional(at_path(url, "/api/v1/notices"), &NOTICES),
    ]
}

use crate::str_at as s;

/// Sorry's page states.
fn page_state(word: &str) -> statuswatch_model::ComponentStatus {
    use statuswatch_model::ComponentStatus as C;
    match word {
        "operational" => C::Operational,
        "degraded" => C::Degraded,
        "partial_outage" => C::PartialOutage,
        "major_outage" => C::MajorOutage,
        "maintenance" | "under_maintenance" => C::Maintenance,
        _ => C::Unknown,
    }
}

/// Parses `/api/v1/status`.
pub fn parse_status(body: &[u8], _ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let doc: Value = json(body)?;
    let page = doc
        .get("page")
        .filter(|p| p.get("state").is_some())
        .ok_or_else(|| {
            ParseError::WrongShape("no `page` with a `state`: not a Sorry answer".into())
        })?;
    let name = s(page, "name").map(str::to_string);
    Ok(Snapshot {
        components: vec![{
            let word = s(page, "state").unwrap_or("unknown");
            ComponentState::new(
                name.clone().unwrap_or_else(|| "Page".into()),
                None,
                word,
                page_state(word),
            )
        }],
        provider: name,
        ..Snapshot::default()
    })
}

/// Parses `/api/v1/notices` (`{notices: [...]}`, `{response: [...]}` or a bare list).
pub fn parse_notices(body: &[u8], _ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let doc: Value = json(body)?;
    let list = match &doc {
        Value::Array(l) => l,
        Value::Object(o) => o
            .get("notices")
            .or_else(|| o.get("response"))
            .and_then(Value::as_array)
            .ok_or_else(|| {
                ParseError::WrongShape("no `notices` list: not a Sorry answer".into())
            })?,
        _ => return Err(ParseError::WrongShape("not a list of notices".into())),
    };
    let mut warnings = Vec::new();
    let mut incidents = Vec::new();
    for n in list {
        let Some(nid) = n.get("id").map(crate::id_text) else {
            warnings.push("a notice without an id".into());
            continue;
        };
        let planned = s(n, "type") == Some("planned");
        let state = s(n, "state").unwrap_or("");
        let status = match state {
            "investigating" => Status::Investigating,
            "identified" => Status::Identified,
            "recovering" => Status::Monitoring,
            "resolved" | "false_alarm" => Status::Resolved,
            "scheduled" => Status::Scheduled,
            "underway" => Status::InProgress,
            "complete" => Status::Completed,
            other => Status::from_word(other).unwrap_or(if planned {
                Status::Scheduled
            } else {
                Status::Investigating
            }),
        };
        let mut out = Incident::new(nid.clone(), s(n, "subject").unwrap_or("").trim(), status);
        out.url = s(n, "link").map(str::to_string);
        if planned {
            out.kind = Kind::Maintenance;
            out.impact = Some(Impact::Maintenance);
            out.scheduled_for = timestamp(Some("begins_at"), s(n, "begins_at"), &mut warnings);
            out.scheduled_until = timestamp(Some("ends_at"), s(n, "ends_at"), &mut warnings);
        }
        out.started_at = timestamp(Some("began_at"), s(n, "began_at"), &mut warnings);
        let ended = timestamp(Some("ended_at"), s(n, "ended_at"), &mut warnings);
        for c in n
            .get("components")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = s(c, "name") {
                out.add_component(Component {
                    name: name.to_string(),
                    group: None,
                });
            }
        }
        let updates: Vec<&Value> = n
            .get("updates")
            .and_then(Value::as_array)
            .map(|l| l.iter().collect())
            .unwrap_or_default();
        if updates.is_empty() {
            // The list gives only the first update's text; the end is its own update.
            out.updates.push(Update {
                vendor_id: Some(format!("{nid}-synopsis")),
                status: if planned {
                    Status::Scheduled
                } else {
                    Status::Investigating
                },
                label: "Synopsis".into(),
                at: timestamp(Some("created_at"), s(n, "created_at"), &mut warnings),
                body: s(n, "synopsis").unwrap_or("").trim().to_string(),
            });
            if status.is_terminal() {
                out.updates.push(Update {
                    vendor_id: Some(format!("{nid}-{state}")),
                    status,
                    label: state.replace('_', " "),
                    at: ended.or_else(|| timestamp(None, s(n, "updated_at"), &mut Vec::new())),
                    body: String::new(),
                });
            }
        } else {
            for u in updates {
                let st = s(u, "state").and_then(Status::from_word).unwrap_or(status);
                out.updates.push(Update {
                    vendor_id: u.get("id").map(|v| v.to_string()),
                    status: st,
                    label: st.heading().into(),
                    at: timestamp(
                        Some("updates.created_at"),
                        s(u, "created_at"),
                        &mut warnings,
                    ),
                    body: s(u, "content")
                        .or(s(u, "body"))
                        .unwrap_or("")
                        .trim()
                        .to_string(),
                });
            }
        }
        out.normalize();
        if status.is_terminal() {
            out.resolved_at = ended.or(out.resolved_at);
        }
        incidents.push(out);
    }
    Ok(Snapshot {
        incidents,
        warnings,
        ..Snapshot::default()
    })
}
