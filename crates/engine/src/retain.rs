//! Retention: incidents over for longer than `[store] keep` are deleted with
//! their events and deliveries, in batches, on a jittered period. Open
//! incidents, and ones whose alerts are still pending, are never touched.

use crate::Clock;
use chrono::{DateTime, Utc};
use statuswatch_model::Incident;
use statuswatch_store::{Pruned, Store};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// When an incident that is over ended, as far as the vendor says: its
/// resolution, else its last dated update, else the end of its window.
/// `None` while it is open, or when nothing dates its end.
pub fn ended_at(incident: &Incident) -> Option<DateTime<Utc>> {
    if !incident.status.is_terminal() {
        return None;
    }
    incident
        .resolved_at
        .or_else(|| incident.updates.iter().filter_map(|u| u.at).max())
        .or(incident.scheduled_until)
}

/// Prunes what ended more than `keep` ago.
pub struct Retention {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    keep: Duration,
}

impl Retention {
    /// Keeps `keep` of history.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, keep: Duration) -> Self {
        Retention { store, clock, keep }
    }

    /// One pass: deletes what ended before now − keep.
    pub async fn run_once(&self) -> statuswatch_store::Result<Pruned> {
        let keep = chrono::Duration::from_std(self.keep).unwrap_or(chrono::Duration::MAX);
        let Some(cutoff) = self.clock.now().checked_sub_signed(keep) else {
            return Ok(Pruned::default());
        };
        self.store.prune(cutoff).await
    }

    /// A pass soon after start (within a minute, jittered) and then every
    /// `period` ±10 %, until `shutdown` completes. A failed pass is logged and
    /// tried again at the next one.
    pub async fn run(self, period: Duration, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut wait = Duration::from_millis(rand::random_range(1_000..60_000));
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                _ = tokio::time::sleep(wait) => {}
            }
            match self.run_once().await {
                Ok(p) if p.incidents > 0 => tracing::info!(
                    incidents = p.incidents,
                    events = p.events,
                    "retention pruned what ended long ago"
                ),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "retention pass failed; tried again later"),
            }
            wait = period.mul_f64(rand::random_range(0.9..1.1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use statuswatch_model::{Status, Update};

    #[test]
    fn an_open_incident_has_not_ended_and_a_resolved_one_ended_at_its_resolution() {
        let t = |h| Utc.with_ymd_and_hms(2024, 1, 1, h, 0, 0).unwrap();
        let mut i = Incident::new("a", "A", Status::Investigating);
        i.updates.push(Update {
            vendor_id: None,
            status: Status::Investigating,
            label: "Investigating".into(),
            at: Some(t(1)),
            body: "x".into(),
        });
        assert_eq!(ended_at(&i), None);
        i.status = Status::Resolved;
        assert_eq!(
            ended_at(&i),
            Some(t(1)),
            "its last update, when no resolution time"
        );
        i.resolved_at = Some(t(3));
        assert_eq!(ended_at(&i), Some(t(3)));
        let mut m = Incident::new("m", "M", Status::Completed);
        m.scheduled_until = Some(t(5));
        assert_eq!(ended_at(&m), Some(t(5)));
        assert_eq!(ended_at(&Incident::new("n", "N", Status::Resolved)), None);
    }
}
