//! The JSON shapes of the API beside the contract's incident model (which
//! lives in `statuswatch_view`, shared with the CLI, the engine and alerts).

use chrono::{DateTime, Utc};
use serde::Serialize;
use statuswatch_store::{PollOutcome, Source};
use statuswatch_view::time::{ser as ts, ser_opt as ts_opt};
pub use statuswatch_view::{ComponentView, IncidentView, UpdateView};

/// A source with its health.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SourceView {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The URL polled.
    pub url: String,
    /// The platform.
    pub platform: String,
    /// The vendor's name.
    pub provider: String,
    /// When it was last polled.
    #[serde(serialize_with = "ts_opt")]
    pub last_poll_at: Option<DateTime<Utc>>,
    /// `ok`, `not_modified`, `error`, `suspect`, or null before the first poll.
    #[schema(value_type = Option<String>)]
    pub last_outcome: Option<PollOutcome>,
    /// Failed polls in a row.
    pub consecutive_failures: i64,
    /// The last failure.
    pub last_error: Option<String>,
    /// When it is due next.
    #[serde(serialize_with = "ts")]
    pub next_poll_at: DateTime<Utc>,
}

impl From<&Source> for SourceView {
    fn from(s: &Source) -> Self {
        SourceView {
            id: s.id,
            name: s.name.clone(),
            url: s.url.clone(),
            platform: s.platform.clone(),
            provider: s.provider_name().to_string(),
            last_poll_at: s.health.last_poll_at,
            last_outcome: s.health.last_outcome,
            consecutive_failures: s.health.consecutive_failures,
            last_error: s.health.last_error.clone(),
            next_poll_at: s.next_poll_at,
        }
    }
}
