//! The platform registry: every platform module describes itself in one
//! [`Spec`] (its name, the endpoints one poll reads, the probes that detect
//! it, the spacing its hosts need) and [`REGISTRY`] lists them, in the order
//! detection tries them. Adding a platform is one module with a `SPEC` and
//! one line in [`REGISTRY`] (CONTRIBUTING.md has the recipe).

use crate::{Context, ParseError};
use statuswatch_model::Snapshot;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use std::time::Duration;
use url::Url;

/// What one endpoint's answer is, and the pure function that reads it.
/// Each platform module declares its roles as statics.
pub struct Role {
    /// The platform's name.
    pub platform: &'static str,
    /// The endpoint's name within the platform (`summary`, `history`).
    pub name: &'static str,
    /// Reads the answer.
    pub parse: fn(&[u8], &mut Context) -> Result<Snapshot, ParseError>,
}

impl PartialEq for Role {
    fn eq(&self, other: &Self) -> bool {
        self.platform == other.platform && self.name == other.name
    }
}

impl Eq for Role {}

impl Hash for Role {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.platform.hash(state);
        self.name.hash(state);
    }
}

impl fmt::Debug for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.platform, self.name)
    }
}

/// One URL to fetch during a poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Where.
    pub url: Url,
    /// What it answers.
    pub role: &'static Role,
    /// Whether the poll fails when this endpoint does. A secondary endpoint
    /// (a history feed, an incidents list) that answers 404 or 410 is a
    /// warning on the source's health instead, and what the others answered
    /// is still stored.
    pub required: bool,
    /// When a poll reads it.
    pub refresh: Refresh,
}

/// When a poll reads an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// Every poll: the page's live answer (what is open now, component states).
    EveryPoll,
    /// A history (every incident, resolved ones included): read on the first
    /// poll, when a live answer of the same poll changed (an incident opened,
    /// moved or left it, so its resolution is read here), and otherwise once
    /// every `history_every` for late edits and postmortems.
    OnChange,
}

impl Endpoint {
    /// An endpoint the poll cannot do without.
    pub fn required(url: Url, role: &'static Role) -> Self {
        Endpoint {
            url,
            role,
            required: true,
            refresh: Refresh::EveryPoll,
        }
    }

    /// A secondary live endpoint, read every poll: its absence (404, 410) is
    /// a warning, not a failure.
    pub fn optional(url: Url, role: &'static Role) -> Self {
        Endpoint {
            url,
            role,
            required: false,
            refresh: Refresh::EveryPoll,
        }
    }

    /// A secondary history, read only when the live answer changed (or
    /// now and then): its absence is a warning, not a failure.
    pub fn history(url: Url, role: &'static Role) -> Self {
        Endpoint {
            url,
            role,
            required: false,
            refresh: Refresh::OnChange,
        }
    }
}

/// One URL to try when detecting a page's platform, and what it would be if
/// it answers well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// Where to ask.
    pub url: Url,
    /// How to read the answer.
    pub role: &'static Role,
    /// The platform this would be.
    pub platform: Platform,
    /// The URL to store as the source's URL if this probe succeeds.
    pub source_url: Url,
}

/// A probe of the first endpoint a poll of a source at `source` reads: what
/// detects most hosted platforms.
pub fn probe_first(platform: Platform, source: Url) -> Vec<Probe> {
    platform
        .endpoints(&source)
        .into_iter()
        .take(1)
        .map(|e| Probe {
            url: e.url,
            role: e.role,
            platform,
            source_url: source.clone(),
        })
        .collect()
}

/// The page's root for what a user pasted: the page itself, or one of its
/// API, feed or incident URLs cut to the page.
pub fn page_root(input: &Url) -> Url {
    crate::statuspage::base_url(input)
}

/// Everything statuswatch knows of one platform.
pub struct Spec {
    /// The name in the CLI, the config and the store (`statuspage`).
    pub name: &'static str,
    /// Other names people type (`atlassian`).
    pub aliases: &'static [&'static str],
    /// What it is, in a few words.
    pub about: &'static str,
    /// The endpoints one poll of a source at this URL reads, in order.
    pub endpoints: fn(&Url) -> Vec<Endpoint>,
    /// The probes that would detect this platform for what a user pasted;
    /// `asked`: the user named this platform (`--platform`), so the probes
    /// apply whatever the host.
    pub probes: fn(input: &Url, asked: bool) -> Vec<Probe>,
    /// The spacing this platform's hosts need beyond the fetcher's default,
    /// where a documented limit or a shared host calls for it.
    pub min_interval: fn(&Url) -> Option<Duration>,
}

/// No extra spacing.
pub fn no_min_interval(_: &Url) -> Option<Duration> {
    None
}

/// One request per second per host (our choice): for pages served by the
/// small, often self-hosted servers of Cachet, Sorry, cState and Uptime Kuma.
pub fn one_per_second(_: &Url) -> Option<Duration> {
    Some(Duration::from_secs(1))
}

/// Every platform, in the order detection tries them: platforms of one
/// vendor's own hosts first, then hosted platforms richest first (incident.io
/// before its Statuspage shim), then feeds, and last any page read with the
/// extractor.
pub static REGISTRY: &[&Spec] = &[
    &crate::gcp::SPEC,
    &crate::apple::SPEC,
    &crate::slack::SPEC,
    &crate::aws::SPEC,
    &crate::azure::SPEC,
    &crate::heroku::SPEC,
    &crate::statusio::SPEC,
    &crate::incidentio::SPEC,
    &crate::statuspage::SPEC,
    &crate::instatus::SPEC,
    &crate::betterstack::SPEC,
    &crate::cachet::SPEC,
    &crate::sorry::SPEC,
    &crate::uptimekuma::SPEC,
    &crate::cstate::SPEC,
    &crate::feed::SPEC,
    &crate::html::SPEC,
];

/// A platform: a handle on its [`Spec`] in the registry.
#[derive(Clone, Copy)]
pub struct Platform(&'static Spec);

impl Platform {
    /// The platform of this spec.
    pub const fn of(spec: &'static Spec) -> Platform {
        Platform(spec)
    }

    /// Every platform, in detection order.
    pub fn all() -> impl Iterator<Item = Platform> {
        REGISTRY.iter().map(|s| Platform(s))
    }

    /// Its spec.
    pub fn spec(self) -> &'static Spec {
        self.0
    }

    /// The platform's name in the CLI and the store.
    pub fn as_str(self) -> &'static str {
        self.0.name
    }

    /// The endpoints to fetch for one poll of a source at `url`, in order.
    pub fn endpoints(self, url: &Url) -> Vec<Endpoint> {
        (self.0.endpoints)(url)
    }

    /// Every platform's name, for messages.
    pub fn names() -> String {
        Platform::all()
            .map(Platform::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl PartialEq for Platform {
    fn eq(&self, other: &Self) -> bool {
        self.0.name == other.0.name
    }
}

impl Eq for Platform {}

impl Hash for Platform {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}

impl fmt::Debug for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

/// A platform name no adapter answers to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown platform `{0}` (known: {known})", known = Platform::names())]
pub struct UnknownPlatform(pub String);

impl FromStr for Platform {
    type Err = UnknownPlatform;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Platform::all()
            .find(|p| p.0.name == lower || p.0.aliases.contains(&lower.as_str()))
            .ok_or_else(|| UnknownPlatform(s.to_string()))
    }
}

/// Hosts with a documented limit, whatever the platform:
/// `status.zendesk.com` documents 10 requests per minute for its status API,
/// so one request every 6 s.
fn known_host_interval(url: &Url) -> Option<Duration> {
    match url.host_str() {
        Some("status.zendesk.com") => Some(Duration::from_secs(6)),
        _ => None,
    }
}

/// The shortest spacing between two requests to `url`'s host that this
/// platform or host needs, beyond the fetcher's default (the longest rule wins).
pub fn min_request_interval(url: &Url, platform: Platform) -> Option<Duration> {
    known_host_interval(url)
        .into_iter()
        .chain((platform.0.min_interval)(url))
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_every_role_belongs_to_its_platform() {
        let mut seen = std::collections::HashSet::new();
        for p in Platform::all() {
            assert!(seen.insert(p.as_str()), "{p} registered twice");
            for a in p.spec().aliases {
                assert!(seen.insert(a), "alias {a} of {p} taken");
            }
            let url = Url::parse("https://status.example.com/").unwrap();
            for e in p.endpoints(&url) {
                assert_eq!(e.role.platform, p.as_str(), "{:?}", e.role);
            }
            for probe in (p.spec().probes)(&url, true) {
                assert_eq!(probe.platform, p, "{:?}", probe.role);
                assert_eq!(probe.role.platform, p.as_str(), "{:?}", probe.role);
            }
        }
        assert_eq!(
            seen.len(),
            REGISTRY.iter().map(|s| 1 + s.aliases.len()).sum::<usize>()
        );
    }

    #[test]
    fn the_first_endpoint_of_every_platform_is_required() {
        let url =
            Url::parse("https://status.example.com/pages/5b36dc6502d06804c08349f7/rss").unwrap();
        for p in Platform::all() {
            let e = p.endpoints(&url);
            assert!(e.first().is_some_and(|e| e.required), "{p}");
        }
    }
}
