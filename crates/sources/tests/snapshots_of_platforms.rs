//! Every platform's payloads normalize to reviewed snapshots, and the
//! platform's rules hold (which status is current, what is a component, how
//! maintenance windows and times are read).

use chrono::{DateTime, Utc};
use statuswatch_model::{Impact, Kind, Snapshot, Status};
use statuswatch_sources::{combine, parse, Chain, Context, Role};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn ctx() -> Context {
    Context {
        now: t("2026-11-20T12:00:00Z"),
        ..Context::default()
    }
}

fn fixture(path: &str) -> Vec<u8> {
    statuswatch_testkit::fixture!(path)
}

fn check_with(role: &Role, path: &str, c: &mut Context) -> Snapshot {
    let snap = parse(role, &fixture(path), c).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(snap.warnings.is_empty(), "{path}: {:?}", snap.warnings);
    insta::assert_json_snapshot!(path.replace(['/', '.'], "_"), snap);
    snap
}

fn check(role: &Role, path: &str) -> Snapshot {
    check_with(role, path, &mut ctx())
}

#[test]
fn heroku_v4_and_the_documented_v3_issue() {
    let cur = check(
        &statuswatch_sources::heroku::CURRENT,
        "heroku/constructed__api_v4_current_status_incident.json",
    );
    assert_eq!(cur.components.len(), 3);
    let inc = &cur.incidents[0];
    assert_eq!(inc.vendor_id, "2712");
    assert_eq!(inc.status, Status::Monitoring, "state is trusted");
    assert_eq!(inc.impact, Some(Impact::Major), "red system");
    assert_eq!(inc.updates.len(), 3);
    assert_eq!(inc.updates[0].label, "Issue", "updates read oldest first");
    assert!(!inc.updates[2].body.contains('\r'));
    let m = &cur.incidents[1];
    assert_eq!((m.kind, m.status), (Kind::Maintenance, Status::Scheduled));

    let v3 = check(
        &statuswatch_sources::heroku::INCIDENTS,
        "heroku/docs__api_v3_issue_336_example.json",
    );
    let i = &v3.incidents[0];
    assert_eq!(i.status, Status::Resolved);
    assert_eq!(i.resolved_at, Some(t("2012-04-24T15:24:58Z")));
    assert_eq!(i.started_at, Some(t("2012-04-24T14:02:39Z")));
    assert_eq!(i.components[0].name, "Development", "status_dev was yellow");
    assert_eq!(i.impact, Some(Impact::Minor));
    assert_eq!(i.updates.len(), 5);
}

#[test]
fn instatus_summary_and_history() {
    let mut c = ctx();
    let s = check_with(
        &statuswatch_sources::instatus::SUMMARY,
        "instatus/docs__summary_json_example.json",
        &mut c,
    );
    assert_eq!(s.provider.as_deref(), Some("Instatus"));
    let i = &s.incidents[0];
    assert_eq!(
        i.vendor_id, "cl4a8n3070721qtmzvts760c4",
        "keyed by the id in its URL"
    );
    assert_eq!(i.impact, Some(Impact::Critical));
    assert_eq!(
        i.started_at,
        Some(t("2022-06-11T18:55:50Z")),
        "JavaScript date read"
    );
    let m = &s.incidents[1];
    assert_eq!(m.kind, Kind::Maintenance);
    assert_eq!(
        m.scheduled_until,
        Some(t("2022-06-11T19:55:54Z")),
        "duration is minutes"
    );
    let h = check_with(
        &statuswatch_sources::instatus::FEED,
        "instatus/constructed__history_rss.rss",
        &mut c,
    );
    assert_eq!(
        h.incidents[0].vendor_id, i.vendor_id,
        "the feed names the same incident"
    );
    assert_eq!(h.incidents[0].status, Status::Resolved);
    let both = combine(vec![s, h]);
    assert_eq!(both.incidents.len(), 2);
    assert_eq!(both.incidents[0].status, Status::Resolved);
}

#[test]
fn better_stack_index() {
    let s = check(
        &statuswatch_sources::betterstack::INDEX,
        "betterstack/constructed__index.json",
    );
    assert_eq!(s.provider.as_deref(), Some("Example Corp"));
    assert_eq!(s.components.len(), 2, "not_monitored resources are skipped");
    assert_eq!(
        s.components[0].group.as_deref(),
        Some("Core platform"),
        "integer section id joined"
    );
    let resolved = &s.incidents[0];
    assert_eq!(
        resolved.status,
        Status::Resolved,
        "aggregate_state resolved, ends_at null"
    );
    assert_eq!(resolved.resolved_at, Some(t("2021-12-08T16:10:00Z")));
    assert_eq!(resolved.impact, Some(Impact::Major));
    let open = &s.incidents[1];
    assert_eq!(open.status, Status::Investigating);
    let m = &s.incidents[2];
    assert_eq!((m.kind, m.status), (Kind::Maintenance, Status::Scheduled));
    assert_eq!(m.components[0].name, "Dashboard");
    // The documented (authenticated) report list parses too.
    let docs = check(
        &statuswatch_sources::betterstack::INDEX,
        "betterstack/docs__uptime_api_v2_status_reports_example.json",
    );
    assert_eq!(docs.incidents.len(), 2);
    assert!(docs
        .incidents
        .iter()
        .all(|i| i.status == Status::Investigating));
}

#[test]
fn status_io_api_and_rss() {
    let ok = check(
        &statuswatch_sources::statusio::STATUS,
        "statusio/docs__public_status_api_example.json",
    );
    assert!(ok.incidents.is_empty());
    assert_eq!(ok.components.len(), 2, "one cell per container");
    assert_eq!(ok.components[0].group.as_deref(), Some("Website"));
    let s = check(
        &statuswatch_sources::statusio::STATUS,
        "statusio/constructed__public_status_api_incident.json",
    );
    let i = &s.incidents[0];
    assert_eq!(i.status, Status::Identified);
    assert_eq!(i.impact, Some(Impact::Major), "worst message status 400");
    assert_eq!(i.components[0].name, "US-West");
    assert_eq!(i.components[0].group.as_deref(), Some("Website"));
    let m = &s.incidents[1];
    assert_eq!(m.scheduled_for, Some(t("2026-11-28T06:00:00Z")));
    let rss = check(
        &statuswatch_sources::statusio::FEED,
        "statusio/constructed__page_rss.rss",
    );
    assert_eq!(rss.incidents[0].vendor_id, i.vendor_id);
    assert_eq!(rss.incidents[0].status, Status::Resolved);
}

#[test]
fn cachet_two_and_three() {
    let mut c = Context {
        zone: Some("Europe/Berlin".parse().unwrap()),
        ..ctx()
    };
    let comps = check_with(
        &statuswatch_sources::cachet::COMPONENTS_V2,
        "cachet/constructed__v2_components.json",
        &mut c,
    );
    assert_eq!(comps.components[0].status, "partial_outage");
    let inc = check_with(
        &statuswatch_sources::cachet::INCIDENTS_V2,
        "cachet/constructed__v2_incidents.json",
        &mut c,
    );
    let i = &inc.incidents[0];
    assert_eq!(
        i.status,
        Status::Monitoring,
        "latest_status, not the creation status"
    );
    assert_eq!(
        i.started_at,
        Some(t("2026-11-20T09:12:00Z")),
        "local time in Europe/Berlin"
    );
    assert_eq!(
        i.components[0].name, "API",
        "component named by id from the components answer"
    );
    assert_eq!(i.updates.len(), 3);
    assert_eq!(inc.incidents[1].status, Status::Resolved);
    let sched = check_with(
        &statuswatch_sources::cachet::SCHEDULES_V2,
        "cachet/constructed__v2_schedules.json",
        &mut c,
    );
    assert_eq!(sched.incidents[0].kind, Kind::Maintenance);
    assert_eq!(
        sched.incidents[0].scheduled_for,
        Some(t("2026-11-28T21:00:00Z"))
    );

    let mut c3 = ctx();
    let comps3 = check_with(
        &statuswatch_sources::cachet::COMPONENTS_V3,
        "cachet/constructed__v3_components.json",
        &mut c3,
    );
    assert_eq!(comps3.components[1].status, "under_maintenance");
    let inc3 = check_with(
        &statuswatch_sources::cachet::INCIDENTS_V3,
        "cachet/constructed__v3_incidents.json",
        &mut c3,
    );
    let i3 = &inc3.incidents[0];
    assert_eq!(i3.status, Status::Monitoring);
    assert_eq!(i3.impact, Some(Impact::Major));
    assert_eq!(i3.updates.len(), 3);
    assert_eq!(
        i3.started_at,
        Some(t("2026-11-20T10:12:00Z")),
        "UTC when no zone is given"
    );
}

#[test]
fn sorry_status_and_notices() {
    let st = check(
        &statuswatch_sources::sorry::STATUS,
        "sorry/constructed__status.json",
    );
    assert_eq!(st.provider.as_deref(), Some("Websupport"));
    let n = check(
        &statuswatch_sources::sorry::NOTICES,
        "sorry/constructed__notices.json",
    );
    assert_eq!(n.incidents[0].status, Status::Identified);
    assert_eq!(n.incidents[0].components[0].name, "Webmail");
    let done = &n.incidents[1];
    assert_eq!(done.status, Status::Resolved);
    assert_eq!(done.resolved_at, Some(t("2026-11-12T15:10:00Z")));
    assert_eq!(done.started_at, Some(t("2026-11-12T14:00:00Z")));
    let m = &n.incidents[2];
    assert_eq!((m.kind, m.status), (Kind::Maintenance, Status::Scheduled));
}

#[test]
fn incident_io_native_page_and_feed() {
    let p = check(
        &statuswatch_sources::incidentio::PAGE,
        "incidentio_native/constructed__proxy_page.json",
    );
    assert_eq!(p.provider.as_deref(), Some("OpenAI"));
    assert_eq!(p.components.len(), 3, "hidden components are skipped");
    assert_eq!(p.components[0].group.as_deref(), Some("API"));
    assert_eq!(p.components[1].status, "partial_outage");
    assert_eq!(
        p.components[2].status, "operational",
        "absent from affected means operational"
    );
    let i = &p.incidents[0];
    assert_eq!(i.status, Status::Identified);
    assert_eq!(i.impact, Some(Impact::Major));
    assert_eq!(i.components[0].name, "ChatGPT");
    let m = &p.incidents[1];
    assert_eq!((m.kind, m.status), (Kind::Maintenance, Status::Scheduled));
    let f = check(
        &statuswatch_sources::incidentio::FEED,
        "incidentio_native/constructed__history_atom.atom",
    );
    assert_eq!(f.incidents[0].vendor_id, i.vendor_id);
    assert_eq!(f.incidents[0].status, Status::Resolved);
    assert_eq!(f.incidents[0].resolved_at, Some(t("2026-11-20T11:20:00Z")));
}

#[test]
fn aws_rss_chains_updates_into_incidents() {
    let mut c = ctx();
    let s = check_with(
        &statuswatch_sources::aws::RSS,
        "aws_rss/aws__all_rss_2026-08-18.rss",
        &mut c,
    );
    assert_eq!(s.provider.as_deref(), Some("Amazon Web Services"));
    let total: usize = s.incidents.iter().map(|i| i.updates.len()).sum();
    assert_eq!(total, 50, "every item is one update of one incident");
    let dx: Vec<_> = s
        .incidents
        .iter()
        .filter(|i| i.components[0].name == "directconnect (eu-central-1)")
        .collect();
    assert_eq!(dx.len(), 1, "20 items of one chain are one incident");
    assert_eq!(dx[0].updates.len(), 20);
    assert_eq!(dx[0].status, Status::Resolved);
    assert_eq!(dx[0].title, "Increased Packet loss");
    for i in &s.incidents {
        let times: Vec<_> = i.updates.iter().map(|u| u.at).collect();
        let mut sorted = times.clone();
        sorted.sort();
        assert_eq!(times, sorted);
    }
    // Resolved chains are closed, so their items are not read again.
    let closed = c.chains.get("directconnect-eu-central-1").unwrap();
    assert!(closed.open.is_none() && closed.closed_through > 0);
    let again = parse(
        &statuswatch_sources::aws::RSS,
        &fixture("aws_rss/aws__all_rss_2026-08-18.rss"),
        &mut c,
    )
    .unwrap();
    assert!(again.incidents.iter().all(|i| i.status != Status::Resolved));
}

#[test]
fn aws_keeps_an_open_incident_when_its_first_update_scrolls_off() {
    let item = |epoch: i64, title: &str| {
        format!(
            "<item><title><![CDATA[{title}]]></title><link>https://status.aws.amazon.com/</link>\
             <pubDate>{}</pubDate><guid isPermaLink=\"false\">https://status.aws.amazon.com/#ec2-us-east-1_{epoch}</guid>\
             <description><![CDATA[update at {epoch}]]></description></item>",
            DateTime::from_timestamp(epoch, 0).unwrap().to_rfc2822()
        )
    };
    let feed = |items: &[String]| {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Amazon Web Services Service Status</title>{}</channel></rss>",
            items.join("")
        )
    };
    let mut c = ctx();
    let a = parse(
        &statuswatch_sources::aws::RSS,
        feed(&[
            item(1000, "Service impact: Slow API"),
            item(2000, "Service impact: Slow API"),
        ])
        .as_bytes(),
        &mut c,
    )
    .unwrap();
    assert_eq!(a.incidents.len(), 1);
    let key = a.incidents[0].vendor_id.clone();
    assert_eq!(key, "ec2-us-east-1_1000");
    // The first update is gone from the feed; the incident keeps its key.
    let b = parse(
        &statuswatch_sources::aws::RSS,
        feed(&[
            item(2000, "Service impact: Slow API"),
            item(3000, "Service is operating normally: [RESOLVED] Slow API"),
        ])
        .as_bytes(),
        &mut c,
    )
    .unwrap();
    assert_eq!(b.incidents.len(), 1);
    assert_eq!(b.incidents[0].vendor_id, key);
    assert_eq!(b.incidents[0].status, Status::Resolved);
    // A later event of the same service and region is a new incident.
    let d = parse(
        &statuswatch_sources::aws::RSS,
        feed(&[
            item(3000, "Service is operating normally: [RESOLVED] Slow API"),
            item(4000, "Service disruption: Instances unreachable"),
        ])
        .as_bytes(),
        &mut c,
    )
    .unwrap();
    assert_eq!(d.incidents.len(), 1);
    assert_eq!(d.incidents[0].vendor_id, "ec2-us-east-1_4000");
    assert_eq!(d.incidents[0].impact, Some(Impact::Major));
}

#[test]
fn azure_events_and_an_inferred_end() {
    let mut c = ctx();
    let s = check_with(
        &statuswatch_sources::azure::RSS,
        "azure/constructed__status_feed_one_event.rss",
        &mut c,
    );
    let i = &s.incidents[0];
    assert_eq!(i.components.len(), 2);
    assert_eq!(i.components[0].name, "Virtual Machines (East US 2)");
    assert!(i.updates[0].body.starts_with("Summary of impact:"));
    let key = i.vendor_id.clone();
    // Missing from well-formed answers: over only after 3 answers and 10 minutes.
    let empty = fixture("azure/constructed__status_feed_empty.rss");
    for (k, minutes) in [(1, 0), (2, 5), (3, 8)] {
        c.now = t("2026-11-20T12:00:00Z") + chrono::Duration::minutes(minutes);
        let e = parse(&statuswatch_sources::azure::RSS, &empty, &mut c).unwrap();
        assert!(e.incidents.is_empty(), "answer {k}: not over yet");
    }
    c.now = t("2026-11-20T12:11:00Z");
    let over = parse(&statuswatch_sources::azure::RSS, &empty, &mut c).unwrap();
    assert_eq!(over.incidents.len(), 1);
    assert_eq!(over.incidents[0].vendor_id, key);
    assert_eq!(over.incidents[0].status, Status::Resolved);
    assert_eq!(over.incidents[0].updates[0].label, "No longer listed");
    assert_eq!(
        over.incidents[0].resolved_at,
        Some(t("2026-11-20T12:00:00Z")),
        "when first missing"
    );
    assert!(c.chains.is_empty(), "ended chains are forgotten");
    // An event that comes back within the window continues.
    let mut c = ctx();
    parse(
        &statuswatch_sources::azure::RSS,
        &fixture("azure/constructed__status_feed_one_event.rss"),
        &mut c,
    )
    .unwrap();
    parse(&statuswatch_sources::azure::RSS, &empty, &mut c).unwrap();
    let back = parse(
        &statuswatch_sources::azure::RSS,
        &fixture("azure/constructed__status_feed_one_event.rss"),
        &mut c,
    )
    .unwrap();
    assert_eq!(back.incidents[0].vendor_id, key);
    assert_eq!(
        c.chains.values().next(),
        Some(&Chain {
            open: c.chains.values().next().unwrap().open.clone(),
            ..Chain::default()
        })
    );
}

#[test]
fn each_platform_refuses_answers_of_another_shape() {
    let statuspage = fixture("statuspage_api/github__summary_2026-07-01.json");
    for role in [
        &statuswatch_sources::heroku::CURRENT,
        &statuswatch_sources::instatus::SUMMARY,
        &statuswatch_sources::betterstack::INDEX,
        &statuswatch_sources::statusio::STATUS,
        &statuswatch_sources::cachet::COMPONENTS_V2,
        &statuswatch_sources::cachet::INCIDENTS_V3,
        &statuswatch_sources::sorry::STATUS,
        &statuswatch_sources::sorry::NOTICES,
        &statuswatch_sources::incidentio::PAGE,
    ] {
        assert!(
            parse(role, &statuspage, &mut ctx()).is_err(),
            "{role:?} read a Statuspage summary"
        );
        assert!(
            parse(role, b"<html><body>hi</body></html>", &mut ctx()).is_err(),
            "{role:?}"
        );
        assert!(
            parse(role, b"{\"data\": [", &mut ctx()).is_err(),
            "{role:?}"
        );
    }
    for role in [
        &statuswatch_sources::aws::RSS,
        &statuswatch_sources::azure::RSS,
    ] {
        assert!(parse(role, &statuspage, &mut ctx()).is_err(), "{role:?}");
    }
}
