//! Helpers to build an engine over a temporary SQLite store, polling the
//! testkit's loopback vendor.

#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use statuswatch_engine::{Clock, EngineConfig, Poller};
use statuswatch_fetch::{FetchConfig, Fetcher};
use statuswatch_store::sqlite::SqliteStore;
use statuswatch_store::{NewSource, Source, Store};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
pub use statuswatch_testkit::{Reply, Vendor};

/// A clock the test moves.
#[derive(Clone)]
pub struct TestClock(pub Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    pub fn new() -> TestClock {
        TestClock(Arc::new(Mutex::new(
            Utc.with_ymd_and_hms(2026, 9, 26, 0, 0, 0).unwrap(),
        )))
    }
    pub fn advance(&self, secs: i64) {
        *self.0.lock().unwrap() += chrono::Duration::seconds(secs);
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

pub fn fixture(name: &str) -> Vec<u8> {
    statuswatch_testkit::fixture!(name)
}

pub fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_slice(&fixture(name)).unwrap()
}

/// An engine over a fresh SQLite store, with a fetcher sized for tests.
pub struct Harness {
    pub _dir: tempfile::TempDir,
    pub store: Arc<dyn Store>,
    pub poller: Poller,
    pub clock: TestClock,
}

impl Harness {
    pub async fn new() -> Harness {
        Harness::with_subscriptions(Vec::new()).await
    }

    /// A harness whose poller routes events to these subscriptions.
    pub async fn with_subscriptions(
        subscriptions: Vec<statuswatch_notify::Subscription>,
    ) -> Harness {
        Harness::with_config(subscriptions, EngineConfig::default()).await
    }

    /// A harness whose poller runs with this configuration.
    pub async fn with_config(
        subscriptions: Vec<statuswatch_notify::Subscription>,
        config: EngineConfig,
    ) -> Harness {
        Harness::with_fetch(subscriptions, config, 256 * 1024).await
    }

    /// A harness whose fetcher takes answers up to `max_body_bytes`.
    pub async fn with_fetch(
        subscriptions: Vec<statuswatch_notify::Subscription>,
        config: EngineConfig,
        max_body_bytes: usize,
    ) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(
            SqliteStore::open(dir.path().join("t.db").to_str().unwrap())
                .await
                .unwrap(),
        );
        let fetcher = Arc::new(
            Fetcher::new(FetchConfig {
                total_timeout: Duration::from_millis(700),
                max_body_bytes,
                per_host_interval: Duration::ZERO,
                ..FetchConfig::default()
            })
            .unwrap(),
        );
        let clock = TestClock::new();
        let poller = Poller::new(store.clone(), fetcher, Arc::new(clock.clone()), config)
            .with_subscriptions(subscriptions);
        Harness {
            _dir: dir,
            store,
            poller,
            clock,
        }
    }

    pub async fn add(&self, name: &str, url: &str, platform: &str) -> Source {
        self.store
            .add_source(
                NewSource {
                    name: name.into(),
                    url: url.into(),
                    platform: platform.into(),
                    provider: None,
                    on_behalf: false,
                },
                self.clock.now(),
            )
            .await
            .unwrap()
    }

    /// The kinds of every recorded event, in order.
    pub async fn event_kinds(&self) -> Vec<statuswatch_model::EventKind> {
        self.store
            .events_after(0, 1000)
            .await
            .unwrap()
            .iter()
            .map(|e| e.kind)
            .collect()
    }

    /// Polls the source as it is stored now.
    pub async fn poll(&self, source: &Source) -> statuswatch_engine::Outcome {
        self.clock.advance(60);
        let fresh = self.store.source(source.id).await.unwrap();
        self.poller.poll(&fresh).await.outcome
    }
}

/// The vendor's pages at one moment: summary, incidents, maintenances.
pub struct Page {
    pub summary: Value,
    pub history: Vec<Value>,
}

impl Page {
    pub fn new() -> Page {
        let mut summary = fixture_json("cursor__summary_2026-09-25_incident.json");
        summary["incidents"] = json!([]);
        // Real, resolved history from another Statuspage page.
        let history = fixture_json("github__incidents_2026-08-18.json")["incidents"]
            .as_array()
            .unwrap()
            .clone();
        Page { summary, history }
    }

    pub fn serve(&self, v: &Vendor, live: &[Value]) {
        let page = self.summary["page"].clone();
        let mut summary = self.summary.clone();
        summary["incidents"] = json!(live
            .iter()
            .filter(|i| i["status"] != "resolved" && i["status"] != "postmortem")
            .collect::<Vec<_>>());
        let mut all: Vec<Value> = live.to_vec();
        all.extend(self.history.iter().cloned());
        v.set("/api/v2/summary.json", Reply::json(&summary));
        v.set(
            "/api/v2/incidents.json",
            Reply::json(&json!({"page": page, "incidents": all})),
        );
        v.set(
            "/api/v2/scheduled-maintenances.json",
            Reply::json(&json!({"page": page, "scheduled_maintenances": []})),
        );
    }
}

/// The real Cursor incident, and the vendor's later updates to it.
pub fn cursor_incident() -> Value {
    fixture_json("cursor__summary_2026-09-25_incident.json")["incidents"][0].clone()
}

pub fn add_update(incident: &mut Value, id: &str, status: &str, at: &str, body: &str) {
    let update = json!({
        "id": id, "status": status, "body": body, "incident_id": incident["id"],
        "created_at": at, "updated_at": at, "display_at": at,
        "affected_components": null, "deliver_notifications": true,
        "custom_tweet": null, "tweet_id": null
    });
    incident["incident_updates"]
        .as_array_mut()
        .unwrap()
        .insert(0, update);
    incident["status"] = json!(status);
    incident["updated_at"] = json!(at);
    if status == "resolved" {
        incident["resolved_at"] = json!(at);
    }
}
