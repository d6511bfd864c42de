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
    // Google Cloud's history, on its host or wherever a bare incidents.json is pasted.
    let path = input.path();
    if input.host_str() == Some("status.cloud.google.com")
        || (path.ends_with("/incidents.json") && !path.contains("/api/v2/"))
    {
        let url = crate::gcp::endpoints(input).swap_remove(0).url;
        push(url.clone(), Role::GcpIncidents, Platform::Gcp, url);
    }
    if crate::slack::is_slack_status(input) {
        let url = crate::slack::endpoints(input).swap_remove(1).url;
        let mut root = input.clone();
        root.set_path("/");
        push(url, Role::SlackHistory, Platform::Slack, root);
    }
    let summary = statuspage::endpoints(&base).swap_remove(0).url;
    push(
        summary,
        Role::StatuspageSummary,
        Platform::Statuspage,
        base.clone(),
    );
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

    #[test]
    fn a_base_url_tries_the_api_first_then_feeds() {
        let p = probes(&u("https://www.githubstatus.com"), None);
        let urls: Vec<_> = p.iter().map(|p| p.url.as_str()).collect();
        assert_eq!(
            urls,
            vec![
                "https://www.githubstatus.com/api/v2/summary.json",
                "https://www.githubstatus.com/",
                "https://www.githubstatus.com/history.atom",
                "https://www.githubstatus.com/",
            ]
        );
        assert_eq!(p[3].role, Role::Html);
        assert_eq!(p[0].source_url.as_str(), "https://www.githubstatus.com/");
    }

    #[test]
    fn a_feed_url_still_prefers_the_api_of_its_page() {
        let p = probes(&u("https://status.example.com/history.atom"), None);
        assert_eq!(p[0].role, Role::StatuspageSummary);
        assert_eq!(p[1].url.as_str(), "https://status.example.com/history.atom");
        assert_eq!(p.len(), 3, "the feed URL is not tried twice as a feed");
        assert_eq!(p[2].role, Role::Html);
        let only = probes(
            &u("https://status.example.com/history.atom"),
            Some(Platform::Feed),
        );
        assert_eq!(only.len(), 1);
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
