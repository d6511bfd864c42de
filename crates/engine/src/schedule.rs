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
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Runs polls as sources fall due.
pub struct Scheduler {
    poller: Arc<Poller>,
    tick: Duration,
}

struct Flush(Arc<Poller>);

impl Hooks for Flush {
    async fn before_claim(&self) {
        self.0.flush().await;
        self.0.stats().warn_if_behind(self.0.config().interval);
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
            &Flush(self.poller.clone()),
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
