//! Counters of this process's polls for `/metrics`: how many, how they went,
//! and how long they took (a Prometheus histogram). Lock-free; one per Poller.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the duration histogram, in seconds.
const BUCKETS: [f64; 10] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];
const OUTCOMES: [&str; 4] = ["changed", "unchanged", "failed", "suspect"];

/// Poll counters.
#[derive(Debug, Default)]
pub struct PollStats {
    outcomes: [AtomicU64; 4],
    buckets: [AtomicU64; 10],
    count: AtomicU64,
    sum_micros: AtomicU64,
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
}
