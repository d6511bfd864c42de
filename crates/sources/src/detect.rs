//! Platform detection, the pure half: which URLs to try for what a user pasted,
//! and what an answer says about the platform. The engine does the fetching.

pub use crate::Probe;
use crate::{feed, Platform};
use scraper::Selector;
use url::Url;

/// The probes for a URL, in the registry's order (platforms of one vendor's
/// own hosts, then hosted platforms richest first, then feeds, then the page
/// itself). With `only`, just that platform's probes, whatever the host.
pub fn probes(input: &Url, only: Option<Platform>) -> Vec<Probe> {
    let mut out: Vec<Probe> = Vec::new();
    for platform in Platform::all().filter(|p| only.is_none_or(|o| o == *p)) {
        for probe in (platform.spec().probes)(input, only == Some(platform)) {
            if !out
                .iter()
                .any(|p| p.url == probe.url && p.role == probe.role)
            {
                out.push(probe);
            }
        }
    }
    out
}

/// Feed links an HTML page announces (`<link rel="alternate" type="application/atom+xml">`).
pub fn feed_links(html: &str, page: &Url) -> Vec<Url> {
    // A page beyond the parse budget announces nothing.
    let Ok(doc) = statuswatch_extract::html::parse(html, &Default::default()) else {
        return Vec::new();
    };
    let Ok(sel) = Selector::parse("link[rel~=alternate][href]") else {
        return Vec::new();
    };
    doc.select(&sel)
        .filter(|l| {
            l.value()
                .attr("type")
                .is_some_and(|t| t.contains("rss") || t.contains("atom"))
        })
        .filter_map(|l| page.join(l.value().attr("href")?).ok())
        .collect()
}

/// Probes an HTML page points to: the feeds it announces, and the status.io
/// page it embeds (its `/pages/<id>/rss` or `api.status.io/1.0/status/<id>`).
pub fn embedded_probes(html: &str, page: &Url) -> Vec<Probe> {
    let mut out: Vec<Probe> = feed_links(html, page)
        .into_iter()
        .map(|link| Probe {
            url: link.clone(),
            role: &feed::FEED,
            platform: feed::PLATFORM,
            source_url: link,
        })
        .collect();
    for marker in ["/pages/", "api.status.io/1.0/status/"] {
        for (i, _) in html.match_indices(marker) {
            let id: String = html[i + marker.len()..].chars().take(24).collect();
            if id.len() == 24 && id.chars().all(|c| c.is_ascii_hexdigit()) {
                let source = crate::at_path(page, &format!("/pages/{id}/rss"));
                for p in probes(&source, Some(crate::statusio::PLATFORM)) {
                    if !out.contains(&p) {
                        out.insert(0, p);
                    }
                }
            }
        }
    }
    out
}

/// Whether the body looks like an HTML page rather than data.
pub fn looks_like_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<head")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn first(p: &[Probe]) -> (&str, Platform, &str) {
        (p[0].url.as_str(), p[0].platform, p[0].source_url.as_str())
    }

    #[test]
    fn a_base_url_tries_the_hosted_platforms_richest_first_then_feeds() {
        let p = probes(&u("https://www.githubstatus.com"), None);
        let urls: Vec<_> = p.iter().map(|p| (p.url.as_str(), p.platform)).collect();
        assert_eq!(
            urls,
            vec![
                (
                    "https://www.githubstatus.com/proxy/www.githubstatus.com",
                    crate::incidentio::PLATFORM
                ),
                (
                    "https://www.githubstatus.com/api/v2/summary.json",
                    crate::statuspage::PLATFORM
                ),
                (
                    "https://www.githubstatus.com/summary.json",
                    crate::instatus::PLATFORM
                ),
                (
                    "https://www.githubstatus.com/index.json",
                    crate::betterstack::PLATFORM
                ),
                (
                    "https://www.githubstatus.com/api/v1/components?per_page=100",
                    crate::cachet::PLATFORM
                ),
                (
                    "https://www.githubstatus.com/api/components?per_page=100",
                    crate::cachet::PLATFORM
                ),
                (
                    "https://www.githubstatus.com/api/v1/status",
                    crate::sorry::PLATFORM
                ),
                (
                    "https://www.githubstatus.com/index.json",
                    crate::cstate::PLATFORM
                ),
                ("https://www.githubstatus.com/", crate::feed::PLATFORM),
                (
                    "https://www.githubstatus.com/history.atom",
                    crate::feed::PLATFORM
                ),
                ("https://www.githubstatus.com/", crate::html::PLATFORM),
            ]
        );
        assert_eq!(p[1].source_url.as_str(), "https://www.githubstatus.com/");
        assert_eq!(
            p[4].source_url.as_str(),
            "https://www.githubstatus.com/api/v1/"
        );
        assert_eq!(
            p[5].source_url.as_str(),
            "https://www.githubstatus.com/api/"
        );
    }

    #[test]
    fn a_feed_url_still_prefers_the_api_of_its_page() {
        let p = probes(&u("https://status.example.com/history.atom"), None);
        assert_eq!(p[1].role, &crate::statuspage::SUMMARY);
        let feeds: Vec<_> = p.iter().filter(|p| p.role == &crate::feed::FEED).collect();
        assert_eq!(feeds.len(), 1, "the feed URL is not tried twice as a feed");
        assert_eq!(
            feeds[0].url.as_str(),
            "https://status.example.com/history.atom"
        );
        assert_eq!(p.last().unwrap().role, &crate::html::PAGE);
        let only = probes(
            &u("https://status.example.com/history.atom"),
            Some(crate::feed::PLATFORM),
        );
        assert_eq!(only.len(), 1);
    }

    #[test]
    fn api_and_sub_page_urls_detect_from_their_page() {
        // A pasted API URL or a sub-page still finds the page's platforms.
        for pasted in [
            "https://status.example.com/api/v2/summary.json",
            "https://status.example.com/incidents/abc",
            "https://status.example.com/incident/cl4a8n3070721qtmzvts760c4",
            "https://status.example.com/summary.json",
        ] {
            let p = probes(&u(pasted), None);
            assert_eq!(
                p[1].url.as_str(),
                "https://status.example.com/api/v2/summary.json",
                "{pasted}"
            );
            assert_eq!(
                p[2].url.as_str(),
                "https://status.example.com/summary.json",
                "{pasted}"
            );
            let plats: Vec<_> = p.iter().map(|p| p.platform).collect();
            for want in [
                crate::incidentio::PLATFORM,
                crate::statuspage::PLATFORM,
                crate::instatus::PLATFORM,
                crate::betterstack::PLATFORM,
                crate::cachet::PLATFORM,
                crate::sorry::PLATFORM,
            ] {
                assert!(plats.contains(&want), "{pasted}: {want} not tried");
            }
        }
        let cachet = probes(
            &u("https://demo.cachethq.io/api/v1/"),
            Some(crate::cachet::PLATFORM),
        );
        assert_eq!(
            cachet[0].source_url.as_str(),
            "https://demo.cachethq.io/api/v1/"
        );
    }

    #[test]
    fn single_vendor_platforms_are_tried_first_on_their_hosts() {
        // AWS: the events open now (JSON) first, the RSS next.
        let p = probes(&u("https://status.aws.amazon.com/"), None);
        assert_eq!(
            first(&p),
            (
                "https://health.aws.amazon.com/public/currentevents",
                crate::aws::PLATFORM,
                "https://health.aws.amazon.com/public/currentevents"
            )
        );
        assert_eq!(
            p[1].url.as_str(),
            "https://status.aws.amazon.com/rss/all.rss"
        );
        let p = probes(
            &u("https://status.aws.amazon.com/rss/ec2-us-east-1.rss"),
            None,
        );
        assert_eq!(
            first(&p).0,
            "https://status.aws.amazon.com/rss/ec2-us-east-1.rss"
        );
        let p = probes(&u("https://health.aws.amazon.com/health/status"), None);
        assert_eq!(
            first(&p).0,
            "https://health.aws.amazon.com/public/currentevents"
        );
        let p = probes(&u("https://azure.status.microsoft/en-us/status"), None);
        assert_eq!(
            first(&p),
            (
                "https://azure.status.microsoft/en-us/status/feed/",
                crate::azure::PLATFORM,
                "https://azure.status.microsoft/en-us/status/feed/"
            )
        );
        let p = probes(
            &u("https://azure.status.microsoft/en-us/status/feed/"),
            None,
        );
        assert_eq!(
            first(&p).0,
            "https://azure.status.microsoft/en-us/status/feed/"
        );
        let p = probes(&u("https://status.heroku.com/incidents/2712"), None);
        assert_eq!(
            first(&p),
            (
                "https://status.heroku.com/api/v4/current-status",
                crate::heroku::PLATFORM,
                "https://status.heroku.com/"
            )
        );
        let p = probes(&u("https://slack-status.com/2026-08"), None);
        assert_eq!(first(&p).1, crate::slack::PLATFORM);
    }

    #[test]
    fn status_io_pages_from_their_rss_or_api_url_or_their_html() {
        let p = probes(
            &u("https://status.gitlab.com/pages/5b36dc6502d06804c08349f7/rss"),
            None,
        );
        assert_eq!(
            first(&p),
            (
                "https://api.status.io/1.0/status/5b36dc6502d06804c08349f7",
                crate::statusio::PLATFORM,
                "https://status.gitlab.com/pages/5b36dc6502d06804c08349f7/rss"
            )
        );
        let p = probes(
            &u("https://api.status.io/1.0/status/5b36dc6502d06804c08349f7"),
            None,
        );
        assert_eq!(
            first(&p).0,
            "https://api.status.io/1.0/status/5b36dc6502d06804c08349f7"
        );
        let html = r#"<html><head><link rel="stylesheet" href="x.css"></head><body><a href="https://status.gitlab.com/pages/5b36dc6502d06804c08349f7/rss">RSS</a></body></html>"#;
        let found = embedded_probes(html, &u("https://status.gitlab.com/"));
        assert_eq!(found[0].platform, crate::statusio::PLATFORM);
        assert_eq!(
            found[0].source_url.as_str(),
            "https://status.gitlab.com/pages/5b36dc6502d06804c08349f7/rss"
        );
    }

    #[test]
    fn google_cloud_is_tried_first_on_its_host() {
        let p = probes(&u("https://status.cloud.google.com/"), None);
        assert_eq!(
            p[0].url.as_str(),
            "https://status.cloud.google.com/incidents.json"
        );
        assert_eq!(p[0].platform, crate::gcp::PLATFORM);
        let p = probes(&u("https://mirror.example.com/x/incidents.json"), None);
        assert_eq!(p[0].role, &crate::gcp::INCIDENTS);
        let p = probes(
            &u("https://www.githubstatus.com/api/v2/incidents.json"),
            None,
        );
        assert!(p.iter().all(|p| p.platform != crate::gcp::PLATFORM));
    }

    #[test]
    fn feed_links_in_a_page() {
        let html = r#"<html><head><link rel="alternate" type="application/atom+xml" href="/history.atom"><link rel="stylesheet" href="/a.css"></head></html>"#;
        assert_eq!(
            feed_links(html, &u("https://s.example.com/")),
            vec![u("https://s.example.com/history.atom")]
        );
        assert!(looks_like_html(b"  <!DOCTYPE html><html>"));
        assert!(!looks_like_html(b"<?xml version='1.0'?><rss>"));
    }
}
