//! One contract suite for every store: it runs on SQLite always and on
//! PostgreSQL when `STATUSWATCH_TEST_POSTGRES_URL` is set (each test in a
//! schema of its own); without that variable the PostgreSQL half says it skipped.

use chrono::{DateTime, Duration, TimeZone, Utc};
use statuswatch_model::{ComponentState, EventKind, Impact, Incident, Kind, Status, Update};
use statuswatch_store::postgres::PgStore;
use statuswatch_store::sqlite::SqliteStore;
use statuswatch_store::*;
use std::str::FromStr;

fn t(min: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap() + Duration::minutes(min)
}

fn new_source(n: &str) -> NewSource {
    NewSource {
        name: n.into(),
        url: format!("https://{n}.example.com/"),
        platform: "statuspage".into(),
        provider: Some(format!("{n} Inc")),
        on_behalf: false,
    }
}

fn incident(vendor_id: &str, status: Status, minute: i64) -> Incident {
    let mut i = Incident::new(vendor_id, format!("Incident {vendor_id}"), status);
    i.updates.push(Update {
        vendor_id: Some(format!("{vendor_id}-u1")),
        status,
        label: status.heading().into(),
        at: Some(t(minute)),
        body: "text".into(),
    });
    i.normalize();
    i
}

fn poll(source: SourceId, at: DateTime<Utc>, writes: Vec<IncidentWrite>) -> PollRecord {
    PollRecord {
        source_id: source,
        at,
        outcome: statuswatch_store::PollOutcome::Ok,
        provider: Some("Vendor".into()),
        components: Some(vec![ComponentState::new(
            "API",
            None,
            "operational",
            statuswatch_model::ComponentStatus::Operational,
        )]),
        writes,
        fetch_state: "{\"v\":1}".into(),
        item_count: Some(2),
        next_poll_at: at + Duration::seconds(60),
        warning: None,
    }
}

fn opened(i: Incident, at: DateTime<Utc>) -> IncidentWrite {
    IncidentWrite {
        existing_id: None,
        events: vec![NewEvent {
            kind: EventKind::IncidentOpened,
            occurred_at: at,
            update: i.updates.first().cloned(),
            channels: vec!["ops".into()],
        }],
        incident: i,
    }
}

async fn sources_are_unique_and_listed(s: &dyn Store) {
    let a = s.add_source(new_source("alpha"), t(0)).await.unwrap();
    s.add_source(new_source("beta"), t(0)).await.unwrap();
    assert!(matches!(
        s.add_source(new_source("alpha"), t(1)).await,
        Err(StoreError::Conflict(_))
    ));
    let all = s.sources().await.unwrap();
    assert_eq!(
        all.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["alpha", "beta"]
    );
    assert_eq!(s.source(a.id).await.unwrap().provider_name(), "alpha Inc");
    assert!(!a.baselined);
    assert!(!a.on_behalf);
    let mut web = new_source("gamma");
    web.on_behalf = true;
    assert!(
        s.add_source(web, t(0)).await.unwrap().on_behalf,
        "kept for its polls"
    );
    assert!(matches!(s.source(999).await, Err(StoreError::NotFound(_))));
}

async fn due_sources_are_leased(s: &dyn Store) {
    let a = s.add_source(new_source("a"), t(0)).await.unwrap();
    s.add_source(new_source("b"), t(5)).await.unwrap();
    let due = s.claim_due(t(1), t(3), 10).await.unwrap();
    assert_eq!(
        due.iter().map(|s| s.id).collect::<Vec<_>>(),
        [a.id],
        "b is not due yet"
    );
    assert!(
        s.claim_due(t(2), t(4), 10).await.unwrap().is_empty(),
        "a is leased"
    );
    assert_eq!(
        s.claim_due(t(3), t(9), 10).await.unwrap().len(),
        1,
        "lease over"
    );
    assert_eq!(
        s.claim_due(t(10), t(20), 1).await.unwrap().len(),
        1,
        "limit holds"
    );
}

async fn a_claimed_source_carries_its_due_time_and_no_components(s: &dyn Store) {
    let a = s.add_source(new_source("a"), t(0)).await.unwrap();
    s.apply_poll(PollRecord {
        next_poll_at: t(2),
        ..poll(a.id, t(1), vec![])
    })
    .await
    .unwrap();
    assert!(!s.source(a.id).await.unwrap().components.is_empty());
    let due = s.claim_due(t(5), t(7), 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].next_poll_at, t(2), "the time it fell due");
    assert!(due[0].components.is_empty(), "not read for a poll");
    assert_eq!(due[0].fetch_state, "{\"v\":1}");
    assert_eq!(s.source(a.id).await.unwrap().next_poll_at, t(7), "leased");
    // A paused source is never claimed.
    s.set_paused(a.id, true).await.unwrap();
    assert!(s.claim_due(t(60), t(61), 10).await.unwrap().is_empty());
}

async fn quiet_polls_are_applied_together(s: &dyn Store) {
    let a = s.add_source(new_source("a"), t(0)).await.unwrap();
    let b = s.add_source(new_source("b"), t(0)).await.unwrap();
    let gone = s.add_source(new_source("gone"), t(0)).await.unwrap();
    s.remove_source(gone.id).await.unwrap();
    let quiet = |id, at| PollRecord {
        outcome: PollOutcome::NotModified,
        provider: None,
        components: None,
        item_count: None,
        fetch_state: format!("{{\"at\":{id}}}"),
        warning: (id == b.id).then(|| "no history feed".to_string()),
        ..poll(id, at, vec![])
    };
    let applied = s
        .apply_polls(vec![
            quiet(a.id, t(3)),
            quiet(gone.id, t(3)),
            quiet(b.id, t(4)),
        ])
        .await
        .unwrap();
    assert_eq!(applied, 2, "the removed source's poll is skipped");
    let a2 = s.source(a.id).await.unwrap();
    assert_eq!(a2.health.last_poll_at, Some(t(3)));
    assert_eq!(a2.health.last_outcome, Some(PollOutcome::NotModified));
    assert_eq!(a2.next_poll_at, t(4));
    assert_eq!(a2.fetch_state, format!("{{\"at\":{}}}", a.id));
    assert!(a2.baselined);
    let b2 = s.source(b.id).await.unwrap();
    assert_eq!(b2.health.warning.as_deref(), Some("no history feed"));
    assert_eq!(s.apply_polls(Vec::new()).await.unwrap(), 0);
}

async fn sources_are_counted_in_groups_and_found_by_page(s: &dyn Store) {
    use statuswatch_model::ComponentStatus as C;
    let comp = |st| vec![ComponentState::new("API", None, "x", st)];
    // a: operational; b: a degraded component; c: an open incident; d: failing; e: never polled.
    let a = s.add_source(new_source("a"), t(0)).await.unwrap();
    let b = s.add_source(new_source("b"), t(0)).await.unwrap();
    let c = s.add_source(new_source("c"), t(0)).await.unwrap();
    let d = s.add_source(new_source("d"), t(0)).await.unwrap();
    s.add_source(new_source("e"), t(0)).await.unwrap();
    s.apply_poll(poll(a.id, t(1), vec![])).await.unwrap();
    s.apply_poll(PollRecord {
        components: Some(comp(C::Degraded)),
        ..poll(b.id, t(1), vec![])
    })
    .await
    .unwrap();
    s.apply_poll(poll(
        c.id,
        t(1),
        vec![opened(incident("c1", Status::Investigating, 1), t(1))],
    ))
    .await
    .unwrap();
    s.apply_poll(poll(d.id, t(1), vec![])).await.unwrap();
    s.record_failure(FailureRecord {
        source_id: d.id,
        at: t(2),
        outcome: PollOutcome::Error,
        error: "HTTP 500".into(),
        next_poll_at: t(3),
    })
    .await
    .unwrap();
    // A poll without components keeps the state it had.
    s.apply_poll(PollRecord {
        components: None,
        ..poll(b.id, t(2), vec![])
    })
    .await
    .unwrap();

    let groups = s.source_groups().await.unwrap();
    let total: i64 = groups.iter().map(|g| g.count).sum();
    assert_eq!(total, 5);
    let count = |f: &dyn Fn(&SourceGroup) -> bool| -> i64 {
        groups.iter().filter(|g| f(g)).map(|g| g.count).sum()
    };
    assert_eq!(count(&|g| !g.known), 1);
    assert_eq!(count(&|g| g.open), 1);
    assert_eq!(count(&|g| g.failing), 1);
    assert_eq!(count(&|g| g.component_state == Some(C::Degraded)), 1);
    assert_eq!(count(&|g| g.component_state == Some(C::Operational)), 3);

    let page = |attention, search: Option<&str>, offset, limit| SourceQuery {
        attention,
        search: search.map(str::to_string),
        offset,
        limit,
        include_private: false,
    };
    let names = |r: (Vec<Source>, i64)| -> (Vec<String>, i64) {
        (r.0.into_iter().map(|s| s.name).collect(), r.1)
    };
    // By provider name (the polled ones are "Vendor", e is still "e Inc"),
    // then by id, a page at a time, with the total.
    assert_eq!(
        names(s.find_sources(&page(false, None, 1, 2)).await.unwrap()),
        (vec!["a".to_string(), "b".to_string()], 5)
    );
    assert_eq!(
        names(s.find_sources(&page(true, None, 0, 10)).await.unwrap()),
        (vec!["b".into(), "c".into(), "d".into()], 3),
        "degraded, open incident, failing"
    );
    assert_eq!(
        names(
            s.find_sources(&page(false, Some("D.Example"), 0, 10))
                .await
                .unwrap()
        ),
        (vec!["d".into()], 1)
    );
    assert_eq!(
        s.find_sources(&page(false, Some("50%_"), 0, 10))
            .await
            .unwrap()
            .1,
        0,
        "wildcards are literal"
    );
}

async fn nodes_beat_and_are_listed(s: &dyn Store) {
    let beat = |id: &str, seen: i64, polls: i64| NodeBeat {
        id: id.into(),
        host: "h".into(),
        pid: 7,
        version: "0.1.0".into(),
        started_at: t(0),
        seen_at: t(seen),
        polls,
        failures: 1,
        lag_ms: 250,
        interval_ms: 60_000,
        in_flight: 3,
    };
    s.beat(&beat("n1", 1, 10)).await.unwrap();
    s.beat(&beat("n2", 2, 5)).await.unwrap();
    s.beat(&beat("n1", 3, 20)).await.unwrap();
    let nodes = s.nodes().await.unwrap();
    assert_eq!(nodes.len(), 2);
    assert_eq!(nodes[0].id, "n1", "most recently seen first");
    assert_eq!(nodes[0].polls, 20);
    assert_eq!(nodes[0].seen_at, t(3));
    assert_eq!(nodes[0].started_at, t(0));
    // A day later, a node not seen since is forgotten.
    s.beat(&beat("n1", 3 + 24 * 60, 30)).await.unwrap();
    let nodes = s.nodes().await.unwrap();
    assert_eq!(
        nodes.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(),
        ["n1"]
    );
}

async fn a_shorter_interval_pulls_due_times_in(s: &dyn Store) {
    let a = s.add_source(new_source("a"), t(0)).await.unwrap();
    let b = s.add_source(new_source("b"), t(0)).await.unwrap();
    let c = s.add_source(new_source("c"), t(0)).await.unwrap();
    s.apply_poll(PollRecord {
        next_poll_at: t(60),
        ..poll(a.id, t(0), vec![])
    })
    .await
    .unwrap();
    s.apply_poll(PollRecord {
        next_poll_at: t(60),
        ..poll(b.id, t(0), vec![])
    })
    .await
    .unwrap();
    s.record_failure(FailureRecord {
        source_id: c.id,
        at: t(0),
        outcome: statuswatch_store::PollOutcome::Error,
        error: "HTTP 500".into(),
        next_poll_at: t(60),
    })
    .await
    .unwrap();
    let moved = s.cap_next_polls(t(1), 10_000).await.unwrap();
    assert_eq!(moved, 2, "the failing source keeps its backoff");
    for id in [a.id, b.id] {
        let next = s.source(id).await.unwrap().next_poll_at;
        assert!(
            next >= t(1) && next < t(1) + Duration::seconds(10),
            "{next}"
        );
    }
    assert_ne!(
        s.source(a.id).await.unwrap().next_poll_at,
        s.source(b.id).await.unwrap().next_poll_at,
        "spread, not aligned"
    );
    assert_eq!(s.source(c.id).await.unwrap().next_poll_at, t(60));
}

async fn a_poll_stores_incidents_and_events_together(s: &dyn Store) {
    let src = s.add_source(new_source("gh"), t(0)).await.unwrap();
    let applied = s
        .apply_poll(poll(
            src.id,
            t(1),
            vec![opened(incident("x1", Status::Investigating, 0), t(1))],
        ))
        .await
        .unwrap();
    assert_eq!(
        applied,
        AppliedPoll {
            inserted: 1,
            updated: 0,
            events: 1,
            deliveries: 1,
        }
    );
    let after = s.source(src.id).await.unwrap();
    assert!(after.baselined);
    assert_eq!(
        after.health.last_outcome,
        Some(statuswatch_store::PollOutcome::Ok)
    );
    assert_eq!(after.provider.as_deref(), Some("Vendor"));
    assert_eq!(after.components.len(), 1);
    assert_eq!(after.next_poll_at, t(1) + Duration::seconds(60));

    let stored = s
        .incidents_by_vendor_ids(src.id, &["x1".into(), "nope".into()])
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].detected_at, t(1));
    assert_eq!(stored[0].provider, "Vendor");

    // The update keeps the id and the detection time.
    let mut resolved = stored[0].incident.clone();
    resolved.status = Status::Resolved;
    s.apply_poll(poll(
        src.id,
        t(9),
        vec![IncidentWrite {
            existing_id: Some(stored[0].id.clone()),
            incident: resolved,
            events: vec![NewEvent {
                kind: EventKind::IncidentResolved,
                occurred_at: t(8),
                update: None,
                channels: vec!["ops".into(), "pager".into()],
            }],
        }],
    ))
    .await
    .unwrap();
    let one = s.incident(&stored[0].id).await.unwrap();
    assert_eq!(one.detected_at, t(1));
    assert_eq!(one.incident.status, Status::Resolved);

    let events = s.events_after(0, 10).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [EventKind::IncidentOpened, EventKind::IncidentResolved]
    );
    assert!(events[0].seq < events[1].seq);
    assert_eq!(events[0].update.as_ref().unwrap().body, "text");
    assert_eq!(
        events[1].incident.status,
        Status::Resolved,
        "snapshot after the change"
    );
    assert_eq!(s.events_after(events[0].seq, 10).await.unwrap().len(), 1);
}

async fn a_failing_poll_changes_nothing(s: &dyn Store) {
    let src = s.add_source(new_source("v"), t(0)).await.unwrap();
    s.apply_poll(poll(
        src.id,
        t(1),
        vec![opened(incident("x1", Status::Investigating, 0), t(1))],
    ))
    .await
    .unwrap();
    // The second write collides with the first incident: the whole poll rolls back.
    let bad = poll(
        src.id,
        t(2),
        vec![
            opened(incident("x2", Status::Investigating, 1), t(2)),
            opened(incident("x1", Status::Investigating, 0), t(2)),
        ],
    );
    assert!(s.apply_poll(bad).await.is_err());
    assert_eq!(
        s.incidents(&IncidentQuery::default()).await.unwrap().len(),
        1,
        "x2 rolled back"
    );
    assert_eq!(s.events_after(0, 10).await.unwrap().len(), 1);
    assert_eq!(
        s.source(src.id).await.unwrap().health.last_poll_at,
        Some(t(1))
    );

    s.record_failure(FailureRecord {
        source_id: src.id,
        at: t(3),
        outcome: statuswatch_store::PollOutcome::Error,
        error: "HTTP 500".into(),
        next_poll_at: t(5),
    })
    .await
    .unwrap();
    s.record_failure(FailureRecord {
        source_id: src.id,
        at: t(5),
        outcome: statuswatch_store::PollOutcome::Suspect,
        error: "empty answer".into(),
        next_poll_at: t(9),
    })
    .await
    .unwrap();
    let h = s.source(src.id).await.unwrap().health;
    assert_eq!(h.consecutive_failures, 2);
    assert_eq!(
        h.last_outcome,
        Some(statuswatch_store::PollOutcome::Suspect)
    );
    assert_eq!(h.last_error.as_deref(), Some("empty answer"));
    let inc = s.incidents(&IncidentQuery::default()).await.unwrap();
    assert_eq!(inc[0].incident.status, Status::Investigating);
    // A good poll resets the count.
    s.apply_poll(poll(src.id, t(10), vec![])).await.unwrap();
    assert_eq!(
        s.source(src.id).await.unwrap().health.consecutive_failures,
        0
    );
}

async fn incidents_are_filtered_and_newest_first(s: &dyn Store) {
    let a = s.add_source(new_source("a"), t(0)).await.unwrap();
    let b = s.add_source(new_source("b"), t(0)).await.unwrap();
    s.apply_poll(poll(
        a.id,
        t(1),
        vec![
            opened(incident("old", Status::Resolved, 0), t(1)),
            opened(incident("new", Status::Investigating, 30), t(1)),
        ],
    ))
    .await
    .unwrap();
    let mut pb = poll(
        b.id,
        t(1),
        vec![opened(incident("mid", Status::Identified, 10), t(1))],
    );
    pb.provider = None;
    s.apply_poll(pb).await.unwrap();
    let all = s.incidents(&IncidentQuery::default()).await.unwrap();
    assert_eq!(
        all.iter()
            .map(|i| i.incident.vendor_id.as_str())
            .collect::<Vec<_>>(),
        ["new", "mid", "old"]
    );
    let open = s
        .incidents(&IncidentQuery {
            open_only: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(open.len(), 2);
    let by_provider = s
        .incidents(&IncidentQuery {
            provider: Some("b inc".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_provider.len(), 1, "the page's provider name, any case");
    let by_source_name = s
        .incidents(&IncidentQuery {
            provider: Some("A".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_source_name.len(), 2);
    let limited = s
        .incidents(&IncidentQuery {
            limit: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(limited.len(), 1);
}

async fn incidents_are_browsed_by_impact_kind_time_text_and_page(s: &dyn Store) {
    let a = s.add_source(new_source("a"), t(0)).await.unwrap();
    let mut major = incident("major", Status::Resolved, 0);
    major.impact = Some(Impact::Major);
    major.title = "Database 100% down_time".into();
    major.updates[0].body = "The primary DATABASE failed over.".into();
    let mut minor = incident("minor", Status::Investigating, 60);
    minor.impact = Some(Impact::Minor);
    let mut maint = incident("maint", Status::Scheduled, 120);
    maint.kind = Kind::Maintenance;
    s.apply_poll(poll(
        a.id,
        t(1),
        vec![
            opened(major, t(1)),
            opened(minor, t(1)),
            opened(maint, t(1)),
        ],
    ))
    .await
    .unwrap();
    let ids = |v: Vec<statuswatch_store::StoredIncident>| {
        v.into_iter()
            .map(|i| i.incident.vendor_id)
            .collect::<Vec<_>>()
    };
    let q = |f: &dyn Fn(&mut IncidentQuery)| {
        let mut q = IncidentQuery::default();
        f(&mut q);
        q
    };
    let got = ids(s
        .incidents(&q(&|q| q.impacts = vec![Impact::Major, Impact::Critical]))
        .await
        .unwrap());
    assert_eq!(got, ["major"]);
    let got = ids(s
        .incidents(&q(&|q| q.kind = Some(Kind::Maintenance)))
        .await
        .unwrap());
    assert_eq!(got, ["maint"]);
    let got = ids(s
        .incidents(&q(&|q| {
            q.since = Some(t(30));
            q.until = Some(t(120));
        }))
        .await
        .unwrap());
    assert_eq!(got, ["minor"], "since inclusive, until exclusive");
    // Search: any case, every word, in the title or the updates; % and _ are literal.
    let got = ids(s
        .incidents(&q(&|q| q.text = Some("database FAILED".into())))
        .await
        .unwrap());
    assert_eq!(got, ["major"]);
    let got = ids(s
        .incidents(&q(&|q| q.text = Some("100% down_time".into())))
        .await
        .unwrap());
    assert_eq!(got, ["major"]);
    let got = ids(s
        .incidents(&q(&|q| q.text = Some("0%".into())))
        .await
        .unwrap());
    assert_eq!(got, ["major"]);
    let got = ids(s
        .incidents(&q(&|q| q.text = Some("down%time".into())))
        .await
        .unwrap());
    assert!(got.is_empty(), "% is not a wildcard");
    // Paging, newest first.
    let page2 = ids(s
        .incidents(&q(&|q| {
            q.limit = Some(1);
            q.offset = Some(1);
        }))
        .await
        .unwrap());
    assert_eq!(page2, ["minor"]);
    // Edits keep the columns true.
    let mut edited = incident("minor", Status::Resolved, 60);
    edited.impact = Some(Impact::Critical);
    edited.resolved_at = Some(t(90));
    let stored = s
        .incidents_by_vendor_ids(a.id, &["minor".into()])
        .await
        .unwrap();
    let mut w = opened(edited, t(2));
    w.existing_id = Some(stored[0].id.clone());
    s.apply_poll(poll(a.id, t(2), vec![w])).await.unwrap();
    let got = ids(s
        .incidents(&q(&|q| q.impacts = vec![Impact::Critical]))
        .await
        .unwrap());
    assert_eq!(got, ["minor"]);
}

async fn sources_are_paused_and_removed_with_their_history(s: &dyn Store) {
    let a = s.add_source(new_source("a"), t(0)).await.unwrap();
    let b = s.add_source(new_source("b"), t(0)).await.unwrap();
    s.apply_poll(poll(
        a.id,
        t(1),
        vec![opened(incident("x", Status::Investigating, 0), t(1))],
    ))
    .await
    .unwrap();
    s.apply_poll(poll(
        b.id,
        t(1),
        vec![opened(incident("y", Status::Investigating, 0), t(1))],
    ))
    .await
    .unwrap();
    assert!(s.set_paused(a.id, true).await.unwrap().paused);
    let due = s.claim_due(t(100), t(101), 10).await.unwrap();
    assert_eq!(
        due.iter().map(|x| x.id).collect::<Vec<_>>(),
        [b.id],
        "a paused source is not polled"
    );
    assert!(!s.set_paused(a.id, false).await.unwrap().paused);
    s.remove_source(a.id).await.unwrap();
    assert!(matches!(s.source(a.id).await, Err(StoreError::NotFound(_))));
    let left = s.incidents(&IncidentQuery::default()).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].incident.vendor_id, "y");
    let outbox = s.deliveries(None, 10).await.unwrap();
    assert_eq!(outbox.len(), 1, "its outbox rows went too: {outbox:?}");
    assert_eq!(outbox[0].incident_id, left[0].id);
    assert!(matches!(
        s.remove_source(a.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.set_paused(a.id, true).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn the_outbox_delivers_in_order_per_incident_and_channel(s: &dyn Store) {
    let src = s.add_source(new_source("v"), t(0)).await.unwrap();
    s.apply_poll(poll(
        src.id,
        t(1),
        vec![opened(incident("a", Status::Investigating, 0), t(1))],
    ))
    .await
    .unwrap();
    let a = s
        .incidents_by_vendor_ids(src.id, &["a".into()])
        .await
        .unwrap()
        .remove(0);
    let update = |kind, channels: &[&str]| NewEvent {
        kind,
        occurred_at: t(2),
        update: None,
        channels: channels.iter().map(|c| c.to_string()).collect(),
    };
    let applied = s
        .apply_poll(poll(
            src.id,
            t(2),
            vec![
                IncidentWrite {
                    existing_id: Some(a.id.clone()),
                    incident: a.incident.clone(),
                    events: vec![
                        update(EventKind::IncidentUpdated, &["ops", "pager"]),
                        update(EventKind::IncidentResolved, &["ops"]),
                    ],
                },
                opened(incident("b", Status::Investigating, 1), t(2)),
            ],
        ))
        .await
        .unwrap();
    assert_eq!(applied.deliveries, 4);

    // One per incident and channel: a's opening (ops), a's update (pager), b's opening (ops).
    let first = s.claim_deliveries(t(3), t(5), 10).await.unwrap();
    let got: Vec<(&str, EventKind)> = first
        .iter()
        .map(|d| (d.channel.as_str(), d.event.kind))
        .collect();
    assert_eq!(
        got,
        [
            ("ops", EventKind::IncidentOpened),
            ("pager", EventKind::IncidentUpdated),
            ("ops", EventKind::IncidentOpened)
        ]
    );
    assert_eq!(first[0].provider, "Vendor");
    assert_eq!(first[0].event.incident_id, a.id);
    assert!(
        s.claim_deliveries(t(4), t(6), 10).await.unwrap().is_empty(),
        "leased"
    );

    s.finish_delivery(first[0].seq, t(4), DeliveryOutcome::Delivered)
        .await
        .unwrap();
    s.finish_delivery(
        first[1].seq,
        t(4),
        DeliveryOutcome::Retry {
            next_attempt_at: t(20),
            error: "HTTP 503".into(),
        },
    )
    .await
    .unwrap();
    s.finish_delivery(
        first[2].seq,
        t(4),
        DeliveryOutcome::Failed {
            error: "HTTP 404".into(),
        },
    )
    .await
    .unwrap();
    // Next for a on ops is its update; the retry waits for its time.
    let second = s.claim_deliveries(t(6), t(8), 10).await.unwrap();
    let got: Vec<(&str, EventKind)> = second
        .iter()
        .map(|d| (d.channel.as_str(), d.event.kind))
        .collect();
    assert_eq!(got, [("ops", EventKind::IncidentUpdated)]);
    let retry = s.claim_deliveries(t(21), t(22), 10).await.unwrap();
    assert!(retry
        .iter()
        .any(|d| d.channel == "pager" && d.attempts == 1));

    let failed = s
        .deliveries(Some(statuswatch_store::DeliveryStatus::Failed), 10)
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].last_error.as_deref(), Some("HTTP 404"));
    assert_eq!(failed[0].kind, "incident.opened");
    assert_eq!(
        s.deliveries(Some(statuswatch_store::DeliveryStatus::Delivered), 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(s.deliveries(None, 10).await.unwrap().len(), 5);
    let counts = s.counts().await.unwrap();
    assert_eq!((counts.incidents, counts.open_incidents), (2, 2));
    assert_eq!(
        counts.deliveries,
        [
            (statuswatch_store::DeliveryStatus::Delivered, 1),
            (statuswatch_store::DeliveryStatus::Failed, 1),
            (statuswatch_store::DeliveryStatus::Pending, 3)
        ]
    );
}

async fn a_maintenance_is_reminded_of_once(s: &dyn Store) {
    let src = s.add_source(new_source("v"), t(0)).await.unwrap();
    let mut m = incident("m1", Status::Scheduled, 0);
    m.kind = statuswatch_model::Kind::Maintenance;
    m.scheduled_for = Some(t(120));
    let mut later = incident("m2", Status::Scheduled, 0);
    later.scheduled_for = Some(t(600));
    s.apply_poll(poll(
        src.id,
        t(1),
        vec![opened(m, t(1)), opened(later, t(1))],
    ))
    .await
    .unwrap();
    assert!(
        s.due_reminders(t(1), t(60), 10).await.unwrap().is_empty(),
        "not within the hour yet"
    );
    let due = s.due_reminders(t(61), t(121), 10).await.unwrap();
    assert_eq!(
        due.iter()
            .map(|d| d.incident.vendor_id.as_str())
            .collect::<Vec<_>>(),
        ["m1"]
    );
    let reminder = NewEvent {
        kind: EventKind::MaintenanceReminder,
        occurred_at: t(61),
        update: None,
        channels: vec!["ops".into()],
    };
    assert!(s
        .record_reminder(&due[0].id, t(61), reminder.clone())
        .await
        .unwrap());
    assert!(
        !s.record_reminder(&due[0].id, t(62), reminder)
            .await
            .unwrap(),
        "once"
    );
    assert!(s.due_reminders(t(62), t(121), 10).await.unwrap().is_empty());
    let events = s.events_after(0, 10).await.unwrap();
    assert_eq!(events.last().unwrap().kind, EventKind::MaintenanceReminder);
    // The reminder waits behind the maintenance's own earlier delivery on the channel.
    let first = s.claim_deliveries(t(63), t(64), 10).await.unwrap();
    assert!(first
        .iter()
        .all(|d| d.event.kind != EventKind::MaintenanceReminder));
    for d in first {
        s.finish_delivery(d.seq, t(63), DeliveryOutcome::Delivered)
            .await
            .unwrap();
    }
    let next = s.claim_deliveries(t(65), t(66), 10).await.unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].event.kind, EventKind::MaintenanceReminder);
}

async fn retention_prunes_what_ended_long_ago_and_nothing_open(s: &dyn Store) {
    let src = s.add_source(new_source("r"), t(0)).await.unwrap();
    let quiet = |i: Incident| IncidentWrite {
        existing_id: None,
        events: vec![NewEvent {
            kind: EventKind::IncidentOpened,
            occurred_at: t(1),
            update: i.updates.first().cloned(),
            channels: vec![],
        }],
        incident: i,
    };
    s.apply_poll(poll(
        src.id,
        t(1),
        vec![
            quiet(incident("old", Status::Resolved, 0)),
            quiet(incident("old-but-open", Status::Investigating, 0)),
            // Over long ago, but its alert is not out yet.
            opened(incident("undelivered", Status::Resolved, 0), t(1)),
            quiet(incident("recent", Status::Resolved, 100)),
        ],
    ))
    .await
    .unwrap();
    let ids = || async {
        let mut v: Vec<String> = s
            .incidents(&IncidentQuery {
                limit: Some(100),
                ..IncidentQuery::default()
            })
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.incident.vendor_id)
            .collect();
        v.sort();
        v
    };
    assert_eq!(s.pruned_before().await.unwrap(), None, "no pass yet");
    let pruned = s.prune(t(50)).await.unwrap();
    assert_eq!(
        pruned,
        Pruned {
            incidents: 1,
            events: 1
        }
    );
    assert_eq!(ids().await, ["old-but-open", "recent", "undelivered"]);
    assert_eq!(
        s.events_after(0, 100).await.unwrap().len(),
        3,
        "the others' events stay"
    );
    // Once its alert is out, it goes too.
    let d = s.claim_deliveries(t(60), t(61), 10).await.unwrap();
    assert_eq!(d.len(), 1);
    s.finish_delivery(d[0].seq, t(60), DeliveryOutcome::Delivered)
        .await
        .unwrap();
    assert_eq!(
        s.prune(t(50)).await.unwrap(),
        Pruned {
            incidents: 1,
            events: 1
        }
    );
    assert_eq!(ids().await, ["old-but-open", "recent"]);
    assert_eq!(
        s.prune(t(50)).await.unwrap(),
        Pruned::default(),
        "nothing twice"
    );
    // The watermark is the latest cutoff, never moved back.
    assert_eq!(s.pruned_before().await.unwrap(), Some(t(50)));
    s.prune(t(10)).await.unwrap();
    assert_eq!(s.pruned_before().await.unwrap(), Some(t(50)));
    assert_eq!(s.counts().await.unwrap().incidents, 2);
}

async fn a_clock_jumping_back_moves_due_times_back_with_it(s: &dyn Store) {
    let a = s.add_source(new_source("a"), t(0)).await.unwrap();
    let b = s.add_source(new_source("b"), t(0)).await.unwrap();
    // `a` is leased until t(10); `b` is due at t(0) (before `now`): only
    // what lies after `now` moves.
    assert_eq!(s.claim_due(t(0), t(10), 1).await.unwrap().len(), 1);
    let leased = if s.source(a.id).await.unwrap().next_poll_at == t(10) {
        a.id
    } else {
        b.id
    };
    let other = if leased == a.id { b.id } else { a.id };
    let moved = s.shift_schedule(t(1), 60 * 60_000).await.unwrap();
    assert_eq!(moved, 1);
    assert_eq!(s.source(leased).await.unwrap().next_poll_at, t(10 - 60));
    assert_eq!(s.source(other).await.unwrap().next_poll_at, t(0));
}

/// A page of one's own is written, never polled: no start-up interval, no
/// clock step and no claim makes its source due (issue 22: `serve
/// --interval 5s` polled `page:team` as a web page and marked it failing).
async fn a_page_is_never_due(s: &dyn Store) {
    let page = s.add_page("team", "Team", t(0)).await.unwrap();
    let vendor = s.add_source(new_source("v"), t(0)).await.unwrap();
    let never = DateTime::from_timestamp_millis(NEVER_DUE_MS).unwrap();
    assert_eq!(s.cap_next_polls(t(1), 5_000).await.unwrap(), 0);
    s.shift_schedule(t(1), 60 * 60_000).await.unwrap();
    assert_eq!(s.source(page.source_id).await.unwrap().next_poll_at, never);
    let claimed = s.claim_due(never, never, 100).await.unwrap();
    assert_eq!(
        claimed.iter().map(|c| c.id).collect::<Vec<_>>(),
        [vendor.id],
        "only the vendor is ever claimed"
    );
    let after = s.source(page.source_id).await.unwrap();
    assert_eq!(after.health.consecutive_failures, 0);
    assert_eq!(after.next_poll_at, never);
}

async fn a_page_shows_watched_vendors_in_the_order_added(s: &dyn Store) {
    let gh = s.add_source(new_source("gh"), t(0)).await.unwrap();
    let aws = s.add_source(new_source("aws"), t(0)).await.unwrap();
    s.add_page("acme", "Acme", t(0)).await.unwrap();
    let ext = |id, c: Option<&str>, l: &str| PageExternal {
        source_id: id,
        component: c.map(str::to_string),
        label: l.into(),
    };
    s.add_page_external("acme", &ext(gh.id, Some("Actions"), "GitHub Actions"))
        .await
        .unwrap();
    s.add_page_external("acme", &ext(aws.id, None, "AWS"))
        .await
        .unwrap();
    s.add_page_external("acme", &ext(gh.id, None, "GitHub"))
        .await
        .unwrap();
    assert!(matches!(
        s.add_page_external("acme", &ext(gh.id, Some("Actions"), "again"))
            .await,
        Err(statuswatch_store::StoreError::Conflict(_))
    ));
    assert_eq!(
        s.page_externals("acme").await.unwrap(),
        [
            ext(gh.id, Some("Actions"), "GitHub Actions"),
            ext(aws.id, None, "AWS"),
            ext(gh.id, None, "GitHub")
        ]
    );
    assert!(s.page_externals("other").await.unwrap().is_empty());
    // A vendor no longer watched leaves the page.
    s.remove_source(aws.id).await.unwrap();
    assert_eq!(s.page_externals("acme").await.unwrap().len(), 2);
    s.remove_page_external("acme", "GitHub").await.unwrap();
    assert_eq!(
        s.page_externals("acme").await.unwrap(),
        [ext(gh.id, Some("Actions"), "GitHub Actions")]
    );
    assert!(matches!(
        s.remove_page_external("acme", "GitHub").await,
        Err(statuswatch_store::StoreError::NotFound(_))
    ));
    // Renamed, its source and its incidents' provider follow; a name taken
    // by another source is refused.
    s.rename_page("acme", "Acme Cloud").await.unwrap();
    let page = s.page("acme").await.unwrap().unwrap();
    assert_eq!(page.title, "Acme Cloud");
    let src = s.source(page.source_id).await.unwrap();
    assert_eq!(
        (src.name.as_str(), src.provider_name()),
        ("Acme Cloud", "Acme Cloud")
    );
    assert!(matches!(
        s.rename_page("acme", "gh").await,
        Err(statuswatch_store::StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.rename_page("nope", "x").await,
        Err(statuswatch_store::StoreError::NotFound(_))
    ));
    // Removing the page's source removes the page and what it showed.
    s.remove_source(page.source_id).await.unwrap();
    assert!(s.page("acme").await.unwrap().is_none());
    assert!(s.page_externals("acme").await.unwrap().is_empty());
}

async fn a_private_page_is_left_out_of_public_reads(s: &dyn Store) {
    let gh = s.add_source(new_source("gh"), t(0)).await.unwrap();
    s.apply_poll(poll(
        gh.id,
        t(1),
        vec![opened(incident("v1", Status::Investigating, 0), t(1))],
    ))
    .await
    .unwrap();
    let page = s.add_page("acme", "Acme", t(0)).await.unwrap();
    assert!(!page.private());
    let mut p = poll(
        page.source_id,
        t(2),
        vec![opened(incident("p1", Status::Investigating, 1), t(2))],
    );
    p.next_poll_at = DateTime::from_timestamp_millis(NEVER_DUE_MS).unwrap();
    s.apply_poll(p).await.unwrap();
    let public = IncidentQuery::default();
    let everything = IncidentQuery {
        include_private: true,
        ..Default::default()
    };
    let sources_page = |include_private| SourceQuery {
        limit: 100,
        include_private,
        ..Default::default()
    };
    // Public: both are listed.
    assert_eq!(s.incidents(&public).await.unwrap().len(), 2);
    assert_eq!(s.events_after(0, 100).await.unwrap().len(), 2);
    assert!(s.private_sources().await.unwrap().is_empty());

    s.set_page_access("acme", Some("ab12")).await.unwrap();
    let page = s.page("acme").await.unwrap().unwrap();
    assert_eq!(page.access_hash.as_deref(), Some("ab12"));
    assert_eq!(s.private_sources().await.unwrap(), [page.source_id]);
    let listed = s.incidents(&public).await.unwrap();
    assert_eq!(listed.len(), 1, "the private page's incident is left out");
    assert_eq!(listed[0].incident.vendor_id, "v1");
    // Even asked for by its source, unless private ones are asked for.
    let by_source = IncidentQuery {
        source_id: Some(page.source_id),
        ..Default::default()
    };
    assert!(s.incidents(&by_source).await.unwrap().is_empty());
    assert_eq!(s.incidents(&everything).await.unwrap().len(), 2);
    let events = s.events_after(0, 100).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].source_id, gh.id);
    let (found, total) = s.find_sources(&sources_page(false)).await.unwrap();
    assert_eq!((found.len(), total), (1, 1));
    let counted: i64 = s
        .source_groups()
        .await
        .unwrap()
        .iter()
        .map(|g| g.count)
        .sum();
    assert_eq!(counted, 1, "counts leave the private page out");
    assert!(s
        .source_groups()
        .await
        .unwrap()
        .iter()
        .all(|g| g.platform != PAGE_PLATFORM));
    assert_eq!(s.find_sources(&sources_page(true)).await.unwrap().1, 2);
    // The public figures (/metrics) count only what is public.
    let c = s.counts().await.unwrap();
    assert_eq!((c.incidents, c.open_incidents), (1, 1));

    // Public again: all is back.
    s.set_page_access("acme", None).await.unwrap();
    assert_eq!(s.incidents(&public).await.unwrap().len(), 2);
    let c = s.counts().await.unwrap();
    assert_eq!((c.incidents, c.open_incidents), (2, 2));
    let groups = s.source_groups().await.unwrap();
    assert_eq!(groups.iter().map(|g| g.count).sum::<i64>(), 2);
    assert!(groups.iter().any(|g| g.platform == PAGE_PLATFORM && g.open));
    assert!(matches!(
        s.set_page_access("nope", None).await,
        Err(StoreError::NotFound(_))
    ));
    // Its look.
    s.set_page_look(
        "acme",
        Some("https://acme.example/logo.png"),
        Some("#0b7285"),
    )
    .await
    .unwrap();
    let page = s.page("acme").await.unwrap().unwrap();
    assert_eq!(
        page.logo_url.as_deref(),
        Some("https://acme.example/logo.png")
    );
    assert_eq!(page.accent.as_deref(), Some("#0b7285"));
    s.set_page_look("acme", None, None).await.unwrap();
    let page = s.page("acme").await.unwrap().unwrap();
    assert_eq!((page.logo_url, page.accent), (None, None));
}

async fn subscribers_confirm_and_leave(s: &dyn Store) {
    s.add_page("acme", "Acme", t(0)).await.unwrap();
    let sub = |id: &str, email: &str, token: &str, at| Subscriber {
        id: id.into(),
        slug: "acme".into(),
        email: email.into(),
        components: vec!["API".into()],
        token: token.into(),
        created_at: t(at),
        confirmed_at: None,
    };
    let a = s
        .add_subscriber(&sub("s1", "ops@example.com", "tok-1", 1))
        .await
        .unwrap();
    assert_eq!(a.confirmed_at, None);
    // Asking again (any case) while pending: the same subscriber, new token
    // and components.
    let mut again = sub("s2", "OPS@example.com", "tok-2", 2);
    again.components = Vec::new();
    let b = s.add_subscriber(&again).await.unwrap();
    assert_eq!(b.id, "s1");
    assert_eq!(b.token, "tok-2");
    assert!(b.components.is_empty());
    assert_eq!(s.subscribers("acme").await.unwrap().len(), 1);
    assert!(
        matches!(
            s.confirm_subscriber("acme", "tok-1", t(3)).await,
            Err(StoreError::NotFound(_))
        ),
        "the replaced token no longer confirms"
    );
    let c = s.confirm_subscriber("acme", "tok-2", t(3)).await.unwrap();
    assert_eq!(c.confirmed_at, Some(t(3)));
    // Confirming twice keeps the first time.
    assert_eq!(
        s.confirm_subscriber("acme", "tok-2", t(9))
            .await
            .unwrap()
            .confirmed_at,
        Some(t(3))
    );
    // A confirmed subscriber asking again is left as it is.
    let d = s
        .add_subscriber(&sub("s3", "ops@example.com", "tok-3", 4))
        .await
        .unwrap();
    assert_eq!((d.id.as_str(), d.token.as_str()), ("s1", "tok-2"));
    assert_eq!(
        s.subscriber("s1").await.unwrap().unwrap().confirmed_at,
        Some(t(3))
    );
    s.add_subscriber(&sub("s4", "dev@example.com", "tok-4", 5))
        .await
        .unwrap();
    let all = s.subscribers("acme").await.unwrap();
    assert_eq!(
        all.iter().map(|s| s.email.as_str()).collect::<Vec<_>>(),
        ["ops@example.com", "dev@example.com"]
    );
    // Another page's links act on nothing of this one.
    s.add_page("other", "Other", t(0)).await.unwrap();
    assert!(matches!(
        s.remove_subscriber("other", "tok-2").await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.confirm_subscriber("other", "tok-4", t(6)).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(s.subscriber("s1").await.unwrap().unwrap().token, "tok-2");
    assert_eq!(
        s.subscriber("s4").await.unwrap().unwrap().confirmed_at,
        None
    );
    // Unsubscribed: gone, and the link no longer works.
    assert_eq!(s.remove_subscriber("acme", "tok-2").await.unwrap().id, "s1");
    assert!(s.subscriber("s1").await.unwrap().is_none());
    assert!(matches!(
        s.remove_subscriber("acme", "tok-2").await,
        Err(StoreError::NotFound(_))
    ));
    // The page's removal takes its subscribers.
    let page = s.page("acme").await.unwrap().unwrap();
    s.remove_source(page.source_id).await.unwrap();
    assert!(s.subscribers("acme").await.unwrap().is_empty());
}

async fn a_badge_finds_its_source_and_figures_read_spans(s: &dyn Store) {
    let gh = s.add_source(new_source("gh"), t(0)).await.unwrap();
    let fly = s.add_source(new_source("fly"), t(0)).await.unwrap();
    // By id, by name and by provider name, in any case.
    for name in [gh.id.to_string(), "GH".into(), "gh inc".into()] {
        let found = s.source_by_name(&name).await.unwrap();
        assert_eq!(found.map(|f| f.id), Some(gh.id), "{name}");
    }
    assert_eq!(
        s.source_by_name("fly").await.unwrap().map(|f| f.id),
        Some(fly.id)
    );
    assert!(s.source_by_name("nobody").await.unwrap().is_none());
    assert!(
        s.source_by_name(&format!("0{}", gh.id))
            .await
            .unwrap()
            .is_none(),
        "an id is its exact digits"
    );
    // Spans: incidents only, newest first, from `since`, private pages left out.
    let mut resolved = incident("v1", Status::Resolved, 10);
    resolved.started_at = Some(t(10));
    resolved.resolved_at = Some(t(70));
    resolved.impact = Some(statuswatch_model::Impact::Major);
    let mut maintenance = incident("m1", Status::Scheduled, 20);
    maintenance.kind = statuswatch_model::Kind::Maintenance;
    let old = incident("v0", Status::Investigating, -600);
    s.apply_poll(poll(
        gh.id,
        t(80),
        vec![
            opened(resolved, t(80)),
            opened(maintenance, t(80)),
            opened(old, t(80)),
            opened(incident("v2", Status::Investigating, 30), t(80)),
        ],
    ))
    .await
    .unwrap();
    let page = s.add_page("acme", "Acme", t(0)).await.unwrap();
    let mut p = poll(
        page.source_id,
        t(81),
        vec![opened(incident("p1", Status::Investigating, 40), t(81))],
    );
    p.next_poll_at = DateTime::from_timestamp_millis(NEVER_DUE_MS).unwrap();
    s.apply_poll(p).await.unwrap();
    s.set_page_access("acme", Some("ab12")).await.unwrap();
    assert!(
        s.source_by_name("acme").await.unwrap().is_none(),
        "a private page has no badge"
    );
    let spans = s.incident_spans(t(0), 100).await.unwrap();
    let got: Vec<_> = spans
        .iter()
        .map(|x| (x.source_id, x.started_at, x.resolved_at, x.impact))
        .collect();
    assert_eq!(
        got,
        vec![
            (gh.id, Some(t(30)), None, None),
            (
                gh.id,
                Some(t(10)),
                Some(t(70)),
                Some(statuswatch_model::Impact::Major)
            ),
        ]
    );
    assert_eq!(spans[0].provider, "Vendor", "the provider the poll named");
    assert_eq!(s.incident_spans(t(0), 1).await.unwrap().len(), 1);
}

async fn a_page_is_a_source_of_its_own_kind(s: &dyn Store) {
    let gh = s.add_source(new_source("gh"), t(0)).await.unwrap();
    let page = s.add_page("acme", "Acme", t(0)).await.unwrap();
    let all = s.sources().await.unwrap();
    let kinds: Vec<_> = all.iter().map(|x| (x.id, x.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (gh.id, statuswatch_store::SourceKind::Watched),
            (page.source_id, statuswatch_store::SourceKind::Page)
        ]
    );
    let watched: Vec<_> = s
        .watched_sources()
        .await
        .unwrap()
        .into_iter()
        .map(|x| x.id)
        .collect();
    assert_eq!(watched, vec![gh.id], "a page is not a watched source");
}

/// A page's revision moves with every change its views show, whoever
/// writes it, and stands still while a shown vendor is merely polled.
async fn a_page_revision_moves_with_what_it_shows(s: &dyn Store) {
    let gh = s.add_source(new_source("gh"), t(0)).await.unwrap();
    let other = s.add_source(new_source("other"), t(0)).await.unwrap();
    let page = s.add_page("acme", "Acme", t(0)).await.unwrap();
    let rev = || async { s.page_revision("acme").await.unwrap().unwrap() };
    assert!(s.page_revision("nope").await.unwrap().is_none());
    let mut last = rev().await;
    fn moved(
        last: &mut statuswatch_store::PageRevision,
        why: &str,
        now: statuswatch_store::PageRevision,
    ) {
        assert_ne!(now, *last, "{why} moves the revision");
        *last = now;
    }
    s.add_page_external(
        "acme",
        &PageExternal {
            source_id: gh.id,
            component: None,
            label: "GitHub".into(),
        },
    )
    .await
    .unwrap();
    moved(&mut last, "showing a vendor", rev().await);
    // The shown vendor's first poll: its components and an incident.
    s.apply_poll(poll(
        gh.id,
        t(1),
        vec![opened(incident("i1", Status::Investigating, 1), t(1))],
    ))
    .await
    .unwrap();
    moved(&mut last, "a shown vendor's incident", rev().await);
    // Polled again with nothing new: the same views, the same revision.
    s.apply_poll(poll(gh.id, t(2), vec![])).await.unwrap();
    assert_eq!(rev().await, last, "a quiet poll changes nothing shown");
    // Another vendor, not shown, changes nothing either.
    s.apply_poll(poll(
        other.id,
        t(2),
        vec![opened(incident("o1", Status::Investigating, 2), t(2))],
    ))
    .await
    .unwrap();
    assert_eq!(rev().await, last, "a vendor not shown changes nothing");
    // The shown vendor's components change.
    let mut changed = poll(gh.id, t(3), vec![]);
    changed.components = Some(vec![ComponentState::new(
        "API",
        None,
        "major outage",
        statuswatch_model::ComponentStatus::MajorOutage,
    )]);
    s.apply_poll(changed).await.unwrap();
    moved(&mut last, "a shown vendor's component state", rev().await);
    // The page's own incident, its look, its key, its title.
    s.apply_poll(poll(
        page.source_id,
        t(4),
        vec![opened(incident("p1", Status::Identified, 4), t(4))],
    ))
    .await
    .unwrap();
    moved(&mut last, "the page's own incident", rev().await);
    s.set_page_look("acme", None, Some("#112233"))
        .await
        .unwrap();
    moved(&mut last, "its look", rev().await);
    s.set_page_access("acme", Some("hash")).await.unwrap();
    moved(&mut last, "its key", rev().await);
    s.rename_page("acme", "Acme Cloud").await.unwrap();
    moved(&mut last, "its title", rev().await);
    s.remove_page_external("acme", "GitHub").await.unwrap();
    moved(&mut last, "a vendor taken off", rev().await);
    s.remove_source(page.source_id).await.unwrap();
    assert!(s.page_revision("acme").await.unwrap().is_none());
}

async fn sqlite() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("nested/sw.db").to_str().unwrap())
        .await
        .unwrap();
    (dir, store)
}

async fn postgres() -> Option<PgStore> {
    let Ok(url) = std::env::var("STATUSWATCH_TEST_POSTGRES_URL") else {
        statuswatch_testkit::skip("PostgreSQL half (set STATUSWATCH_TEST_POSTGRES_URL to run it)");
        return None;
    };
    let schema = format!("t_{}", ulid::Ulid::new().to_string().to_lowercase());
    let admin = sqlx::PgPool::connect(&url)
        .await
        .expect("PostgreSQL reachable");
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&admin)
        .await
        .unwrap();
    let opts = sqlx::postgres::PgConnectOptions::from_str(&url)
        .unwrap()
        .options([("search_path", schema.as_str())]);
    Some(PgStore::connect_with(opts).await.unwrap())
}

async fn credentials_in_a_url_are_kept_apart(s: &dyn Store) {
    let mut n = new_source("locked");
    n.url = "https://watcher:s3cr%40t@status.locked.example/api/".into();
    let src = s.add_source(n, t(0)).await.unwrap();
    assert_eq!(src.url, "https://status.locked.example/api/");
    assert_eq!(
        src.fetch_url(),
        "https://watcher:s3cr%40t@status.locked.example/api/"
    );
    assert!(
        !format!("{src:?}").contains("s3cr"),
        "Debug shows no secret"
    );
    for listed in s.sources().await.unwrap() {
        assert!(!listed.url.contains("s3cr"));
    }
    // Found by its URL with or without the credentials.
    let by = s
        .source_by_url("https://watcher:s3cr%40t@status.locked.example/api/")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by.id, src.id);
    let bare = s
        .source_by_url("https://status.locked.example/api/")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bare.auth, src.auth);
    let plain = s.add_source(new_source("open"), t(0)).await.unwrap();
    assert_eq!(plain.auth, None);
    assert_eq!(plain.fetch_url(), plain.url);
}

async fn secrets_are_made_once_and_sessions_revoked(s: &dyn Store) {
    let first = s.secret("cookie", "aaaa").await.unwrap();
    assert_eq!(first, "aaaa");
    // Another node asking later gets the same, whatever it would have made.
    assert_eq!(s.secret("cookie", "bbbb").await.unwrap(), "aaaa");
    assert_eq!(s.secret("other", "cccc").await.unwrap(), "cccc");

    assert!(!s.session_revoked("n1").await.unwrap());
    s.revoke_session("n1", t(60), t(0)).await.unwrap();
    s.revoke_session("n1", t(60), t(1)).await.unwrap();
    assert!(s.session_revoked("n1").await.unwrap());
    // Once past its time it is forgotten (it has expired anyway).
    s.revoke_session("n2", t(200), t(120)).await.unwrap();
    assert!(!s.session_revoked("n1").await.unwrap());
    assert!(s.session_revoked("n2").await.unwrap());
}

macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(#[tokio::test] async fn $name() {
                let (_dir, s) = super::sqlite().await;
                super::$name(&s).await;
            })*
        }
        mod on_postgres {
            $(#[tokio::test] async fn $name() {
                if let Some(s) = super::postgres().await {
                    super::$name(&s).await;
                }
            })*
        }
    };
}

contract!(
    sources_are_unique_and_listed,
    due_sources_are_leased,
    a_claimed_source_carries_its_due_time_and_no_components,
    quiet_polls_are_applied_together,
    sources_are_counted_in_groups_and_found_by_page,
    nodes_beat_and_are_listed,
    a_shorter_interval_pulls_due_times_in,
    a_page_is_never_due,
    a_poll_stores_incidents_and_events_together,
    a_failing_poll_changes_nothing,
    incidents_are_filtered_and_newest_first,
    incidents_are_browsed_by_impact_kind_time_text_and_page,
    sources_are_paused_and_removed_with_their_history,
    the_outbox_delivers_in_order_per_incident_and_channel,
    a_maintenance_is_reminded_of_once,
    retention_prunes_what_ended_long_ago_and_nothing_open,
    a_clock_jumping_back_moves_due_times_back_with_it,
    a_page_shows_watched_vendors_in_the_order_added,
    a_private_page_is_left_out_of_public_reads,
    subscribers_confirm_and_leave,
    credentials_in_a_url_are_kept_apart,
    secrets_are_made_once_and_sessions_revoked,
    a_badge_finds_its_source_and_figures_read_spans,
    a_page_is_a_source_of_its_own_kind,
    a_page_revision_moves_with_what_it_shows,
);
