//! The scheduler: the store holds every source's next due time; this loop
//! claims what is due and polls it. What is in flight is bounded by memory,
//! not by a fixed count: each poll takes its expected share of a budget
//! ([`EngineConfig::poll_memory`](crate::EngineConfig)) and gives it back
//! when done, so a node polls as many sources at once as the due rate and
//! the vendors' latency need, within what it can hold. Due times carry
//! jitter, so sources spread over the interval instead of polling in
//! lockstep. Each claimed source's lag (now − due) is recorded; a node that
//! falls behind says so in the log.

use crate::poll::{PollReport, Poller};
use crate::work::{Capacity, Hooks};
use chrono::{DateTime, Utc};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Runs polls as sources fall due.
pub struct Scheduler {
    poller: Arc<Poller>,
    tick: Duration,
}

struct Flush {
    poller: Arc<Poller>,
    /// The time at the last claim, to notice the clock jumping.
    last: std::sync::Mutex<Option<DateTime<Utc>>>,
}

/// A step back of the clock larger than this is a jump, not a correction.
const JUMP: chrono::Duration = chrono::Duration::seconds(5);

impl Hooks for Flush {
    async fn before_claim(&self) {
        self.poller.flush().await;
        self.poller
            .stats()
            .warn_if_behind(self.poller.config().interval);
        let now = self.poller.clock().now();
        let last = self.last.lock().expect("clock poisoned").replace(now);
        if let Some(last) = last.filter(|last| *last - now > JUMP) {
            // The clock went back (a host's clock set by hand, a VM restored):
            // every due time is that much further away than it should be.
            // Move them back by the jump, or nothing would be polled until
            // the clock caught up.
            let by = (last - now).num_milliseconds();
            match self.poller.store().shift_schedule(now, by).await {
                Ok(moved) => tracing::warn!(
                    back_by_secs = by / 1000,
                    moved,
                    "the clock jumped back; due times moved back with it"
                ),
                Err(e) => {
                    // Tried again at the next claim.
                    *self.last.lock().expect("clock poisoned") = Some(last);
                    tracing::error!(error = %e, "the clock jumped back; could not move due times")
                }
            }
        } else if let Some(last) = last.filter(|last| now - *last > chrono::Duration::hours(1)) {
            // Forward: everything falls due at once, and is polled within the
            // memory budget, oldest due first.
            tracing::warn!(
                forward_by_secs = (now - last).num_seconds(),
                "the clock jumped forward; sources due meanwhile are polled now"
            );
        }
    }
}

impl Scheduler {
    /// A scheduler over this poller; it looks for due sources every `tick`.
    pub fn new(poller: Arc<Poller>, tick: Duration) -> Self {
        Scheduler { poller, tick }
    }

    /// Runs until `shutdown` completes, then waits for polls in flight.
    /// Every finished poll's report is sent to `reports` when given.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()>,
        reports: Option<mpsc::UnboundedSender<PollReport>>,
    ) {
        let config = self.poller.config().clone();
        let lease =
            chrono::Duration::from_std(config.lease).unwrap_or(chrono::Duration::minutes(5));
        let poller = self.poller.clone();
        let budget_kib = (config.poll_memory / 1024).clamp(1024, u32::MAX as usize) as u32;
        let capacity = Capacity {
            total: budget_kib,
            least: 64,
            max_items: config.concurrency.clamp(1, u32::MAX as usize) as u32,
            max_claim: 1000,
        };
        crate::work::claim_loop(
            "due sources",
            capacity,
            self.tick,
            shutdown,
            &Flush {
                poller: self.poller.clone(),
                last: std::sync::Mutex::new(None),
            },
            |free| {
                let poller = poller.clone();
                async move {
                    let now = poller.clock().now();
                    let due = poller.store().claim_due(now, now + lease, free).await?;
                    let stats = poller.stats();
                    for s in &due {
                        stats.record_lag((now - s.next_poll_at).to_std().unwrap_or_default());
                    }
                    Ok(due)
                }
            },
            |source| self.poller.expected_kib(source),
            |source| {
                let poller = self.poller.clone();
                let reports = reports.clone();
                async move {
                    let report = poller.poll(&source).await;
                    if let Some(tx) = reports {
                        let _ = tx.send(report);
                    }
                }
            },
        )
        .await;
    }
}
