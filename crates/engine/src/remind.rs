//! Maintenance reminders: a configurable time before a scheduled maintenance
//! starts, one `maintenance.reminder` event, routed like every other event.

use crate::{Clock, Router};
use statuswatch_model::EventKind;
use statuswatch_store::{NewEvent, Store};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// Records reminders as maintenances come near.
pub struct Reminders {
    store: Arc<dyn Store>,
    router: Router,
    clock: Arc<dyn Clock>,
    before: Duration,
}

impl Reminders {
    /// Reminds `before` a maintenance starts.
    pub fn new(
        store: Arc<dyn Store>,
        router: Router,
        clock: Arc<dyn Clock>,
        before: Duration,
    ) -> Self {
        Reminders {
            store,
            router,
            clock,
            before,
        }
    }

    /// Records the reminders due now; returns how many.
    pub async fn run_once(&self) -> usize {
        let now = self.clock.now();
        let until =
            now + chrono::Duration::from_std(self.before).unwrap_or(chrono::Duration::hours(1));
        let due = match self.store.due_reminders(now, until, 500).await {
            Ok(d) => d,
            Err(e) => {
                tracing::error!(error = %e, "could not read upcoming maintenances");
                return 0;
            }
        };
        let mut made = 0;
        for m in due {
            let kind = EventKind::MaintenanceReminder;
            let event = NewEvent {
                kind,
                occurred_at: now,
                update: None,
                channels: self
                    .router
                    .channels_for(kind, &m.provider, &m.source, &m.incident),
            };
            match self.store.record_reminder(&m.id, now, event).await {
                Ok(true) => made += 1,
                Ok(false) => {}
                Err(e) => {
                    tracing::error!(error = %e, incident = %m.id, "could not record a reminder")
                }
            }
        }
        made
    }

    /// Looks for due reminders every `tick` until `shutdown` completes.
    pub async fn run(self, tick: Duration, shutdown: impl Future<Output = ()>) {
        if self.before.is_zero() {
            return;
        }
        tokio::pin!(shutdown);
        loop {
            self.run_once().await;
            tokio::select! {
                _ = &mut shutdown => break,
                _ = tokio::time::sleep(tick) => {}
            }
        }
    }
}
