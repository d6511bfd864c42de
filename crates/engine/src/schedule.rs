//! The scheduler: the store holds every source's next due time; this loop
//! claims what is due (never more than there are free polling slots, so the
//! queue is bounded) and polls it. Due times carry jitter, so sources spread
//! over the interval instead of polling in lockstep.

use crate::poll::{PollReport, Poller};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, Semaphore};

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
        let slots = Arc::new(Semaphore::new(config.concurrency.max(1)));
        let lease =
            chrono::Duration::from_std(config.lease).unwrap_or(chrono::Duration::minutes(5));
        tokio::pin!(shutdown);
        loop {
            let free = slots.available_permits() as u32;
            let mut claimed = 0;
            if free > 0 {
                let now = self.poller.clock().now();
                match self.poller.store().claim_due(now, now + lease, free).await {
                    Ok(due) => {
                        claimed = due.len() as u32;
                        for source in due {
                            let Ok(permit) = slots.clone().acquire_owned().await else {
                                break;
                            };
                            let poller = self.poller.clone();
                            let reports = reports.clone();
                            tokio::spawn(async move {
                                let report = poller.poll(&source).await;
                                if let Some(tx) = reports {
                                    let _ = tx.send(report);
                                }
                                drop(permit);
                            });
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "could not read due sources"),
                }
            }
            // A full batch means more may be due: look again at once.
            let wait = if claimed > 0 && claimed == free {
                Duration::ZERO
            } else {
                self.tick
            };
            tokio::select! {
                _ = &mut shutdown => break,
                _ = tokio::time::sleep(wait) => {}
            }
        }
        tracing::info!("scheduler stopping; waiting for polls in flight");
        let _ = slots.acquire_many(config.concurrency.max(1) as u32).await;
    }
}
