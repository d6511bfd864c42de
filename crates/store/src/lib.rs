//! Storage: the [`Store`] trait, with SQLite ([`sqlite::SqliteStore`]) and
//! PostgreSQL ([`postgres::PgStore`]) implementations, each with its own
//! migrations. The engine writes through [`Store::apply_poll`] and
//! [`Store::record_failure`] only; everything else reads.
//!
//! One applied poll is one transaction: the source's state, the incidents it
//! changed and the events those changes produced commit together or not at all.

pub mod postgres;
mod rows;
pub mod sqlite;
mod types;

pub use types::*;

/// The store's traits, for calling them on a `dyn Store`.
pub mod prelude {
    pub use crate::{IncidentStore, OutboxStore, PageStore, SourceStore, Store, UpkeepStore};
}

use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// What can go wrong in storage. Errors from the database keep their cause
/// (`std::error::Error::source`).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing asked for does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// It would break a uniqueness rule (a source URL or name added twice).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database cannot take this now: locked by another writer past the
    /// busy timeout, out of connections, or its disk is full. Nothing was
    /// written; the same call may succeed later.
    #[error("storage error: {source}")]
    Busy {
        /// Which of these it is.
        why: Busy,
        /// The database's own error.
        #[source]
        source: sqlx::Error,
    },
    /// Any other error of the database.
    #[error("storage error: {0}")]
    Database(#[source] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A stored value cannot be read back (JSON, a word, a time).
    #[error("stored value unreadable: {what}")]
    Unreadable {
        /// What was unreadable, and where.
        what: String,
        /// The parser's error, when there is one.
        #[source]
        source: Option<serde_json::Error>,
    },
    /// The database cannot be opened or reached.
    #[error("{what}")]
    Open {
        /// What was tried, and why it failed.
        what: String,
        /// The cause, when there is one.
        #[source]
        source: Option<sqlx::Error>,
    },
}

/// Why the database is [busy](StoreError::Busy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    /// Another writer holds the lock (SQLite `SQLITE_BUSY`/`SQLITE_LOCKED`,
    /// PostgreSQL `55P03`, serialization and deadlock failures).
    Locked,
    /// The disk (or the database's quota) is full (SQLite `SQLITE_FULL`,
    /// PostgreSQL class `53`, `53100`).
    Full,
    /// No connection could be had within the pool's timeout.
    NoConnection,
}

impl StoreError {
    /// Whether the database was busy or full (worth trying again later, and
    /// not the source's fault).
    pub fn busy(&self) -> Option<Busy> {
        match self {
            StoreError::Busy { why, .. } => Some(*why),
            _ => None,
        }
    }

    /// Whether SQLite answered an I/O error (`SQLITE_IOERR`), as it does
    /// when it cannot grow its journal or shared memory file: most often a
    /// full or read-only disk.
    pub fn disk_io(&self) -> bool {
        let source = match self {
            StoreError::Database(e) => Some(e),
            StoreError::Open { source, .. } => source.as_ref(),
            _ => None,
        };
        matches!(source, Some(sqlx::Error::Database(d))
            if d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
                && d.code().and_then(|c| c.parse::<i64>().ok()).is_some_and(|n| n & 0xff == 10))
    }

    /// A value read back from the database that does not parse.
    pub(crate) fn unreadable(what: impl Into<String>) -> Self {
        StoreError::Unreadable {
            what: what.into(),
            source: None,
        }
    }

    /// The database cannot be opened or reached, with the cause.
    pub(crate) fn open(what: impl Into<String>, source: Option<sqlx::Error>) -> Self {
        StoreError::Open {
            what: what.into(),
            source,
        }
    }
}

/// Which busy state a database error code means, if any.
fn busy_code(sqlite: bool, code: &str) -> Option<Busy> {
    // SQLite answers its (extended) result code as a number: the primary
    // code is the low byte. PostgreSQL answers a SQLSTATE.
    if sqlite {
        return match code.parse::<i64>().ok()? & 0xff {
            5 | 6 => Some(Busy::Locked),
            13 => Some(Busy::Full),
            _ => None,
        };
    }
    match code {
        "55P03" | "40001" | "40P01" => Some(Busy::Locked),
        "53100" | "53200" => Some(Busy::Full),
        "53300" => Some(Busy::NoConnection),
        _ => None,
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound("row".into()),
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                StoreError::Conflict(d.message().to_string())
            }
            sqlx::Error::Database(d) => match d.code().as_deref().and_then(|c| {
                busy_code(
                    d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some(),
                    c,
                )
            }) {
                Some(why) => StoreError::Busy { why, source: e },
                None => StoreError::Database(e),
            },
            sqlx::Error::PoolTimedOut => StoreError::Busy {
                why: Busy::NoConnection,
                source: e,
            },
            _ => StoreError::Database(e),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Unreadable {
            what: format!("stored JSON: {e}"),
            source: Some(e),
        }
    }
}

/// Shorthand.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Everything statuswatch keeps: one trait per aggregate, implemented by
/// both backends. `use statuswatch_store::prelude::*` brings them all in scope.
pub trait Store: SourceStore + IncidentStore + OutboxStore + PageStore + UpkeepStore {}

impl<T: SourceStore + IncidentStore + OutboxStore + PageStore + UpkeepStore> Store for T {}

/// The sources watched: added, read, paused, removed, and when each is due.
#[async_trait]
pub trait SourceStore: Send + Sync + 'static {
    /// Adds a source; `Conflict` when its URL or name is already watched.
    async fn add_source(&self, source: NewSource, now: DateTime<Utc>) -> Result<Source>;
    /// One source.
    async fn source(&self, id: SourceId) -> Result<Source>;
    /// The source polling this URL, if any.
    async fn source_by_url(&self, url: &str) -> Result<Option<Source>>;
    /// The first public source (in the order added) whose id, name or
    /// provider name (any case) is `name`: what a badge's address names.
    async fn source_by_name(&self, name: &str) -> Result<Option<Source>>;
    /// Every watched vendor's source (pages of one's own left out), in the
    /// order they were added.
    async fn watched_sources(&self) -> Result<Vec<Source>>;
    /// Every source, in the order they were added.
    async fn sources(&self) -> Result<Vec<Source>>;
    /// Pauses or resumes polling a source; its incidents stay.
    async fn set_paused(&self, id: SourceId, paused: bool) -> Result<Source>;
    /// Stops watching a source and deletes its incidents, events and outbox rows.
    async fn remove_source(&self, id: SourceId) -> Result<()>;
    /// Sources due at `now` (at most `limit`, most overdue first), leased until
    /// `lease_until` so that no other poller takes them meanwhile. Each
    /// returned source's `next_poll_at` is the time it fell due (its stored
    /// value is the lease now), and its `components` are not read (empty).
    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Source>>;
    /// Brings healthy sources due later than `now + interval` within the
    /// interval (after a restart with a shorter interval), spread over it by
    /// id so that they do not all fall due at once. Returns how many moved.
    async fn cap_next_polls(&self, now: DateTime<Utc>, interval_ms: i64) -> Result<u64>;
    /// After the clock jumped back by `by_ms`: every due time after `now`
    /// (next polls, leases, backoffs, pending deliveries' retries) moves
    /// earlier by the jump, so the schedule keeps its shape instead of
    /// waiting for the clock to catch up. Returns how many rows moved.
    async fn shift_schedule(&self, now: DateTime<Utc>, by_ms: i64) -> Result<u64>;
    /// Sources counted by platform, component state, health and whether
    /// they have something open: a handful of rows, whatever their number.
    /// Private pages' sources are left out.
    async fn source_groups(&self) -> Result<Vec<SourceGroup>>;
    /// A page of sources by provider name, and how many match in all.
    async fn find_sources(&self, query: &SourceQuery) -> Result<(Vec<Source>, i64)>;
}

/// Incidents: a poll applied (state, incidents, events and outbox rows in one
/// transaction) and the stored incidents read back.
#[async_trait]
pub trait IncidentStore: Send + Sync + 'static {
    /// The stored incidents of a source with these vendor ids.
    async fn incidents_by_vendor_ids(
        &self,
        source: SourceId,
        vendor_ids: &[String],
    ) -> Result<Vec<StoredIncident>>;
    /// Applies one successful poll in one transaction.
    async fn apply_poll(&self, poll: PollRecord) -> Result<AppliedPoll>;
    /// Applies many successful polls in one transaction (the unchanged ones,
    /// batched so that a quiet source costs a row update, not a commit).
    /// Polls of sources removed meanwhile are skipped; returns how many were
    /// applied.
    async fn apply_polls(&self, polls: Vec<PollRecord>) -> Result<usize>;
    /// Records a failed or suspect poll: health only, no incident is touched.
    async fn record_failure(&self, failure: FailureRecord) -> Result<()>;
    /// Stored incidents, newest first.
    async fn incidents(&self, query: &IncidentQuery) -> Result<Vec<StoredIncident>>;
    /// One stored incident by its id.
    async fn incident(&self, id: &str) -> Result<StoredIncident>;
    /// Events with a sequence number above `after`, oldest first; private
    /// pages' events are left out.
    async fn events_after(&self, after: i64, limit: u32) -> Result<Vec<Event>>;
    /// The spans of public incidents (not maintenances) that began (or were
    /// detected) at or after `since`, newest first, at most `limit`: columns
    /// only, so figures over a year of incidents read no bodies.
    async fn incident_spans(&self, since: DateTime<Utc>, limit: u32) -> Result<Vec<IncidentSpan>>;
}

/// The outbox: deliveries claimed, finished and listed; maintenance reminders.
#[async_trait]
pub trait OutboxStore: Send + Sync + 'static {
    /// Pending deliveries due at `now`, at most one per incident and channel
    /// (the oldest, so each channel hears of an incident in order), leased
    /// until `lease_until`.
    async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Delivery>>;
    /// Records how an attempt went.
    async fn finish_delivery(
        &self,
        seq: i64,
        at: DateTime<Utc>,
        outcome: DeliveryOutcome,
    ) -> Result<()>;
    /// Scheduled maintenances starting in `(now, until]` that have had no reminder.
    async fn due_reminders(
        &self,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<StoredIncident>>;
    /// Records a reminder of a maintenance and its outbox rows in one
    /// transaction; a maintenance is reminded of once (`false`: it was already).
    async fn record_reminder(
        &self,
        incident_id: &str,
        at: DateTime<Utc>,
        event: NewEvent,
    ) -> Result<bool>;
    /// When an event of this incident was last delivered to this channel.
    async fn last_delivered_at(
        &self,
        incident_id: &str,
        channel: &str,
    ) -> Result<Option<DateTime<Utc>>>;
    /// Deliveries, newest first, optionally of one status.
    async fn deliveries(
        &self,
        status: Option<DeliveryStatus>,
        limit: u32,
    ) -> Result<Vec<DeliveryInfo>>;
}

/// Pages of one's own, the watched vendors they show, and their subscribers.
#[async_trait]
pub trait PageStore: Send + Sync + 'static {
    /// Shows a watched source (or one of its components) on a page, last.
    /// The same one twice is a conflict.
    async fn add_page_external(&self, slug: &str, external: &PageExternal) -> Result<()>;
    /// A page's watched vendors, in the order they were added.
    async fn page_externals(&self, slug: &str) -> Result<Vec<PageExternal>>;
    /// Takes a watched vendor off a page, by the label it shows;
    /// `NotFound` when the page shows none of that label.
    async fn remove_page_external(&self, slug: &str, label: &str) -> Result<()>;
    /// Renames a page (its title, and its source's name and provider, so its
    /// incidents carry the new name); `Conflict` when a source has that name.
    async fn rename_page(&self, slug: &str, title: &str) -> Result<()>;
    /// Makes a page of one's own and the source behind it (platform
    /// [`PAGE_PLATFORM`], never due); `Conflict` when the slug or the title
    /// (a source name) is taken.
    async fn add_page(&self, slug: &str, title: &str, now: DateTime<Utc>) -> Result<Page>;
    /// Every page of one's own, by slug.
    async fn pages(&self) -> Result<Vec<Page>>;
    /// One page of one's own.
    async fn page(&self, slug: &str) -> Result<Option<Page>>;
    /// Where a page's views stand (`None`: no such page); one small query,
    /// so a rendered page can ask it often.
    async fn page_revision(&self, slug: &str) -> Result<Option<PageRevision>>;
    /// Makes a page private with the hash of its key, or public (`None`).
    async fn set_page_access(&self, slug: &str, access_hash: Option<&str>) -> Result<()>;
    /// Sets a page's logo address and accent colour (`None` clears).
    async fn set_page_look(
        &self,
        slug: &str,
        logo_url: Option<&str>,
        accent: Option<&str>,
    ) -> Result<()>;
    /// The sources behind private pages (left out of public views).
    async fn private_sources(&self) -> Result<Vec<SourceId>>;
    /// Records someone asking to subscribe to a page, pending their
    /// confirmation. Asking again with the same address (any case) replaces
    /// the pending request's components and token, and leaves a confirmed
    /// subscription as it is (returned as stored).
    async fn add_subscriber(&self, subscriber: &Subscriber) -> Result<Subscriber>;
    /// Confirms the subscriber of page `slug` holding this token
    /// (`NotFound`: no such token on this page, or unsubscribed since);
    /// confirming twice is harmless. Another page's token changes nothing.
    async fn confirm_subscriber(
        &self,
        slug: &str,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Subscriber>;
    /// Removes the subscriber of page `slug` holding this token (`NotFound`
    /// when none does there).
    async fn remove_subscriber(&self, slug: &str, token: &str) -> Result<Subscriber>;
    /// One subscriber by id.
    async fn subscriber(&self, id: &str) -> Result<Option<Subscriber>>;
    /// A page's subscribers, pending ones included, oldest first.
    async fn subscribers(&self, slug: &str) -> Result<Vec<Subscriber>>;
}

/// Upkeep: nodes, counts for monitoring, retention, secrets and sessions.
#[async_trait]
pub trait UpkeepStore: Send + Sync + 'static {
    /// Records a node's heartbeat (and forgets nodes gone for a day).
    async fn beat(&self, beat: &NodeBeat) -> Result<()>;
    /// Every node seen in the last day, most recently seen first.
    async fn nodes(&self) -> Result<Vec<NodeBeat>>;
    /// Counts for monitoring: incidents open, deliveries by status.
    async fn counts(&self) -> Result<Counts>;
    /// Retention: deletes the incidents (and maintenances) that ended before
    /// `ended_before`, with their events and deliveries. Open ones are never
    /// touched, nor ones with a delivery still pending. In batches, each its
    /// own transaction, so writers wait for one batch at most.
    /// Records `ended_before` as the retention watermark (never moved back).
    async fn prune(&self, ended_before: DateTime<Utc>) -> Result<Pruned>;
    /// The latest cutoff any retention pass used, if one ever ran.
    async fn pruned_before(&self) -> Result<Option<DateTime<Utc>>>;
    /// The installation's secret `name`: the one stored, or `fresh`, stored
    /// now, when none is (the first node to ask makes it for all).
    async fn secret(&self, name: &str, fresh: &str) -> Result<String>;
    /// Ends an admin session (by its nonce) until `expires_at`, when it
    /// would have ended anyway; sessions past their time are forgotten.
    async fn revoke_session(
        &self,
        nonce: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Whether the session with this nonce was ended.
    async fn session_revoked(&self, nonce: &str) -> Result<bool>;
}

/// Words of a search the store matches at most (each is one more `LIKE`);
/// the web refuses longer searches by name, the store reads the first.
pub const MAX_SEARCH_WORDS: usize = 16;

/// Milliseconds since the epoch, the stored form of every timestamp.
pub(crate) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// The inverse of [`ms`]; a stored value out of chrono's range is
/// unreadable, not 1970.
pub(crate) fn from_ms(v: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(v)
        .ok_or_else(|| StoreError::unreadable(format!("time {v} ms is out of range")))
}

/// `t` as the store keeps it (to the millisecond).
pub(crate) fn stored(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms(t)).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQLITE: bool = true;
    const PG: bool = false;

    #[test]
    fn busy_and_full_databases_are_told_apart_by_their_codes() {
        // SQLite: primary codes, and extended ones (BUSY_SNAPSHOT 517,
        // LOCKED_SHAREDCACHE 262) by their low byte.
        assert_eq!(busy_code(SQLITE, "5"), Some(Busy::Locked));
        assert_eq!(busy_code(SQLITE, "517"), Some(Busy::Locked));
        assert_eq!(busy_code(SQLITE, "262"), Some(Busy::Locked));
        assert_eq!(busy_code(SQLITE, "13"), Some(Busy::Full));
        assert_eq!(busy_code(SQLITE, "19"), None, "a constraint is not busy");
        assert_eq!(
            busy_code(SQLITE, "2067"),
            None,
            "a unique constraint is not busy"
        );
        // PostgreSQL SQLSTATEs.
        assert_eq!(busy_code(PG, "55P03"), Some(Busy::Locked));
        assert_eq!(busy_code(PG, "40001"), Some(Busy::Locked));
        assert_eq!(busy_code(PG, "53100"), Some(Busy::Full));
        assert_eq!(busy_code(PG, "53300"), Some(Busy::NoConnection));
        assert_eq!(busy_code(PG, "23505"), None);
        assert_eq!(busy_code(PG, "42P01"), None);
    }

    #[test]
    fn a_stored_time_out_of_range_is_unreadable_not_1970() {
        assert!(matches!(
            from_ms(i64::MAX),
            Err(StoreError::Unreadable { .. })
        ));
        assert_eq!(from_ms(0).unwrap().timestamp(), 0);
    }

    #[test]
    fn a_pool_timeout_is_busy_and_keeps_its_cause() {
        use std::error::Error as _;
        let e = StoreError::from(sqlx::Error::PoolTimedOut);
        assert_eq!(e.busy(), Some(Busy::NoConnection));
        assert!(e.source().is_some(), "the cause is kept");
        let e = StoreError::from(sqlx::Error::RowNotFound);
        assert_eq!(e.busy(), None);
    }

    #[test]
    fn a_recipient_reads_back_from_its_column() {
        for r in [
            Recipient::Channel("ops-slack"),
            Recipient::Subscriber("01HX"),
        ] {
            assert_eq!(Recipient::of(&r.to_string()), r);
        }
        assert_eq!(Recipient::Subscriber("01HX").to_string(), "subscriber:01HX");
    }
}
