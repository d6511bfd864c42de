//! Instatus pages: `summary.json` (the page's state and the incidents and
//! maintenances active now) and `history.rss` (which carries the ends: an
//! incident leaves `summary.json` when it resolves, and that absence is never
//! read as a resolution).
//!
//! Dates come as ISO 8601 or as JavaScript's `Date.toString()`
//! (`Sat Jun 11 2022 18:55:50 GMT+0000 (Coordinated Universal Time)`); a
//! maintenance's `duration` is minutes, as a string or a number.

use crate::{
    at_path, feed, json, no_min_interval, platform::page_root, platform::probe_first,
    rekey_by_link, Context, Endpoint, ParseError, Platform, Probe, Role, Spec,
};
use chrono::{DateTime, Utc};
use statuswatch_model::Warning;
use statuswatch_model::{ComponentState, Impact, Incident, Kind, Snapshot, Status};
use url::Url;

mod wire {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Summary {
        pub page: Page,
        #[serde(default)]
        pub active_incidents: Vec<Item>,
        #[serde(default)]
        pub active_maintenances: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Page {
        pub name: Option<String>,
        pub status: String,
    }

    #[derive(Debug, Deserialize)]
    pub struct Item {
        #[serde(default)]
        pub id: Option<String>,
        pub name: String,
        #[serde(default)]
        pub started: Option<String>,
        #[serde(default)]
        pub start: Option<String>,
        #[serde(default)]
        pub status: Option<String>,
        #[serde(default)]
        pub impact: Option<String>,
        #[serde(default)]
        pub duration: Option<serde_json::Value>,
        #[serde(default)]
        pub url: Option<String>,
    }
}

/// Instatus, in the registry.
pub static SPEC: Spec = Spec {
    name: "instatus",
    aliases: &[],
    about: "Instatus pages (summary.json and history.rss)",
    endpoints,
    probes,
    min_interval: no_min_interval,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// `summary.json`.
pub static SUMMARY: Role = Role {
    platform: "instatus",
    name: "summary",
    parse: parse_summary,
};

/// `history.rss`, keyed by incident id.
pub static FEED: Role = Role {
    platform: "instatus",
    name: "history",
    parse: parse_feed,
};

/// The summary at the page's root, on any host.
fn probes(input: &Url, _asked: bool) -> Vec<Probe> {
    probe_first(PLATFORM, page_root(input))
}

/// `summary.json`, then `history.rss`.
pub fn endpoints(url: &Url) -> Vec<Endpoint> {
    let base = url
        .path()
        .trim_end_matches('/')
        .trim_end_matches("/summary.json");
    vec![
        Endpoint::required(at_path(url, &format!("{base}/summary.json")), &SUMMARY),
        Endpoint::optional(
            at_path(url, &format!("{base}/v3/components.json")),
            &COMPONENTS,
        ),
        Endpoint::history(at_path(url, &format!("{base}/history.rss")), &FEED),
    ]
}

/// `v3/components.json`: the components, each with its group (a component
/// that is another's group is a group, not a component of its own).
pub static COMPONENTS: Role = Role {
    platform: "instatus",
    name: "components",
    parse: parse_components,
};

/// Parses `v3/components.json`.
pub fn parse_components(body: &[u8], _ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let doc: serde_json::Value = json(body)?;
    let list = doc
        .get("components")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| ParseError::WrongShape("no `components` list".into()))?;
    let id_of = |v: &serde_json::Value| v.get("id").map(crate::id_text);
    let groups: Vec<String> = list
        .iter()
        .filter_map(|c| c.get("group").filter(|g| g.is_object()).and_then(id_of))
        .collect();
    let components = list
        .iter()
        .filter(|c| id_of(c).is_none_or(|id| !groups.contains(&id)))
        .filter_map(|c| {
            let name = crate::str_at(c, "name")?.trim();
            let word = crate::str_at(c, "status").unwrap_or("");
            let group = c
                .get("group")
                .and_then(|g| crate::str_at(g, "name"))
                .map(|g| g.trim().to_string());
            Some(ComponentState::new(name, group, word, page_status(word)))
        })
        .collect();
    Ok(Snapshot {
        components,
        ..Snapshot::default()
    })
}

/// Instatus' page and component statuses.
fn page_status(word: &str) -> statuswatch_model::ComponentStatus {
    use statuswatch_model::ComponentStatus as C;
    match word {
        "UP" | "OPERATIONAL" => C::Operational,
        "HASISSUES" | "DEGRADEDPERFORMANCE" => C::Degraded,
        "PARTIALOUTAGE" => C::PartialOutage,
        "MAJOROUTAGE" => C::MajorOutage,
        "UNDERMAINTENANCE" => C::Maintenance,
        _ => C::Unknown,
    }
}

/// Parses `summary.json`.
pub fn parse_summary(body: &[u8], _ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let s: wire::Summary = json(body)?;
    if !matches!(
        s.page.status.as_str(),
        "UP" | "HASISSUES" | "UNDERMAINTENANCE"
    ) {
        return Err(ParseError::WrongShape(format!(
            "page status `{}` is not an Instatus status",
            s.page.status
        )));
    }
    let mut warnings = Vec::new();
    let mut incidents = Vec::new();
    for i in &s.active_incidents {
        incidents.push(item(i, false, &mut warnings));
    }
    for m in &s.active_maintenances {
        incidents.push(item(m, true, &mut warnings));
    }
    let name = s.page.name.clone().filter(|n| !n.trim().is_empty());
    Ok(Snapshot {
        components: vec![ComponentState::new(
            name.clone().unwrap_or_else(|| "Page".into()),
            None,
            s.page.status.clone(),
            page_status(&s.page.status),
        )],
        provider: name,
        incidents,
        warnings,
    })
}

/// Parses `history.rss`; incidents are keyed by the id in their links.
pub fn parse_feed(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let mut s = feed::parse_feed(body, ctx)?;
    rekey_by_link(
        &mut s,
        &["incident", "incidents", "maintenance", "maintenances"],
    );
    Ok(s)
}

/// Reads ISO 8601 or JavaScript's `Date.toString()` form.
pub fn date(v: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(v.trim()) {
        return Some(t.with_timezone(&Utc));
    }
    let head = v.split(" (").next()?.trim();
    DateTime::parse_from_str(head, "%a %b %d %Y %H:%M:%S GMT%z")
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn impact(word: &str) -> Option<Impact> {
    match word {
        "OPERATIONAL" => Some(Impact::None),
        "DEGRADEDPERFORMANCE" | "MINOROUTAGE" => Some(Impact::Minor),
        "PARTIALOUTAGE" => Some(Impact::Major),
        "MAJOROUTAGE" => Some(Impact::Critical),
        "UNDERMAINTENANCE" => Some(Impact::Maintenance),
        _ => None,
    }
}

fn item(w: &wire::Item, maintenance: bool, warnings: &mut Vec<Warning>) -> Incident {
    let raw = w.status.as_deref().unwrap_or("");
    let status = match raw {
        "NOTSTARTEDYET" => Status::Scheduled,
        "INPROGRESS" => Status::InProgress,
        "COMPLETED" => Status::Completed,
        other => Status::from_word(other).unwrap_or(if maintenance {
            Status::Scheduled
        } else {
            Status::Investigating
        }),
    };
    // An empty id (or link end) keys nothing: the next way of keying it is taken.
    let id =
        w.id.clone()
            .filter(|id| !id.trim().is_empty())
            .or_else(|| {
                let u = Url::parse(w.url.as_deref()?).ok()?;
                u.path_segments()?
                    .next_back()
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| statuswatch_model::stable_hash(&[&w.name]));
    let mut out = Incident::new(id, w.name.trim(), status);
    out.url = w.url.clone();
    let when = |field: &str, v: &Option<String>, warnings: &mut Vec<Warning>| {
        let v = v.as_deref()?;
        let t = date(v);
        if t.is_none() {
            warnings.push(crate::unreadable_date(Some(field), v, &"not a date"));
        }
        t
    };
    if maintenance {
        out.kind = Kind::Maintenance;
        out.impact = Some(Impact::Maintenance);
        out.scheduled_for = when("start", &w.start, warnings);
        let minutes = match &w.duration {
            Some(serde_json::Value::String(s)) => s.trim().parse::<i64>().ok(),
            Some(serde_json::Value::Number(n)) => n.as_i64(),
            _ => None,
        };
        if let (Some(start), Some(m)) = (out.scheduled_for, minutes) {
            // A duration no window can have (negative, or past any date) is
            // said, and the window's end left unknown.
            match chrono::Duration::try_minutes(m)
                .filter(|_| m >= 0)
                .and_then(|d| start.checked_add_signed(d))
            {
                Some(end) => out.scheduled_until = Some(end),
                None => warnings.push(
                    format!(
                        "maintenance {}: impossible duration {m} minutes",
                        out.vendor_id
                    )
                    .into(),
                ),
            }
        }
        if status == Status::InProgress {
            out.started_at = out.scheduled_for;
        }
    } else {
        out.impact = w.impact.as_deref().and_then(impact);
        out.started_at = when("started", &w.started, warnings);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn javascript_dates() {
        let t = super::date("Sat Jun 11 2022 18:55:50 GMT+0200 (Central European Summer Time)")
            .unwrap();
        assert_eq!(t.to_rfc3339(), "2022-06-11T16:55:50+00:00");
        assert!(super::date("yesterday").is_none());
    }
}
