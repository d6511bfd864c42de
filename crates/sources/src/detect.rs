//! Platform detection, the pure half: which URLs to try for what a user pasted,
//! and what an answer says about the platform. The engine does the fetching.

use crate::{statuspage, Platform, Role};
use scraper::{Html, Selector};
use url::Url;

/// One URL to try, and what it would be if it answers well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// Where to ask.
    pub url: Url,
    /// How to read the answer.
    pub role: Role,
    /// The platform this would be.
    pub platform: Platform,
    /// The URL to store as the source's URL if this probe succeeds.
    pub source_url: Url,
}

/// The probes for a URL, richest format first. With `only`, just that
/// platform's probes.
pub fn probes(input: &Url, only: Option<Platform>) -> Vec<Probe> {
    let base = statuspage::base_url(input);
    let mut out = Vec::new();
    let mut push = |url: Url, role: Role, platform: Platform, source_url: Url| {
        if only.is_none_or(|p| p == platform)
            && !out.iter().any(|p: &Probe| p.url == url && p.role == role)
        {
            out.push(Probe {
                url,
                role,
                platform,
                source_url,
            });
        }
    };
    let host = input.host_str().unwrap_or_default().to_ascii_lowercase();
    let asked = |p: Platform| only == Some(p);
    // Platforms of one vendor, on their own hosts (or when asked for).
    let path = input.path();
    if host == "status.cloud.google.com"
        || (path.ends_with("/incidents.json") && !path.contains("/api/v2/"))
        || asked(Platform::Gcp)
    {
        let url = crate::gcp::endpoints(input).swap_remove(0).url;
        push(url.clone(), Role::GcpIncidents, Platform::Gcp, url);
    }
    if crate::slack::is_slack_status(input) || asked(Platform::Slack) {
        let url = crate::slack::endpoints(input).swap_remove(1).url;
        let mut root = input.clone();
        root.set_path("/");
        push(url, Role::SlackHistory, Platform::Slack, root);
    }
    if host == "status.aws.amazon.com" || host == "health.aws.amazon.com" || asked(Platform::Aws) {
        let url = if path.ends_with(".rss") {
            input.clone()
        } else {
            let mut u = crate::at_path(input, "/rss/all.rss");
            if host == "health.aws.amazon.com" {
                u = Url::parse("https://status.aws.amazon.com/rss/all.rss").expect("a valid URL");
            }
            u
        };
        push(url.clone(), Role::AwsRss, Platform::Aws, url);
    }
    if host.contains("azure") && (path.contains("/status") || host.starts_with("azure.status"))
        || host == "azure.status.microsoft"
        || asked(Platform::Azure)
    {
        let url = if path.contains("/status/feed") || asked(Platform::Azure) {
            input.clone()
        } else {
            crate::at_path(input, "/en-us/status/feed/")
        };
        push(url.clone(), Role::AzureRss, Platform::Azure, url);
    }
    if host == "status.heroku.com" || asked(Platform::Heroku) {
        let root = crate::at_path(input, "/");
        let url = crate::heroku::endpoints(&root).swap_remove(0).url;
        push(url, Role::HerokuCurrent, Platform::Heroku, root);
    }
    if crate::statusio::page_id(input).is_some() {
        let id = crate::statusio::page_id(input).unwrap_or_default();
        let page = if host == "api.status.io" {
            input.clone()
        } else {
            crate::at_path(input, &format!("/pages/{id}/rss"))
        };
        if let Some(api) = crate::statusio::endpoints(&page).into_iter().next() {
            push(api.url, Role::StatusioStatus, Platform::Statusio, page);
        }
    }
    // Hosted platforms, on any host: the richest format first. incident.io
    // pages also answer Statuspage's summary.json, so they come first.
    let root = crate::at_path(&base, base.path());
    let incidentio = crate::incidentio::endpoints(&root).swap_remove(0).url;
    push(
        incidentio,
        Role::IncidentioPage,
        Platform::Incidentio,
        root.clone(),
    );
    let summary = statuspage::endpoints(&base).swap_remove(0).url;
    push(
        summary,
        Role::StatuspageSummary,
        Platform::Statuspage,
        base.clone(),
    );
    let instatus = crate::instatus::endpoints(&root).swap_remove(0).url;
    push(
        instatus,
        Role::InstatusSummary,
        Platform::Instatus,
        root.clone(),
    );
    let betterstack = crate::betterstack::endpoints(&root).swap_remove(0).url;
    push(
        betterstack,
        Role::BetterstackIndex,
        Platform::Betterstack,
        root.clone(),
    );
    for (api, role) in [
        ("/api/v1/", Role::Cachet2Components),
        ("/api/", Role::Cachet3Components),
    ] {
        let prefix = if input.path().contains("/api") {
            crate::cachet::version(input).1
        } else {
            base.path().trim_end_matches('/').to_string()
        };
        let source = crate::at_path(&base, &format!("{prefix}{api}"));
        let url = crate::cachet::endpoints(&source).swap_remove(0).url;
        push(url, role, Platform::Cachet, source);
    }
    let sorry = crate::sorry::endpoints(&root).swap_remove(0).url;
    push(sorry, Role::SorryStatus, Platform::Sorry, root.clone());
    push(input.clone(), Role::Feed, Platform::Feed, input.clone());
    let mut atom = base.clone();
    atom.set_path(&format!(
        "{}/history.atom",
        base.path().trim_end_matches('/')
    ));
    push(atom.clone(), Role::Feed, Platform::Feed, atom);
    // Last: the page itself, read with the extractor.
    push(input.clone(), Role::Html, Platform::Html, input.clone());
    out
}

/// Feed links an HTML page announces (`<link rel="alternate" type="application/atom+xml">`).
pub fn feed_links(html: &str, page: &Url) -> Vec<Url> {
    let doc = Html::parse_document(html);
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
            role: Role::Feed,
            platform: Platform::Feed,
            source_url: link,
        })
        .collect();
    for marker in ["/pages/", "api.status.io/1.0/status/"] {
        for (i, _) in html.match_indices(marker) {
            let id: String = html[i + marker.len()..].chars().take(24).collect();
            if id.len() == 24 && id.chars().all(|c| c.is_ascii_hexdigit()) {
                let source = crate::at_path(page, &format!("/pages/{id}/rss"));
                for p in probes(&source, Some(Platform::Statusio)) {
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
                    Platform::Incidentio
                ),
                (
                    "https://www.githubstatus.com/api/v2/summary.json",
                    Platform::Statuspage
                ),
                (
                    "https://www.githubstatus.com/summary.json",
                    Platform::Instatus
                ),
                (
                    "https://www.githubstatus.com/index.json",
                    Platform::Betterstack
                ),
                (
                    "https://www.githubstatus.com/api/v1/components?per_page=100",
                    Platform::Cachet
                ),
                (
                    "https://www.githubstatus.com/api/components?per_page=100",
                    Platform::Cachet
                ),
                (
                    "https://www.githubstatus.com/api/v1/status",
                    Platform::Sorry
                ),
                ("https://www.githubstatus.com/", Platform::Feed),
                ("https://www.githubstatus.com/history.atom", Platform::Feed),
                ("https://www.githubstatus.com/", Platform::Html),
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
        assert_eq!(p[1].role, Role::StatuspageSummary);
        let feeds: Vec<_> = p.iter().filter(|p| p.role == Role::Feed).collect();
        assert_eq!(feeds.len(), 1, "the feed URL is not tried twice as a feed");
        assert_eq!(
            feeds[0].url.as_str(),
            "https://status.example.com/history.atom"
        );
        assert_eq!(p.last().unwrap().role, Role::Html);
        let only = probes(
            &u("https://status.example.com/history.atom"),
            Some(Platform::Feed),
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
                Platform::Incidentio,
                Platform::Statuspage,
                Platform::Instatus,
                Platform::Betterstack,
                Platform::Cachet,
                Platform::Sorry,
            ] {
                assert!(plats.contains(&want), "{pasted}: {want} not tried");
            }
        }
        let cachet = probes(
            &u("https://demo.cachethq.io/api/v1/"),
            Some(Platform::Cachet),
        );
        assert_eq!(
            cachet[0].source_url.as_str(),
            "https://demo.cachethq.io/api/v1/"
        );
    }

    #[test]
    fn single_vendor_platforms_are_tried_first_on_their_hosts() {
        let p = probes(&u("https://status.aws.amazon.com/"), None);
        assert_eq!(
            first(&p),
            (
                "https://status.aws.amazon.com/rss/all.rss",
                Platform::Aws,
                "https://status.aws.amazon.com/rss/all.rss"
            )
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
        assert_eq!(first(&p).0, "https://status.aws.amazon.com/rss/all.rss");
        let p = probes(&u("https://azure.status.microsoft/en-us/status"), None);
        assert_eq!(
            first(&p),
            (
                "https://azure.status.microsoft/en-us/status/feed/",
                Platform::Azure,
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
                Platform::Heroku,
                "https://status.heroku.com/"
            )
        );
        let p = probes(&u("https://slack-status.com/2026-08"), None);
        assert_eq!(first(&p).1, Platform::Slack);
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
                Platform::Statusio,
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
        assert_eq!(found[0].platform, Platform::Statusio);
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
        assert_eq!(p[0].platform, Platform::Gcp);
        let p = probes(&u("https://mirror.example.com/x/incidents.json"), None);
        assert_eq!(p[0].role, Role::GcpIncidents);
        let p = probes(
            &u("https://www.githubstatus.com/api/v2/incidents.json"),
            None,
        );
        assert!(p.iter().all(|p| p.platform != Platform::Gcp));
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
