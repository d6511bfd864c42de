//! The loop the scheduler and the dispatcher share: claim due work from the
//! store (never more than the free capacity holds, so what is in flight stays
//! bounded), run each item in its own task, look again at once after a full
//! batch and after `tick` otherwise, and on shutdown wait for what is in flight.
//!
//! Capacity is counted in units the caller chooses: one per delivery for the
//! dispatcher, kibibytes of expected memory per poll for the scheduler. An
//! item's weight is taken from the capacity before it runs and given back
//! when it ends; an item heavier than the whole capacity is cut to it, so it
//! runs alone rather than never.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How much work may be in flight.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Capacity {
    /// The units in all.
    pub total: u32,
    /// The fewest units one item takes (how many items to claim is the free
    /// units over this).
    pub least: u32,
    /// The most items in flight, whatever their weight.
    pub max_items: u32,
    /// The most items one claim asks for.
    pub max_claim: u32,
}

/// What the loop does each turn.
pub(crate) trait Hooks {
    /// Runs before each claim (the scheduler writes its batched polls here).
    fn before_claim(&self) -> impl Future<Output = ()> + Send {
        async {}
    }
}

/// No hooks.
pub(crate) struct NoHooks;
impl Hooks for NoHooks {}

/// Runs `claim` and `work` until `shutdown` completes; `what` names the work
/// in logs, `weight` is an item's share of the capacity.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn claim_loop<T, C, CF, W, WF>(
    what: &'static str,
    capacity: Capacity,
    tick: Duration,
    shutdown: impl Future<Output = ()>,
    hooks: &impl Hooks,
    mut claim: C,
    weight: impl Fn(&T) -> u32,
    work: W,
) where
    T: Send + 'static,
    C: FnMut(u32) -> CF,
    CF: Future<Output = Result<Vec<T>, statuswatch_store::StoreError>>,
    W: Fn(T) -> WF,
    WF: Future<Output = ()> + Send + 'static,
{
    let total = capacity.total.max(1);
    let least = capacity.least.clamp(1, total);
    let units = Arc::new(Semaphore::new(total as usize));
    let items = Arc::new(Semaphore::new(capacity.max_items.max(1) as usize));
    tokio::pin!(shutdown);
    loop {
        hooks.before_claim().await;
        let free = (units.available_permits() as u32 / least)
            .min(items.available_permits() as u32)
            .min(capacity.max_claim.max(1));
        let mut claimed = 0;
        if free > 0 {
            match claim(free).await {
                Ok(batch) => {
                    claimed = batch.len() as u32;
                    for item in batch {
                        let w = weight(&item).clamp(1, total);
                        // Waits when heavier items than expected took the
                        // room: the claimed item is leased, and goes next.
                        let Ok(unit) = units.clone().acquire_many_owned(w).await else {
                            break;
                        };
                        let Ok(slot) = items.clone().acquire_owned().await else {
                            break;
                        };
                        let job = work(item);
                        tokio::spawn(async move {
                            job.await;
                            drop(unit);
                            drop(slot);
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
    let _ = units.acquire_many(total).await;
    hooks.before_claim().await;
}
