//! Counters of this process's polls for `/metrics`: how many, how they went,
//! how long they took (a Prometheus histogram) and how late they started
//! (the lag: now − due, its histogram and the largest of the last minute).
//! Lock-free but for the minute's rotation; one per Poller.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the duration histogram, in seconds.
const BUCKETS: [f64; 10] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];
const OUTCOMES: [&str; 4] = ["changed", "unchanged", "failed", "suspect"];
/// Upper bounds of the lag histogram, in seconds.
const LAG_BUCKETS: [f64; 9] = [0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 1800.0];
/// How long a window of the largest lag lasts.
const WINDOW: Duration = Duration::from_secs(60);

/// Poll counters.
#[derive(Debug, Default)]
pub struct PollStats {
    outcomes: [AtomicU64; 4],
    buckets: [AtomicU64; 10],
    count: AtomicU64,
    sum_micros: AtomicU64,
    in_flight: std::sync::atomic::AtomicI64,
    lag_buckets: [AtomicU64; 9],
    lag_count: AtomicU64,
    lag_sum_ms: AtomicU64,
    /// The largest lag of this window and of the last one, in ms.
    lag_max_ms: AtomicU64,
    lag_last_max_ms: AtomicU64,
    window: std::sync::Mutex<Option<std::time::Instant>>,
    /// When the last warning was logged.
    warned: std::sync::Mutex<Option<std::time::Instant>>,
}

impl PollStats {
    /// Counts one poll.
    pub fn record(&self, outcome: &crate::Outcome, elapsed: Duration) {
        let k = match outcome {
            crate::Outcome::Changed { .. } => 0,
            crate::Outcome::Unchanged => 1,
            crate::Outcome::Failed(_) => 2,
            crate::Outcome::Suspect(_) => 3,
        };
        self.outcomes[k].fetch_add(1, Ordering::Relaxed);
        let secs = elapsed.as_secs_f64();
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    /// A poll starts.
    pub(crate) fn start(&self) {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
    }

    /// A poll ends.
    pub(crate) fn end(&self) {
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
    }

    /// Polls in flight now.
    pub fn in_flight(&self) -> i64 {
        self.in_flight.load(Ordering::Relaxed)
    }

    /// Polls made so far, and how many of them failed (or were held as suspect).
    pub fn totals(&self) -> (u64, u64) {
        let all: u64 = self
            .outcomes
            .iter()
            .map(|o| o.load(Ordering::Relaxed))
            .sum();
        let bad =
            self.outcomes[2].load(Ordering::Relaxed) + self.outcomes[3].load(Ordering::Relaxed);
        (all, bad)
    }

    /// Counts one claimed source's lag: how long after it fell due it was claimed.
    pub fn record_lag(&self, lag: Duration) {
        let secs = lag.as_secs_f64();
        for (i, b) in LAG_BUCKETS.iter().enumerate() {
            if secs <= *b {
                self.lag_buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        let ms = lag.as_millis() as u64;
        self.lag_count.fetch_add(1, Ordering::Relaxed);
        self.lag_sum_ms.fetch_add(ms, Ordering::Relaxed);
        self.lag_max_ms.fetch_max(ms, Ordering::Relaxed);
    }

    /// The largest lag of the last minute or so.
    pub fn recent_lag(&self) -> Duration {
        self.rotate();
        let ms = self
            .lag_max_ms
            .load(Ordering::Relaxed)
            .max(self.lag_last_max_ms.load(Ordering::Relaxed));
        Duration::from_millis(ms)
    }

    /// Whether this node falls behind: its recent lag is over a quarter of
    /// the interval (15 s at the default 60 s).
    pub fn behind(&self, interval: Duration) -> bool {
        self.recent_lag() > interval / 4
    }

    /// Logs a warning, at most once a minute, while this node falls behind.
    pub fn warn_if_behind(&self, interval: Duration) {
        if !self.behind(interval) {
            return;
        }
        let mut warned = self.warned.lock().expect("stats poisoned");
        if warned.is_some_and(|w| w.elapsed() < WINDOW) {
            return;
        }
        *warned = Some(std::time::Instant::now());
        tracing::warn!(
            lag_seconds = self.recent_lag().as_secs_f64(),
            interval_seconds = interval.as_secs_f64(),
            "polling is behind: sources are polled later than due (more sources than this node keeps up with, a slow database, or vendors slower than the memory budget allows)"
        );
    }

    fn rotate(&self) {
        let mut window = self.window.lock().expect("stats poisoned");
        let now = std::time::Instant::now();
        match *window {
            Some(start) if now.duration_since(start) < WINDOW => {}
            Some(_) => {
                let last = self.lag_max_ms.swap(0, Ordering::Relaxed);
                self.lag_last_max_ms.store(last, Ordering::Relaxed);
                *window = Some(now);
            }
            None => *window = Some(now),
        }
    }

    /// The counters in Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP statuswatch_polls_total Polls by this process, by outcome.\n");
        out.push_str("# TYPE statuswatch_polls_total counter\n");
        for (k, name) in OUTCOMES.iter().enumerate() {
            let _ = writeln!(
                out,
                "statuswatch_polls_total{{outcome=\"{name}\"}} {}",
                self.outcomes[k].load(Ordering::Relaxed)
            );
        }
        out.push_str("# HELP statuswatch_poll_duration_seconds Time of one poll, all endpoints of a source.\n");
        out.push_str("# TYPE statuswatch_poll_duration_seconds histogram\n");
        for (i, b) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "statuswatch_poll_duration_seconds_bucket{{le=\"{b}\"}} {}",
                self.buckets[i].load(Ordering::Relaxed)
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "statuswatch_poll_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "statuswatch_poll_duration_seconds_sum {}",
            self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "statuswatch_poll_duration_seconds_count {count}");
        out.push_str("# HELP statuswatch_poll_lag_seconds How long after a source fell due it was claimed.\n");
        out.push_str("# TYPE statuswatch_poll_lag_seconds histogram\n");
        for (i, b) in LAG_BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "statuswatch_poll_lag_seconds_bucket{{le=\"{b}\"}} {}",
                self.lag_buckets[i].load(Ordering::Relaxed)
            );
        }
        let lags = self.lag_count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "statuswatch_poll_lag_seconds_bucket{{le=\"+Inf\"}} {lags}"
        );
        let _ = writeln!(
            out,
            "statuswatch_poll_lag_seconds_sum {}",
            self.lag_sum_ms.load(Ordering::Relaxed) as f64 / 1e3
        );
        let _ = writeln!(out, "statuswatch_poll_lag_seconds_count {lags}");
        out.push_str("# HELP statuswatch_polls_in_flight Polls of this process in flight now.\n");
        out.push_str("# TYPE statuswatch_polls_in_flight gauge\n");
        let _ = writeln!(out, "statuswatch_polls_in_flight {}", self.in_flight());
        out.push_str(
            "# HELP statuswatch_poll_lag_max_seconds The largest poll lag of the last minute.\n",
        );
        out.push_str("# TYPE statuswatch_poll_lag_max_seconds gauge\n");
        let _ = writeln!(
            out,
            "statuswatch_poll_lag_max_seconds {}",
            self.recent_lag().as_secs_f64()
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Outcome;

    #[test]
    fn counts_outcomes_and_a_cumulative_histogram() {
        let s = PollStats::default();
        s.record(&Outcome::Unchanged, Duration::from_millis(80));
        s.record(&Outcome::Failed("x".into()), Duration::from_secs(3));
        let text = s.render();
        assert!(text.contains("statuswatch_polls_total{outcome=\"unchanged\"} 1"));
        assert!(text.contains("statuswatch_polls_total{outcome=\"failed\"} 1"));
        assert!(text.contains("statuswatch_poll_duration_seconds_bucket{le=\"0.05\"} 0"));
        assert!(text.contains("statuswatch_poll_duration_seconds_bucket{le=\"0.1\"} 1"));
        assert!(text.contains("statuswatch_poll_duration_seconds_bucket{le=\"5\"} 2"));
        assert!(text.contains("statuswatch_poll_duration_seconds_bucket{le=\"+Inf\"} 2"));
        assert!(text.contains("statuswatch_poll_duration_seconds_sum 3.08"));
        assert!(text.contains("statuswatch_poll_duration_seconds_count 2"));
    }

    #[test]
    fn the_lag_is_a_histogram_and_a_recent_maximum_that_says_when_behind() {
        let s = PollStats::default();
        s.record_lag(Duration::from_millis(300));
        assert!(!s.behind(Duration::from_secs(60)));
        s.record_lag(Duration::from_secs(20));
        assert!(s.behind(Duration::from_secs(60)));
        let text = s.render();
        assert!(text.contains("statuswatch_poll_lag_seconds_bucket{le=\"0.5\"} 1"));
        assert!(text.contains("statuswatch_poll_lag_seconds_bucket{le=\"30\"} 2"));
        assert!(text.contains("statuswatch_poll_lag_seconds_count 2"));
        assert!(text.contains("statuswatch_poll_lag_max_seconds 20"));
    }
}
