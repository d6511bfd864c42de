//! Google Cloud's status page: `status.cloud.google.com/incidents.json`, the
//! whole incident history as one array.

mod adapter;
mod wire;

pub use adapter::parse_incidents;

use crate::{no_min_interval, Endpoint, Platform, Probe, Role, Spec};
use url::Url;

/// Google Cloud, in the registry.
pub static SPEC: Spec = Spec {
    name: "gcp",
    aliases: &["google-cloud", "googlecloud"],
    about: "Google Cloud's status.cloud.google.com/incidents.json",
    endpoints,
    probes,
    min_interval: no_min_interval,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// `incidents.json`.
pub static INCIDENTS: Role = Role {
    platform: "gcp",
    name: "incidents",
    parse: parse_incidents,
};

/// On Google's host, or a pasted `.../incidents.json` that is not Statuspage's.
fn probes(input: &Url, asked: bool) -> Vec<Probe> {
    let path = input.path();
    let ours = input.host_str() == Some("status.cloud.google.com")
        || (path.ends_with("/incidents.json") && !path.contains("/api/v2/"));
    if !ours && !asked {
        return Vec::new();
    }
    endpoints(input)
        .into_iter()
        .take(1)
        .map(|e| Probe {
            url: e.url.clone(),
            role: e.role,
            platform: PLATFORM,
            source_url: e.url,
        })
        .collect()
}

/// The one answer a poll reads.
pub fn endpoints(url: &Url) -> Vec<Endpoint> {
    let mut u = url.clone();
    if !u.path().ends_with("/incidents.json") {
        u.set_path("/incidents.json");
    }
    u.set_query(None);
    vec![Endpoint::required(u, &INCIDENTS)]
}
