//! The loop the scheduler and the dispatcher share: claim due work from the
//! store (never more than there are free slots, so what is in flight stays
//! bounded), run each item in its own task, look again at once after a full
//! batch and after `tick` otherwise, and on shutdown wait for what is in flight.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Runs `claim` and `work` until `shutdown` completes; `what` names the work in logs.
pub(crate) async fn claim_loop<T, C, CF, W, WF>(
    what: &'static str,
    slots: usize,
    tick: Duration,
    shutdown: impl Future<Output = ()>,
    mut claim: C,
    work: W,
) where
    T: Send + 'static,
    C: FnMut(u32) -> CF,
    CF: Future<Output = Result<Vec<T>, statuswatch_store::StoreError>>,
    W: Fn(T) -> WF,
    WF: Future<Output = ()> + Send + 'static,
{
    let slots = slots.max(1);
    let free_slots = Arc::new(Semaphore::new(slots));
    tokio::pin!(shutdown);
    loop {
        let free = free_slots.available_permits() as u32;
        let mut claimed = 0;
        if free > 0 {
            match claim(free).await {
                Ok(items) => {
                    claimed = items.len() as u32;
                    for item in items {
                        let Ok(permit) = free_slots.clone().acquire_owned().await else {
                            break;
                        };
                        let job = work(item);
                        tokio::spawn(async move {
                            job.await;
                            drop(permit);
                        });
                    }
                }
                Err(e) => tracing::error!(error = %e, "could not claim {what}"),
            }
        }
        // A full batch means more may be due: look again at once.
        let wait = if claimed > 0 && claimed == free {
            Duration::ZERO
        } else {
            tick
        };
        tokio::select! {
            _ = &mut shutdown => break,
            _ = tokio::time::sleep(wait) => {}
        }
    }
    tracing::info!("stopping; waiting for {what} in flight");
    let _ = free_slots.acquire_many(slots as u32).await;
}
