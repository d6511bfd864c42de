//! Atlassian Statuspage public API v2, and pages that answer in its shape
//! (incident.io's compatibility `summary.json`).

mod adapter;
pub mod wire;

pub use adapter::{parse_list, parse_summary};

use crate::{no_min_interval, Endpoint, Platform, Probe, Role, Spec};
use url::Url;

/// Atlassian Statuspage, in the registry.
pub static SPEC: Spec = Spec {
    name: "statuspage",
    aliases: &["atlassian"],
    about: "Atlassian Statuspage public API v2 (/api/v2/*.json), and pages that serve its shape",
    endpoints,
    probes,
    min_interval: no_min_interval,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// `summary.json`: page, components, unresolved incidents, active maintenances.
pub static SUMMARY: Role = Role {
    platform: "statuspage",
    name: "summary",
    parse: parse_summary,
};

/// `incidents.json`: the 50 most recent incidents.
pub static INCIDENTS: Role = Role {
    platform: "statuspage",
    name: "incidents",
    parse: parse_list,
};

/// `scheduled-maintenances.json`.
pub static MAINTENANCES: Role = Role {
    platform: "statuspage",
    name: "scheduled-maintenances",
    parse: parse_list,
};

/// The summary at the page's base, whatever part of the page was pasted.
fn probes(input: &Url, _asked: bool) -> Vec<Probe> {
    let base = base_url(input);
    vec![Probe {
        url: join(&base, "api/v2/summary.json"),
        role: &SUMMARY,
        platform: PLATFORM,
        source_url: base,
    }]
}

/// The page's base URL for any URL a user may paste: the page itself, or one of
/// its `/api/v2/...` or `/history.atom` URLs.
pub fn base_url(url: &Url) -> Url {
    let mut base = url.clone();
    let path = url.path();
    // What follows the page's root on the pages and answers a user may paste.
    let cut = [
        "/api/",
        "/history.atom",
        "/history.rss",
        "/history",
        "/incidents/",
        "/incident/",
        "/maintenance/",
        "/maintenances/",
        "/notices/",
        "/summary.json",
        "/index.json",
        "/feed.atom",
        "/feed.rss",
    ]
    .iter()
    .filter_map(|m| path.find(m))
    .min();
    let keep = match cut {
        Some(i) => &path[..i],
        None => path,
    };
    base.set_path(keep.trim_end_matches('/'));
    base.set_query(None);
    base.set_fragment(None);
    base
}

fn join(base: &Url, rest: &str) -> Url {
    let mut u = base.clone();
    let path = format!("{}/{}", base.path().trim_end_matches('/'), rest);
    u.set_path(&path);
    u
}

/// The three answers one poll reads: current state, recent incidents, maintenances.
pub fn endpoints(url: &Url) -> Vec<Endpoint> {
    let base = base_url(url);
    vec![
        Endpoint::required(join(&base, "api/v2/summary.json"), &SUMMARY),
        Endpoint::history(join(&base, "api/v2/incidents.json"), &INCIDENTS),
        Endpoint::history(
            join(&base, "api/v2/scheduled-maintenances.json"),
            &MAINTENANCES,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_from_every_kind_of_url() {
        for u in [
            "https://www.githubstatus.com",
            "https://www.githubstatus.com/",
            "https://www.githubstatus.com/api/v2/summary.json",
            "https://www.githubstatus.com/api/v2/incidents.json?x=1",
            "https://www.githubstatus.com/history.atom",
        ] {
            assert_eq!(
                base_url(&Url::parse(u).unwrap()).as_str(),
                "https://www.githubstatus.com/",
                "{u}"
            );
        }
        let e = endpoints(&Url::parse("https://example.com/status/").unwrap());
        assert_eq!(
            e[0].url.as_str(),
            "https://example.com/status/api/v2/summary.json"
        );
    }
}
