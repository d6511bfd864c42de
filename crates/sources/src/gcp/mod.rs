//! Google Cloud's status page, `status.cloud.google.com/incidents.json` (the
//! whole incident history as one array), and Google's product dashboards
//! that serve the same schema under their own root: Workspace (Gmail, Drive,
//! Meet, Gemini), Ads, Firebase, Play, Search, and the Maps Platform.

mod adapter;
mod wire;

pub use adapter::{parse_dashboard, parse_incidents};

use crate::{no_min_interval, Endpoint, Platform, Probe, Role, Spec};
use url::Url;

/// Google Cloud, in the registry.
pub static SPEC: Spec = Spec {
    name: "gcp",
    aliases: &["google-cloud", "googlecloud", "google"],
    about: "Google Cloud's and Google's product dashboards' incidents.json",
    endpoints,
    probes,
    min_interval: no_min_interval,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// One of Google's dashboards: where it lives, whose it is, and the role
/// that reads its `incidents.json`.
pub struct Dashboard {
    /// Its host.
    pub host: &'static str,
    /// The path its pages and `incidents.json` are under (ends with `/`).
    pub root: &'static str,
    /// Whose status it is.
    pub provider: &'static str,
    /// The role reading its answer.
    pub role: &'static Role,
}

/// Google's dashboards of this schema; Cloud's first, the most specific
/// root of a host before its `/`.
pub static DASHBOARDS: [Dashboard; 7] = [
    Dashboard {
        host: "status.cloud.google.com",
        root: "/",
        provider: "Google Cloud",
        role: &INCIDENTS,
    },
    Dashboard {
        host: "status.cloud.google.com",
        root: "/maps-platform/",
        provider: "Google Maps Platform",
        role: &MAPS,
    },
    Dashboard {
        host: "www.google.com",
        root: "/appsstatus/dashboard/",
        provider: "Google Workspace",
        role: &WORKSPACE,
    },
    Dashboard {
        host: "ads.google.com",
        root: "/status/publisher/",
        provider: "Google Ads",
        role: &ADS,
    },
    Dashboard {
        host: "status.firebase.google.com",
        root: "/",
        provider: "Firebase",
        role: &FIREBASE,
    },
    Dashboard {
        host: "status.play.google.com",
        root: "/",
        provider: "Google Play",
        role: &PLAY,
    },
    Dashboard {
        host: "status.search.google.com",
        root: "/",
        provider: "Google Search",
        role: &SEARCH,
    },
];

/// Google Cloud's `incidents.json`.
pub static INCIDENTS: Role = Role {
    platform: "gcp",
    name: "incidents",
    parse: parse_incidents,
};

macro_rules! dashboard_role {
    ($role:ident, $name:literal, $n:literal, $parse:ident) => {
        #[doc = concat!("The `incidents.json` of Google's ", $name, " dashboard.")]
        pub static $role: Role = Role {
            platform: "gcp",
            name: $name,
            parse: $parse,
        };
        fn $parse(
            body: &[u8],
            ctx: &mut crate::Context,
        ) -> Result<statuswatch_model::Snapshot, crate::ParseError> {
            parse_dashboard(body, ctx, &DASHBOARDS[$n])
        }
    };
}

dashboard_role!(MAPS, "maps-platform", 1, parse_maps);
dashboard_role!(WORKSPACE, "workspace", 2, parse_workspace);
dashboard_role!(ADS, "ads", 3, parse_ads);
dashboard_role!(FIREBASE, "firebase", 4, parse_firebase);
dashboard_role!(PLAY, "play", 5, parse_play);
dashboard_role!(SEARCH, "search", 6, parse_search);

/// The dashboard `url` is on: by host and root, or by a path only Google's
/// dashboards have (`/appsstatus/dashboard/`, `/status/publisher/`, so a
/// copy served elsewhere is read too).
fn dashboard(url: &Url) -> Option<&'static Dashboard> {
    let path = url.path();
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    let under = |root: &str| path.starts_with(root) || format!("{path}/") == root;
    DASHBOARDS
        .iter()
        .filter(|d| d.root != "/")
        .find(|d| under(d.root) && (d.host == host || !host.ends_with("google.com")))
        .or_else(|| {
            // `www.google.com/appsstatus` (what lists give) is Workspace's.
            (host == "www.google.com" && path.starts_with("/appsstatus")).then(|| &DASHBOARDS[2])
        })
        .or_else(|| DASHBOARDS.iter().find(|d| d.host == host && d.root == "/"))
        .or_else(|| {
            (host == "ads.google.com" && path.starts_with("/status")).then(|| &DASHBOARDS[3])
        })
}

/// On Google's dashboards, or a pasted `.../incidents.json` that is not
/// Statuspage's.
fn probes(input: &Url, asked: bool) -> Vec<Probe> {
    let path = input.path();
    let ours = dashboard(input).is_some()
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

/// The one answer a poll reads: the dashboard's `incidents.json`.
pub fn endpoints(url: &Url) -> Vec<Endpoint> {
    let mut u = url.clone();
    let d = dashboard(url);
    if !u.path().ends_with("/incidents.json") {
        let root = d.map_or("/", |d| d.root);
        u.set_path(&format!("{root}incidents.json"));
    }
    u.set_query(None);
    u.set_fragment(None);
    vec![Endpoint::required(u, d.map_or(&INCIDENTS, |d| d.role))]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_dashboard_is_read_at_its_own_root() {
        for (pasted, endpoint, provider) in [
            (
                "https://status.cloud.google.com/",
                "https://status.cloud.google.com/incidents.json",
                "Google Cloud",
            ),
            (
                "https://status.cloud.google.com/summary",
                "https://status.cloud.google.com/incidents.json",
                "Google Cloud",
            ),
            (
                "https://status.cloud.google.com/maps-platform/",
                "https://status.cloud.google.com/maps-platform/incidents.json",
                "Google Maps Platform",
            ),
            (
                "https://www.google.com/appsstatus",
                "https://www.google.com/appsstatus/dashboard/incidents.json",
                "Google Workspace",
            ),
            (
                "https://www.google.com/appsstatus/dashboard/de/feed.atom",
                "https://www.google.com/appsstatus/dashboard/incidents.json",
                "Google Workspace",
            ),
            (
                "https://ads.google.com/status/publisher/",
                "https://ads.google.com/status/publisher/incidents.json",
                "Google Ads",
            ),
            (
                "https://ads.google.com/status",
                "https://ads.google.com/status/publisher/incidents.json",
                "Google Ads",
            ),
            (
                "https://status.firebase.google.com/",
                "https://status.firebase.google.com/incidents.json",
                "Firebase",
            ),
            (
                "https://status.play.google.com",
                "https://status.play.google.com/incidents.json",
                "Google Play",
            ),
            (
                "https://status.search.google.com/en/feed.atom",
                "https://status.search.google.com/incidents.json",
                "Google Search",
            ),
            // A copy on another host, by the dashboard's path.
            (
                "http://127.0.0.1:8080/appsstatus/dashboard/",
                "http://127.0.0.1:8080/appsstatus/dashboard/incidents.json",
                "Google Workspace",
            ),
        ] {
            let url = Url::parse(pasted).unwrap();
            let e = endpoints(&url);
            assert_eq!(e[0].url.as_str(), endpoint, "{pasted}");
            let d = DASHBOARDS
                .iter()
                .find(|d| std::ptr::eq(d.role, e[0].role))
                .unwrap();
            assert_eq!(d.provider, provider, "{pasted}");
            assert!(!probes(&url, false).is_empty(), "{pasted} is detected");
        }
        // Another host's incidents.json is Google Cloud's shape by default.
        let other = Url::parse("https://example.com/").unwrap();
        assert!(probes(&other, false).is_empty());
    }
}
