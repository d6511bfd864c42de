//! Every real capture normalizes to a reviewed snapshot.

use chrono::{DateTime, Utc};
use statuswatch_sources::{combine, parse, Context, Role};

fn ctx() -> Context {
    Context {
        now: DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc),
        ..Context::default()
    }
}

fn fixture(path: &str) -> Vec<u8> {
    statuswatch_testkit::fixture!(path)
}

fn check(role: &Role, path: &str) -> statuswatch_model::Snapshot {
    let snap = parse(role, &fixture(path), &mut ctx()).unwrap_or_else(|e| panic!("{path}: {e}"));
    let name = path.replace(['/', '.'], "_");
    insta::assert_json_snapshot!(name, snap);
    snap
}

#[test]
fn statuspage_summaries() {
    let gh = check(
        &statuswatch_sources::statuspage::SUMMARY,
        "statuspage_api/github__summary_2026-07-01.json",
    );
    assert_eq!(gh.provider.as_deref(), Some("GitHub"));
    assert!(gh.incidents.is_empty());
    let cursor = check(
        &statuswatch_sources::statuspage::SUMMARY,
        "statuspage_api/cursor__summary_2026-09-25_incident.json",
    );
    assert_eq!(cursor.incidents.len(), 1);
    check(
        &statuswatch_sources::statuspage::SUMMARY,
        "statuspage_api/airbrake__summary_2024-01-31.json",
    );
    let openai = check(
        &statuswatch_sources::statuspage::SUMMARY,
        "incidentio/openai__statuspage_compat_summary_2026-09-29.json",
    );
    assert!(!openai.incidents.is_empty());
}

#[test]
fn statuspage_incident_and_maintenance_lists() {
    let gh = check(
        &statuswatch_sources::statuspage::INCIDENTS,
        "statuspage_api/github__incidents_2026-08-18.json",
    );
    assert_eq!(gh.incidents.len(), 5);
    let claude = check(
        &statuswatch_sources::statuspage::MAINTENANCES,
        "statuspage_api/anthropic-claude__scheduled-maintenances_2026-09-15.json",
    );
    assert!(claude
        .incidents
        .iter()
        .all(|i| i.kind == statuswatch_model::Kind::Maintenance && i.scheduled_for.is_some()));
}

#[test]
fn statuspage_history_feeds() {
    for f in [
        "statuspage_feeds/atlassian-statuspage__history_atom_2019-11-23.atom",
        "statuspage_feeds/digitalocean__history_atom_2019-10-30.atom",
        "statuspage_feeds/digitalocean__history_rss_2020-01-21.rss",
        "statuspage_feeds/github__history_atom_2022-06-12.atom",
        "statuspage_feeds/github__history_atom_2026-08-22.atom",
        "statuspage_feeds/moonpay__history_rss_2025-11-28.rss",
        "statuspage_feeds/parse__history_rss_2014-01-09.rss",
        "statuspage_feeds/saucelabs-us-west__history_atom_2020-11-15.atom",
        "statuspage_feeds/symantec-wss__history_atom_2020-01-02.atom",
    ] {
        let snap = check(&statuswatch_sources::feed::FEED, f);
        assert!(snap.warnings.is_empty(), "{f}: {:?}", snap.warnings);
        for i in &snap.incidents {
            assert!(!i.updates.is_empty(), "{f}: {} has no updates", i.title);
            assert!(
                i.updates.iter().all(|u| u.at.is_some()),
                "{f}: undated update"
            );
            let times: Vec<_> = i.updates.iter().map(|u| u.at).collect();
            let mut sorted = times.clone();
            sorted.sort();
            assert_eq!(times, sorted, "{f}: {} timeline out of order", i.title);
        }
    }
}

#[test]
fn combining_the_three_statuspage_answers() {
    let mut c = ctx();
    let parts = vec![
        parse(
            &statuswatch_sources::statuspage::SUMMARY,
            &fixture("statuspage_api/github__summary_2026-07-01.json"),
            &mut c,
        )
        .unwrap(),
        parse(
            &statuswatch_sources::statuspage::INCIDENTS,
            &fixture("statuspage_api/github__incidents_2026-08-18.json"),
            &mut c,
        )
        .unwrap(),
    ];
    let all = combine(parts);
    assert_eq!(all.provider.as_deref(), Some("GitHub"));
    assert!(!all.components.is_empty());
    assert_eq!(all.incidents.len(), 5);
}

#[test]
fn google_cloud_incidents() {
    let two = check(
        &statuswatch_sources::gcp::INCIDENTS,
        "google_cloud/google-cloud__incidents_2026-08-18_trim2.json",
    );
    assert_eq!(two.provider.as_deref(), Some("Google Cloud"));
    let first = &two.incidents[0];
    assert_eq!(
        first.status,
        statuswatch_model::Status::Postmortem,
        "incident reports follow the recovery"
    );
    assert_eq!(first.impact, Some(statuswatch_model::Impact::Major));
    assert_eq!(
        first.resolved_at.unwrap().to_rfc3339(),
        "2026-07-16T12:25:00+00:00"
    );
    assert!(
        first
            .components
            .iter()
            .any(|c| c.name == "Netherlands (europe-west4)"
                && c.group.as_deref() == Some("Locations"))
    );
    assert_eq!(
        first.url.as_deref(),
        Some("https://status.cloud.google.com/incidents/3BvH3LVGcupoYqV6F4Nw")
    );

    // The whole 2022 history: every incident over, severities mapped, timelines in order.
    let all = parse(
        &statuswatch_sources::gcp::INCIDENTS,
        &fixture("google_cloud/google-cloud__incidents.json"),
        &mut ctx(),
    )
    .unwrap();
    assert!(all.warnings.is_empty(), "{:?}", all.warnings);
    assert_eq!(all.incidents.len(), 157);
    let count =
        |i: statuswatch_model::Impact| all.incidents.iter().filter(|x| x.impact == Some(i)).count();
    use statuswatch_model::Impact::*;
    assert_eq!((count(Minor), count(Major), count(Critical)), (19, 118, 20));
    for i in &all.incidents {
        assert!(i.status.is_terminal(), "{}: {:?}", i.vendor_id, i.status);
        assert!(i.resolved_at.is_some() && i.started_at.is_some());
        let times: Vec<_> = i.updates.iter().map(|u| u.at).collect();
        let mut sorted = times.clone();
        sorted.sort();
        assert_eq!(times, sorted);
    }
}

#[test]
fn google_workspace_dashboard() {
    use statuswatch_sources::{gcp, Platform};
    // Detected from what a user pastes, and read at the dashboard's own root.
    let pasted = url::Url::parse("https://www.google.com/appsstatus/dashboard/").unwrap();
    let endpoints = gcp::PLATFORM.endpoints(&pasted);
    assert_eq!(
        endpoints[0].url.as_str(),
        "https://www.google.com/appsstatus/dashboard/incidents.json"
    );
    assert!(std::ptr::eq(endpoints[0].role, &gcp::WORKSPACE));
    assert_eq!("google".parse::<Platform>().unwrap(), gcp::PLATFORM);

    let s = check(
        &gcp::WORKSPACE,
        "google_dashboards/constructed__workspace_incidents.json",
    );
    assert_eq!(s.provider.as_deref(), Some("Google Workspace"));
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    let (open, over) = (&s.incidents[0], &s.incidents[1]);
    assert_eq!(
        open.title,
        "Some users are unable to send email with attachments in Gmail"
    );
    assert!(!open.status.is_terminal());
    assert_eq!(open.resolved_at, None, "no end stated, none invented");
    assert_eq!(
        open.url.as_deref(),
        Some("https://www.google.com/appsstatus/dashboard/incidents/kq2Vn8xW3pLrT6yZ1aBc")
    );
    assert_eq!(open.components[0].name, "Gmail");
    assert!(over.status.is_terminal());
    assert_eq!(over.impact, Some(statuswatch_model::Impact::Critical));
    assert_eq!(
        over.resolved_at.unwrap().to_rfc3339(),
        "2026-11-21T11:45:00+00:00"
    );
    let products: Vec<&str> = over.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(products, ["Google Meet", "Gemini"]);
}

#[test]
fn apple_system_status() {
    use statuswatch_model::{ComponentStatus, Impact, Kind, Status};
    use statuswatch_sources::{apple, Platform};
    let endpoint = |pasted: &str| {
        let e = apple::PLATFORM.endpoints(&url::Url::parse(pasted).unwrap());
        (e[0].url.to_string(), e[0].role.name)
    };
    assert_eq!(
        endpoint("https://www.apple.com/support/systemstatus/"),
        (
            "https://www.apple.com/support/systemstatus/data/system_status_en_US.js".into(),
            "consumer"
        )
    );
    assert_eq!(
        endpoint("https://developer.apple.com/system-status/"),
        (
            "https://www.apple.com/support/systemstatus/data/developer/system_status_en_US.js"
                .into(),
            "developer"
        )
    );
    assert_eq!("apple".parse::<Platform>().unwrap(), apple::PLATFORM);

    let s = check(
        &apple::CONSUMER,
        "apple/constructed__system_status_en_US.js",
    );
    assert_eq!(s.provider.as_deref(), Some("Apple"));
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    let state = |n: &str| s.components.iter().find(|c| c.name == n).unwrap().state;
    assert_eq!(state("iCloud Mail"), ComponentStatus::MajorOutage);
    assert_eq!(state("App Store"), ComponentStatus::Operational);
    assert_eq!(
        state("Apple Music"),
        ComponentStatus::Operational,
        "its event is over"
    );
    assert_eq!(
        s.incidents.len(),
        2,
        "one event under two services is one incident"
    );
    let mail = &s.incidents[0];
    assert_eq!(mail.status, Status::Investigating);
    assert_eq!(mail.impact, Some(Impact::Major));
    assert_eq!(
        mail.started_at.unwrap().to_rfc3339(),
        "2026-12-05T16:00:00+00:00"
    );
    assert_eq!(mail.resolved_at, None, "no end stated, none invented");
    assert_eq!(
        mail.updates[0].at.unwrap().to_rfc3339(),
        "2026-12-05T16:00:00+00:00"
    );
    let music = &s.incidents[1];
    assert_eq!(music.status, Status::Resolved);
    assert_eq!(music.components.len(), 2);
    assert!(music.resolved_at.is_some());

    let d = check(
        &apple::DEVELOPER,
        "apple/constructed__developer_system_status_en_US.js",
    );
    assert_eq!(d.provider.as_deref(), Some("Apple Developer"));
    let m = &d.incidents[0];
    assert_eq!((m.kind, m.status), (Kind::Maintenance, Status::Scheduled));
    assert_eq!(
        m.scheduled_for.unwrap().to_rfc3339(),
        "2026-12-08T09:00:00+00:00"
    );
    assert_eq!(
        m.scheduled_until.unwrap().to_rfc3339(),
        "2026-12-08T12:00:00+00:00"
    );
    assert_eq!(
        d.components
            .iter()
            .find(|c| c.name == "TestFlight")
            .unwrap()
            .state,
        ComponentStatus::Degraded
    );
}

#[test]
fn cstate_index_and_issues() {
    use statuswatch_model::{ComponentStatus, Impact, Status};
    use statuswatch_sources::cstate;
    let index = check(&cstate::INDEX, "cstate/constructed__index.json");
    assert_eq!(index.provider.as_deref(), Some("Example Cloud Status"));
    assert!(index.warnings.is_empty(), "{:?}", index.warnings);
    let storage = index
        .components
        .iter()
        .find(|c| c.name == "Object Storage")
        .unwrap();
    assert_eq!(storage.state, ComponentStatus::PartialOutage);
    assert_eq!(storage.group.as_deref(), Some("Storage"));
    assert_eq!(index.incidents.len(), 1);
    assert_eq!(
        index.incidents[0].resolved_at, None,
        "`<no value>` is no end"
    );

    let issues = check(&cstate::ISSUES, "cstate/constructed__issues_index.json");
    assert_eq!(issues.incidents.len(), 2);
    let (open, over) = (&issues.incidents[0], &issues.incidents[1]);
    assert_eq!(
        open.vendor_id, index.incidents[0].vendor_id,
        "one key in both answers"
    );
    assert_eq!(open.status, Status::Investigating);
    assert_eq!(
        open.started_at.unwrap().to_rfc3339(),
        "2026-12-04T09:12:00+00:00"
    );
    assert_eq!(over.status, Status::Resolved);
    assert_eq!(over.impact, Some(Impact::Major));
    assert_eq!(
        over.resolved_at.unwrap().to_rfc3339(),
        "2026-11-20T15:05:00+00:00"
    );
    // Not cState: a Hugo site's other index.json.
    let other = statuswatch_sources::parse(
        &cstate::INDEX,
        br#"{"title": "blog", "pages": []}"#,
        &mut ctx(),
    );
    assert!(other.is_err());
}

#[test]
fn uptime_kuma_page_and_heartbeats() {
    use statuswatch_model::{ComponentStatus, Impact, Kind, Status};
    use statuswatch_sources::uptimekuma;
    let e = uptimekuma::PLATFORM
        .endpoints(&url::Url::parse("https://kuma.example.com/status/OPS").unwrap());
    assert_eq!(
        e[0].url.as_str(),
        "https://kuma.example.com/api/status-page/ops"
    );
    assert_eq!(
        e[1].url.as_str(),
        "https://kuma.example.com/api/status-page/heartbeat/ops"
    );

    // One poll: the page names the monitors the heartbeats give by id.
    let mut c = ctx();
    let page = parse(
        &uptimekuma::PAGE,
        &fixture("uptimekuma/constructed__status-page.json"),
        &mut c,
    )
    .unwrap();
    let beats = parse(
        &uptimekuma::HEARTBEATS,
        &fixture("uptimekuma/constructed__heartbeat.json"),
        &mut c,
    )
    .unwrap();
    let all = combine(vec![page, beats]);
    insta::assert_json_snapshot!("uptimekuma_combined", all);
    assert_eq!(all.provider.as_deref(), Some("Acme Internal Services"));
    let state = |n: &str| all.components.iter().find(|x| x.name == n).unwrap().state;
    assert_eq!(
        state("Payments API"),
        ComponentStatus::MajorOutage,
        "its latest beat"
    );
    assert_eq!(state("Search API"), ComponentStatus::Maintenance);
    assert_eq!(state("Postgres primary"), ComponentStatus::Operational);
    assert_eq!(all.components[0].group.as_deref(), Some("Public APIs"));
    let incident = &all.incidents[0];
    assert_eq!(incident.vendor_id, "incident-4");
    assert_eq!(incident.impact, Some(Impact::Major));
    assert_eq!(incident.status, Status::Investigating);
    assert_eq!(incident.resolved_at, None, "Kuma never states an end");
    assert_eq!(incident.updates.len(), 2, "the text and its edit");
    let m = &all.incidents[1];
    assert_eq!((m.kind, m.status), (Kind::Maintenance, Status::InProgress));
    assert_eq!(
        m.scheduled_until.unwrap().to_rfc3339(),
        "2026-12-04T10:00:00+00:00"
    );

    // Kuma's times have no offset: the zone the source names applies.
    let mut berlin = Context {
        zone: Some(chrono_tz::Europe::Berlin),
        ..ctx()
    };
    let page = parse(
        &uptimekuma::PAGE,
        &fixture("uptimekuma/constructed__status-page.json"),
        &mut berlin,
    )
    .unwrap();
    assert_eq!(
        page.incidents[0].started_at.unwrap().to_rfc3339(),
        "2026-12-04T07:15:02+00:00"
    );
}

#[test]
fn slack_status_api() {
    let history = check(
        &statuswatch_sources::slack::HISTORY,
        "slack/slack__history_2026-08-18.json",
    );
    assert_eq!(history.incidents.len(), 5);
    let active = &history.incidents[0];
    assert_eq!(active.vendor_id, "1576");
    assert_eq!(active.status, statuswatch_model::Status::Investigating);
    assert_eq!(active.updates.len(), 6);
    assert!(
        active.updates[0]
            .body
            .starts_with("Users with custom data retention policies"),
        "HTML notes become text"
    );
    assert!(!active.updates[0].body.contains("<p>"));
    let resolved = &history.incidents[1];
    assert_eq!(resolved.status, statuswatch_model::Status::Resolved);
    assert_eq!(resolved.resolved_at, resolved.updates.last().unwrap().at);
    assert_eq!(resolved.components[0].name, "Search");
    let ok = check(
        &statuswatch_sources::slack::CURRENT,
        "slack/docs__current_ok_example.json",
    );
    assert!(ok.incidents.is_empty());
    assert_eq!(
        ok.item_count(),
        1,
        "an all-clear answer is not an empty one"
    );
}
