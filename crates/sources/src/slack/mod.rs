//! Slack's status API v2.0.0 (`slack-status.com/api/v2.0.0/current` and `/history`).

mod adapter;
mod wire;

pub use adapter::{parse_current, parse_history};

use crate::{no_min_interval, Endpoint, Platform, Probe, Role, Spec};
use url::Url;

/// Slack, in the registry.
pub static SPEC: Spec = Spec {
    name: "slack",
    aliases: &[],
    about: "Slack's status API v2.0.0",
    endpoints,
    probes,
    min_interval: no_min_interval,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// `current`: the incidents open now.
pub static CURRENT: Role = Role {
    platform: "slack",
    name: "current",
    parse: parse_current,
};

/// `history`: recent incidents with their resolutions.
pub static HISTORY: Role = Role {
    platform: "slack",
    name: "history",
    parse: parse_history,
};

/// On Slack's status hosts: its history, stored as the site's root.
fn probes(input: &Url, asked: bool) -> Vec<Probe> {
    if !is_slack_status(input) && !asked {
        return Vec::new();
    }
    let mut root = input.clone();
    root.set_path("/");
    endpoints(input)
        .into_iter()
        .filter(|e| e.role == &HISTORY)
        .map(|e| Probe {
            url: e.url,
            role: e.role,
            platform: PLATFORM,
            source_url: root.clone(),
        })
        .collect()
}

/// Whether a URL is Slack's status site.
pub fn is_slack_status(url: &Url) -> bool {
    matches!(
        url.host_str(),
        Some("slack-status.com") | Some("status.slack.com")
    )
}

/// Current incidents, then the history (which carries resolutions).
pub fn endpoints(url: &Url) -> Vec<Endpoint> {
    let at = |path: &str| {
        let mut u = url.clone();
        u.set_path(path);
        u.set_query(None);
        u
    };
    vec![
        Endpoint::required(at("/api/v2.0.0/current"), &CURRENT),
        Endpoint::history(at("/api/v2.0.0/history"), &HISTORY),
    ]
}
