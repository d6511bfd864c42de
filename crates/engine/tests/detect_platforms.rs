//! Detection from the URLs a user pastes, for every platform, against
//! loopback vendors that answer only in their platform's format.
// Tests may stamp their fixtures with the real time (see clippy.toml).
#![allow(clippy::disallowed_methods)]

use chrono::Utc;
use serde_json::json;
use statuswatch_engine::detect;
use statuswatch_fetch::{FetchConfig, Fetcher};
use statuswatch_sources::Platform;
use statuswatch_testkit::{Reply, Vendor};
use std::time::Duration;
use url::Url;

fn fetcher() -> Fetcher {
    Fetcher::new(FetchConfig {
        total_timeout: Duration::from_millis(700),
        per_host_interval: Duration::ZERO,
        ..FetchConfig::default()
    })
    .unwrap()
}

async fn detected(url: &str, only: Option<Platform>) -> (Platform, String) {
    let d = detect(&fetcher(), &Url::parse(url).unwrap(), only, Utc::now())
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    (d.platform, d.url.to_string())
}

#[tokio::test]
async fn incident_io_is_preferred_to_its_statuspage_compatible_answer() {
    let v = Vendor::start().await;
    v.set("/api/v2/summary.json", Reply::json(&json!({"page": {"id": "x", "name": "OpenAI", "url": "https://status.openai.com/"}, "components": [], "incidents": []})));
    v.set("/proxy/127.0.0.1", Reply::json(&json!({"summary": {"name": "OpenAI", "components": [{"id": "c1", "name": "APIs"}], "ongoing_incidents": []}})));
    assert_eq!(
        detected(&v.url("/"), None).await,
        (statuswatch_sources::incidentio::PLATFORM, v.url("/"))
    );
    assert_eq!(
        detected(&v.url("/api/v2/summary.json"), None).await.0,
        statuswatch_sources::incidentio::PLATFORM
    );
    // Asked for Statuspage, the compatible answer still serves.
    assert_eq!(
        detected(&v.url("/"), Some(statuswatch_sources::statuspage::PLATFORM))
            .await
            .0,
        statuswatch_sources::statuspage::PLATFORM
    );
}

#[tokio::test]
async fn instatus_better_stack_and_sorry_from_their_pages() {
    let v = Vendor::start().await;
    v.set(
        "/summary.json",
        Reply::json(
            &json!({"page": {"name": "Acme", "url": "https://acme.instatus.com", "status": "UP"}}),
        ),
    );
    assert_eq!(
        detected(&v.url("/"), None).await,
        (statuswatch_sources::instatus::PLATFORM, v.url("/"))
    );
    assert_eq!(
        detected(&v.url("/incident/cl4a8n3070721qtmzvts760c4"), None)
            .await
            .0,
        statuswatch_sources::instatus::PLATFORM
    );

    let b = Vendor::start().await;
    b.set("/index.json", Reply::json(&json!({"data": {"id": "1", "type": "status_page", "attributes": {"company_name": "Example"}}, "included": []})));
    assert_eq!(
        detected(&b.url("/"), None).await,
        (statuswatch_sources::betterstack::PLATFORM, b.url("/"))
    );

    let s = Vendor::start().await;
    s.set(
        "/api/v1/status",
        Reply::json(&json!({"page": {"name": "Websupport", "state": "operational"}})),
    );
    assert_eq!(
        detected(&s.url("/"), None).await,
        (statuswatch_sources::sorry::PLATFORM, s.url("/"))
    );
}

#[tokio::test]
async fn cachet_two_and_three_from_the_base_or_the_api_url() {
    let v2 = Vendor::start().await;
    v2.set(
        "/api/v1/components",
        Reply::json(
            &json!({"meta": {}, "data": [{"id": 1, "name": "API", "status": 1, "enabled": true}]}),
        ),
    );
    assert_eq!(
        detected(&v2.url("/"), None).await,
        (statuswatch_sources::cachet::PLATFORM, v2.url("/api/v1/"))
    );
    assert_eq!(
        detected(&v2.url("/api/v1/incidents"), None).await,
        (statuswatch_sources::cachet::PLATFORM, v2.url("/api/v1/"))
    );
    let v3 = Vendor::start().await;
    v3.set("/api/components", Reply::json(&json!({"data": [{"id": "1", "type": "components", "attributes": {"name": "API", "status": {"human": "Operational", "value": 1}}}]})));
    assert_eq!(
        detected(&v3.url("/"), None).await,
        (statuswatch_sources::cachet::PLATFORM, v3.url("/api/"))
    );
}

#[tokio::test]
async fn status_io_from_a_page_that_links_its_rss() {
    let v = Vendor::start().await;
    let id = "5b36dc6502d06804c08349f7";
    v.set("/", Reply::bytes(format!("<!DOCTYPE html><html><head><title>Status</title></head><body><a href=\"/pages/{id}/rss\">RSS</a></body></html>"), "text/html"));
    v.set(&format!("/1.0/status/{id}"), Reply::json(&json!({"result": {"status_overall": {"status_code": 100}, "status": [], "incidents": [], "maintenance": {"active": [], "upcoming": []}}})));
    let rss = v.url(&format!("/pages/{id}/rss"));
    assert_eq!(
        detected(&v.url("/"), None).await,
        (statuswatch_sources::statusio::PLATFORM, rss.clone())
    );
    assert_eq!(
        detected(&rss, None).await,
        (statuswatch_sources::statusio::PLATFORM, rss)
    );
}

#[tokio::test]
async fn single_vendor_platforms_when_asked_for() {
    let v = Vendor::start().await;
    v.set("/api/v4/current-status", Reply::json(&json!({"status": [{"system": "Apps", "status": "green"}], "incidents": [], "scheduled": []})));
    assert_eq!(
        detected(&v.url("/"), Some(statuswatch_sources::heroku::PLATFORM)).await,
        (statuswatch_sources::heroku::PLATFORM, v.url("/"))
    );
    v.set("/rss/all.rss", Reply::bytes("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Amazon Web Services Service Status</title></channel></rss>", "application/rss+xml"));
    assert_eq!(
        detected(
            &v.url("/rss/all.rss"),
            Some(statuswatch_sources::aws::PLATFORM)
        )
        .await
        .0,
        statuswatch_sources::aws::PLATFORM
    );
    v.set("/en-us/status/feed/", Reply::bytes("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Azure Status</title></channel></rss>", "application/rss+xml"));
    assert_eq!(
        detected(
            &v.url("/en-us/status/feed/"),
            Some(statuswatch_sources::azure::PLATFORM)
        )
        .await
        .0,
        statuswatch_sources::azure::PLATFORM
    );
}

#[tokio::test]
async fn a_page_of_no_platform_names_every_platform_tried() {
    let v = Vendor::start().await;
    v.set(
        "/",
        Reply::bytes(
            "<!DOCTYPE html><html><body>hello</body></html>",
            "text/html",
        ),
    );
    let e = detect(
        &fetcher(),
        &Url::parse(&v.url("/")).unwrap(),
        None,
        Utc::now(),
    )
    .await
    .unwrap_err()
    .to_string();
    for p in [
        "incidentio",
        "instatus",
        "betterstack",
        "cachet",
        "sorry",
        "statuspage",
    ] {
        assert!(e.contains(p), "{p} missing from: {e}");
    }
    assert!(
        e.contains("/proxy/127.0.0.1") && e.contains("/index.json"),
        "{e}"
    );
}
