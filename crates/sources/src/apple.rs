//! Apple System Status, for consumers (`www.apple.com/support/systemstatus/`)
//! and developers (`developer.apple.com/system-status/`): one JSONP answer
//! each, `jsonCallback({"services": [...]})`, every service with its recent
//! events.
//!
//! An event (`messageId`) may list several services: it is one incident
//! touching each. `statusType` says what kind (`Outage`, `Issue`,
//! `Performance`, `Maintenance`), `eventStatus` where it stands (`ongoing`,
//! `resolved`, `upcoming`, `completed`). Times are read from the epoch
//! milliseconds Apple gives beside its `MM/DD/YYYY HH:MM PDT` strings; a
//! service with no ongoing event is available. Apple publishes one message
//! per event, not a timeline: each answer's message is the event's update.

use crate::{
    json, platform::probe_first, Context, Endpoint, ParseError, Platform, Probe, Role, Spec,
};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use statuswatch_model::{
    Component, ComponentState, ComponentStatus, Impact, Incident, Kind, Snapshot, Status, Update,
    Warning,
};
use url::Url;

/// Apple System Status, in the registry.
pub static SPEC: Spec = Spec {
    name: "apple",
    aliases: &["apple-developer"],
    about: "Apple System Status, consumer and developer (system_status_en_US.js)",
    endpoints,
    probes,
    min_interval: crate::no_min_interval,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// The consumer services' answer.
pub static CONSUMER: Role = Role {
    platform: "apple",
    name: "consumer",
    parse: parse_consumer,
};

/// The developer services' answer.
pub static DEVELOPER: Role = Role {
    platform: "apple",
    name: "developer",
    parse: parse_developer,
};

const DATA: &str = "/support/systemstatus/data/";

/// Whether `url` is Apple's developer status (its page, or its data).
fn developer(url: &Url) -> bool {
    url.host_str() == Some("developer.apple.com")
        || url.path().starts_with("/system-status")
        || url.path().contains("/data/developer/")
}

/// On Apple's pages, or their paths on any host (a copy served elsewhere).
fn probes(input: &Url, asked: bool) -> Vec<Probe> {
    let path = input.path();
    let ours = matches!(
        input.host_str(),
        Some("www.apple.com" | "apple.com" | "developer.apple.com")
    ) && (path.starts_with("/support/systemstatus")
        || path.starts_with("/system-status"))
        || path.starts_with("/support/systemstatus/")
        || path.starts_with("/system-status/");
    if !ours && !asked {
        return Vec::new();
    }
    probe_first(PLATFORM, input.clone())
}

/// The one answer a poll reads: the page's JSONP (the developer page's
/// data lives on www.apple.com).
pub fn endpoints(url: &Url) -> Vec<Endpoint> {
    let mut u = url.clone();
    u.set_query(None);
    u.set_fragment(None);
    let dev = developer(url);
    if matches!(url.host_str(), Some("developer.apple.com" | "apple.com")) {
        // Cannot fail: a literal host.
        let _ = u.set_host(Some("www.apple.com"));
    }
    if !u.path().ends_with(".js") {
        let file = if dev {
            "developer/system_status_en_US.js"
        } else {
            "system_status_en_US.js"
        };
        u.set_path(&format!("{DATA}{file}"));
    }
    vec![Endpoint::required(
        u,
        if dev { &DEVELOPER } else { &CONSUMER },
    )]
}

mod wire {
    use super::*;

    #[derive(Debug, Deserialize)]
    pub struct Doc {
        pub services: Vec<Service>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Service {
        #[serde(rename = "serviceName")]
        pub name: String,
        #[serde(default)]
        pub events: Vec<Event>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Event {
        /// A number or a string.
        #[serde(rename = "messageId", default)]
        pub id: Value,
        #[serde(rename = "statusType", default)]
        pub status_type: Option<String>,
        #[serde(rename = "eventStatus", default)]
        pub event_status: Option<String>,
        #[serde(rename = "epochStartDate", default)]
        pub start: Option<i64>,
        #[serde(rename = "epochEndDate", default)]
        pub end: Option<i64>,
        #[serde(rename = "usersAffected", default)]
        pub users: Option<String>,
        #[serde(default)]
        pub message: Option<String>,
        #[serde(rename = "datePosted", default)]
        pub posted: Option<String>,
        #[serde(rename = "affectedServices", default)]
        pub affected: Option<Vec<String>>,
    }
}

/// Parses the consumer services' answer.
pub fn parse_consumer(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    parse(
        body,
        ctx,
        "Apple",
        "https://www.apple.com/support/systemstatus/",
    )
}

/// Parses the developer services' answer.
pub fn parse_developer(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    parse(
        body,
        ctx,
        "Apple Developer",
        "https://developer.apple.com/system-status/",
    )
}

/// The JSON inside `jsonCallback(...);` (or the JSON itself).
fn unwrap_jsonp(body: &[u8]) -> &[u8] {
    let start = body.iter().position(|b| *b == b'{');
    let end = body.iter().rposition(|b| *b == b'}');
    match (start, end) {
        (Some(s), Some(e)) if s < e && body[..s].iter().all(|b| *b != b'[') => &body[s..=e],
        _ => body,
    }
}

/// `12/01/2026 09:30 PST`: Apple's posted times, Pacific as labelled (`PT`:
/// Pacific time of that date).
fn posted(text: &str) -> Option<DateTime<Utc>> {
    use chrono::TimeZone;
    let (local, zone) = text.trim().rsplit_once(' ')?;
    let t = NaiveDateTime::parse_from_str(local.trim(), "%m/%d/%Y %H:%M").ok()?;
    let hours = match zone {
        "PST" => -8,
        "PDT" => -7,
        "UTC" | "GMT" => 0,
        "PT" => {
            return chrono_tz::America::Los_Angeles
                .from_local_datetime(&t)
                .earliest()
                .map(|d| d.with_timezone(&Utc))
        }
        _ => return None,
    };
    Some(t.and_utc() - chrono::Duration::hours(hours))
}

fn epoch(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.filter(|m| *m > 0)
        .and_then(DateTime::from_timestamp_millis)
}

fn event_id(e: &wire::Event, service: &str) -> String {
    match &e.id {
        Value::String(s) if !s.trim().is_empty() => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => format!("{service}@{}", e.start.unwrap_or(0)),
    }
}

/// A service's state while an event of this kind is ongoing.
fn state_of(status_type: &str) -> ComponentStatus {
    match status_type {
        "Outage" => ComponentStatus::MajorOutage,
        "Issue" => ComponentStatus::PartialOutage,
        "Performance" => ComponentStatus::Degraded,
        "Maintenance" => ComponentStatus::Maintenance,
        _ => ComponentStatus::Degraded,
    }
}

fn parse(
    body: &[u8],
    _ctx: &mut Context,
    provider: &str,
    page: &str,
) -> Result<Snapshot, ParseError> {
    let doc: wire::Doc = json(unwrap_jsonp(body))?;
    if doc.services.is_empty() {
        return Err(ParseError::WrongShape(
            "`services` lists nothing: not Apple's system status".into(),
        ));
    }
    let mut warnings: Vec<Warning> = Vec::new();
    let mut components = Vec::new();
    let mut incidents: Vec<Incident> = Vec::new();
    for service in &doc.services {
        let mut state = ComponentStatus::Operational;
        // The word Apple shows for the service: its first ongoing event's type.
        let mut word: Option<&str> = None;
        for e in &service.events {
            let kind_word = e.status_type.as_deref().unwrap_or("Issue");
            let phase = e.event_status.as_deref().unwrap_or("").to_ascii_lowercase();
            if phase == "ongoing" {
                state = ComponentStatus::worst([state, state_of(kind_word)]).unwrap_or(state);
                word.get_or_insert(kind_word);
            }
            let id = event_id(e, &service.name);
            let names: Vec<String> = match &e.affected {
                Some(list) if !list.is_empty() => list.clone(),
                _ => vec![service.name.clone()],
            };
            if let Some(known) = incidents.iter_mut().find(|i| i.vendor_id == id) {
                for n in names {
                    if !known.components.iter().any(|c| c.name == n) {
                        known.components.push(Component {
                            name: n,
                            group: None,
                        });
                    }
                }
                continue;
            }
            incidents.push(incident(
                e,
                id,
                kind_word,
                &phase,
                names,
                page,
                &mut warnings,
            ));
        }
        components.push(ComponentState::new(
            service.name.clone(),
            None,
            match state {
                ComponentStatus::Operational => "Available",
                _ => word.unwrap_or("Issue"),
            },
            state,
        ));
    }
    for i in &mut incidents {
        i.normalize();
    }
    Ok(Snapshot {
        provider: Some(provider.into()),
        components,
        incidents,
        warnings,
    })
}

fn incident(
    e: &wire::Event,
    id: String,
    kind_word: &str,
    phase: &str,
    names: Vec<String>,
    page: &str,
    warnings: &mut Vec<Warning>,
) -> Incident {
    let maintenance = kind_word == "Maintenance";
    let status = match (phase, maintenance) {
        ("resolved", _) => Status::Resolved,
        ("completed", _) => Status::Completed,
        ("upcoming", _) => Status::Scheduled,
        ("ongoing", true) => Status::InProgress,
        (_, true) => Status::Scheduled,
        _ => Status::Investigating,
    };
    let title = format!("{} – {kind_word}", names.join(", "));
    let mut i = Incident::new(id, title, status);
    i.kind = if maintenance {
        Kind::Maintenance
    } else {
        Kind::Incident
    };
    i.impact = Some(match kind_word {
        "Maintenance" => Impact::Maintenance,
        "Outage" => Impact::Major,
        _ => Impact::Minor,
    });
    i.components = names
        .into_iter()
        .map(|name| Component { name, group: None })
        .collect();
    let start = epoch(e.start);
    let end = epoch(e.end);
    if maintenance {
        i.scheduled_for = start;
        i.scheduled_until = end;
    }
    if phase != "upcoming" {
        i.started_at = start;
    }
    if status.is_terminal() {
        // Apple states the end; an event it still calls ongoing has none yet.
        i.resolved_at = end;
    }
    // A posted time stated but unreadable refuses the answer (as every
    // platform's does): read as absent, it would move the update.
    let at = match e.posted.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => posted(p).or_else(|| {
            warnings.push(crate::unreadable_date(
                Some("datePosted"),
                p,
                &"not MM/DD/YYYY HH:MM with a Pacific or UTC zone",
            ));
            None
        }),
        None => start,
    };
    let mut text = e.message.clone().unwrap_or_default().trim().to_string();
    if let Some(users) = e.users.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        if !text.contains(users) {
            text = if text.is_empty() {
                users.to_string()
            } else {
                format!("{text}\n\n{users}")
            };
        }
    }
    i.updates.push(Update {
        vendor_id: None,
        status,
        label: status.heading().into(),
        at,
        body: text,
    });
    i.url = Some(page.to_string());
    i
}
