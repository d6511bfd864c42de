//! The JSON shapes of the API and of the CLI's `--json` output (the contract's
//! incident model), kept apart from the model so either can change alone.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer};
use statuswatch_model::{Impact, Kind, Status};
use statuswatch_store::{Source, StoredIncident};

/// RFC 3339, UTC, whole seconds, `Z`.
fn ts<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

pub(crate) fn ts_opt<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => ts(t, s),
        None => s.serialize_none(),
    }
}

/// An incident as the contract shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IncidentView {
    /// Stable id in this installation.
    pub id: String,
    /// The watched source's name.
    pub source: String,
    /// The vendor's name.
    pub provider: String,
    /// The vendor's title.
    pub title: String,
    /// `incident` or `maintenance`.
    #[schema(value_type = String, example = "incident")]
    pub kind: Kind,
    /// As stated (`none`, `minor`, `major`, `critical`, `maintenance`); null when not stated.
    #[schema(value_type = Option<String>, example = "major")]
    pub impact: Option<Impact>,
    /// Current lifecycle status.
    #[schema(value_type = String, example = "resolved")]
    pub status: Status,
    /// First update's time or the vendor's stated start.
    #[serde(serialize_with = "ts")]
    pub started_at: DateTime<Utc>,
    /// When it was resolved.
    #[serde(serialize_with = "ts_opt")]
    pub resolved_at: Option<DateTime<Utc>>,
    /// Maintenance window start.
    #[serde(serialize_with = "ts_opt")]
    pub scheduled_for: Option<DateTime<Utc>>,
    /// Maintenance window end.
    #[serde(serialize_with = "ts_opt")]
    pub scheduled_until: Option<DateTime<Utc>>,
    /// When this installation first saw it.
    #[serde(serialize_with = "ts")]
    pub detected_at: DateTime<Utc>,
    /// The vendor's page for it.
    pub url: Option<String>,
    /// Affected components.
    pub components: Vec<ComponentView>,
    /// The timeline, oldest first.
    pub updates: Vec<UpdateView>,
}

/// An affected component.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComponentView {
    /// Its name.
    pub name: String,
    /// Its group.
    pub group: Option<String>,
}

/// One timeline entry.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UpdateView {
    /// Normalized status after this update.
    #[schema(value_type = String)]
    pub status: Status,
    /// The heading as the vendor showed it.
    pub label: String,
    /// When it was posted.
    #[serde(serialize_with = "ts_opt")]
    pub at: Option<DateTime<Utc>>,
    /// The vendor's text.
    pub body: String,
}

impl From<&StoredIncident> for IncidentView {
    fn from(s: &StoredIncident) -> Self {
        let i = &s.incident;
        IncidentView {
            id: s.id.clone(),
            source: s.source.clone(),
            provider: s.provider.clone(),
            title: i.title.clone(),
            kind: i.kind,
            impact: i.impact,
            status: i.status,
            started_at: i.started_at.unwrap_or(s.detected_at),
            resolved_at: i.resolved_at,
            scheduled_for: i.scheduled_for,
            scheduled_until: i.scheduled_until,
            detected_at: s.detected_at,
            url: i.url.clone(),
            components: i
                .components
                .iter()
                .map(|c| ComponentView {
                    name: c.name.clone(),
                    group: c.group.clone(),
                })
                .collect(),
            updates: i
                .updates
                .iter()
                .map(|u| UpdateView {
                    status: u.status,
                    label: u.label.clone(),
                    at: u.at,
                    body: u.body.clone(),
                })
                .collect(),
        }
    }
}

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
    pub last_outcome: Option<String>,
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
            last_outcome: s.health.last_outcome.clone(),
            consecutive_failures: s.health.consecutive_failures,
            last_error: s.health.last_error.clone(),
            next_poll_at: s.next_poll_at,
        }
    }
}
