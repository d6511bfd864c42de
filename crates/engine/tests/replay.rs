//! A loopback Statuspage vendor moves an incident through its life; statuswatch
//! must record exactly the vendor's timeline, once, with one event per change.

mod support;

use statuswatch_engine::Outcome;
use statuswatch_model::{EventKind, Status};
use statuswatch_store::IncidentQuery;
use support::{add_update, cursor_incident, Harness, Page, Reply, Vendor};

#[tokio::test]
async fn an_incident_life_yields_the_vendor_timeline_once() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let page = Page::new();
    let src = h.add("cursor", &v.url("/"), "statuspage").await;

    // Baseline: five resolved incidents of history, recorded without events.
    page.serve(&v, &[]);
    assert_eq!(
        h.poll(&src).await,
        Outcome::Changed {
            inserted: 5,
            updated: 0,
            events: 0
        }
    );
    assert_eq!(
        h.store.source(src.id).await.unwrap().provider.as_deref(),
        Some("Cursor")
    );

    // The incident opens.
    let mut inc = cursor_incident();
    page.serve(&v, &[inc.clone()]);
    assert_eq!(
        h.poll(&src).await,
        Outcome::Changed {
            inserted: 1,
            updated: 0,
            events: 1
        }
    );
    // Polling the unchanged page stores nothing.
    assert_eq!(h.poll(&src).await, Outcome::Unchanged);

    add_update(
        &mut inc,
        "u2",
        "identified",
        "2026-09-26T00:05:00.000Z",
        "We found the cause.",
    );
    page.serve(&v, &[inc.clone()]);
    assert_eq!(
        h.poll(&src).await,
        Outcome::Changed {
            inserted: 0,
            updated: 1,
            events: 1
        }
    );
    add_update(
        &mut inc,
        "u3",
        "identified",
        "2026-09-26T00:10:00.000Z",
        "A fix is rolling out.",
    );
    add_update(
        &mut inc,
        "u4",
        "resolved",
        "2026-09-26T00:20:00.000Z",
        "This incident has been resolved.",
    );
    page.serve(&v, &[inc.clone()]);
    assert_eq!(
        h.poll(&src).await,
        Outcome::Changed {
            inserted: 0,
            updated: 1,
            events: 2
        }
    );
    assert_eq!(h.poll(&src).await, Outcome::Unchanged);
    add_update(
        &mut inc,
        "u5",
        "postmortem",
        "2026-09-27T09:00:00.000Z",
        "Root cause: a bad deploy.",
    );
    page.serve(&v, &[inc.clone()]);
    // A postmortem of a resolved incident changes only the history (the
    // summary lists open incidents): it is read when the history is due.
    assert_eq!(h.poll(&src).await, Outcome::Unchanged);
    h.clock.advance(10 * 60);
    assert_eq!(
        h.poll(&src).await,
        Outcome::Changed {
            inserted: 0,
            updated: 1,
            events: 1
        }
    );
    assert_eq!(h.poll(&src).await, Outcome::Unchanged);

    let all = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    assert_eq!(all.len(), 6);
    let stored = all
        .iter()
        .find(|i| i.incident.vendor_id == "bfcck6qks18q")
        .unwrap();
    let timeline: Vec<(&str, Status, &str)> = stored
        .incident
        .updates
        .iter()
        .map(|u| (u.label.as_str(), u.status, u.body.as_str()))
        .collect();
    assert_eq!(
        timeline,
        vec![
            (
                "Investigating",
                Status::Investigating,
                "We are investigating a service degradation affecting Grok Bot."
            ),
            ("Identified", Status::Identified, "We found the cause."),
            ("Update", Status::Identified, "A fix is rolling out."),
            (
                "Resolved",
                Status::Resolved,
                "This incident has been resolved."
            ),
            (
                "Postmortem",
                Status::Postmortem,
                "Root cause: a bad deploy."
            ),
        ]
    );
    assert_eq!(stored.incident.status, Status::Postmortem);
    assert_eq!(
        stored.incident.resolved_at.unwrap().to_rfc3339(),
        "2026-09-26T00:20:00+00:00"
    );
    assert_eq!(stored.incident.components[0].name, "Grok Bot");
    assert_eq!(stored.provider, "Cursor");
    assert_eq!(
        stored.detected_at,
        statuswatch_engine::Clock::now(&support::TestClock::new()) + chrono::Duration::seconds(120)
    );

    let events = h.store.events_after(0, 100).await.unwrap();
    let kinds: Vec<(EventKind, Option<&str>)> = events
        .iter()
        .map(|e| (e.kind, e.update.as_ref().map(|u| u.label.as_str())))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (EventKind::IncidentOpened, Some("Investigating")),
            (EventKind::IncidentUpdated, Some("Identified")),
            (EventKind::IncidentUpdated, Some("Update")),
            (EventKind::IncidentResolved, Some("Resolved")),
            (EventKind::IncidentUpdated, Some("Postmortem")),
        ]
    );
}

#[tokio::test]
async fn an_incident_that_drops_out_of_the_answer_stays_as_it_was() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let page = Page::new();
    let src = h.add("cursor", &v.url("/"), "statuspage").await;
    page.serve(&v, &[]);
    h.poll(&src).await;
    page.serve(&v, &[cursor_incident()]);
    h.poll(&src).await;
    let before = h.store.incidents(&IncidentQuery::default()).await.unwrap();

    // The vendor's answers no longer mention the open incident.
    page.serve(&v, &[]);
    assert!(h.poll(&src).await.is_ok());
    let after = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    assert_eq!(before, after, "absence is not resolution");
    let open = h
        .store
        .incidents(&IncidentQuery {
            open_only: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(
        h.store.events_after(0, 100).await.unwrap().len(),
        1,
        "only the opening"
    );
}

#[tokio::test]
async fn a_feed_source_records_its_timeline_and_nothing_twice() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    v.set(
        "/history.rss",
        Reply::bytes(
            support::fixture("parse__history_rss_2014-01-09.rss"),
            "application/rss+xml",
        ),
    );
    let src = h.add("parse", &v.url("/history.rss"), "feed").await;
    let Outcome::Changed { inserted, .. } = h.poll(&src).await else {
        panic!("first poll stores")
    };
    assert_eq!(inserted, 17);
    assert_eq!(h.poll(&src).await, Outcome::Unchanged);
    let all = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    let newest = &all[0];
    assert_eq!(newest.incident.title, "Elevated error rates");
    assert_eq!(newest.provider, "Parse");
    assert_eq!(newest.incident.updates.len(), 3);
    // Across the New Year: the December entries are from 2013.
    let analytics = all
        .iter()
        .find(|i| i.incident.title == "Analytics")
        .unwrap();
    assert_eq!(
        analytics.incident.started_at.unwrap().to_rfc3339(),
        "2013-12-29T16:04:00+00:00"
    );
}
