//! Waits with jitter: every retry and every next poll goes through here, so
//! none of them align.

use rand::Rng;
use std::time::Duration;

/// `d` moved by up to ±`jitter` of itself (`jitter` clamped to [0, 0.9]).
pub(crate) fn jittered(d: Duration, jitter: f64) -> Duration {
    let j = jitter.clamp(0.0, 0.9);
    if j == 0.0 {
        return d;
    }
    d.mul_f64(rand::rng().random_range(1.0 - j..=1.0 + j))
}

/// `d` less up to `jitter` of itself (`jitter` clamped to [0, 0.9]): spread,
/// and never later than `d`.
pub(crate) fn early(d: Duration, jitter: f64) -> Duration {
    let j = jitter.clamp(0.0, 0.9);
    if j == 0.0 {
        return d;
    }
    d.mul_f64(rand::rng().random_range(1.0 - j..=1.0))
}

/// `base · 2^attempt`, capped at `cap`, with jitter.
pub(crate) fn exponential(base: Duration, attempt: i64, cap: Duration, jitter: f64) -> Duration {
    let exp = attempt.clamp(0, 20) as u32;
    jittered(
        base.saturating_mul(2u32.saturating_pow(exp)).min(cap),
        jitter,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_the_cap_within_the_jitter() {
        let s = Duration::from_secs;
        for (attempt, want) in [(0, 60), (1, 120), (3, 480), (30, 1800)] {
            let got = exponential(s(60), attempt, s(1800), 0.1).as_secs_f64();
            assert!(
                got >= want as f64 * 0.9 && got <= want as f64 * 1.1,
                "{attempt}: {got}"
            );
        }
        assert_eq!(exponential(s(5), 2, s(60), 0.0), s(20));
    }

    #[test]
    fn the_next_poll_is_spread_below_the_interval_never_after_it() {
        let s = Duration::from_secs;
        let got: Vec<f64> = (0..1000).map(|_| early(s(60), 0.1).as_secs_f64()).collect();
        assert!(got.iter().all(|g| (54.0..=60.0).contains(g)));
        let spread = got.iter().cloned().fold(f64::MIN, f64::max)
            - got.iter().cloned().fold(f64::MAX, f64::min);
        assert!(spread > 4.0, "{spread}");
    }
}
