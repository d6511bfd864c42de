//! Per-host politeness: a semaphore, a minimum spacing between request starts,
//! and a "not before" time set by `Retry-After`.

use crate::FetchError;
use rand::Rng;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

#[derive(Debug)]
struct Host {
    permits: Arc<Semaphore>,
    next_start: Instant,
    blocked_until: Option<Instant>,
    /// A longer spacing this host needs (a documented rate limit).
    min_interval: Option<Duration>,
}

/// The state of every host asked so far.
#[derive(Debug)]
pub(crate) struct HostPool {
    hosts: Mutex<HashMap<String, Host>>,
    concurrency: usize,
    interval: Duration,
}

impl HostPool {
    pub(crate) fn new(concurrency: usize, interval: Duration) -> Self {
        HostPool {
            hosts: Mutex::new(HashMap::new()),
            concurrency: concurrency.max(1),
            interval,
        }
    }

    /// Waits for a slot on `host`; fails at once if the host asked us to wait.
    pub(crate) async fn acquire(&self, host: &str) -> Result<OwnedSemaphorePermit, FetchError> {
        let permits = {
            let mut hosts = self.hosts.lock().expect("host pool poisoned");
            let h = self.entry(&mut hosts, host);
            if let Some(until) = h.blocked_until {
                let now = Instant::now();
                if until > now {
                    return Err(FetchError::HostBackoff {
                        host: host.to_string(),
                        wait: until - now,
                    });
                }
                h.blocked_until = None;
            }
            h.permits.clone()
        };
        let permit = permits
            .acquire_owned()
            .await
            .map_err(|e| FetchError::Other(e.to_string()))?;
        let start = {
            let mut hosts = self.hosts.lock().expect("host pool poisoned");
            let h = self.entry(&mut hosts, host);
            let interval = h
                .min_interval
                .map_or(self.interval, |m| m.max(self.interval));
            if interval.is_zero() {
                None
            } else {
                let start = h.next_start.max(Instant::now());
                // A little jitter keeps many sources of one host from aligning.
                let jitter = rand::rng().random_range(0..=interval.as_millis() as u64 / 10);
                h.next_start = start + interval + Duration::from_millis(jitter);
                Some(start)
            }
        };
        if let Some(start) = start {
            tokio::time::sleep_until(start).await;
        }
        Ok(permit)
    }

    /// Asks nobody on `host` for `wait`.
    pub(crate) fn block(&self, host: &str, wait: Duration) {
        let mut hosts = self.hosts.lock().expect("host pool poisoned");
        let h = self.entry(&mut hosts, host);
        let until = Instant::now() + wait;
        h.blocked_until = Some(h.blocked_until.map_or(until, |u| u.max(until)));
    }

    /// Spaces requests to `host` at least `interval` apart from now on.
    pub(crate) fn set_min_interval(&self, host: &str, interval: Duration) {
        let mut hosts = self.hosts.lock().expect("host pool poisoned");
        let h = self.entry(&mut hosts, host);
        h.min_interval = Some(h.min_interval.map_or(interval, |m| m.max(interval)));
    }

    fn entry<'a>(&self, hosts: &'a mut HashMap<String, Host>, host: &str) -> &'a mut Host {
        hosts.entry(host.to_string()).or_insert_with(|| Host {
            permits: Arc::new(Semaphore::new(self.concurrency)),
            next_start: Instant::now(),
            blocked_until: None,
            min_interval: None,
        })
    }
}
