//! Conformance with real answers nobody here wrote: each capture of
//! `../shared/real` is served from a loopback vendor at the path its platform
//! answers on, polled by the real poller, and what the capture states is
//! asserted on what was stored. The captures are not committed: without
//! `../shared` these tests say that they skipped.

mod support;

use chrono::{DateTime, Utc};
use statuswatch_engine::Outcome;
use statuswatch_model::{ComponentStatus, Impact, Kind, Status};
use statuswatch_store::{IncidentQuery, Source, StoredIncident};
use std::path::PathBuf;
use support::{Harness, Reply, Vendor};

fn real_dir() -> Option<PathBuf> {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/real");
    d.is_dir().then_some(d)
}

/// The capture's bytes, or `None` (and a line saying so) without `../shared`.
fn capture(name: &str) -> Option<Vec<u8>> {
    let Some(dir) = real_dir() else {
        statuswatch_testkit::skip(
            "../shared/real is not here (conformance needs the real captures)",
        );
        return None;
    };
    Some(std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}")))
}

fn t(s: &str) -> Option<DateTime<Utc>> {
    Some(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
}

async fn poll_all(h: &Harness, src: &Source) -> Vec<StoredIncident> {
    let o = h.poll(src).await;
    assert!(o.is_ok(), "{o:?}");
    h.store.incidents(&IncidentQuery::default()).await.unwrap()
}

fn by_title<'a>(all: &'a [StoredIncident], title: &str) -> &'a StoredIncident {
    all.iter()
        .find(|i| i.incident.title == title)
        .unwrap_or_else(|| panic!("no incident `{title}`"))
}

#[tokio::test]
async fn incident_io_page_data_incidents_and_feed() {
    let (Some(page), Some(list), Some(feed)) = (
        capture("incidentio/openai-proxy-summary-quiet.json"),
        capture("incidentio/openai-proxy-incidents-5-trimmed.json"),
        capture("incidentio/openai-feed-2026-09-03-trimmed4.atom"),
    ) else {
        return;
    };
    let v = Vendor::start().await;
    v.set("/proxy/127.0.0.1", Reply::bytes(page, "application/json"));
    v.set(
        "/proxy/127.0.0.1/incidents",
        Reply::bytes(list, "application/json"),
    );
    v.set("/history.atom", Reply::bytes(feed, "application/atom+xml"));
    let h = Harness::new().await;
    let src = h.add("openai", &v.url("/"), "incidentio").await;
    let all = poll_all(&h, &src).await;
    let s = h.store.source(src.id).await.unwrap();
    assert_eq!(s.provider.as_deref(), Some("OpenAI"));
    assert_eq!(s.components.len(), 34);
    // Two components of one name, in two groups.
    let logins: Vec<Option<&str>> = s
        .components
        .iter()
        .filter(|c| c.name == "Login")
        .map(|c| c.group.as_deref())
        .collect();
    assert_eq!(logins, [Some("APIs"), Some("ChatGPT")]);
    assert!(s
        .components
        .iter()
        .all(|c| c.state == ComponentStatus::Operational));
    assert_eq!(
        all.len(),
        9,
        "five from the incidents list, four from the feed"
    );

    // From the incidents list: updates with their times, components named.
    let codex = by_title(&all, "Elevated Codex API authentication errors");
    let i = &codex.incident;
    assert_eq!(i.status, Status::Resolved);
    assert_eq!(i.started_at, t("2026-08-20T16:58:53.272Z"));
    assert_eq!(i.updates[0].status, Status::Identified);
    assert_eq!(i.impact, Some(Impact::Minor), "degraded_performance");
    assert!(!i.components.is_empty(), "named from the page data");
    let sora = by_title(&all, "Elevated Errors for Sora API");
    assert_eq!(sora.incident.impact, Some(Impact::Critical), "full_outage");

    // From the feed: status and components from the entry, no invented start.
    let feed = by_title(&all, "Elevated errors across ChatGPT and Codex");
    let i = &feed.incident;
    assert_eq!(i.status, Status::Resolved);
    assert_eq!(i.started_at, None, "the feed shows no start");
    assert_eq!(i.resolved_at, t("2026-09-03T16:55:49.046Z"));
    assert_eq!(i.components.len(), 19);
    assert!(i
        .components
        .iter()
        .any(|c| c.name == "Codex in ChatGPT Desktop"));
    assert_eq!(
        i.updates[0].body,
        "The issue causing elevated errors across ChatGPT and Codex has been resolved.\n\nSome Codex remote control users may need to pair their mobile device again following this incident."
    );
}

#[tokio::test]
async fn incident_io_one_incident_s_page_data() {
    let Some(one) =
        capture("incidentio/openai-proxy-incident-01M1KWEDH417T2CF44YYHZDFCR-resolved.json")
    else {
        return;
    };
    let mut ctx = statuswatch_sources::Context::default();
    let snap =
        statuswatch_sources::parse(&statuswatch_sources::incidentio::INCIDENTS, &one, &mut ctx)
            .unwrap();
    let i = &snap.incidents[0];
    assert_eq!(i.title, "Elevated errors across ChatGPT and Codex");
    let got: Vec<(Status, Option<DateTime<Utc>>)> =
        i.updates.iter().map(|u| (u.status, u.at)).collect();
    assert_eq!(
        got,
        [
            (Status::Investigating, t("2026-09-03T14:43:00Z")),
            (Status::Monitoring, t("2026-09-03T15:17:00Z")),
            (Status::Resolved, t("2026-09-03T16:55:49.046Z")),
        ]
    );
    assert_eq!(i.started_at, t("2026-09-03T14:43:00Z"));
    assert_eq!(i.resolved_at, t("2026-09-03T16:55:49.046Z"));
}

#[tokio::test]
async fn better_stack_reports_updates_and_windows() {
    let Some(index) = capture("betterstack/betterstack-own-index-trimmed.json") else {
        return;
    };
    let v = Vendor::start().await;
    v.set("/index.json", Reply::bytes(index, "application/json"));
    let h = Harness::new().await;
    let src = h.add("betterstack", &v.url("/"), "betterstack").await;
    let all = poll_all(&h, &src).await;
    assert_eq!(all.len(), 3);
    let m = by_title(
        &all,
        "Migrating some Telemetry sources to new infrastructure",
    );
    let i = &m.incident;
    assert_eq!(i.kind, Kind::Maintenance);
    assert_eq!(i.status, Status::Completed);
    assert_eq!(i.scheduled_for, t("2026-09-03T00:00:00Z"));
    assert_eq!(i.scheduled_until, t("2026-09-03T17:00:00Z"));
    assert_eq!(
        i.started_at,
        t("2026-09-03T00:00:00Z"),
        "the window's start, not the poll's time"
    );
    let europe: Vec<&StoredIncident> = all
        .iter()
        .filter(|i| i.incident.title == "Delayed data processing in the Europe region")
        .collect();
    assert_eq!(europe.len(), 2);
    let first = europe
        .iter()
        .find(|i| i.incident.started_at == t("2026-09-04T13:50:00Z"))
        .expect("the report of 4 September");
    assert_eq!(
        first.incident.updates.len(),
        4,
        "its status_update resources"
    );
    assert_eq!(first.incident.status, Status::Resolved);
    let s = h.store.source(src.id).await.unwrap();
    assert_eq!(s.provider.as_deref(), Some("Better Stack"));
    assert!(s.components.iter().all(|c| c.status != "not_monitored"));
}

#[tokio::test]
async fn instatus_omitted_arrays_numeric_durations_and_grouped_components() {
    let (Some(gcore), Some(components), Some(demo)) = (
        capture("instatus/gcore-summary-maintenances.json"),
        capture("instatus/gcore-v3-components-trimmed.json"),
        capture("instatus/instatus-demo-summary-incident.json"),
    ) else {
        return;
    };
    let v = Vendor::start().await;
    v.set("/summary.json", Reply::bytes(gcore, "application/json"));
    v.set(
        "/v3/components.json",
        Reply::bytes(components, "application/json"),
    );
    // No history.rss on this page: a warning, not a failure.
    let h = Harness::new().await;
    let src = h.add("gcore", &v.url("/"), "instatus").await;
    let all = poll_all(&h, &src).await;
    assert_eq!(all.len(), 2);
    let chicago = by_title(&all, "[Scheduled] Cloud | Chicago Maintenance");
    assert_eq!(chicago.incident.status, Status::Scheduled);
    assert_eq!(chicago.incident.scheduled_for, t("2026-09-10T08:00:00Z"));
    assert_eq!(chicago.incident.scheduled_until, t("2026-09-10T08:15:00Z"));
    let s = h.store.source(src.id).await.unwrap();
    assert!(s
        .health
        .warning
        .as_deref()
        .unwrap_or("")
        .contains("history.rss"));
    let api = s.components.iter().find(|c| c.name == "API").unwrap();
    assert_eq!(api.group.as_deref(), Some("Gcore Systems"));
    assert!(
        !s.components.iter().any(|c| c.name == "Gcore Systems"),
        "a group is not a component of its own"
    );

    let v = Vendor::start().await;
    v.set("/summary.json", Reply::bytes(demo, "application/json"));
    let h = Harness::new().await;
    let src = h.add("instatus", &v.url("/"), "instatus").await;
    let all = poll_all(&h, &src).await;
    let partial = by_title(&all, "partial");
    assert_eq!(partial.incident.impact, Some(Impact::Major));
    assert_eq!(partial.incident.started_at, t("2023-12-13T14:58:14.917Z"));
    assert_eq!(
        by_title(&all, "degraded").incident.impact,
        Some(Impact::Minor)
    );
}

#[tokio::test]
async fn status_io_components_and_their_containers() {
    let Some(gitlab) = capture("statusio/gitlab-status-2026-07.json") else {
        return;
    };
    let v = Vendor::start().await;
    let id = "5b36dc6502d06804c08349f7";
    v.set(
        &format!("/1.0/status/{id}"),
        Reply::bytes(gitlab, "application/json"),
    );
    let h = Harness::new().await;
    let src = h
        .add("gitlab", &v.url(&format!("/pages/{id}/rss")), "statusio")
        .await;
    let all = poll_all(&h, &src).await;
    assert!(all.is_empty());
    let s = h.store.source(src.id).await.unwrap();
    assert!(s
        .components
        .iter()
        .any(|c| c.name == "Git Operations" && c.group.is_none()));
    let macos: Vec<&str> = s
        .components
        .iter()
        .filter(|c| c.group.as_deref() == Some("CI/CD - Hosted runners on macOS"))
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(macos, ["Google Compute Engine", "AWS"]);
    assert!(s.health.warning.is_some(), "no RSS beside the API here");
}

#[tokio::test]
async fn cachet_latest_status_and_resolution() {
    let (Some(components), Some(incidents), Some(schedules)) = (
        capture("cachet/cachet-demo-components.json"),
        capture("cachet/cachet-demo-incidents.json"),
        capture("cachet/cachet-demo-schedules.json"),
    ) else {
        return;
    };
    let v = Vendor::start().await;
    v.set(
        "/api/v1/components",
        Reply::bytes(components, "application/json"),
    );
    v.set(
        "/api/v1/incidents",
        Reply::bytes(incidents, "application/json"),
    );
    v.set(
        "/api/v1/schedules",
        Reply::bytes(schedules, "application/json"),
    );
    let h = Harness::new().await;
    let src = h.add("cachet", &v.url("/api/v1/"), "cachet").await;
    let all = poll_all(&h, &src).await;
    let monkeys = by_title(&all, "Our monkeys aren't performing");
    assert_eq!(
        monkeys.incident.status,
        Status::Resolved,
        "is_resolved, latest_status 4"
    );
    let open = by_title(&all, "This is an unresolved incident");
    assert_eq!(
        open.incident.status,
        Status::Monitoring,
        "latest_status 3 (watching)"
    );
    assert_eq!(open.incident.resolved_at, None);
    let demo = by_title(&all, "Demo resets every half hour!");
    assert_eq!(demo.incident.kind, Kind::Maintenance);
    assert_eq!(demo.incident.scheduled_for, t("2026-09-12T15:00:03Z"));
    let s = h.store.source(src.id).await.unwrap();
    assert_eq!(s.components.len(), 6);
}

#[tokio::test]
async fn sorry_status_and_an_empty_notice_list() {
    let (Some(status), Some(notices)) = (
        capture("sorry/postmark-api-v1-status.json"),
        capture("sorry/postmark-api-v1-notices-present-empty.json"),
    ) else {
        return;
    };
    let v = Vendor::start().await;
    v.set("/api/v1/status", Reply::bytes(status, "application/json"));
    v.set("/api/v1/notices", Reply::bytes(notices, "application/json"));
    let h = Harness::new().await;
    let src = h.add("postmark", &v.url("/"), "sorry").await;
    assert!(poll_all(&h, &src).await.is_empty());
    let s = h.store.source(src.id).await.unwrap();
    assert_eq!(s.provider.as_deref(), Some("Postmark Status"));
    assert_eq!(s.components[0].state, ComponentStatus::Operational);
}

#[tokio::test]
async fn heroku_without_its_incidents_list_and_maintenances_in_prose() {
    let Some(current) = capture("heroku/heroku-current-status-2026-10.json") else {
        return;
    };
    let v = Vendor::start().await;
    v.set(
        "/api/v4/current-status",
        Reply::bytes(current, "application/json"),
    );
    // No /api/v4/incidents: the live answer is stored all the same.
    let h = Harness::new().await;
    let src = h.add("heroku", &v.url("/"), "heroku").await;
    let all = poll_all(&h, &src).await;
    assert_eq!(all.len(), 2);
    let done = all.iter().find(|i| i.incident.vendor_id == "2965").unwrap();
    assert_eq!(
        done.incident.status,
        Status::Completed,
        "its `resolved` update says so"
    );
    assert_eq!(done.incident.scheduled_for, t("2026-09-30T17:00:00Z"));
    assert_eq!(done.incident.scheduled_until, t("2026-09-30T22:00:00Z"));
    let s = h.store.source(src.id).await.unwrap();
    let names: Vec<&str> = s.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Apps", "Data", "Tools"]);
    assert!(s.health.warning.is_some());
}

#[tokio::test]
async fn azure_crlf_feeds_with_categories() {
    let (Some(afd), Some(empty)) = (
        capture("azure/azure-feed-2022-09-07-afd.xml"),
        capture("azure/azure-feed-empty-2026-09-25.xml"),
    ) else {
        return;
    };
    let v = Vendor::start().await;
    v.set(
        "/en-us/status/feed/",
        Reply::bytes(afd, "application/rss+xml"),
    );
    let h = Harness::new().await;
    let src = h.add("azure", &v.url("/en-us/status/feed/"), "azure").await;
    let all = poll_all(&h, &src).await;
    assert_eq!(all.len(), 1);
    let i = &all[0].incident;
    assert_eq!(i.title, "Azure Front Door - Connectivity issues");
    assert_eq!(i.started_at, t("2022-09-07T16:10:40Z"));
    let names: Vec<&str> = i.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["Content Delivery Network", "Microsoft Azure portal"]
    );
    assert!(!i.updates[0].body.contains('\r'));
    // Nothing active: an empty channel, read well, changes nothing.
    v.set(
        "/en-us/status/feed/",
        Reply::bytes(empty, "application/rss+xml"),
    );
    let o = h.poll(&src).await;
    assert!(matches!(o, Outcome::Suspect(_)), "{o:?}");
    assert_eq!(
        h.store.incidents(&IncidentQuery::default()).await.unwrap()[0]
            .incident
            .status,
        Status::Investigating
    );
}

#[tokio::test]
async fn aws_current_events_in_utf16() {
    let Some(raw) = capture("aws/currentevents-raw-utf16be.bin") else {
        return;
    };
    assert_eq!(&raw[..2], [0xFE, 0xFF], "a byte-order mark");
    let v = Vendor::start().await;
    v.set(
        "/public/currentevents",
        Reply::bytes(raw, "application/json"),
    );
    let h = Harness::new().await;
    let src = h.add("aws", &v.url("/public/currentevents"), "aws").await;
    let all = poll_all(&h, &src).await;
    assert_eq!(all.len(), 2);
    let uae = all
        .iter()
        .find(|i| {
            i.incident
                .components
                .iter()
                .any(|c| c.name == "Multiple services (me-central-1)")
        })
        .expect("the UAE event");
    let i = &uae.incident;
    assert_eq!(i.title, "Increased Error Rates");
    assert_eq!(i.started_at, DateTime::from_timestamp(1_772_369_485, 0));
    assert_eq!(i.updates.len(), 23);
    assert_eq!(i.impact, Some(Impact::Major));
    assert_eq!(
        i.status,
        Status::Investigating,
        "open: absence would not resolve it"
    );
    assert!(i.components.len() > 100, "every impacted service");
    let s = h.store.source(src.id).await.unwrap();
    assert!(s
        .health
        .warning
        .as_deref()
        .unwrap_or("")
        .contains("all.rss"));
}
