//! The two real example pages extract exactly.

use chrono::{DateTime, Duration, Utc};
use statuswatch_extract::extract;
use statuswatch_model::{Component, Impact, Kind, Status};

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn page(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn statuspage_incident_report() {
    let x = extract(
        &page("statuspage-incident-page.txt"),
        utc("2026-11-22T00:00:00Z"),
    )
    .expect("the page is read");
    assert!(x.warnings.is_empty(), "{:?}", x.warnings);
    assert_eq!(x.provider.as_deref(), Some("DRACOON Cloud"));
    let i = &x.incident;
    assert_eq!(i.title, "Partial Outage of DRACOON Cloud");
    assert_eq!(i.kind, Kind::Incident);
    assert_eq!(
        i.impact,
        Some(Impact::Major),
        "a partial outage, as the title states"
    );
    assert_eq!(i.status, Status::Postmortem);
    assert_eq!(i.started_at, Some(utc("2025-03-31T05:30:00Z")));
    assert_eq!(i.resolved_at, Some(utc("2025-03-31T08:56:00Z")));
    assert_eq!(i.scheduled_for, None);
    let expected: Vec<Component> = (1..=9)
        .map(|n| Component {
            name: format!("API (group {n:02})"),
            group: Some("API".into()),
        })
        .collect();
    assert_eq!(i.components, expected);
    let timeline: Vec<(&str, Status, DateTime<Utc>)> = i
        .updates
        .iter()
        .map(|u| (u.label.as_str(), u.status, u.at.unwrap()))
        .collect();
    assert_eq!(
        timeline,
        vec![
            (
                "Investigating",
                Status::Investigating,
                utc("2025-03-31T05:30:00Z")
            ),
            (
                "Monitoring",
                Status::Monitoring,
                utc("2025-03-31T06:11:00Z")
            ),
            ("Resolved", Status::Resolved, utc("2025-03-31T08:56:00Z")),
            (
                "Postmortem",
                Status::Postmortem,
                utc("2025-09-09T15:18:00Z")
            ),
        ]
    );
    assert_eq!(
        i.updates[0].body,
        "We are currently investigating an issue with DRACOON Cloud. Our team is working to gather more information and resolve the issue as quickly as possible. We apologize for any inconvenience this may cause and will provide updates as soon as we have them."
    );
    let pm = &i.updates[3].body;
    assert!(pm.starts_with(
        "We experienced an issue with DRACOON Cloud on 2025-03-31 from around 07:30 to 08:15."
    ));
    assert!(pm.contains("\n\nWhat happened?\nDRACOON Cloud experienced performance degradation"));
    assert!(pm.ends_with("please don't hesitate to reach out to our support team for assistance."));
    assert!(
        !pm.contains("Posted"),
        "the date line is not part of the text"
    );
    assert!(!i.updates[0].body.contains("This incident affected"));
}

#[test]
fn aggregator_incident_page() {
    let x = extract(
        &page("aggregator-incident-page.txt"),
        utc("2026-11-22T00:00:00Z"),
    )
    .expect("the page is read");
    assert!(x.warnings.is_empty(), "{:?}", x.warnings);
    assert_eq!(x.provider.as_deref(), Some("IONOS Cloud"));
    assert_eq!(x.duration, Some(Duration::days(2) + Duration::hours(11)));
    let i = &x.incident;
    assert_eq!(
        i.title,
        "Limited access to provisioning services, DCD, Managed Kubernetes"
    );
    assert_eq!(i.kind, Kind::Incident);
    assert_eq!(i.impact, Some(Impact::Major));
    assert_eq!(i.status, Status::Postmortem);
    assert_eq!(i.started_at, Some(utc("2026-05-03T18:53:00Z")));
    assert_eq!(i.resolved_at, Some(utc("2026-05-06T05:55:00Z")));
    let names: Vec<&str> = i.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Data Center Designer (DCD)",
            "Cloud API",
            "Managed Kubernetes"
        ]
    );
    assert!(i.components.iter().all(|c| c.group.is_none()));
    let labels: Vec<&str> = i.updates.iter().map(|u| u.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "identified",
            "monitoring",
            "identified",
            "identified",
            "identified",
            "identified",
            "identified",
            "identified",
            "identified",
            "monitoring",
            "investigating",
            "monitoring",
            "resolved",
            "postmortem"
        ]
    );
    assert_eq!(i.updates[0].at, Some(utc("2026-05-03T18:53:00Z")));
    assert_eq!(i.updates[10].at, Some(utc("2026-05-04T13:04:00Z")));
    assert_eq!(i.updates[10].status, Status::Investigating);
    assert_eq!(i.updates[13].at, Some(utc("2026-06-05T15:58:00Z")));
    assert_eq!(
        i.updates[1].body,
        "A fix has been implemented and we are monitoring the results."
    );
    let pm = &i.updates[13].body;
    assert!(pm.starts_with("In the following Root Cause Analysis, we explain"));
    assert!(pm.ends_with("Thank you for your patience during the incident and during the time it has taken to complete this analysis."));
}

#[test]
fn statuspage_history_text_with_dates_before_headings_and_no_year() {
    // As a Statuspage feed entry reads when its HTML is turned to text.
    let text = "Jan  2, 01:10 UTC\nResolved - All good.\nDec 31, 23:40 UTC\nUpdate - Still looking.\nDec 31, 23:05 UTC\nInvestigating - Errors on the API.";
    let x = extract(
        &format!("API errors\n\n{text}"),
        utc("2025-01-05T00:00:00Z"),
    )
    .expect("the page is read");
    let i = &x.incident;
    let got: Vec<(&str, Status, DateTime<Utc>, &str)> = i
        .updates
        .iter()
        .map(|u| (u.label.as_str(), u.status, u.at.unwrap(), u.body.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "Investigating",
                Status::Investigating,
                utc("2024-12-31T23:05:00Z"),
                "Errors on the API."
            ),
            (
                "Update",
                Status::Investigating,
                utc("2024-12-31T23:40:00Z"),
                "Still looking."
            ),
            (
                "Resolved",
                Status::Resolved,
                utc("2025-01-02T01:10:00Z"),
                "All good."
            ),
        ]
    );
    assert_eq!(i.title, "API errors");
    assert_eq!(i.status, Status::Resolved);
}

#[test]
fn a_maintenance_with_its_window() {
    let text = "Database upgrade\n\nScheduled\nWe will upgrade the database from 2026-05-11 20:00 CEST to 2026-05-12 03:00 CEST.\nPosted May 01, 2026 - 10:00 CEST";
    let x = extract(text, utc("2026-05-02T00:00:00Z")).expect("the page is read");
    let i = &x.incident;
    assert_eq!(i.kind, Kind::Maintenance);
    assert_eq!(i.status, Status::Scheduled);
    assert_eq!(i.scheduled_for, Some(utc("2026-05-11T18:00:00Z")));
    assert_eq!(i.scheduled_until, Some(utc("2026-05-12T01:00:00Z")));
    assert_eq!(i.updates[0].at, Some(utc("2026-05-01T08:00:00Z")));
}

#[test]
fn html_pages_read_like_their_text() {
    let html = "<!DOCTYPE html><html><head><title>t</title><script>var x = '<p>Resolved</p>';</script></head><body>\
        <h1>API errors</h1><div class=\"update\"><strong>Resolved</strong> - <span>Fixed &amp; verified.</span><br><small>Posted <var>Mar 16</var>, 2026 - 04:38 UTC</small></div>\
        <div class=\"update\"><strong>Investigating</strong> - <span>Looking.</span><br><small>Posted Mar 16, 2026 - 04:00 UTC</small></div></body></html>";
    let x = extract(html, utc("2026-04-01T00:00:00Z")).expect("the page is read");
    let i = &x.incident;
    assert_eq!(i.title, "API errors");
    let got: Vec<(&str, &str)> = i
        .updates
        .iter()
        .map(|u| (u.label.as_str(), u.body.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Investigating", "Looking."),
            ("Resolved", "Fixed & verified.")
        ]
    );
    assert_eq!(i.resolved_at, Some(utc("2026-03-16T04:38:00Z")));
}

#[test]
fn a_statuspage_incident_page_as_html() {
    // The markup of a Statuspage incident page, shortened: navigation first,
    // the title in `.incident-name`, dates split over spans.
    let html = r#"<!DOCTYPE html><html><head><title>DRACOON Cloud Status - Partial Outage of DRACOON Cloud</title></head>
<body><div class="layout-content"><div class="page-header"><a href="/">DRACOON Cloud</a><button>Subscribe to Updates</button></div>
<div class="incident-name impact-major">Partial Outage of DRACOON Cloud</div>
<div class="subheader">Incident Report for <strong>DRACOON Cloud</strong></div>
<div class="row update-row"><div class="update-title">Resolved</div><div class="update-body"><span class="whitespace-pre-wrap">The issue has been fully resolved.</span>
<div class="update-timestamp">Posted <span>Mar 31</span>, <span>2025</span> - 10:56 CEST</div></div></div>
<div class="row update-row"><div class="update-title">Investigating</div><div class="update-body"><span class="whitespace-pre-wrap">We are currently investigating.</span>
<div class="update-timestamp">Posted <span>Mar 31</span>, <span>2025</span> - 07:30 CEST</div></div></div>
<div class="components-affected">This incident affected: API (API (group 01)).</div>
<div class="powered-by">Powered by Atlassian Statuspage</div></div></body></html>"#;
    let x = extract(html, utc("2026-01-01T00:00:00Z")).expect("the page is read");
    let i = &x.incident;
    assert_eq!(i.title, "Partial Outage of DRACOON Cloud");
    assert_eq!(x.provider.as_deref(), Some("DRACOON Cloud"));
    assert_eq!(i.impact, Some(Impact::Major));
    let got: Vec<(&str, DateTime<Utc>, &str)> = i
        .updates
        .iter()
        .map(|u| (u.label.as_str(), u.at.unwrap(), u.body.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "Investigating",
                utc("2025-03-31T05:30:00Z"),
                "We are currently investigating."
            ),
            (
                "Resolved",
                utc("2025-03-31T08:56:00Z"),
                "The issue has been fully resolved."
            ),
        ]
    );
    assert_eq!(
        i.components,
        vec![Component {
            name: "API (group 01)".into(),
            group: Some("API".into())
        }]
    );
}

#[test]
fn time_elements_give_exact_dates() {
    let html = r#"<html><body><h1>Login failures</h1>
<div><h3>Monitoring</h3><p>A fix is out.</p><time datetime="2025-12-02T16:10:00+01:00">Dec 2, 4:10 PM</time></div>
<div><h3>Investigating</h3><p>Users cannot log in.</p><time datetime="2025-12-02T15:45:00+01:00">Dec 2, 3:45 PM</time></div>
</body></html>"#;
    let x = extract(html, utc("2026-01-01T00:00:00Z")).expect("the page is read");
    let i = &x.incident;
    assert_eq!(i.title, "Login failures");
    let got: Vec<(&str, DateTime<Utc>)> = i
        .updates
        .iter()
        .map(|u| (u.label.as_str(), u.at.unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Investigating", utc("2025-12-02T14:45:00Z")),
            ("Monitoring", utc("2025-12-02T15:10:00Z"))
        ]
    );
    assert_eq!(i.status, Status::Monitoring);
}
