//! The scheduler: the store holds every source's next due time; this loop
//! claims what is due (never more than there are free polling slots, so the
//! queue is bounded) and polls it. Due times carry jitter, so sources spread
//! over the interval instead of polling in lockstep.

use crate::poll::{PollReport, Poller};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Runs polls as sources fall due.
pub struct Scheduler {
    poller: Arc<Poller>,
    tick: Duration,
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
        crate::work::claim_loop(
            "due sources",
            config.concurrency,
            self.tick,
            shutdown,
            |free| {
                let now = poller.clock().now();
                let store = poller.store().clone();
                async move { store.claim_due(now, now + lease, free).await }
            },
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
