//! The outbox: deliveries, their outcomes, and who they are for.

use super::*;

/// Where a delivery of the outbox stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting to be sent, or to be retried.
    Pending,
    /// Acknowledged by the receiver.
    Delivered,
    /// Given up after the last attempt; kept, visible.
    Failed,
    /// Not sent on purpose (a quiet period); kept, visible.
    Skipped,
}

impl DeliveryStatus {
    /// Every status.
    pub const ALL: [DeliveryStatus; 4] = [
        DeliveryStatus::Pending,
        DeliveryStatus::Delivered,
        DeliveryStatus::Failed,
        DeliveryStatus::Skipped,
    ];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Skipped => "skipped",
        }
    }

    /// Reads the stored word.
    pub fn parse(word: &str) -> Option<DeliveryStatus> {
        DeliveryStatus::ALL.into_iter().find(|o| o.as_str() == word)
    }
}

impl std::fmt::Display for DeliveryStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One pending delivery of an event to a channel, claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Order of creation.
    pub seq: i64,
    /// The channel's name.
    pub channel: String,
    /// Attempts made before this one.
    pub attempts: i64,
    /// The event.
    pub event: Event,
    /// The incident's source's name.
    pub source: String,
    /// The vendor's name.
    pub provider: String,
    /// When this installation first saw the incident.
    pub detected_at: DateTime<Utc>,
}

/// How an attempt to deliver went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// The receiver acknowledged it (or the channel takes no such event).
    Delivered,
    /// It failed; try again then.
    Retry {
        /// When.
        next_attempt_at: DateTime<Utc>,
        /// Why it failed.
        error: String,
    },
    /// It failed for good; kept, visible, not retried.
    Failed {
        /// Why.
        error: String,
    },
    /// Not sent on purpose (a quiet period of the channel); kept, visible.
    Skipped {
        /// Why.
        reason: String,
    },
}

/// A delivery as listed for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryInfo {
    /// Order of creation.
    pub seq: i64,
    /// The event's id (the idempotency key).
    pub event_id: String,
    /// The event's kind.
    pub kind: String,
    /// The incident.
    pub incident_id: String,
    /// The channel.
    pub channel: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made.
    pub attempts: i64,
    /// The last failure.
    pub last_error: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was delivered.
    pub delivered_at: Option<DateTime<Utc>>,
}

/// Who an outbox row is for. Stored in the `channel` column as its text
/// (`Display`): a configured channel by its name, a page's email
/// subscriber as `subscriber:<id>` (no channel may be named so: the configuration refuses it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient<'a> {
    /// A channel of the configuration, by name.
    Channel(&'a str),
    /// A page's email subscriber, by id.
    Subscriber(&'a str),
}

/// How a subscriber's outbox channel begins.
const SUBSCRIBER_PREFIX: &str = "subscriber:";

impl<'a> Recipient<'a> {
    /// The recipient an outbox `channel` column names.
    pub fn of(column: &'a str) -> Self {
        match column.strip_prefix(SUBSCRIBER_PREFIX) {
            Some(id) => Recipient::Subscriber(id),
            None => Recipient::Channel(column),
        }
    }
}

impl std::fmt::Display for Recipient<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Recipient::Channel(name) => f.write_str(name),
            Recipient::Subscriber(id) => write!(f, "{SUBSCRIBER_PREFIX}{id}"),
        }
    }
}
