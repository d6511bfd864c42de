//! Upkeep: retention, counts for monitoring, nodes.

use super::*;

/// What a retention pass deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Incidents and maintenances.
    pub incidents: u64,
    /// Their events.
    pub events: u64,
}

/// Counts for monitoring.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Incidents and maintenances not over.
    pub open_incidents: i64,
    /// Incidents stored.
    pub incidents: i64,
    /// Deliveries by status.
    pub deliveries: Vec<(DeliveryStatus, i64)>,
}

/// One node's heartbeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeBeat {
    /// The node's id (host and process, unique per start).
    pub id: String,
    /// Its host name.
    pub host: String,
    /// Its process id.
    pub pid: i64,
    /// Its version.
    pub version: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When this beat was sent.
    pub seen_at: DateTime<Utc>,
    /// Polls it made since it started.
    pub polls: i64,
    /// Failed polls among them.
    pub failures: i64,
    /// Its largest poll lag of the last minute, in ms.
    pub lag_ms: i64,
    /// Its poll interval, in ms (a lag over a quarter of it is falling behind).
    pub interval_ms: i64,
    /// Polls in flight now.
    pub in_flight: i64,
}
