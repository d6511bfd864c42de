//! Atlassian Statuspage public API v2, and pages that answer in its shape
//! (incident.io's compatibility `summary.json`).

mod adapter;
mod wire;

pub use adapter::{parse_list, parse_summary};

use crate::{Endpoint, Role};
use url::Url;

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
        Endpoint {
            url: join(&base, "api/v2/summary.json"),
            role: Role::StatuspageSummary,
        },
        Endpoint {
            url: join(&base, "api/v2/incidents.json"),
            role: Role::StatuspageIncidents,
        },
        Endpoint {
            url: join(&base, "api/v2/scheduled-maintenances.json"),
            role: Role::StatuspageMaintenances,
        },
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
