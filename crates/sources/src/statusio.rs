//! status.io pages: the public status API (`api.status.io/1.0/status/<page
//! id>`: components with their containers, and the incidents and maintenances
//! open now) and the page's RSS (`<page>/pages/<page id>/rss`), which carries
//! the history and the ends: the API drops an incident when it resolves, and
//! that absence is never read as a resolution.
//!
//! The source URL is the page's RSS URL, which names the page id. Status codes:
//! 100 operational, 200 planned maintenance, 300 degraded performance, 400
//! partial disruption, 500 service disruption, 600 security event. Message
//! states 100/200/300 are read as investigating/identified/monitoring (the
//! vendor documents only the status codes).

use crate::{
    at_path, feed, json, platform::probe_first, timestamp, Context, Endpoint, ParseError, Platform,
    Probe, Role, Spec,
};
use statuswatch_model::Warning;
use statuswatch_model::{
    Component, ComponentState, Impact, Incident, Kind, Snapshot, Status, Update,
};
use url::Url;

mod wire {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    pub struct Answer {
        pub result: Result,
    }

    #[derive(Debug, Deserialize)]
    pub struct Result {
        pub status_overall: Overall,
        #[serde(default)]
        pub status: Vec<Component>,
        #[serde(default)]
        pub incidents: Vec<Event>,
        #[serde(default)]
        pub maintenance: Maintenance,
    }

    #[derive(Debug, Deserialize)]
    pub struct Overall {
        pub status_code: i64,
    }

    #[derive(Debug, Deserialize)]
    pub struct Component {
        pub name: String,
        #[serde(default)]
        pub status: String,
        #[serde(default)]
        pub status_code: Option<i64>,
        #[serde(default)]
        pub containers: Vec<Container>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Container {
        pub name: String,
        #[serde(default)]
        pub status: String,
        #[serde(default)]
        pub status_code: Option<i64>,
    }

    #[derive(Debug, Default, Deserialize)]
    pub struct Maintenance {
        #[serde(default)]
        pub active: Vec<Event>,
        #[serde(default)]
        pub upcoming: Vec<Event>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Event {
        #[serde(rename = "_id")]
        pub id: String,
        pub name: String,
        #[serde(default)]
        pub datetime_open: Option<String>,
        #[serde(default)]
        pub datetime_planned_start: Option<String>,
        #[serde(default)]
        pub datetime_planned_end: Option<String>,
        #[serde(default)]
        pub messages: Vec<Message>,
        #[serde(default)]
        pub components_affected: Vec<Named>,
        #[serde(default)]
        pub containers_affected: Vec<Named>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Message {
        #[serde(default, rename = "_id")]
        pub id: Option<String>,
        #[serde(default)]
        pub details: String,
        pub datetime: Option<String>,
        #[serde(default)]
        pub state: Option<i64>,
        #[serde(default)]
        pub status: Option<i64>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Named {
        pub name: String,
    }
}

/// status.io, in the registry.
pub static SPEC: Spec = Spec {
    name: "statusio",
    aliases: &["status.io"],
    about: "status.io pages (the public status API and the page's RSS)",
    endpoints,
    probes,
    min_interval,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// The public status API.
pub static STATUS: Role = Role {
    platform: "statusio",
    name: "status",
    parse: parse_status,
};

/// The page's RSS, keyed by incident id.
pub static FEED: Role = Role {
    platform: "statusio",
    name: "rss",
    parse: parse_feed,
};

/// One host (`api.status.io`) answers for every status.io page, so many
/// sources share it: one request per second (our choice, not a documented limit).
fn min_interval(url: &Url) -> Option<std::time::Duration> {
    (url.host_str() == Some("api.status.io")).then_some(std::time::Duration::from_secs(1))
}

/// A URL naming a page id: its status API, stored as the page's RSS (or the
/// API URL itself when that was pasted).
fn probes(input: &Url, _asked: bool) -> Vec<Probe> {
    let Some(id) = page_id(input) else {
        return Vec::new();
    };
    let page = if input.host_str() == Some("api.status.io") {
        input.clone()
    } else {
        at_path(input, &format!("/pages/{id}/rss"))
    };
    probe_first(PLATFORM, page)
}

/// The page id (24 hexadecimal digits) a URL names, if any.
pub fn page_id(url: &Url) -> Option<String> {
    url.path_segments()?
        .find(|s| s.len() == 24 && s.chars().all(|c| c.is_ascii_hexdigit()))
        .map(str::to_string)
}

/// The status API, then the page's RSS. The API is `api.status.io`, except
/// for a page served from an IP address or `localhost` (a mirror, a test),
/// whose API is on the same host.
pub fn endpoints(url: &Url) -> Vec<Endpoint> {
    let Some(id) = page_id(url) else {
        return Vec::new();
    };
    let local = matches!(url.host(), Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)))
        || url.host_str() == Some("localhost");
    let api = if local || url.host_str() == Some("api.status.io") {
        at_path(url, &format!("/1.0/status/{id}"))
    } else {
        Url::parse(&format!("https://api.status.io/1.0/status/{id}")).expect("a valid URL")
    };
    let mut out = vec![Endpoint::required(api, &STATUS)];
    if url.host_str() != Some("api.status.io") {
        out.push(Endpoint::history(
            at_path(url, &format!("/pages/{id}/rss")),
            &FEED,
        ));
    }
    out
}

/// status.io's status codes (100 operational, 200 planned maintenance, 300
/// degraded performance, 400 partial service disruption, 500 service
/// disruption, 600 security event), or its words where no code is given.
fn component_status(code: Option<i64>, word: &str) -> statuswatch_model::ComponentStatus {
    use statuswatch_model::ComponentStatus as C;
    let code = code.or(match word {
        "Operational" => Some(100),
        "Planned Maintenance" => Some(200),
        "Degraded Performance" => Some(300),
        "Partial Service Disruption" => Some(400),
        "Service Disruption" => Some(500),
        "Security Event" => Some(600),
        _ => None,
    });
    match code {
        Some(100) => C::Operational,
        Some(200) => C::Maintenance,
        Some(300) => C::Degraded,
        Some(400) => C::PartialOutage,
        Some(500) | Some(600) => C::MajorOutage,
        _ => C::Unknown,
    }
}

/// Parses the status API's answer.
pub fn parse_status(body: &[u8], _ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let a: wire::Answer = json(body)?;
    let r = a.result;
    if !(100..=600).contains(&r.status_overall.status_code) {
        return Err(ParseError::WrongShape(format!(
            "status_overall.status_code {} is not a status.io code",
            r.status_overall.status_code
        )));
    }
    let mut warnings = Vec::new();
    let mut components = Vec::new();
    for c in &r.status {
        if c.containers.len() <= 1 {
            components.push(ComponentState::new(
                c.name.clone(),
                None,
                c.status.clone(),
                component_status(c.status_code, &c.status),
            ));
        }
        if c.containers.len() > 1 {
            for k in &c.containers {
                components.push(ComponentState::new(
                    k.name.clone(),
                    Some(c.name.clone()),
                    k.status.clone(),
                    component_status(k.status_code, &k.status),
                ));
            }
        }
    }
    // Components running in several containers (regions) are groups of them.
    let multi: Vec<&str> = r
        .status
        .iter()
        .filter(|c| c.containers.len() > 1)
        .map(|c| c.name.as_str())
        .collect();
    let mut incidents = Vec::new();
    for e in &r.incidents {
        incidents.push(event(e, false, &multi, &mut warnings));
    }
    for e in r.maintenance.active.iter() {
        let mut m = event(e, true, &multi, &mut warnings);
        if !m.status.is_terminal() {
            m.status = Status::InProgress;
        }
        incidents.push(m);
    }
    for e in r.maintenance.upcoming.iter() {
        incidents.push(event(e, true, &multi, &mut warnings));
    }
    Ok(Snapshot {
        provider: None,
        components,
        incidents,
        warnings,
    })
}

/// Parses the page's RSS; incidents are keyed by the id in their links.
pub fn parse_feed(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let mut s = feed::parse_feed(body, ctx)?;
    // Links end in .../incident/<page id>/<incident id> or .../maintenance/<page id>/<id>.
    for i in &mut s.incidents {
        let last = i
            .url
            .as_deref()
            .and_then(|u| Url::parse(u).ok())
            .and_then(|u| {
                u.path_segments()?
                    .rfind(|s| !s.is_empty())
                    .map(str::to_string)
            });
        if let Some(id) = last.filter(|id| id.len() == 24) {
            i.vendor_id = id;
        }
    }
    Ok(s)
}

fn code_impact(code: i64) -> Option<Impact> {
    match code {
        100 => Some(Impact::None),
        200 => Some(Impact::Maintenance),
        300 => Some(Impact::Minor),
        400 => Some(Impact::Major),
        500 | 600 => Some(Impact::Critical),
        _ => None,
    }
}

fn event(
    e: &wire::Event,
    maintenance: bool,
    multi: &[&str],
    warnings: &mut Vec<Warning>,
) -> Incident {
    let mut out = Incident::new(
        e.id.clone(),
        e.name.trim(),
        if maintenance {
            Status::Scheduled
        } else {
            Status::Investigating
        },
    );
    if maintenance {
        out.kind = Kind::Maintenance;
        out.impact = Some(Impact::Maintenance);
        out.scheduled_for = timestamp(
            Some("datetime_planned_start"),
            e.datetime_planned_start.as_deref(),
            warnings,
        );
        out.scheduled_until = timestamp(
            Some("datetime_planned_end"),
            e.datetime_planned_end.as_deref(),
            warnings,
        );
    } else {
        out.started_at = timestamp(Some("datetime_open"), e.datetime_open.as_deref(), warnings);
    }
    for c in &e.components_affected {
        // A component in one container is itself; in several, its containers are.
        if e.containers_affected.is_empty() || !multi.contains(&c.name.as_str()) {
            out.add_component(Component {
                name: c.name.clone(),
                group: None,
            });
            continue;
        }
        for k in &e.containers_affected {
            out.add_component(Component {
                name: k.name.clone(),
                group: Some(c.name.clone()),
            });
        }
    }
    let mut status = out.status;
    let mut worst = None;
    for m in &e.messages {
        if maintenance {
            // A maintenance's message states: planned, in progress, done.
            status = match m.state {
                Some(100) => Status::Scheduled,
                Some(200) => Status::InProgress,
                Some(300) => Status::Completed,
                _ => status,
            };
        } else {
            status = match m.state {
                Some(100) => Status::Investigating,
                Some(200) => Status::Identified,
                Some(300) => Status::Monitoring,
                _ => status,
            };
            worst = worst.max(m.status.and_then(code_impact));
        }
        out.updates.push(Update {
            vendor_id: m.id.clone(),
            status,
            label: status.heading().to_string(),
            at: timestamp(Some("messages.datetime"), m.datetime.as_deref(), warnings),
            body: statuswatch_extract::html_to_text(&m.details),
        });
    }
    out.status = status;
    if maintenance {
        out.started_at = out.scheduled_for;
    } else {
        out.impact = worst;
    }
    out.normalize();
    out
}
