//! Each platform's incident life replayed from a loopback vendor: opened,
//! updated, resolved, with one event per change and nothing stored by an
//! unchanged answer. Payloads follow each platform's documented shape (see
//! the sources crate's fixtures and their provenance).

mod support;

use serde_json::{json, Value};
use statuswatch_engine::{Clock, Outcome};
use statuswatch_model::{EventKind, Status};
use statuswatch_store::{IncidentQuery, Source, StoredIncident};
use support::{Harness, Reply, Vendor};

/// Polls through each stage (set by `serve`), expecting a change and then
/// nothing on a second poll; returns the event kinds recorded and the incidents.
async fn replay(
    h: &Harness,
    src: &Source,
    stages: usize,
    serve: impl Fn(usize),
) -> (Vec<EventKind>, Vec<StoredIncident>) {
    for stage in 0..stages {
        serve(stage);
        let o = h.poll(src).await;
        assert!(matches!(o, Outcome::Changed { .. }), "stage {stage}: {o:?}");
        assert_eq!(h.poll(src).await, Outcome::Unchanged, "stage {stage} again");
    }
    let kinds = h.event_kinds().await;
    let incidents = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    (kinds, incidents)
}

/// A harness whose events all go to the channel `ops` (so the outbox shows
/// what each change sent).
async fn to_ops() -> Harness {
    Harness::with_subscriptions(vec![statuswatch_notify::Subscription {
        channel: "ops".into(),
        providers: Vec::new(),
        components: Vec::new(),
        min_impact: None,
        events: Vec::new(),
    }])
    .await
}

/// What detection makes of a URL a user pastes.
async fn detected(h: &Harness, url: &str) -> statuswatch_engine::Detected {
    let fetcher =
        statuswatch_fetch::Fetcher::new(statuswatch_fetch::FetchConfig::default()).unwrap();
    statuswatch_engine::detect(
        &fetcher,
        &url::Url::parse(url).unwrap(),
        None,
        h.clock.now(),
    )
    .await
    .unwrap()
}

use EventKind::{
    IncidentOpened as Opened, IncidentResolved as Resolved, IncidentUpdated as Updated,
};

#[tokio::test]
async fn heroku() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let upd = |id: i64, at: &str, text: &str, kind: &str| json!({"id": id, "created_at": at, "updated_at": at, "contents": text, "update_type": kind});
    let incident = |state: &str, updates: Vec<Value>| {
        json!({"id": 2712, "title": "Router errors", "state": state, "resolved": false,
        "created_at": "2026-09-26T00:01:00Z", "updated_at": "2026-09-26T00:01:00Z", "full_url": "https://status.heroku.com/incidents/2712",
        "systems": [{"name": "Apps", "status": "red"}], "updates": updates})
    };
    let u1 = upd(
        1,
        "2026-09-26T00:01:00Z",
        "Investigating router errors.",
        "issue",
    );
    let u2 = upd(
        2,
        "2026-09-26T00:20:00Z",
        "A fix is deployed; monitoring.",
        "update",
    );
    let u3 = upd(3, "2026-09-26T00:40:00Z", "Resolved.", "resolved");
    let src = h.add("heroku", &v.url("/"), "heroku").await;
    let (kinds, inc) = replay(&h, &src, 3, |stage| {
        let (state, ups, colour) = match stage {
            0 => ("investigating", vec![u1.clone()], "red"),
            1 => ("monitoring", vec![u2.clone(), u1.clone()], "yellow"),
            _ => ("resolved", vec![u3.clone(), u2.clone(), u1.clone()], "green"),
        };
        let i = incident(state, ups);
        let live = if stage < 2 { json!([i.clone()]) } else { json!([]) };
        v.set("/api/v4/current-status", Reply::json(&json!({"status": [{"system": "Apps", "status": colour}, {"system": "Data", "status": "green"}, {"system": "Tools", "status": "green"}], "incidents": live, "scheduled": []})));
        v.set("/api/v4/incidents", Reply::json(&json!([i])));
    })
    .await;
    assert_eq!(kinds, [Opened, Updated, Resolved]);
    assert_eq!(inc[0].incident.status, Status::Resolved);
    assert_eq!(inc[0].incident.updates.len(), 3);
    assert_eq!(inc[0].provider, "Heroku");
}

#[tokio::test]
async fn instatus() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let id = "cl4a8n3070721qtmzvts760c4";
    let link = v.url(&format!("/incident/{id}"));
    let rss = |items: &str| {
        Reply::bytes(format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Acme status</title><link>{}</link><description>d</description>{items}</channel></rss>", v.url("/")), "application/rss+xml")
    };
    let src = h.add("acme", &v.url("/"), "instatus").await;
    let (kinds, inc) = replay(&h, &src, 3, |stage| {
        let active = json!([{"id": id, "name": "API errors", "started": "Sat Sep 26 2026 00:01:00 GMT+0000 (Coordinated Universal Time)",
            "status": if stage == 0 { "INVESTIGATING" } else { "MONITORING" }, "impact": "MAJOROUTAGE", "url": link}]);
        let summary = match stage {
            0 | 1 => json!({"page": {"name": "Acme", "url": v.url("/"), "status": "HASISSUES"}, "activeIncidents": active}),
            // Resolved: it leaves summary.json (both arrays omitted) and the feed says so.
            _ => json!({"page": {"name": "Acme", "url": v.url("/"), "status": "UP"}}),
        };
        v.set("/summary.json", Reply::json(&summary));
        let items = match stage {
            0 => String::new(),
            1 => format!("<item><title>API errors</title><link>{link}</link><guid>{link}</guid><pubDate>Sat, 26 Sep 2026 00:20:00 GMT</pubDate><description>Monitoring: a fix is out.</description></item>"),
            _ => format!("<item><title>API errors</title><link>{link}</link><guid>{link}</guid><pubDate>Sat, 26 Sep 2026 00:40:00 GMT</pubDate><description>Resolved: all clear.</description></item>"),
        };
        v.set("/history.rss", rss(&items));
    })
    .await;
    assert_eq!(kinds[0], Opened);
    assert_eq!(*kinds.last().unwrap(), Resolved);
    assert_eq!(inc.len(), 1, "summary and feed name one incident");
    assert_eq!(inc[0].incident.status, Status::Resolved);
    assert_eq!(
        inc[0].incident.impact,
        Some(statuswatch_model::Impact::Critical)
    );
}

#[tokio::test]
async fn better_stack() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let src = h.add("example", &v.url("/"), "betterstack").await;
    let update = |id: &str, at: &str, msg: &str| json!({"id": id, "type": "status_update", "attributes": {"message": msg, "published_at": at, "affected_resources": []}});
    let (kinds, inc) = replay(&h, &src, 3, |stage| {
        let mut updates = vec![update("u1", "2026-09-26T00:01:00.000Z", "API is down.")];
        if stage >= 1 { updates.push(update("u2", "2026-09-26T00:20:00.000Z", "Fix deployed.")); }
        if stage >= 2 { updates.push(update("u3", "2026-09-26T00:40:00.000Z", "All good.")); }
        let refs: Vec<Value> = updates.iter().map(|u| json!({"id": u["id"], "type": "status_update"})).collect();
        let mut included = vec![
            json!({"id": "1", "type": "status_page_resource", "attributes": {"public_name": "API", "status": if stage < 2 {"downtime"} else {"operational"}, "status_page_section_id": null}}),
            json!({"id": "r1", "type": "status_report", "attributes": {"title": "API down", "report_type": "manual", "starts_at": "2026-09-26T00:01:00.000Z", "ends_at": null,
                "affected_resources": [{"status_page_resource_id": "1", "status": "downtime"}], "aggregate_state": if stage < 2 {"downtime"} else {"resolved"}},
                "relationships": {"status_updates": {"data": refs}}}),
        ];
        included.extend(updates);
        v.set("/index.json", Reply::json(&json!({"data": {"id": "9", "type": "status_page", "attributes": {"company_name": "Example"}}, "included": included})));
    })
    .await;
    assert_eq!(kinds, [Opened, Updated, Resolved]);
    assert_eq!(inc[0].incident.components[0].name, "API");
}

#[tokio::test]
async fn status_io() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let page = "56a807c7b62d59d808000001";
    let iid = "673dab6e5a2bd40a6b1c0001";
    let src = h
        .add("example", &v.url(&format!("/pages/{page}/rss")), "statusio")
        .await;
    let msg = |id: &str, at: &str, state: i64, text: &str| json!({"_id": id, "details": text, "datetime": at, "state": state, "status": 400});
    let link = v.url(&format!("/pages/incident/{page}/{iid}"));
    let (kinds, inc) = replay(&h, &src, 3, |stage| {
        let mut messages = vec![msg("m1", "2026-09-26T00:01:00.000Z", 100, "Investigating.")];
        if stage >= 1 { messages.push(msg("m2", "2026-09-26T00:20:00.000Z", 200, "Identified a bad node.")); }
        let incidents = if stage < 2 {
            json!([{"_id": iid, "name": "Website slow", "datetime_open": "2026-09-26T00:01:00.000Z", "messages": messages,
                "components_affected": [{"_id": "c1", "name": "Website"}], "containers_affected": []}])
        } else {
            json!([]) // the API drops a resolved incident; the RSS says it is resolved
        };
        v.set(&format!("/1.0/status/{page}"), Reply::json(&json!({"result": {"status_overall": {"updated": "2026-09-26T00:00:00.000Z", "status": "x", "status_code": if stage < 2 {400} else {100}},
            "status": [{"id": "c1", "name": "Website", "status": "x", "status_code": 100, "containers": []}], "incidents": incidents, "maintenance": {"active": [], "upcoming": []}}})));
        let item = if stage < 2 { String::new() } else {
            format!("<item><title>Website slow</title><link>{link}</link><guid>{link}</guid><pubDate>Sat, 26 Sep 2026 00:40:00 +0000</pubDate><description>Resolved - the node was replaced.</description></item>")
        };
        v.set(&format!("/pages/{page}/rss"), Reply::bytes(format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Example</title><link>{}</link><description>d</description>{item}</channel></rss>", v.url("/")), "application/rss+xml"));
    })
    .await;
    assert_eq!(kinds, [Opened, Updated, Resolved]);
    assert_eq!(inc.len(), 1);
    assert_eq!(inc[0].incident.updates.len(), 3);
}

fn cachet_incident(stage: usize) -> Value {
    let mut updates = vec![
        json!({"id": 7, "incident_id": 42, "status": 2, "message": "Identified.", "created_at": "2026-09-26 00:20:00"}),
    ];
    if stage >= 2 {
        updates.push(json!({"id": 8, "incident_id": 42, "status": 4, "message": "Fixed.", "created_at": "2026-09-26 00:40:00"}));
    }
    if stage == 0 {
        updates.clear();
    }
    json!({"id": 42, "component_id": 1, "name": "API errors", "status": 1, "message": "Investigating.", "occurred_at": "2026-09-26 00:01:00",
        "created_at": "2026-09-26 00:01:00", "is_resolved": stage >= 2, "latest_status": ([1, 2, 4][stage]), "updates": updates,
        "permalink": "https://status.example.org/incidents/42"})
}

#[tokio::test]
async fn cachet_2() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let src = h
        .add(
            "cachet",
            &format!("{}#tz=Europe/Berlin", v.url("/api/v1/")),
            "cachet",
        )
        .await;
    let (kinds, inc) = replay(&h, &src, 3, |stage| {
        v.set("/api/v1/components", Reply::json(&json!({"data": [{"id": 1, "name": "API", "status": if stage < 2 {3} else {1}, "enabled": true}]})));
        v.set("/api/v1/incidents", Reply::json(&json!({"meta": {}, "data": [cachet_incident(stage)]})));
        v.set("/api/v1/schedules", Reply::json(&json!({"meta": {}, "data": []})));
    })
    .await;
    assert_eq!(kinds, [Opened, Updated, Resolved]);
    let i = &inc[0].incident;
    assert_eq!(i.components[0].name, "API");
    assert_eq!(
        i.started_at.unwrap().to_rfc3339(),
        "2026-09-25T22:01:00+00:00",
        "Berlin time read"
    );
}

#[tokio::test]
async fn cachet_3() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let src = h.add("cachet3", &v.url("/api/"), "cachet").await;
    let (kinds, inc) = replay(&h, &src, 3, |stage| {
        v.set("/api/components", Reply::json(&json!({"data": [{"id": "1", "type": "components", "attributes": {"name": "API", "status": {"human": "x", "value": 3}, "enabled": true}}]})));
        let mut included = Vec::new();
        let mut refs = Vec::new();
        for (k, (code, at)) in [(2, "2026-09-26 00:20:00"), (4, "2026-09-26 00:40:00")].iter().enumerate().take(stage) {
            let id = format!("{}", k + 7);
            refs.push(json!({"id": id, "type": "updates"}));
            included.push(json!({"id": id, "type": "updates", "attributes": {"message": "m", "status": {"human": "x", "value": code}, "created": {"human": "x", "string": at}}}));
        }
        v.set("/api/incidents", Reply::json(&json!({"data": [{"id": "42", "type": "incidents", "attributes": {"name": "API errors", "message": "Investigating.",
            "status": {"human": "x", "value": ([1, 2, 4][stage])}, "occurred": {"human": "x", "string": "2026-09-26 00:01:00"}},
            "relationships": {"components": {"data": [{"id": "1", "type": "components", "meta": {"component_status": 3}}]}, "updates": {"data": refs}}}], "included": included})));
    })
    .await;
    assert_eq!(kinds, [Opened, Updated, Resolved]);
    assert_eq!(inc[0].incident.status, Status::Resolved);
}

#[tokio::test]
async fn sorry() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let src = h.add("sorry", &v.url("/"), "sorry").await;
    let (kinds, inc) = replay(&h, &src, 3, |stage| {
        v.set("/api/v1/status", Reply::json(&json!({"page": {"name": "Websupport", "state": if stage < 2 {"degraded"} else {"operational"}}})));
        v.set("/api/v1/notices", Reply::json(&json!({"notices": [{"id": 8812, "subject": "Webmail login failures", "synopsis": "Investigating.",
            "type": "unplanned", "state": (["investigating", "identified", "resolved"][stage]), "began_at": "2026-09-26T00:01:00.000Z",
            "ended_at": if stage == 2 { json!("2026-09-26T00:40:00.000Z") } else { json!(null) }, "created_at": "2026-09-26T00:01:00.000Z", "updated_at": "2026-09-26T00:01:00.000Z"}]})));
    })
    .await;
    assert_eq!(kinds[0], Opened);
    assert_eq!(*kinds.last().unwrap(), Resolved);
    assert_eq!(
        inc[0].incident.resolved_at.unwrap().to_rfc3339(),
        "2026-09-26T00:40:00+00:00"
    );
}

#[tokio::test]
async fn incident_io() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let src = h.add("openai", &v.url("/"), "incidentio").await;
    let id = "01JINC00000000000000000001";
    let link = v.url(&format!("/incidents/{id}"));
    let (kinds, inc) = replay(&h, &src, 3, |stage| {
        let ongoing = match stage {
            0 => json!([{"id": id, "name": "Elevated errors", "status": "investigating", "current_worst_impact": "partial_outage", "url": link,
                "last_update_at": "2026-09-26T00:01:00Z", "last_update_message": "Investigating.", "affected_components": [{"component_id": "c1"}]}]),
            1 => json!([{"id": id, "name": "Elevated errors", "status": "identified", "current_worst_impact": "partial_outage", "url": link,
                "last_update_at": "2026-09-26T00:20:00Z", "last_update_message": "Identified.", "affected_components": [{"component_id": "c1"}]}]),
            _ => json!([]),
        };
        v.set("/proxy/127.0.0.1", Reply::json(&json!({"summary": {"name": "OpenAI", "components": [{"id": "c1", "name": "ChatGPT"}],
            "affected_components": if stage < 2 { json!([{"component_id": "c1", "status": "partial_outage"}]) } else { json!([]) },
            "ongoing_incidents": ongoing, "scheduled_maintenances": []}})));
        let entry = if stage < 2 { String::new() } else {
            format!("<entry><id>{link}</id><title>Elevated errors</title><updated>2026-09-26T00:40:00Z</updated><link href=\"{link}\" rel=\"alternate\"/><content type=\"html\">&lt;b&gt;Status: Resolved&lt;/b&gt;&lt;br/&gt;Errors are back to normal.</content></entry>")
        };
        v.set("/history.atom", Reply::bytes(format!("<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><id>x</id><title>OpenAI status</title><updated>2026-09-26T00:40:00Z</updated><generator>incident.io</generator>{entry}</feed>"), "application/atom+xml"));
    })
    .await;
    assert_eq!(kinds, [Opened, Updated, Resolved]);
    assert_eq!(inc.len(), 1);
    assert_eq!(inc[0].incident.components[0].name, "ChatGPT");
}

fn aws_feed(items: &[(i64, &str)]) -> Reply {
    let body: String = items
        .iter()
        .map(|(epoch, title)| {
            format!("<item><title><![CDATA[{title}]]></title><link>https://status.aws.amazon.com/</link><pubDate>{}</pubDate>\
                <guid isPermaLink=\"false\">https://status.aws.amazon.com/#ec2-us-east-1_{epoch}</guid><description><![CDATA[at {epoch}]]></description></item>",
                chrono::DateTime::from_timestamp(*epoch, 0).unwrap().to_rfc2822())
        })
        .collect();
    Reply::bytes(format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title><![CDATA[Amazon Web Services Service Status]]></title>{body}</channel></rss>"), "application/rss+xml")
}

#[tokio::test]
async fn aws_chains_across_polls_even_when_the_first_update_scrolls_off() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let src = h.add("aws", &v.url("/rss/all.rss"), "aws").await;
    let (a, b, c) = (1_790_000_000, 1_790_001_000, 1_790_002_000);
    let (kinds, inc) = replay(&h, &src, 3, |stage| {
        let items: Vec<(i64, &str)> = match stage {
            0 => vec![(a, "Service impact: Increased API error rates")],
            1 => vec![
                (a, "Service impact: Increased API error rates"),
                (b, "Service impact: Increased API error rates"),
            ],
            // The first update has scrolled off the feed.
            _ => vec![
                (b, "Service impact: Increased API error rates"),
                (
                    c,
                    "Service is operating normally: [RESOLVED] Increased API error rates",
                ),
            ],
        };
        v.set("/rss/all.rss", aws_feed(&items));
    })
    .await;
    assert_eq!(kinds, [Opened, Updated, Resolved]);
    assert_eq!(
        inc.len(),
        1,
        "one incident, not split when its first update left the feed"
    );
    assert_eq!(inc[0].incident.updates.len(), 3);
    assert_eq!(inc[0].incident.components[0].name, "ec2 (us-east-1)");
}

#[tokio::test]
async fn azure_resolves_only_after_a_confirmed_absence() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let src = h.add("azure", &v.url("/en-us/status/feed/"), "azure").await;
    let feed = |build: usize, item: bool| {
        let item = if item {
            "<item><title>Virtual Machines - East US 2</title><link>https://azure.status.microsoft/en-us/status/</link><description>Summary of impact: failures starting VMs.</description><pubDate>Sat, 26 Sep 2026 00:01:00 Z</pubDate></item>"
        } else {
            ""
        };
        Reply::bytes(format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Azure Status</title><link>https://azure.status.microsoft/en-us/status/</link><description>Azure Status</description><lastBuildDate>Sat, 26 Sep 2026 {:02}:{:02}:00 GMT</lastBuildDate>{item}</channel></rss>", build / 60 % 24, build % 60), "application/rss+xml")
    };
    v.set("/en-us/status/feed/", feed(0, true));
    assert!(matches!(h.poll(&src).await, Outcome::Changed { .. }));
    let mut polls = 0;
    let mut suspect = 0;
    loop {
        polls += 1;
        v.set("/en-us/status/feed/", feed(polls, false)); // each build differs, as Azure's do
        let o = h.poll(&src).await; // the harness moves the clock 60 s per poll
        if matches!(o, Outcome::Suspect(_)) {
            suspect += 1;
        }
        let stored = &h.store.incidents(&IncidentQuery::default()).await.unwrap()[0];
        if stored.incident.status == Status::Resolved {
            assert_eq!(
                stored.incident.updates.last().unwrap().label,
                "No longer listed"
            );
            break;
        }
        assert!(polls < 30, "never resolved");
    }
    assert!(
        suspect >= 2,
        "a suddenly empty feed is first held as suspect"
    );
    assert!(
        polls >= 10,
        "over only after 10 minutes missing ({polls} polls)"
    );
    let kinds: Vec<EventKind> = h.event_kinds().await;
    assert_eq!(kinds, [Opened, Resolved]);
}

#[tokio::test]
async fn google_workspace_from_its_dashboard_address() {
    let v = Vendor::start().await;
    let h = Harness::with_subscriptions(vec![statuswatch_notify::Subscription {
        channel: "ops".into(),
        providers: vec!["Google Workspace".into()],
        components: Vec::new(),
        min_impact: None,
        events: Vec::new(),
    }])
    .await;
    // Detected from the dashboard's address, read at its own root.
    v.set(
        "/appsstatus/dashboard/incidents.json",
        Reply::json(&json!([])),
    );
    let d = detected(&h, &v.url("/appsstatus/dashboard/")).await;
    assert_eq!(d.platform, statuswatch_sources::gcp::PLATFORM);
    let upd = |at: &str, text: &str, status: &str| json!({"created": at, "modified": at, "when": at, "text": text, "status": status});
    let incident = |updates: Vec<Value>, end: Value| {
        json!({"id": "kq2Vn8xW3pLrT6yZ1aBc", "begin": "2026-11-30T14:05:00+00:00",
        "created": "2026-11-30T14:21:40+00:00", "end": end,
        "external_desc": "Some users are unable to send email with attachments in Gmail",
        "most_recent_update": updates[0].clone(), "updates": updates, "status_impact": "SERVICE_DISRUPTION",
        "severity": "medium", "service_name": "Gmail", "affected_products": [{"title": "Gmail", "id": "NNnD"}],
        "uri": "incidents/kq2Vn8xW3pLrT6yZ1aBc", "currently_affected_locations": [], "previously_affected_locations": []})
    };
    let u1 = upd(
        "2026-11-30T14:21:40+00:00",
        "We are investigating reports of an issue with Gmail.",
        "SERVICE_DISRUPTION",
    );
    let u2 = upd(
        "2026-11-30T15:02:13+00:00",
        "A mitigation is rolling out.",
        "SERVICE_DISRUPTION",
    );
    let u3 = upd(
        "2026-11-30T16:10:00+00:00",
        "The issue with Gmail has been resolved for all affected users.",
        "AVAILABLE",
    );
    let src = h.add("Google Workspace", d.url.as_str(), "gcp").await;
    let (kinds, inc) = replay(&h, &src, 3, |stage| {
        let i = match stage {
            0 => incident(vec![u1.clone()], Value::Null),
            1 => incident(vec![u2.clone(), u1.clone()], Value::Null),
            _ => incident(
                vec![u3.clone(), u2.clone(), u1.clone()],
                json!("2026-11-30T16:00:00+00:00"),
            ),
        };
        v.set(
            "/appsstatus/dashboard/incidents.json",
            Reply::json(&json!([i])),
        );
    })
    .await;
    assert_eq!(kinds, [Opened, Updated, Resolved]);
    assert_eq!(inc[0].provider, "Google Workspace");
    assert_eq!(inc[0].incident.status, Status::Resolved);
    assert_eq!(
        inc[0].incident.resolved_at.unwrap().to_rfc3339(),
        "2026-11-30T16:00:00+00:00"
    );
    // Each change reached the outbox once.
    let outbox = h.store.deliveries(None, 100).await.unwrap();
    assert_eq!(outbox.len(), 3, "{outbox:?}");
    assert!(outbox.iter().all(|d| d.channel == "ops"));
}

#[tokio::test]
async fn apple_developer_from_its_page_address() {
    let v = Vendor::start().await;
    let h = to_ops().await;
    const DATA: &str = "/support/systemstatus/data/developer/system_status_en_US.js";
    let answer = |events: Value| {
        Reply::json(&json!({"services": [
            {"serviceName": "TestFlight", "events": events},
            {"serviceName": "Xcode Cloud", "events": []}
        ]}))
    };
    v.set(DATA, answer(json!([])));
    // Detected from the developer page's path, read from its data.
    let d = detected(&h, &v.url("/system-status/")).await;
    assert_eq!(d.platform, statuswatch_sources::apple::PLATFORM);
    let src = h.add("Apple Developer", d.url.as_str(), "apple").await;
    let event = |status: &str, posted: &str, message: &str, end: Value| {
        json!([{"messageId": 1000419876, "statusType": "Performance", "eventStatus": status,
            "epochStartDate": 1_796_479_200_000_i64, "epochEndDate": end,
            "datePosted": posted, "usersAffected": "Some users are affected", "message": message}])
    };
    let (kinds, inc) = replay(&h, &src, 3, |stage| {
        let e = match stage {
            0 => event(
                "ongoing",
                "12/05/2026 06:00 PST",
                "Builds may take longer to process.",
                Value::Null,
            ),
            1 => event(
                "ongoing",
                "12/05/2026 07:30 PST",
                "Builds are processing again; backlog draining.",
                Value::Null,
            ),
            _ => event(
                "resolved",
                "12/05/2026 09:00 PST",
                "Build processing is back to normal.",
                json!(1_796_490_000_000_i64),
            ),
        };
        v.set(DATA, answer(e));
    })
    .await;
    assert_eq!(kinds, [Opened, Updated, Resolved]);
    assert_eq!(inc[0].provider, "Apple Developer");
    assert_eq!(inc[0].incident.status, Status::Resolved);
    assert_eq!(
        inc[0].incident.updates.len(),
        3,
        "each message is an update"
    );
    assert!(inc[0].incident.resolved_at.is_some());
    assert_eq!(h.store.deliveries(None, 100).await.unwrap().len(), 3);
}

#[tokio::test]
async fn cstate_from_its_root() {
    let v = Vendor::start().await;
    let h = to_ops().await;
    let issue = |resolved: bool, title: &str, last_mod: &str, resolved_at: &str| {
        json!({"is": "issue", "title": title, "createdAt": "2026-12-04 09:12:00 +0000 UTC",
            "lastMod": last_mod,
            "permalink": "https://status.example-cloud.com/issues/2026-12-04-object-storage/",
            "severity": "disrupted", "resolved": resolved, "informational": false,
            "resolvedAt": resolved_at, "affected": ["Object Storage"],
            "filename": "2026-12-04-object-storage.md"})
    };
    let serve = |issues: Vec<Value>, open: Vec<Value>| {
        let state = if open.is_empty() { "ok" } else { "disrupted" };
        v.set(
            "/index.json",
            Reply::json(&json!({"is": "index", "cStateVersion": "5.2",
            "title": "Example Cloud Status", "summaryStatus": state, "categories": [],
            "systems": [{"name": "Object Storage", "category": "Storage", "status": state,
                "unresolvedIssues": open}]})),
        );
        v.set(
            "/issues/index.json",
            Reply::json(&json!({"is": "issues", "pages": issues})),
        );
    };
    serve(Vec::new(), Vec::new());
    // Detected at the page's root (after Better Stack's probe of the same
    // /index.json, read from the one fetch).
    let d = detected(&h, &v.url("/")).await;
    assert_eq!(d.platform, statuswatch_sources::cstate::PLATFORM);
    assert_eq!(d.provider.as_deref(), Some("Example Cloud Status"));
    let src = h.add("Example Cloud", d.url.as_str(), "cstate").await;
    let (kinds, inc) = replay(&h, &src, 3, |stage| {
        let i = match stage {
            0 => issue(
                false,
                "Object storage uploads failing",
                "2026-12-04 09:12:00 +0000 UTC",
                "<no value>",
            ),
            1 => issue(
                false,
                "Object storage uploads failing in LON1",
                "2026-12-04 09:40:00 +0000 UTC",
                "<no value>",
            ),
            _ => issue(
                true,
                "Object storage uploads failing in LON1",
                "2026-12-04 10:05:00 +0000 UTC",
                "2026-12-04 10:05:00 +0000 UTC",
            ),
        };
        let open = if stage < 2 {
            vec![i.clone()]
        } else {
            Vec::new()
        };
        serve(vec![i], open);
    })
    .await;
    assert_eq!(kinds, [Opened, Updated, Resolved]);
    assert_eq!(inc[0].incident.status, Status::Resolved);
    assert_eq!(
        inc[0].incident.resolved_at.unwrap().to_rfc3339(),
        "2026-12-04T10:05:00+00:00"
    );
    assert_eq!(h.store.deliveries(None, 100).await.unwrap().len(), 3);
}

#[tokio::test]
async fn uptime_kuma_from_its_page_address_and_never_resolved_by_absence() {
    let v = Vendor::start().await;
    let h = to_ops().await;
    let serve = |incident: Value, down: bool| {
        v.set("/api/status-page/ops", Reply::json(&json!({
            "config": {"slug": "ops", "title": "Acme Internal Services"},
            "incident": incident,
            "publicGroupList": [{"id": 1, "name": "Public APIs", "monitorList": [{"id": 3, "name": "Payments API"}]}],
            "maintenanceList": []})));
        v.set("/api/status-page/heartbeat/ops", Reply::json(&json!({
            "heartbeatList": {"3": [{"status": if down { 0 } else { 1 }, "time": "2026-12-04 08:15:00", "msg": "", "ping": null}]},
            "uptimeList": {"3_24": 0.99}})));
    };
    serve(Value::Null, false);
    let d = detected(&h, &v.url("/status/ops")).await;
    assert_eq!(d.platform, statuswatch_sources::uptimekuma::PLATFORM);
    let src = h.add("Acme", d.url.as_str(), "uptimekuma").await;
    assert!(h.poll(&src).await.is_ok());
    let pinned = |updated: &str| {
        json!({"id": 4, "style": "danger", "title": "Payments API degraded",
            "content": "Card payments are failing for some customers.", "pin": true,
            "createdDate": "2026-12-04 08:15:02", "lastUpdatedDate": updated})
    };
    let (kinds, inc) = replay(&h, &src, 2, |stage| match stage {
        0 => serve(pinned("2026-12-04 08:15:02"), true),
        _ => serve(pinned("2026-12-04 08:47:31"), true),
    })
    .await;
    assert_eq!(kinds, [Opened, Updated]);
    // Unpinned: Kuma states no end, so none is recorded.
    serve(Value::Null, false);
    assert!(h.poll(&src).await.is_ok());
    let stored = h.store.incidents(&IncidentQuery::default()).await.unwrap();
    assert_eq!(stored[0].incident.status, Status::Investigating);
    assert_eq!(stored[0].incident.resolved_at, None);
    assert_eq!(h.event_kinds().await, [Opened, Updated]);
    assert_eq!(inc[0].provider, "Acme Internal Services");
    assert_eq!(h.store.deliveries(None, 100).await.unwrap().len(), 2);
    let s = h.store.source(src.id).await.unwrap();
    assert_eq!(
        s.components[0].state,
        statuswatch_model::ComponentStatus::Operational
    );
}

#[tokio::test]
async fn a_vendor_with_an_open_incident_is_polled_sooner() {
    let v = Vendor::start().await;
    let h = Harness::new().await;
    let incident = |end: Value, status: &str| {
        json!([{"id": "g1", "begin": "2026-11-30T14:05:00+00:00", "end": end,
            "external_desc": "Errors in the API", "severity": "medium",
            "updates": [{"created": "2026-11-30T14:21:40+00:00", "text": "Looking.", "status": status}],
            "affected_products": [{"title": "API"}]}])
    };
    let src = h.add("gcp", &v.url("/incidents.json"), "gcp").await;
    let wait = |s: &statuswatch_store::Source| (s.next_poll_at - h.clock.now()).num_seconds();
    // Quiet: the interval (60 s, moved earlier by up to 10 %).
    v.set("/incidents.json", Reply::json(&json!([])));
    assert!(h.poll(&src).await.is_ok());
    let s = h.store.source(src.id).await.unwrap();
    assert!((54..=60).contains(&wait(&s)), "quiet: {}", wait(&s));
    // An open incident: every 15 s, while the answers show it open.
    v.set(
        "/incidents.json",
        Reply::json(&incident(Value::Null, "SERVICE_DISRUPTION")),
    );
    assert!(h.poll(&s).await.is_ok());
    let s = h.store.source(src.id).await.unwrap();
    assert!((13..=15).contains(&wait(&s)), "open: {}", wait(&s));
    assert_eq!(h.poll(&s).await, Outcome::Unchanged);
    let s = h.store.source(src.id).await.unwrap();
    assert!(
        (13..=15).contains(&wait(&s)),
        "still open, unchanged answer: {}",
        wait(&s)
    );
    // Resolved: back to the interval.
    v.set(
        "/incidents.json",
        Reply::json(&incident(json!("2026-11-30T16:00:00+00:00"), "AVAILABLE")),
    );
    assert!(h.poll(&s).await.is_ok());
    let s = h.store.source(src.id).await.unwrap();
    assert!((54..=60).contains(&wait(&s)), "resolved: {}", wait(&s));
}
