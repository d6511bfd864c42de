//! Alerts over a real loopback receiver: while it is down deliveries are
//! retried; once it is up, every event arrives exactly once, in order, signed.
// Tests may stamp their fixtures with the real time (see clippy.toml).
#![allow(clippy::disallowed_methods)]

mod support;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use statuswatch_engine::{DispatchConfig, Dispatcher, SystemClock};
use statuswatch_notify::{ChannelConfig, Subscription};
use statuswatch_testkit::{Received, Receiver};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{add_update, cursor_incident, Harness, Page, Vendor};

const SECRET: &str = "change-me";

fn verify(r: &Received) -> serde_json::Value {
    let sig = &r.headers["statuswatch-signature"];
    let (t, v1) = sig.split_once(",v1=").unwrap();
    let t = t.strip_prefix("t=").unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(&r.body);
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(v1, expected, "signature over \"<t>.<body>\"");
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(r.headers["idempotency-key"], body["id"].as_str().unwrap());
    body
}

async fn drain(d: &Dispatcher, h: &Harness, until: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !until() {
        assert!(Instant::now() < deadline, "deliveries did not finish");
        let now = chrono::Utc::now();
        for delivery in h
            .store
            .claim_deliveries(now, now + chrono::Duration::seconds(30), 10)
            .await
            .unwrap()
        {
            d.deliver(delivery).await;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_receiver_that_was_down_gets_every_event_once_in_order() {
    let receiver = Receiver::start().await;
    let v = Vendor::start().await;
    let sub: Subscription =
        serde_json::from_str(r#"{"channel": "ops", "components": ["Grok Bot"]}"#).unwrap();
    let h = Harness::with_subscriptions(vec![sub]).await;
    let channel: ChannelConfig = serde_json::from_str(&format!(
        r#"{{"name": "ops", "kind": "webhook", "url": "{}", "secret": "{SECRET}"}}"#,
        receiver.url()
    ))
    .unwrap();
    let dispatcher = Dispatcher::new(
        h.store.clone(),
        vec![channel],
        Arc::new(SystemClock),
        DispatchConfig {
            base_backoff: Duration::from_millis(30),
            ..DispatchConfig::default()
        },
    )
    .unwrap();

    let page = Page::new();
    let src = h.add("cursor", &v.url("/"), "statuspage").await;
    page.serve(&v, &[]);
    h.poll(&src).await; // history: no events, no deliveries
    assert!(h.store.deliveries(None, 10).await.unwrap().is_empty());

    // The receiver is down while the incident opens and is identified.
    receiver.answer_with(503);
    let mut inc = cursor_incident();
    page.serve(&v, &[inc.clone()]);
    h.poll(&src).await;
    add_update(
        &mut inc,
        "u2",
        "identified",
        "2026-09-26T00:05:00.000Z",
        "We found the cause.",
    );
    page.serve(&v, &[inc.clone()]);
    h.poll(&src).await;
    drain(&dispatcher, &h, || receiver.received().len() >= 4).await;
    assert!(receiver.received().iter().all(|r| r.answered == 503));
    // While the first event is refused, the second is not tried: order per incident.
    let tried: Vec<String> = receiver
        .received()
        .iter()
        .map(|r| verify(r)["type"].as_str().unwrap().to_string())
        .collect();
    assert!(tried.iter().all(|t| t == "incident.opened"), "{tried:?}");
    let pending = h
        .store
        .deliveries(Some(statuswatch_store::DeliveryStatus::Pending), 10)
        .await
        .unwrap();
    assert_eq!(pending.len(), 2);
    assert!(pending
        .iter()
        .any(|d| d.attempts >= 3
            && d.last_error.as_deref() == Some("the receiver answered HTTP 503")));

    // Up again; the incident goes on meanwhile.
    receiver.answer_with(200);
    add_update(
        &mut inc,
        "u3",
        "resolved",
        "2026-09-26T00:20:00.000Z",
        "This incident has been resolved.",
    );
    page.serve(&v, &[inc.clone()]);
    h.poll(&src).await;
    add_update(
        &mut inc,
        "u4",
        "postmortem",
        "2026-09-27T09:00:00.000Z",
        "Root cause: a bad deploy.",
    );
    page.serve(&v, &[inc.clone()]);
    // A postmortem of a resolved incident changes only the history, which
    // is read within `history_every` (10 minutes by default).
    h.clock.advance(10 * 60);
    h.poll(&src).await;
    drain(&dispatcher, &h, || {
        receiver
            .received()
            .iter()
            .filter(|r| r.answered == 200)
            .count()
            >= 4
    })
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    drain(&dispatcher, &h, || true).await;

    let acked: Vec<serde_json::Value> = receiver
        .received()
        .iter()
        .filter(|r| r.answered == 200)
        .map(verify)
        .collect();
    let seen: Vec<(String, String)> = acked
        .iter()
        .map(|b| {
            (
                b["type"].as_str().unwrap().into(),
                b["update"]["label"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("incident.opened".into(), "Investigating".into()),
            ("incident.updated".into(), "Identified".into()),
            ("incident.resolved".into(), "Resolved".into()),
            ("incident.updated".into(), "Postmortem".into()),
        ]
    );
    let mut keys: Vec<&str> = acked.iter().map(|b| b["id"].as_str().unwrap()).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 4, "each event acknowledged once");
    assert_eq!(
        acked[0]["incident"]["title"],
        "Investigating service degradation — Grok Bot"
    );
    assert_eq!(
        h.store
            .deliveries(Some(statuswatch_store::DeliveryStatus::Delivered), 10)
            .await
            .unwrap()
            .len(),
        4
    );
    assert!(h
        .store
        .deliveries(Some(statuswatch_store::DeliveryStatus::Pending), 10)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_receiver_that_refuses_for_good_leaves_a_visible_failure() {
    let receiver = Receiver::start().await;
    receiver.answer_with(410);
    let v = Vendor::start().await;
    let h =
        Harness::with_subscriptions(vec![serde_json::from_str(r#"{"channel": "ops"}"#).unwrap()])
            .await;
    let channel: ChannelConfig = serde_json::from_str(&format!(
        r#"{{"name": "ops", "kind": "webhook", "url": "{}"}}"#,
        receiver.url()
    ))
    .unwrap();
    let d = Dispatcher::new(
        h.store.clone(),
        vec![channel],
        Arc::new(SystemClock),
        DispatchConfig::default(),
    )
    .unwrap();
    let page = Page::new();
    let src = h.add("cursor", &v.url("/"), "statuspage").await;
    page.serve(&v, &[]);
    h.poll(&src).await;
    page.serve(&v, &[cursor_incident()]);
    h.poll(&src).await;
    drain(&d, &h, || !receiver.received().is_empty()).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let failed = h
        .store
        .deliveries(Some(statuswatch_store::DeliveryStatus::Failed), 10)
        .await
        .unwrap();
    assert_eq!(failed.len(), 1, "a 410 is not retried");
    assert!(failed[0]
        .last_error
        .as_deref()
        .unwrap()
        .contains("HTTP 410"));
    assert_eq!(receiver.received().len(), 1);
}

#[tokio::test]
async fn a_scheduled_maintenance_is_reminded_of_once_before_it_starts() {
    use serde_json::json;
    use statuswatch_engine::{Clock, Reminders};
    let v = Vendor::start().await;
    let sub: Subscription =
        serde_json::from_str(r#"{"channel": "ops", "events": ["reminder"]}"#).unwrap();
    let h = Harness::with_subscriptions(vec![sub]).await;
    let page = Page::new();
    let src = h.add("cursor", &v.url("/"), "statuspage").await;
    page.serve(&v, &[]);
    h.poll(&src).await;
    // The vendor announces a maintenance 90 minutes ahead.
    let start = h.clock.now() + chrono::Duration::minutes(90);
    let iso =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut m = cursor_incident();
    m["id"] = json!("maint1");
    m["name"] = json!("Database upgrade");
    m["status"] = json!("scheduled");
    m["impact"] = json!("maintenance");
    m["scheduled_for"] = json!(iso(start));
    m["scheduled_until"] = json!(iso(start + chrono::Duration::hours(2)));
    m["incident_updates"][0]["status"] = json!("scheduled");
    // Statuspage lists upcoming maintenances in the summary too.
    let mut summary = page.summary.clone();
    summary["scheduled_maintenances"] = json!([m.clone()]);
    v.set(
        "/api/v2/summary.json",
        statuswatch_testkit::Reply::json(&summary),
    );
    v.set(
        "/api/v2/scheduled-maintenances.json",
        statuswatch_testkit::Reply::json(
            &json!({"page": summary["page"], "scheduled_maintenances": [m]}),
        ),
    );
    h.poll(&src).await;
    assert!(
        h.store.deliveries(None, 10).await.unwrap().is_empty(),
        "the subscription takes reminders only"
    );

    let reminders = Reminders::new(
        h.store.clone(),
        h.poller.router().clone(),
        Arc::new(h.clock.clone()),
        Duration::from_secs(3600),
    );
    assert_eq!(reminders.run_once().await, 0, "90 minutes ahead: not yet");
    h.clock.advance(31 * 60);
    assert_eq!(reminders.run_once().await, 1);
    assert_eq!(reminders.run_once().await, 0, "once");
    let deliveries = h.store.deliveries(None, 10).await.unwrap();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].kind, "maintenance.reminder");
    assert_eq!(deliveries[0].channel, "ops");
}

#[tokio::test]
async fn a_quiet_channel_hears_openings_and_resolutions_but_not_every_update() {
    let receiver = Receiver::start().await;
    let v = Vendor::start().await;
    let h =
        Harness::with_subscriptions(vec![serde_json::from_str(r#"{"channel": "ops"}"#).unwrap()])
            .await;
    let channel: ChannelConfig = serde_json::from_str(&format!(
        r#"{{"name": "ops", "kind": "webhook", "url": "{}", "quiet_updates": "30m"}}"#,
        receiver.url()
    ))
    .unwrap();
    channel.validate().unwrap();
    let d = Dispatcher::new(
        h.store.clone(),
        vec![channel],
        Arc::new(SystemClock),
        DispatchConfig::default(),
    )
    .unwrap();
    let page = Page::new();
    let src = h.add("cursor", &v.url("/"), "statuspage").await;
    page.serve(&v, &[]);
    h.poll(&src).await;
    let mut inc = cursor_incident();
    page.serve(&v, &[inc.clone()]);
    h.poll(&src).await;
    drain(&d, &h, || !receiver.received().is_empty()).await;
    add_update(
        &mut inc,
        "u2",
        "investigating",
        "2026-09-26T00:05:00.000Z",
        "Still looking.",
    );
    add_update(
        &mut inc,
        "u3",
        "identified",
        "2026-09-26T00:06:00.000Z",
        "Found it.",
    );
    add_update(
        &mut inc,
        "u4",
        "resolved",
        "2026-09-26T00:20:00.000Z",
        "Fixed.",
    );
    page.serve(&v, &[inc.clone()]);
    h.poll(&src).await;
    drain(&d, &h, || receiver.received().len() >= 2).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    drain(&d, &h, || true).await;
    let types: Vec<String> = receiver
        .received()
        .iter()
        .map(|r| {
            serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(types, ["incident.opened", "incident.resolved"]);
    let skipped = h
        .store
        .deliveries(Some(statuswatch_store::DeliveryStatus::Skipped), 10)
        .await
        .unwrap();
    assert_eq!(skipped.len(), 2, "the two updates are coalesced, and kept");
    assert!(skipped[0]
        .last_error
        .as_deref()
        .unwrap()
        .starts_with("quiet:"));
}
