//! The values that cross the storage boundary.

use chrono::{DateTime, Utc};
use serde::Serialize;
use statuswatch_model::{ComponentState, EventKind, Incident, Update};

/// A source's id.
pub type SourceId = i64;

/// A source to add.
#[derive(Debug, Clone)]
pub struct NewSource {
    /// Unique, human name.
    pub name: String,
    /// The URL polled (the page's base URL or the feed's URL).
    pub url: String,
    /// The platform's name (`statuspage`, `feed`).
    pub platform: String,
    /// The vendor's name as the page gave it at detection.
    pub provider: Option<String>,
    /// Added through the web or the API, on someone else's behalf: every
    /// request for it goes through the fetcher that refuses internal addresses.
    pub on_behalf: bool,
}

/// How one poll went, as the source's health records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PollOutcome {
    /// The source answered and its answer was read.
    Ok,
    /// The source answered that nothing changed (304, or the same body).
    NotModified,
    /// The poll failed (HTTP error, timeout, garbled answer).
    Error,
    /// The answer was suddenly empty and is held, not applied.
    Suspect,
}

impl PollOutcome {
    /// Every outcome.
    pub const ALL: [PollOutcome; 4] = [
        PollOutcome::Ok,
        PollOutcome::NotModified,
        PollOutcome::Error,
        PollOutcome::Suspect,
    ];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            PollOutcome::Ok => "ok",
            PollOutcome::NotModified => "not_modified",
            PollOutcome::Error => "error",
            PollOutcome::Suspect => "suspect",
        }
    }

    /// Reads the stored word.
    pub fn parse(word: &str) -> Option<PollOutcome> {
        PollOutcome::ALL.into_iter().find(|o| o.as_str() == word)
    }

    /// Whether the source answered well.
    pub fn is_up(self) -> bool {
        matches!(self, PollOutcome::Ok | PollOutcome::NotModified)
    }
}

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

impl std::fmt::Display for PollOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the last polls of a source went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    /// When it was last polled.
    pub last_poll_at: Option<DateTime<Utc>>,
    /// How the last poll went.
    pub last_outcome: Option<PollOutcome>,
    /// Failed or suspect polls in a row.
    pub consecutive_failures: i64,
    /// The last failure, in words.
    pub last_error: Option<String>,
    /// What the last good poll could not read (a secondary endpoint gone), in words.
    pub warning: Option<String>,
}

/// A source: a vendor's page that is watched, or a page of one's own ([`SourceKind`]).
#[derive(Debug, Clone)]
pub struct Source {
    /// Its id.
    pub id: SourceId,
    /// A vendor's page that is polled, or a page of one's own (written,
    /// never polled).
    pub kind: SourceKind,
    /// Its name.
    pub name: String,
    /// The URL polled.
    pub url: String,
    /// The platform's name.
    pub platform: String,
    /// The vendor's name as the page gives it.
    pub provider: Option<String>,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it is due next.
    pub next_poll_at: DateTime<Utc>,
    /// How its polls went.
    pub health: Health,
    /// Whether its first successful poll (the history baseline) is done.
    pub baselined: bool,
    /// How many items its last good answer listed.
    pub last_item_count: i64,
    /// Validators and body hashes of its endpoints, opaque to the store.
    pub fetch_state: String,
    /// Its components' current states.
    pub components: Vec<ComponentState>,
    /// Whether polling is paused.
    pub paused: bool,
    /// Added on someone else's behalf (see [`NewSource::on_behalf`]).
    pub on_behalf: bool,
    /// Credentials its URL was given with (`user:pass`), kept apart from
    /// [`Source::url`] so no view shows them; only [`Source::fetch_url`]
    /// puts them back, for the request.
    pub auth: Option<Credentials>,
}

impl Source {
    /// The vendor's name: the page's own where it gave one, else the source's name.
    pub fn provider_name(&self) -> &str {
        self.provider.as_deref().unwrap_or(&self.name)
    }

    /// The URL to request: [`Source::url`] with its credentials, if any.
    pub fn fetch_url(&self) -> String {
        match &self.auth {
            Some(c) => with_credentials(&self.url, &c.0),
            None => self.url.clone(),
        }
    }
}

/// Credentials of a source's URL (`user:pass`, as written in it). Never
/// shown: `Debug` prints a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials(pub String);

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials(<redacted>)")
    }
}

/// `url` without the credentials written in it, and those (`user:pass`,
/// percent-encoded as in the URL), if any.
pub fn split_credentials(url: &str) -> (String, Option<String>) {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return (url.to_string(), None);
    };
    if parsed.username().is_empty() && parsed.password().is_none() {
        return (url.to_string(), None);
    }
    let auth = match parsed.password() {
        Some(p) => format!("{}:{p}", parsed.username()),
        None => parsed.username().to_string(),
    };
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    (parsed.to_string(), Some(auth))
}

/// `url` with the credentials `auth` (`user:pass`) written back in.
fn with_credentials(url: &str, auth: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.to_string();
    };
    let (user, pass) = match auth.split_once(':') {
        Some((u, p)) => (u, Some(p)),
        None => (auth, None),
    };
    if parsed.set_username(user).is_err() || parsed.set_password(pass).is_err() {
        return url.to_string();
    }
    parsed.to_string()
}

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

/// A watched vendor, or one of its components, shown on a page of one's own.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PageExternal {
    /// The watched source.
    pub source_id: SourceId,
    /// One of its components (by name), or `None` for the vendor as a whole.
    pub component: Option<String>,
    /// The name the page shows ("GitHub Actions").
    pub label: String,
}

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

/// Sources counted by what the dashboard and `/metrics` tell apart: one row
/// per combination that occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceGroup {
    /// The platform.
    pub platform: String,
    /// The worst known state of its components (`None`: it lists none).
    pub component_state: Option<statuswatch_model::ComponentStatus>,
    /// Whether it was read successfully at least once (baselined).
    pub known: bool,
    /// Whether it has an incident or maintenance not over.
    pub open: bool,
    /// Whether its last poll failed.
    pub failing: bool,
    /// Whether its last good poll left a warning.
    pub warned: bool,
    /// Whether polling it is paused.
    pub paused: bool,
    /// How many sources.
    pub count: i64,
}

/// Which sources to list, a page at a time, by provider name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceQuery {
    /// Only those that need attention: an open incident or maintenance, a
    /// component not operational, a failing last poll or a warning.
    pub attention: bool,
    /// Only those whose name, provider or URL contains this (any case).
    pub search: Option<String>,
    /// Rows skipped.
    pub offset: u32,
    /// Rows returned at most.
    pub limit: u32,
    /// Private pages' sources too (left out unless asked).
    pub include_private: bool,
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

/// The platform name of the sources that back pages of one's own.
pub const PAGE_PLATFORM: &str = "page";

/// What a source is: the store tells them apart (by
/// [`PAGE_PLATFORM`]) in one place, so no query has to remember to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A vendor's status page, polled.
    Watched,
    /// A status page of one's own: its incidents are written by its
    /// operators, it is never due for polling.
    Page,
}

impl SourceKind {
    /// The kind of a source stored with `platform`.
    pub fn of_platform(platform: &str) -> Self {
        if platform == PAGE_PLATFORM {
            SourceKind::Page
        } else {
            SourceKind::Watched
        }
    }
}

/// When a page's source is due: never (it is written, not polled).
pub const NEVER_DUE_MS: i64 = 253_402_300_799_000; // 9999-12-31T23:59:59Z

/// A status page of one's own, served at `/status/<slug>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Its address: `/status/<slug>`.
    pub slug: String,
    /// Its title (the provider name of its incidents).
    pub title: String,
    /// The source holding its components and incidents.
    pub source_id: SourceId,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Its key's hash while it is private (argon2, in the PHC string form;
    /// a hex SHA-256 from an earlier release until the key is next used);
    /// `None`: public.
    pub access_hash: Option<String>,
    /// Its logo's address, shown above its title.
    pub logo_url: Option<String>,
    /// Its accent colour (`#rrggbb`).
    pub accent: Option<String>,
}

impl Page {
    /// Whether only holders of its key may read it.
    pub fn private(&self) -> bool {
        self.access_hash.is_some()
    }
}

/// Someone subscribed to a page by email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    /// Its id (the outbox channel `subscriber:<id>` reaches it).
    pub id: String,
    /// The page.
    pub slug: String,
    /// The address.
    pub email: String,
    /// Only incidents touching these components (by name); empty: all.
    pub components: Vec<String>,
    /// The secret of its confirmation and unsubscribe links.
    pub token: String,
    /// When it asked.
    pub created_at: DateTime<Utc>,
    /// When it confirmed; `None`: pending, nothing is sent but the
    /// confirmation.
    pub confirmed_at: Option<DateTime<Utc>>,
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
