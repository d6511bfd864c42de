//! One adapter per status page platform.
//!
//! Each platform module holds the vendor's wire types and a pure function from
//! the bytes of an answer to a [`Snapshot`]. Adapters never fetch: the engine
//! fetches the [`Endpoint`]s a platform names and hands each body to [`parse`].
//! A partly odd answer yields what was understood plus warnings; `Err` means
//! the answer is not of the expected format at all (and so changes nothing).

pub mod detect;
pub mod feed;
pub mod gcp;
pub mod html;
pub mod slack;
pub mod statuspage;

use chrono::{DateTime, Utc};
use statuswatch_model::{merge, Snapshot};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use url::Url;

/// Every platform statuswatch reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    /// Atlassian Statuspage public API v2 (`/api/v2/*.json`), and pages that serve its shape.
    Statuspage,
    /// An RSS or Atom feed, including Statuspage's `history.atom` / `history.rss`.
    Feed,
    /// Google Cloud's `status.cloud.google.com/incidents.json`.
    Gcp,
    /// Slack's status API v2.0.0.
    Slack,
    /// Any other page (a custom status page, an incident page), read with the extractor.
    Html,
}

impl Platform {
    /// Every platform.
    pub const ALL: [Platform; 4] = [
        Platform::Statuspage,
        Platform::Feed,
        Platform::Gcp,
        Platform::Html,
    ];

    /// The platform's name in the CLI and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Statuspage => "statuspage",
            Platform::Feed => "feed",
            Platform::Gcp => "gcp",
            Platform::Slack => "slack",
            Platform::Html => "html",
        }
    }

    /// The endpoints to fetch for one poll of a source at `url`, in order.
    pub fn endpoints(self, url: &Url) -> Vec<Endpoint> {
        match self {
            Platform::Statuspage => statuspage::endpoints(url),
            Platform::Feed => vec![Endpoint {
                url: url.clone(),
                role: Role::Feed,
            }],
            Platform::Gcp => gcp::endpoints(url),
            Platform::Slack => slack::endpoints(url),
            Platform::Html => vec![Endpoint {
                url: url.clone(),
                role: Role::Html,
            }],
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Platform {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        match lower.as_str() {
            "statuspage" | "atlassian" => Ok(Platform::Statuspage),
            "feed" | "rss" | "atom" => Ok(Platform::Feed),
            "gcp" | "google-cloud" | "googlecloud" => Ok(Platform::Gcp),
            "slack" => Ok(Platform::Slack),
            "html" | "page" => Ok(Platform::Html),
            _ => Err(format!(
                "unknown platform `{s}` (known: {})",
                Platform::ALL.map(Platform::as_str).join(", ")
            )),
        }
    }
}

/// What an endpoint's answer is, which decides how it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Statuspage `summary.json`: page, components, unresolved incidents, active maintenances.
    StatuspageSummary,
    /// Statuspage `incidents.json`: the 50 most recent incidents.
    StatuspageIncidents,
    /// Statuspage `scheduled-maintenances.json`.
    StatuspageMaintenances,
    /// An RSS or Atom feed.
    Feed,
    /// Google Cloud's `incidents.json`.
    GcpIncidents,
    /// Slack's `current`.
    SlackCurrent,
    /// Slack's `history`.
    SlackHistory,
    /// A web page read with the extractor.
    Html,
}

/// One URL to fetch during a poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Where.
    pub url: Url,
    /// What it answers.
    pub role: Role,
}

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
}

/// What an adapter may need besides the bytes.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The time of the poll; dates without a year are placed at or before it.
    pub now: DateTime<Utc>,
    /// Component group names by component id, learned from an earlier endpoint
    /// of the same poll (Statuspage's `incidents.json` names no groups).
    pub groups: HashMap<String, String>,
}

/// Parses one endpoint's answer.
pub fn parse(role: Role, body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    match role {
        Role::StatuspageSummary => statuspage::parse_summary(body, ctx),
        Role::StatuspageIncidents | Role::StatuspageMaintenances => {
            statuspage::parse_list(body, ctx)
        }
        Role::Feed => feed::parse_feed(body, ctx),
        Role::GcpIncidents => gcp::parse_incidents(body, ctx),
        Role::SlackCurrent => slack::parse_current(body, ctx),
        Role::SlackHistory => slack::parse_history(body, ctx),
        Role::Html => html::parse_page(body, ctx),
    }
}

/// Combines the snapshots of one poll's endpoints into one: incidents seen in
/// several answers are merged (their timelines united), the first provider
/// name and component list win.
pub fn combine(parts: Vec<Snapshot>) -> Snapshot {
    let mut out = Snapshot::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    for part in parts {
        if out.provider.is_none() {
            out.provider = part.provider;
        }
        if out.components.is_empty() {
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

/// A vendor's RFC 3339 timestamp in UTC; an unreadable one is a warning
/// (prefixed with the field's name when given), not a failure.
pub(crate) fn timestamp(
    field: Option<&str>,
    value: Option<&str>,
    warnings: &mut Vec<String>,
) -> Option<DateTime<Utc>> {
    let v = value?;
    match DateTime::parse_from_rfc3339(v) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(e) => {
            let prefix = field.map(|f| format!("{f}: ")).unwrap_or_default();
            warnings.push(format!("{prefix}unreadable timestamp `{v}`: {e}"));
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
