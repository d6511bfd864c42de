//! cState, the Hugo status page teams host themselves: `/index.json` (the
//! page, its systems and their unresolved issues) and `/issues/index.json`
//! (every issue, resolved ones included), both written by cState's own
//! templates (`layouts/index.json`, `layouts/_default/list.json`).
//!
//! An issue says whether it is `resolved` and when (`resolvedAt`, written
//! `<no value>` while unset), its `severity` (`notice`, `disrupted`,
//! `down`) and the systems it `affected`. The lists carry no text (an
//! issue's text is on its own page): an issue's updates are its opening,
//! each later edit (`lastMod`) and its resolution, each with its title.

use crate::{
    at_path, json, platform::page_root, platform::probe_first, Context, Endpoint, ParseError,
    Platform, Probe, Role, Spec,
};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use statuswatch_model::{
    Component, ComponentState, ComponentStatus, Impact, Incident, Snapshot, Status, Update, Warning,
};
use url::Url;

/// cState, in the registry.
pub static SPEC: Spec = Spec {
    name: "cstate",
    aliases: &["c-state"],
    about: "cState pages (/index.json and /issues/index.json)",
    endpoints,
    probes,
    min_interval: crate::one_per_second,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// `/index.json`: the page and its systems.
pub static INDEX: Role = Role {
    platform: "cstate",
    name: "index",
    parse: parse_index,
};

/// `/issues/index.json`: every issue.
pub static ISSUES: Role = Role {
    platform: "cstate",
    name: "issues",
    parse: parse_issues,
};

/// At the page's root, on any host (the answer says whether it is cState).
fn probes(input: &Url, _asked: bool) -> Vec<Probe> {
    probe_first(PLATFORM, page_root(input))
}

/// The index, then every issue (a history: read when the index changed).
pub fn endpoints(url: &Url) -> Vec<Endpoint> {
    vec![
        Endpoint::required(at_path(url, "/index.json"), &INDEX),
        Endpoint::history(at_path(url, "/issues/index.json"), &ISSUES),
    ]
}

#[derive(Debug, Deserialize)]
struct Index {
    #[serde(rename = "cStateVersion")]
    version: String,
    #[serde(default)]
    title: Option<String>,
    systems: Vec<System>,
}

#[derive(Debug, Deserialize)]
struct System {
    name: String,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(rename = "unresolvedIssues", default)]
    unresolved: Vec<Issue>,
}

#[derive(Debug, Deserialize)]
struct List {
    #[serde(default)]
    pages: Vec<Issue>,
}

#[derive(Debug, Clone, Deserialize)]
struct Issue {
    #[serde(default)]
    is: Option<String>,
    title: String,
    #[serde(rename = "createdAt", default)]
    created: Option<String>,
    #[serde(rename = "lastMod", default)]
    last_mod: Option<String>,
    #[serde(default)]
    permalink: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    resolved: bool,
    #[serde(rename = "resolvedAt", default)]
    resolved_at: Option<String>,
    #[serde(default)]
    affected: Vec<String>,
    #[serde(default)]
    filename: Option<String>,
}

fn system_state(word: &str) -> ComponentStatus {
    match word {
        "ok" => ComponentStatus::Operational,
        "notice" => ComponentStatus::Degraded,
        "disrupted" => ComponentStatus::PartialOutage,
        "down" => ComponentStatus::MajorOutage,
        _ => ComponentStatus::Unknown,
    }
}

/// A time as Hugo writes it: RFC 3339, or Go's `2006-01-02 15:04:05 -0700
/// MST` (with or without fractions); `<no value>` or empty: unset.
fn hugo_time(
    field: &str,
    value: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> Option<DateTime<Utc>> {
    let v = value
        .map(str::trim)
        .filter(|v| !v.is_empty() && *v != "<no value>")?;
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Some(t.with_timezone(&Utc));
    }
    // Go's time.String(): the zone's name after the offset is redundant.
    let without_name = match v.rsplit_once(' ') {
        Some((rest, name)) if name.chars().all(|c| c.is_ascii_alphabetic()) => rest,
        _ => v,
    };
    for f in ["%Y-%m-%d %H:%M:%S%.f %z", "%Y-%m-%d %H:%M:%S %z"] {
        if let Ok(t) = DateTime::parse_from_str(without_name, f) {
            return Some(t.with_timezone(&Utc));
        }
    }
    // A front-matter date without a zone: cState's own examples are UTC.
    for f in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(v, f) {
            return Some(t.and_utc());
        }
    }
    warnings.push(crate::unreadable_date(
        Some(field),
        v,
        &"not a date Hugo writes",
    ));
    None
}

fn issue(i: &Issue, warnings: &mut Vec<Warning>) -> Option<Incident> {
    if i.is.as_deref().is_some_and(|k| k != "issue") {
        return None;
    }
    let id = i
        .filename
        .clone()
        .filter(|f| !f.trim().is_empty())
        .or_else(|| i.permalink.clone())?;
    let status = if i.resolved {
        Status::Resolved
    } else {
        Status::Investigating
    };
    let mut out = Incident::new(id, i.title.trim(), status);
    out.impact = Some(match i.severity.as_deref() {
        Some("down") => Impact::Major,
        Some("disrupted") => Impact::Minor,
        _ => Impact::None,
    });
    out.components = i
        .affected
        .iter()
        .map(|name| Component {
            name: name.trim().to_string(),
            group: None,
        })
        .collect();
    let created = hugo_time("createdAt", i.created.as_deref(), warnings);
    out.started_at = created;
    out.updates.push(Update {
        vendor_id: None,
        status: Status::Investigating,
        label: "Issue".into(),
        at: created,
        body: i.title.trim().to_string(),
    });
    // An issue edited since it was opened (its file's `lastMod`) was updated
    // then; the list does not say how, so the update carries the title.
    // Its resolution is an edit too: the resolution stands for it.
    if !i.resolved {
        let edited = hugo_time("lastMod", i.last_mod.as_deref(), warnings);
        if let Some(at) = edited.filter(|t| created.is_some_and(|c| t > &c)) {
            out.updates.push(Update {
                vendor_id: None,
                status: Status::Investigating,
                label: "Updated".into(),
                at: Some(at),
                body: i.title.trim().to_string(),
            });
        }
    }
    if i.resolved {
        // The end is cState's statement; a resolved issue without a time
        // keeps none.
        let at = hugo_time("resolvedAt", i.resolved_at.as_deref(), warnings);
        out.resolved_at = at;
        out.updates.push(Update {
            vendor_id: None,
            status: Status::Resolved,
            label: "Resolved".into(),
            at,
            body: String::new(),
        });
    }
    out.url = i
        .permalink
        .clone()
        .filter(|p| p.starts_with("https://") || p.starts_with("http://"));
    out.normalize();
    Some(out)
}

/// Parses `/index.json`.
pub fn parse_index(body: &[u8], _ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let doc: Index = json(body)?;
    if doc.version.trim().is_empty() {
        return Err(ParseError::WrongShape(
            "no `cStateVersion`: not cState".into(),
        ));
    }
    let mut warnings = Vec::new();
    let mut incidents: Vec<Incident> = Vec::new();
    let components = doc
        .systems
        .iter()
        .map(|s| {
            for i in &s.unresolved {
                if let Some(x) = issue(i, &mut warnings) {
                    if !incidents.iter().any(|k| k.vendor_id == x.vendor_id) {
                        incidents.push(x);
                    }
                }
            }
            let word = s.status.as_deref().unwrap_or("unknown");
            ComponentState::new(
                s.name.trim(),
                s.category.clone().filter(|c| !c.trim().is_empty()),
                word,
                system_state(word),
            )
        })
        .collect();
    Ok(Snapshot {
        provider: doc
            .title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        components,
        incidents,
        warnings,
    })
}

/// Parses `/issues/index.json`.
pub fn parse_issues(body: &[u8], _ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let doc: List = json(body)?;
    let mut warnings = Vec::new();
    let incidents = doc
        .pages
        .iter()
        .filter_map(|i| issue(i, &mut warnings))
        .collect();
    Ok(Snapshot {
        incidents,
        warnings,
        ..Snapshot::default()
    })
}
