//! One adapter per status page platform.
//!
//! Each platform module holds the vendor's wire types and a pure function from
//! the bytes of an answer to a [`Snapshot`]. Adapters never fetch: the engine
//! fetches the [`Endpoint`]s a platform names and hands each body to [`parse`].
//! Each platform module describes itself in a [`Spec`], listed in [`REGISTRY`].
//! A partly odd answer yields what was understood plus warnings; `Err` means
//! the answer is not of the expected format at all (and so changes nothing).

pub mod apple;
pub mod aws;
pub mod azure;
pub mod betterstack;
pub mod bounds;
pub mod cachet;
pub mod cstate;
pub mod detect;
pub mod feed;
pub mod gcp;
pub mod heroku;
pub mod html;
pub mod incidentio;
pub mod instatus;
mod platform;
pub mod slack;
pub mod sorry;
pub mod statusio;
pub mod statuspage;
pub mod uptimekuma;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use statuswatch_model::{merge, Snapshot, Warning};
use std::collections::{BTreeMap, HashMap};
use url::Url;

pub use platform::{
    min_request_interval, no_min_interval, one_per_second, Endpoint, Platform, Probe, Refresh,
    Role, Spec, UnknownPlatform, REGISTRY,
};

/// Why an answer could not be used at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The body was empty.
    #[error("empty answer")]
    Empty,
    /// JSON was expected and something else came.
    #[error("not JSON: {0}")]
    NotJson(String),
    /// The JSON ended early.
    #[error("truncated JSON: {0}")]
    Truncated(String),
    /// JSON, but not of the platform's shape.
    #[error("unexpected JSON shape: {0}")]
    WrongShape(String),
    /// Not an RSS or Atom feed.
    #[error("not a feed: {0}")]
    NotFeed(String),
    /// A date the answer states that is no date (30 February, 25:61): the
    /// answer is garbled, and nothing is taken from it.
    #[error("{0}")]
    UnreadableDate(String),
    /// A page that would cost too much to read (nested too deep, too many
    /// elements, too long to parse): refused whole.
    #[error("{0}")]
    TooComplex(#[from] statuswatch_extract::TooComplex),
}

/// What an adapter may need besides the bytes.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The time of the poll; dates without a year are placed at or before it.
    pub now: DateTime<Utc>,
    /// Component group names by component id, learned from an earlier endpoint
    /// of the same poll (Statuspage's `incidents.json` names no groups).
    pub groups: HashMap<String, String>,
    /// Per chain of a platform whose items are single updates (AWS: one chain
    /// per service and region; Azure: one per title), what earlier polls
    /// decided. Saved with the source between polls.
    pub chains: BTreeMap<String, Chain>,
    /// The time zone of timestamps that carry no offset (Cachet), from the
    /// source URL's `#tz=<IANA name>`; UTC when not given.
    pub zone: Option<chrono_tz::Tz>,
    /// Component names by id, in the page's order, learned from an earlier
    /// endpoint of the same poll (Uptime Kuma's heartbeats name monitors by
    /// id only).
    pub names: Vec<(String, String)>,
}

/// What earlier polls decided about one chain of updates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chain {
    /// The incident the chain's latest updates belong to, while it is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<OpenChain>,
    /// Updates at or before this time (Unix seconds) belong to incidents that
    /// are over; they are not read again.
    #[serde(default)]
    pub closed_through: i64,
    /// Azure: how many well-formed answers in a row no longer listed the open event.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub absent: u32,
    /// Azure: when the open event was first missing (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent_since: Option<i64>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The open incident of a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenChain {
    /// The incident's key.
    pub key: String,
    /// When its first update was posted (Unix seconds).
    pub start: i64,
    /// Its title, for an inferred end (Azure).
    #[serde(default)]
    pub title: String,
}

/// Parses one endpoint's answer with its platform's reader.
pub fn parse(role: &Role, body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    let mut snapshot = (role.parse)(body, ctx)?;
    // Whatever the platform, an incident without a key cannot be followed
    // across polls (an empty id, say): it is skipped, with a warning.
    let before = snapshot.incidents.len();
    snapshot
        .incidents
        .retain(|i| !i.vendor_id.trim().is_empty());
    if snapshot.incidents.len() < before {
        snapshot.warnings.push(
            format!(
                "{} incidents without an id skipped",
                before - snapshot.incidents.len()
            )
            .into(),
        );
    }
    bounds::bound(&mut snapshot, ctx.now);
    // A date stated but unreadable makes the whole answer untrustworthy: read
    // as absent it would move times, re-key updates keyed by their time and
    // announce them again. The answer is refused; what is stored stays.
    if let Some(w) = snapshot
        .warnings
        .iter()
        .find(|w| matches!(w, Warning::UnreadableDate { .. }))
    {
        let more = snapshot
            .warnings
            .iter()
            .filter(|w| matches!(w, Warning::UnreadableDate { .. }))
            .count()
            - 1;
        let more = if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        };
        return Err(ParseError::UnreadableDate(format!("{w}{more}")));
    }
    Ok(snapshot)
}

/// The warning for a date the answer states that cannot be read; [`parse`]
/// refuses an answer with any.
pub(crate) fn unreadable_date(
    field: Option<&str>,
    value: &str,
    why: &dyn std::fmt::Display,
) -> Warning {
    Warning::unreadable_date(field, value, why)
}

/// Combines the snapshots of one poll's endpoints into one: incidents seen in
/// several answers are merged (their timelines united), the first provider
/// name and the fullest component list win.
pub fn combine(parts: Vec<Snapshot>) -> Snapshot {
    let mut out = Snapshot::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    for part in parts {
        if out.provider.is_none() {
            out.provider = part.provider;
        }
        // The fullest list of components wins (a page's own state is a list
        // of one); of two as full, the one that knows more states.
        let unknown = |c: &[statuswatch_model::ComponentState]| {
            c.iter()
                .filter(|c| c.state == statuswatch_model::ComponentStatus::Unknown)
                .count()
        };
        if part.components.len() > out.components.len()
            || (part.components.len() == out.components.len()
                && unknown(&part.components) < unknown(&out.components))
        {
            out.components = part.components;
        }
        out.warnings.extend(part.warnings);
        for incident in part.incidents {
            match index.get(&incident.vendor_id) {
                Some(&i) => {
                    let merged =
                        merge::merge(Some(&out.incidents[i]), &incident, merge::Mode::Live);
                    out.incidents[i] = merged.incident;
                }
                None => {
                    index.insert(incident.vendor_id.clone(), out.incidents.len());
                    out.incidents.push(incident);
                }
            }
        }
    }
    out
}

/// A vendor's RFC 3339 timestamp in UTC; an unreadable one is an
/// [`unreadable_date`] warning (naming the field when given), and [`parse`]
/// refuses the answer.
pub(crate) fn timestamp(
    field: Option<&str>,
    value: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> Option<DateTime<Utc>> {
    let v = value?;
    match DateTime::parse_from_rfc3339(v) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(e) => {
            warnings.push(unreadable_date(field, v, &e));
            None
        }
    }
}

/// Classifies a JSON parse failure: truncated, or not JSON at all.
pub(crate) fn json_error(body: &[u8], err: &serde_json::Error) -> ParseError {
    let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
    match first {
        Some(b'{') | Some(b'[') if err.is_eof() => ParseError::Truncated(err.to_string()),
        Some(b'{') | Some(b'[') if err.is_data() => ParseError::WrongShape(err.to_string()),
        Some(b'<') => ParseError::NotJson("the answer is HTML or XML".into()),
        _ => ParseError::NotJson(err.to_string()),
    }
}

/// Rekeys the incidents of a feed by the vendor id at the end of their links
/// (`.../incident/<id>`), so a platform's feed and its JSON name the same
/// incident alike; items without such a link keep their feed key.
pub(crate) fn rekey_by_link(snapshot: &mut Snapshot, id_after: &[&str]) {
    for i in &mut snapshot.incidents {
        let Some(url) = i.url.as_deref() else {
            continue;
        };
        let Ok(u) = Url::parse(url) else { continue };
        let segs: Vec<&str> = u.path_segments().map(|s| s.collect()).unwrap_or_default();
        if let Some(pos) = segs.iter().rposition(|s| id_after.contains(s)) {
            if let Some(id) = segs.get(pos + 1).filter(|s| !s.is_empty()) {
                i.vendor_id = (*id).to_string();
            }
        }
    }
}

/// A JSON id as text: strings as they are, numbers in decimal.
pub(crate) fn id_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// The string at `key` of a JSON object, if it is one.
pub(crate) fn str_at<'a>(v: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(serde_json::Value::as_str)
}

/// A URL on the same host with this path and no query.
pub(crate) fn at_path(url: &Url, path: &str) -> Url {
    let mut u = url.clone();
    u.set_path(path);
    u.set_query(None);
    u.set_fragment(None);
    u
}

/// Reads a JSON body into `T`, classifying failures.
pub(crate) fn json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ParseError> {
    serde_json::from_slice(body).map_err(|e| json_error(body, &e))
}

/// The time zone a source URL names in its fragment (`#tz=Europe/Berlin`),
/// for platforms whose times carry no offset.
pub fn zone_of(url: &Url) -> Option<chrono_tz::Tz> {
    url.fragment()?
        .split('&')
        .find_map(|kv| kv.strip_prefix("tz="))
        .and_then(|z| z.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn documented_rate_limits_and_shared_hosts_are_spaced() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert_eq!(
            min_request_interval(
                &u("https://status.zendesk.com/api/incidents/active"),
                crate::html::PLATFORM
            ),
            Some(Duration::from_secs(6)),
            "10 requests per minute"
        );
        assert_eq!(
            min_request_interval(
                &u("https://api.status.io/1.0/status/x"),
                crate::statusio::PLATFORM
            ),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            min_request_interval(
                &u("https://status.example.org/api/v1/incidents"),
                crate::cachet::PLATFORM
            ),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            min_request_interval(
                &u("https://www.githubstatus.com/"),
                crate::statuspage::PLATFORM
            ),
            None
        );
    }

    #[test]
    fn every_platform_has_a_name_that_parses_back() {
        for p in Platform::all() {
            assert_eq!(p.as_str().parse::<Platform>(), Ok(p));
        }
        let err = "nope".parse::<Platform>().unwrap_err().to_string();
        assert!(err.contains("slack") && err.contains("cachet"), "{err}");
    }

    #[test]
    fn a_zone_on_the_source_url() {
        let z = zone_of(&Url::parse("https://s.example.org/api/v1/#tz=Europe/Berlin").unwrap());
        assert_eq!(z, Some(chrono_tz::Europe::Berlin));
        assert_eq!(
            zone_of(&Url::parse("https://s.example.org/api/v1/").unwrap()),
            None
        );
    }
}
