//! The engine: the scheduler takes due sources from the store (the database is
//! the schedule), the poller fetches a source's endpoints, parses them with
//! the platform's adapter, merges the result into what is stored and applies
//! state and events in one transaction. Only the engine writes incidents.

mod backoff;
mod detect;
mod dispatch;
mod node;
pub mod parsing;
mod poll;
mod remind;
mod retain;
mod route;
mod schedule;
mod state;
mod stats;
mod work;

pub use detect::{detect, DetectError, Detected};
pub use dispatch::{DispatchConfig, Dispatcher};
pub use node::{is_up, Heartbeat, BEAT};
pub use poll::{ExtraChannels, Outcome, PollReport, Poller};
pub use remind::Reminders;
pub use retain::{ended_at, Retention};
pub use route::Router;
pub use schedule::Scheduler;
pub use stats::PollStats;

use chrono::{DateTime, Utc};
use std::time::Duration;

/// Where the engine reads the time. Tests inject their own.
pub trait Clock: Send + Sync + 'static {
    /// Now.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    // The one place the engine reads the system's time.
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// How often and how hard to poll.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Time between two polls of a healthy source.
    pub interval: Duration,
    /// Time between two polls of a source whose last answer showed an open
    /// incident (its next update is awaited); at most `interval`. The
    /// fetcher's spacing per host still applies.
    pub open_interval: Duration,
    /// Each next poll is moved by up to this fraction of the interval, either
    /// way, so sources never align.
    pub jitter: f64,
    /// How long a source's history endpoints (every incident, resolved ones
    /// included) go unread while its live answer stays the same; they are read
    /// at once when it changes. `None`: every 10 intervals.
    pub history_every: Option<Duration>,
    /// The longest wait after repeated failures.
    pub max_backoff: Duration,
    /// The most polls in flight at once, whatever their size: a bound on
    /// open sockets. What bounds them first is `poll_memory`.
    pub concurrency: usize,
    /// The memory polls in flight may take, in bytes: each poll takes its
    /// expected share (a base and four times the bodies it should read) while
    /// it runs.
    pub poll_memory: usize,
    /// How long a claimed source stays leased to this node while it is polled.
    pub lease: Duration,
    /// A suddenly empty answer is held as suspect this many times in a row
    /// before it is taken as the page's real state.
    pub empty_confirmations: i64,
    /// Retention (`[store] keep`): incidents over for longer than this are
    /// pruned, and one a vendor still lists that ended before then is not
    /// stored again (nor alerted on) when it is not stored. `None`: kept forever.
    pub keep: Option<Duration>,
}

impl EngineConfig {
    /// The longest a history goes unread while the live answer is the same.
    pub fn history_every(&self) -> Duration {
        self.history_every.unwrap_or(self.interval * 10)
    }
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            interval: Duration::from_secs(60),
            open_interval: Duration::from_secs(15),
            jitter: 0.1,
            history_every: None,
            max_backoff: Duration::from_secs(30 * 60),
            concurrency: 4096,
            poll_memory: 128 * 1024 * 1024,
            lease: Duration::from_secs(2 * 60),
            empty_confirmations: 3,
            keep: None,
        }
    }
}
