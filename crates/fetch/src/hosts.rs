//! Per-host politeness: a semaphore, a minimum spacing between visits, and a
//! "not before" time set by `Retry-After`. A host nobody is visiting, whose
//! spacing and wait have passed, has nothing worth keeping: its entry is
//! swept, so the pool holds the hosts of the moment, not every host ever
//! asked.

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

/// A host's slot, held for a visit.
#[derive(Debug)]
pub(crate) struct Turn {
    _permit: OwnedSemaphorePermit,
}

#[derive(Debug)]
struct Hosts {
    map: HashMap<String, Host>,
    /// Turns handed out since the last sweep.
    since_sweep: usize,
    /// Hosts the last sweep kept.
    kept: usize,
}

/// The state of every host being asked.
#[derive(Debug)]
pub(crate) struct HostPool {
    hosts: Mutex<Hosts>,
    concurrency: usize,
    interval: Duration,
}

impl HostPool {
    pub(crate) fn new(concurrency: usize, interval: Duration) -> Self {
        HostPool {
            hosts: Mutex::new(Hosts {
                map: HashMap::new(),
                since_sweep: 0,
                kept: 0,
            }),
            concurrency: concurrency.max(1),
            interval,
        }
    }

    /// Waits for a turn on `host`; fails at once if the host asked us to wait.
    pub(crate) async fn acquire(&self, host: &str) -> Result<Turn, FetchError> {
        let permits = {
            let mut hosts = self.hosts.lock().expect("host pool poisoned");
            hosts.since_sweep += 1;
            if hosts.since_sweep >= hosts.kept.max(1024) {
                self.sweep(&mut hosts);
            }
            let h = self.entry(&mut hosts, host);
            Self::blocked(h, host)?;
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
        Ok(Turn { _permit: permit })
    }

    /// Fails if `host` asked us to wait (a visit's later request, after an
    /// earlier one was answered 429 or 503 with `Retry-After`).
    pub(crate) fn check_blocked(&self, host: &str) -> Result<(), FetchError> {
        let mut hosts = self.hosts.lock().expect("host pool poisoned");
        match hosts.map.get_mut(host) {
            Some(h) => Self::blocked(h, host),
            None => Ok(()),
        }
    }

    fn blocked(h: &mut Host, host: &str) -> Result<(), FetchError> {
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
        Ok(())
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

    /// Hosts held in the pool now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.hosts.lock().expect("host pool poisoned").map.len()
    }

    /// Forgets the hosts with nothing to remember: no visit in progress, the
    /// spacing passed, no wait asked. Run once per as many turns as the last
    /// sweep kept hosts (1,024 at least), so its cost per request is constant.
    fn sweep(&self, hosts: &mut Hosts) {
        let now = Instant::now();
        let all = self.concurrency;
        hosts.map.retain(|_, h| {
            h.permits.available_permits() < all
                || h.next_start > now
                || h.blocked_until.is_some_and(|u| u > now)
        });
        hosts.since_sweep = 0;
        hosts.kept = hosts.map.len();
    }

    fn entry<'a>(&self, hosts: &'a mut Hosts, host: &str) -> &'a mut Host {
        hosts.map.entry(host.to_string()).or_insert_with(|| Host {
            permits: Arc::new(Semaphore::new(self.concurrency)),
            next_start: Instant::now(),
            blocked_until: None,
            min_interval: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn idle_hosts_are_forgotten_and_busy_or_blocked_ones_kept() {
        let pool = HostPool::new(2, Duration::ZERO);
        let held = pool.acquire("busy:443").await.unwrap();
        pool.block("waiting:443", Duration::from_secs(60));
        for i in 0..5000 {
            drop(pool.acquire(&format!("h{i}:443")).await.unwrap());
        }
        // Sweeps ran along the way: the pool is far smaller than every host
        // asked, and what must be remembered is still there.
        assert!(pool.len() < 2100, "{} hosts kept", pool.len());
        assert!(pool.acquire("waiting:443").await.is_err());
        let hosts = pool.hosts.lock().unwrap();
        assert!(hosts.map.contains_key("busy:443"));
        drop(hosts);
        drop(held);
    }

    #[tokio::test(start_paused = true)]
    async fn a_host_spacing_outlives_the_sweep() {
        let pool = HostPool::new(1, Duration::from_secs(1));
        drop(pool.acquire("a:443").await.unwrap());
        let t = Instant::now();
        for i in 0..3000 {
            drop(pool.acquire(&format!("h{i}:443")).await.unwrap());
        }
        drop(pool.acquire("a:443").await.unwrap());
        assert!(Instant::now() - t >= Duration::from_millis(900));
    }
}
