//! A node's heartbeat: every few seconds each `serve` process writes who it
//! is and how its polling goes (polls, failures, lag, polls in flight) to the
//! store, so every node, and the dashboard, `/api/v1/nodes` and `/metrics`
//! of any node, see the whole fleet. A node not seen for three beats is gone;
//! its leases run out and the others take its sources.

use crate::{Clock, PollStats};
use chrono::{DateTime, Utc};
use statuswatch_store::{NodeBeat, Store};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// How often a node beats.
pub const BEAT: Duration = Duration::from_secs(10);

/// Whether a node last seen at `seen` is still up at `now`.
pub fn is_up(seen: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - seen <= chrono::Duration::from_std(BEAT * 3).unwrap_or(chrono::Duration::seconds(30))
}

/// One node's heartbeat.
pub struct Heartbeat {
    store: Arc<dyn Store>,
    stats: Arc<PollStats>,
    clock: Arc<dyn Clock>,
    interval: Duration,
    id: String,
    host: String,
    started_at: DateTime<Utc>,
}

impl Heartbeat {
    /// The heartbeat of this process, polling at `interval`.
    pub fn new(
        store: Arc<dyn Store>,
        stats: Arc<PollStats>,
        clock: Arc<dyn Clock>,
        interval: Duration,
    ) -> Self {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .or_else(|| std::env::var("HOSTNAME").ok())
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "localhost".into());
        let started_at = clock.now();
        let id = format!(
            "{host}-{}-{}",
            std::process::id(),
            started_at.timestamp_millis()
        );
        Heartbeat {
            store,
            stats,
            clock,
            interval,
            id,
            host,
            started_at,
        }
    }

    /// This node's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Writes one beat.
    pub async fn beat(&self) -> statuswatch_store::Result<()> {
        let (polls, failures) = self.stats.totals();
        self.store
            .beat(&NodeBeat {
                id: self.id.clone(),
                host: self.host.clone(),
                pid: i64::from(std::process::id()),
                version: env!("CARGO_PKG_VERSION").into(),
                started_at: self.started_at,
                seen_at: self.clock.now(),
                polls: polls as i64,
                failures: failures as i64,
                lag_ms: self.stats.recent_lag().as_millis() as i64,
                interval_ms: self.interval.as_millis() as i64,
                in_flight: self.stats.in_flight(),
            })
            .await
    }

    /// Beats every [`BEAT`] until `shutdown` completes.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            if let Err(e) = self.beat().await {
                tracing::warn!(error = %e, "could not record this node's heartbeat");
            }
            tokio::select! {
                _ = &mut shutdown => break,
                _ = tokio::time::sleep(BEAT) => {}
            }
        }
    }
}
