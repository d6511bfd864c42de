//! Slack's status API v2.0.0 (`slack-status.com/api/v2.0.0/current` and `/history`).

mod adapter;
mod wire;

pub use adapter::{parse_current, parse_history};

use crate::{Endpoint, Role};
use url::Url;

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
        Endpoint {
            url: at("/api/v2.0.0/current"),
            role: Role::SlackCurrent,
        },
        Endpoint {
            url: at("/api/v2.0.0/history"),
            role: Role::SlackHistory,
        },
    ]
}
