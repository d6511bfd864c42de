//! Heroku's status API v4 (`status.heroku.com/api/v4/current-status` and
//! `/api/v4/incidents`). The v3 issue shape (`status_prod`, `status_dev`) is
//! read too, since the documented example is a v3 issue.
//!
//! The incident's `state` is trusted over its `resolved` flag (they disagree
//! on real answers); each update's `update_type` gives its status (`issue`:
//! investigating, `resolved`, `scheduled`; `update` keeps the previous one).
//! Systems (Apps, Data, Tools) in red or yellow are the components.

use crate::{
    at_path, json, no_min_interval, platform::probe_first, timestamp, Context, Endpoint,
    ParseError, Platform, Probe, Role, Spec,
};
use statuswatch_model::Warning;
use statuswatch_model::{
    Component, ComponentState, Impact, Incident, Kind, Snapshot, Status, Update,
};
use url::Url;

mod wire {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    pub struct Current {
        pub status: Vec<System>,
        #[serde(default)]
        pub incidents: Vec<Issue>,
        #[serde(default)]
        pub scheduled: Vec<Issue>,
    }

    #[derive(Debug, Deserialize)]
    pub struct System {
        pub system: String,
        pub status: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    pub enum Issues {
        List(Vec<Issue>),
        One(Box<Issue>),
    }

    #[derive(Debug, Deserialize)]
    pub struct Issue {
        pub id: serde_json::Value,
        pub title: String,
        #[serde(default)]
        pub state: Option<String>,
        #[serde(default)]
        pub resolved: Option<bool>,
        /// When Heroku says it ended (null while open).
        #[serde(default)]
        pub resolved_at: Option<String>,
        #[serde(default)]
        pub upcoming: Option<bool>,
        pub created_at: Option<String>,
        #[serde(default)]
        pub full_url: Option<String>,
        #[serde(default)]
        pub systems: Vec<IssueSystem>,
        #[serde(default)]
        pub status_prod: Option<String>,
        #[serde(default)]
        pub status_dev: Option<String>,
        #[serde(default)]
        pub updates: Vec<IssueUpdate>,
    }

    #[derive(Debug, Deserialize)]
    pub struct IssueSystem {
        pub name: String,
        #[serde(default)]
        pub status: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct IssueUpdate {
        #[serde(default)]
        pub id: Option<serde_json::Value>,
        #[serde(default)]
        pub contents: String,
        pub created_at: Option<String>,
        #[serde(default)]
        pub update_type: Option<String>,
        #[serde(default)]
        pub status_prod: Option<String>,
        #[serde(default)]
        pub status_dev: Option<String>,
    }
}

/// Heroku, in the registry.
pub static SPEC: Spec = Spec {
    name: "heroku",
    aliases: &[],
    about: "Heroku's status API v4",
    endpoints,
    probes,
    min_interval: no_min_interval,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// `current-status`: the systems' colours and open issues.
pub static CURRENT: Role = Role {
    platform: "heroku",
    name: "current-status",
    parse: parse_current,
};

/// `incidents`: recent incidents, with their resolutions.
pub static INCIDENTS: Role = Role {
    platform: "heroku",
    name: "incidents",
    parse: parse_incidents,
};

/// On Heroku's status host: the current status, stored as the site's root.
fn probes(input: &Url, asked: bool) -> Vec<Probe> {
    if input.host_str() != Some("status.heroku.com") && !asked {
        return Vec::new();
    }
    probe_first(PLATFORM, at_path(input, "/"))
}

/// The current status, then the recent incidents (which carry resolutions).
pub fn endpoints(url: &Url) -> Vec<Endpoint> {
    let mut incidents = at_path(url, "/api/v4/incidents");
    incidents.set_query(Some("limit=20"));
    vec![
        Endpoint::required(at_path(url, "/api/v4/current-status"), &CURRENT),
        Endpoint::history(incidents, &INCIDENTS),
    ]
}

/// Heroku's system colours.
fn system_status(colour: &str) -> statuswatch_model::ComponentStatus {
    use statuswatch_model::ComponentStatus as C;
    match colour {
        "green" => C::Operational,
        "yellow" => C::Degraded,
        "red" => C::MajorOutage,
        "blue" => C::Maintenance,
        _ => C::Unknown,
    }
}

/// Parses `current-status`.
pub fn parse_current(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let c: wire::Current = json(body)?;
    if c.status.is_empty() {
        return Err(ParseError::WrongShape("`status` lists no systems".into()));
    }
    let mut warnings = Vec::new();
    let incidents = c
        .incidents
        .iter()
        .chain(&c.scheduled)
        .map(|i| issue(i, ctx.now, &mut warnings))
        .collect();
    Ok(Snapshot {
        provider: Some("Heroku".into()),
        components: c
            .status
            .iter()
            .map(|s| {
                ComponentState::new(
                    s.system.clone(),
                    None,
                    s.status.clone(),
                    system_status(&s.status),
                )
            })
            .collect(),
        incidents,
        warnings,
    })
}

/// Parses `incidents` (a list) or one incident.
pub fn parse_incidents(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let items = match json::<wire::Issues>(body)? {
        wire::Issues::List(l) => l,
        wire::Issues::One(i) => vec![*i],
    };
    let mut warnings = Vec::new();
    let incidents = items
        .iter()
        .map(|i| issue(i, ctx.now, &mut warnings))
        .collect();
    Ok(Snapshot {
        provider: Some("Heroku".into()),
        components: Vec::new(),
        incidents,
        warnings,
    })
}

fn colour_impact(c: &str) -> Option<Impact> {
    match c {
        "red" => Some(Impact::Major),
        "yellow" => Some(Impact::Minor),
        "blue" => Some(Impact::Maintenance),
        _ => None,
    }
}

fn issue(
    w: &wire::Issue,
    now: chrono::DateTime<chrono::Utc>,
    warnings: &mut Vec<Warning>,
) -> Incident {
    let id = crate::id_text(&w.id);
    let scheduled = w.upcoming == Some(true)
        || w.state.as_deref() == Some("upcoming")
        || w.updates
            .iter()
            .any(|u| u.update_type.as_deref() == Some("scheduled"));
    let status = match w.state.as_deref() {
        Some("resolved") => Status::Resolved,
        Some(s) => Status::from_word(s).unwrap_or(Status::Investigating),
        None if w.resolved == Some(true) => Status::Resolved,
        None => Status::Investigating,
    };
    let status = match (scheduled, status) {
        (true, Status::Resolved) => Status::Completed,
        (true, Status::Investigating) => Status::Scheduled,
        (_, s) => s,
    };
    let mut out = Incident::new(id, w.title.trim(), status);
    if scheduled {
        out.kind = Kind::Maintenance;
    }
    out.url = w.full_url.clone();
    out.started_at = timestamp(Some("created_at"), w.created_at.as_deref(), warnings);
    let mut colours: Vec<Option<Impact>> = Vec::new();
    for s in &w.systems {
        out.add_component(Component {
            name: s.name.clone(),
            group: None,
        });
        colours.push(s.status.as_deref().and_then(colour_impact));
    }
    // v3: the issue's colours are current (green once over); its updates keep
    // the colours each system had along the way.
    let v3 = std::iter::once((&w.status_prod, &w.status_dev))
        .chain(w.updates.iter().map(|u| (&u.status_prod, &u.status_dev)));
    let pairs: Vec<(&str, &Option<String>)> = v3
        .flat_map(|(p, d)| [("Production", p), ("Development", d)])
        .collect();
    for (name, colour) in pairs {
        if let Some(c) = colour.as_deref().filter(|c| *c != "green") {
            out.add_component(Component {
                name: name.into(),
                group: None,
            });
            colours.push(colour_impact(c));
        }
    }
    out.impact = if scheduled {
        Some(Impact::Maintenance)
    } else {
        colours.into_iter().flatten().max()
    };
    // Updates come newest first; their statuses are read oldest first.
    let mut current = if scheduled {
        Status::Scheduled
    } else {
        Status::Investigating
    };
    for u in w.updates.iter().rev() {
        let kind = u.update_type.as_deref().unwrap_or("update");
        current = match kind {
            "issue" => Status::Investigating,
            "resolved" if scheduled => Status::Completed,
            "resolved" => Status::Resolved,
            "scheduled" => Status::Scheduled,
            other => Status::from_word(other).unwrap_or(current),
        };
        let mut label = kind.to_string();
        if let Some(c) = label.get_mut(..1) {
            c.make_ascii_uppercase();
        }
        out.updates.push(Update {
            vendor_id: u.id.as_ref().map(crate::id_text),
            status: current,
            label,
            at: timestamp(
                Some("updates.created_at"),
                u.created_at.as_deref(),
                warnings,
            ),
            body: u.contents.replace("\r\n", "\n").trim().to_string(),
        });
    }
    // The incident's state is the latest, except where a later update says
    // it is over (a maintenance's state stays `upcoming` after its `resolved`
    // update): that explicit statement wins.
    let over = out.updates.last().is_some_and(|u| u.status.is_terminal());
    if let Some(last) = out.updates.last_mut() {
        if !over {
            last.status = status;
        }
    }
    if over {
        out.status = out.updates.last().map_or(status, |u| u.status);
    }
    if scheduled {
        // Heroku states a maintenance's window only in its text.
        if let Some((from, until)) = w
            .updates
            .last()
            .and_then(|u| window_in_prose(&u.contents, now))
        {
            out.scheduled_for = Some(from);
            out.scheduled_until = until;
            out.started_at = Some(from);
        }
    }
    // The end Heroku states, when it says the incident is over.
    if out.status.is_terminal() {
        if let Some(end) = timestamp(Some("resolved_at"), w.resolved_at.as_deref(), warnings) {
            out.resolved_at = Some(end);
        }
    }
    out.normalize();
    out
}

/// `On July 15, 2026, starting at 17:00 UTC (13:00 EDT) and continuing until
/// 20:00 UTC`: the window a maintenance's text states.
fn window_in_prose(
    text: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<(
    chrono::DateTime<chrono::Utc>,
    Option<chrono::DateTime<chrono::Utc>>,
)> {
    use statuswatch_extract::stamp::{scan, Ctx};
    let first_line = text.lines().next()?;
    let stamps = scan(first_line);
    let day = stamps.iter().find(|s| s.day.is_some())?;
    let base = day.day.map(|d| (d, day.weekday));
    let ctx = Ctx::new(now);
    let timed: Vec<_> = stamps
        .iter()
        .filter(|s| s.clock.is_some() && s.zone.is_some())
        .collect();
    let from = ctx.resolve(timed.first()?, base)?;
    let until_at = first_line.find("until")?;
    let until = timed
        .iter()
        .find(|s| s.start > until_at)
        .and_then(|s| ctx.resolve(s, base))
        .map(|u| {
            if u < from {
                u + chrono::Duration::days(1)
            } else {
                u
            }
        });
    Some((from, until))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    #[test]
    fn the_end_heroku_states_is_the_end() {
        let body = br#"{"status": [{"system": "Apps", "status": "green"}], "incidents": [{"id": 1, "title": "Routing errors",
            "state": "resolved", "resolved": true, "created_at": "2026-10-01T10:00:00Z",
            "resolved_at": "2026-10-01T11:30:00Z", "systems": [],
            "updates": [{"id": 2, "created_at": "2026-10-01T12:00:00Z", "contents": "Fixed.", "update_type": "resolved"},
                        {"id": 1, "created_at": "2026-10-01T10:00:00Z", "contents": "Looking.", "update_type": "issue"}]}],
            "scheduled": []}"#;
        let snap = parse_current(body, &mut Context::default()).unwrap();
        let i = &snap.incidents[0];
        assert_eq!(i.status, Status::Resolved);
        // Stated (11:30), not the time the resolution was posted (12:00).
        assert_eq!(
            i.resolved_at,
            DateTime::parse_from_rfc3339("2026-10-01T11:30:00Z")
                .ok()
                .map(|t| t.with_timezone(&Utc))
        );
    }
}
