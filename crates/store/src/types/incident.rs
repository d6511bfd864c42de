//! Incidents: stored incidents, the polls that write them, their events and spans.

use super::*;

/// An incident as stored, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredIncident {
    /// Its id in this installation.
    pub id: String,
    /// The source it came from.
    pub source_id: SourceId,
    /// That source's name.
    pub source: String,
    /// The vendor's name.
    pub provider: String,
    /// When this installation first saw it.
    pub detected_at: DateTime<Utc>,
    /// The incident.
    pub incident: Incident,
}

/// One change to record with its incident.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// What happened.
    pub kind: EventKind,
    /// When it happened (the update's time, or the poll's).
    pub occurred_at: DateTime<Utc>,
    /// The update that carried it.
    pub update: Option<Update>,
    /// The alert channels it goes to (one outbox row each, same transaction).
    pub channels: Vec<String>,
}

/// An incident to insert or update, with its events.
#[derive(Debug, Clone)]
pub struct IncidentWrite {
    /// The stored id when it exists already.
    pub existing_id: Option<String>,
    /// The merged incident.
    pub incident: Incident,
    /// Its events, in order.
    pub events: Vec<NewEvent>,
}

/// A successful poll to apply.
#[derive(Debug, Clone)]
pub struct PollRecord {
    /// The source.
    pub source_id: SourceId,
    /// When it was polled.
    pub at: DateTime<Utc>,
    /// `Ok` or `NotModified`.
    pub outcome: PollOutcome,
    /// The vendor's name, if the answer gave one.
    pub provider: Option<String>,
    /// Component states, if the answer gave them.
    pub components: Option<Vec<ComponentState>>,
    /// Incidents that changed.
    pub writes: Vec<IncidentWrite>,
    /// Validators and body hashes for the next poll.
    pub fetch_state: String,
    /// How many items the answer listed (`None`: unchanged).
    pub item_count: Option<i64>,
    /// When to poll next.
    pub next_poll_at: DateTime<Utc>,
    /// What could not be read although the poll succeeded (none: clears it).
    pub warning: Option<String>,
}

/// What applying a poll did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppliedPoll {
    /// Incidents inserted.
    pub inserted: usize,
    /// Incidents updated.
    pub updated: usize,
    /// Events recorded.
    pub events: usize,
    /// Deliveries queued in the outbox.
    pub deliveries: usize,
}

/// A failed or suspect poll.
#[derive(Debug, Clone)]
pub struct FailureRecord {
    /// The source.
    pub source_id: SourceId,
    /// When.
    pub at: DateTime<Utc>,
    /// `Error` or `Suspect`.
    pub outcome: PollOutcome,
    /// What went wrong.
    pub error: String,
    /// When to try again.
    pub next_poll_at: DateTime<Utc>,
}

/// An incident's span and stated impact, read from its columns (never its
/// body): what figures over many incidents need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentSpan {
    /// Its source.
    pub source_id: SourceId,
    /// The source's provider name (or its name).
    pub provider: String,
    /// When it started, where known.
    pub started_at: Option<DateTime<Utc>>,
    /// When it was resolved, where it was.
    pub resolved_at: Option<DateTime<Utc>>,
    /// The impact the vendor stated (`None`: unstated, or a word unknown).
    pub impact: Option<statuswatch_model::Impact>,
}

/// Which incidents to list.
#[derive(Debug, Clone, Default)]
pub struct IncidentQuery {
    /// Only this provider (the page's name or the source's name, any case).
    pub provider: Option<String>,
    /// Only incidents not resolved or completed.
    pub open_only: bool,
    /// Only this source.
    pub source_id: Option<SourceId>,
    /// At most this many.
    pub limit: Option<u32>,
    /// Skip this many first (with `limit`).
    pub offset: Option<u32>,
    /// Only incidents or only maintenances.
    pub kind: Option<statuswatch_model::Kind>,
    /// Only these stated impacts (any when empty).
    pub impacts: Vec<statuswatch_model::Impact>,
    /// Only those started at or after this time.
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    /// Only those started before this time.
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    /// Only those whose title or update text contains every word (any case).
    pub text: Option<String>,
    /// Private pages' incidents too (left out unless asked: public views
    /// never ask).
    pub include_private: bool,
}

/// A recorded change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Order of recording, increasing.
    pub seq: i64,
    /// Stable id (the idempotency key of deliveries).
    pub id: String,
    /// The incident.
    pub incident_id: String,
    /// The source.
    pub source_id: SourceId,
    /// What happened.
    pub kind: EventKind,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
    /// The update that carried it.
    pub update: Option<Update>,
    /// The incident as it was right after this change.
    pub incident: Incident,
}

impl StoredIncident {
    /// Where it came from, for its contract view.
    pub fn provenance(&self) -> statuswatch_view::Provenance<'_> {
        statuswatch_view::Provenance {
            id: &self.id,
            source: &self.source,
            provider: &self.provider,
            detected_at: self.detected_at,
        }
    }
}

impl From<&StoredIncident> for statuswatch_view::IncidentView {
    fn from(s: &StoredIncident) -> Self {
        statuswatch_view::IncidentView::new(s.provenance(), &s.incident)
    }
}
