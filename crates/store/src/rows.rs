//! Rows as both backends return them, and their conversion to the store's types.

use crate::{from_ms, Event, Health, Result, Source, StoreError, StoredIncident};
use statuswatch_model::EventKind;

/// The columns every source query selects.
pub(crate) const SOURCE_COLUMNS: &str = "id, name, url, platform, provider, created_at, \
    next_poll_at, last_poll_at, last_outcome, consecutive_failures, last_error, baselined, \
    last_item_count, fetch_state, components, paused, on_behalf, last_warning, auth";

/// The columns a claim of due sources returns: what a poll reads, without
/// the component list (a poll writes it, never reads it).
pub(crate) const CLAIM_COLUMNS: &str = "id, name, url, platform, provider, created_at, \
    next_poll_at, last_poll_at, last_outcome, consecutive_failures, last_error, baselined, \
    last_item_count, fetch_state, '[]' AS components, paused, on_behalf, last_warning, auth";

/// The columns every incident query selects (`i` is incidents, `s` sources).
pub(crate) const INCIDENT_COLUMNS: &str = "i.id, i.source_id, s.name AS source, \
    COALESCE(s.provider, s.name) AS provider, i.detected_at, i.body";

/// The columns every event query selects.
pub(crate) const EVENT_COLUMNS: &str =
    "seq, id, incident_id, source_id, kind, occurred_at, created_at, update_body, incident";

/// Incident statuses that mean "over".
/// The sources that are polled: every source but pages of one's own
/// ([`crate::SourceKind`]); the one place the store's SQL says so.
pub(crate) const WATCHED: &str = "platform <> 'page'";

pub(crate) const TERMINAL: &str = "('resolved', 'postmortem', 'completed')";

#[derive(sqlx::FromRow)]
pub(crate) struct SourceRow {
    id: i64,
    name: String,
    url: String,
    platform: String,
    provider: Option<String>,
    created_at: i64,
    next_poll_at: i64,
    last_poll_at: Option<i64>,
    last_outcome: Option<String>,
    consecutive_failures: i64,
    last_error: Option<String>,
    baselined: bool,
    last_item_count: i64,
    fetch_state: String,
    components: String,
    paused: bool,
    on_behalf: bool,
    last_warning: Option<String>,
    auth: Option<String>,
}

impl TryFrom<SourceRow> for Source {
    type Error = StoreError;
    fn try_from(r: SourceRow) -> Result<Source> {
        Ok(Source {
            id: r.id,
            kind: crate::SourceKind::of_platform(&r.platform),
            name: r.name,
            url: r.url,
            platform: r.platform,
            provider: r.provider,
            created_at: from_ms(r.created_at)?,
            next_poll_at: from_ms(r.next_poll_at)?,
            health: Health {
                last_poll_at: r.last_poll_at.map(from_ms).transpose()?,
                last_outcome: r
                    .last_outcome
                    .map(|o| {
                        crate::PollOutcome::parse(&o).ok_or_else(|| {
                            StoreError::unreadable(format!("unknown poll outcome `{o}`"))
                        })
                    })
                    .transpose()?,
                consecutive_failures: r.consecutive_failures,
                last_error: r.last_error,
                warning: r.last_warning,
            },
            baselined: r.baselined,
            last_item_count: r.last_item_count,
            fetch_state: r.fetch_state,
            components: serde_json::from_str(&r.components)?,
            paused: r.paused,
            on_behalf: r.on_behalf,
            auth: r.auth.map(crate::Credentials),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct IncidentRow {
    id: String,
    source_id: i64,
    source: String,
    provider: String,
    detected_at: i64,
    body: String,
}

impl TryFrom<IncidentRow> for StoredIncident {
    type Error = StoreError;
    fn try_from(r: IncidentRow) -> Result<StoredIncident> {
        Ok(StoredIncident {
            id: r.id,
            source_id: r.source_id,
            source: r.source,
            provider: r.provider,
            detected_at: from_ms(r.detected_at)?,
            incident: serde_json::from_str(&r.body)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    seq: i64,
    id: String,
    incident_id: String,
    source_id: i64,
    kind: String,
    occurred_at: i64,
    created_at: i64,
    update_body: Option<String>,
    incident: String,
}

impl TryFrom<EventRow> for Event {
    type Error = StoreError;
    fn try_from(r: EventRow) -> Result<Event> {
        Ok(Event {
            seq: r.seq,
            id: r.id,
            incident_id: r.incident_id,
            source_id: r.source_id,
            kind: EventKind::parse(&r.kind).ok_or_else(|| {
                StoreError::unreadable(format!("unknown event kind `{}`", r.kind))
            })?,
            occurred_at: from_ms(r.occurred_at)?,
            created_at: from_ms(r.created_at)?,
            update: r
                .update_body
                .as_deref()
                .map(serde_json::from_str)
                .transpose()?,
            incident: serde_json::from_str(&r.incident)?,
        })
    }
}

/// Converts rows, failing on the first unreadable one.
pub(crate) fn convert<R, T>(rows: Vec<R>) -> Result<Vec<T>>
where
    T: TryFrom<R, Error = StoreError>,
{
    rows.into_iter().map(T::try_from).collect()
}

/// A new id for an incident or an event: sortable by creation time.
pub(crate) fn new_id() -> String {
    ulid::Ulid::new().to_string().to_lowercase()
}

/// The columns of a claimed delivery's context (`e` events, `i` incidents, `s` sources).
pub(crate) const DELIVERY_EVENT_COLUMNS: &str = "e.seq, e.id, e.incident_id, e.source_id, e.kind, \
    e.occurred_at, e.created_at, e.update_body, e.incident, s.name AS source, \
    COALESCE(s.provider, s.name) AS provider, i.detected_at";

#[derive(sqlx::FromRow)]
pub(crate) struct DeliveryEventRow {
    #[sqlx(flatten)]
    pub event: EventRow,
    pub source: String,
    pub provider: String,
    pub detected_at: i64,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ClaimedRow {
    pub seq: i64,
    pub event_id: String,
    pub channel: String,
    pub attempts: i64,
}

/// The columns of a listed delivery (`d` deliveries, `e` events).
pub(crate) const DELIVERY_INFO_COLUMNS: &str = "d.seq, d.event_id, e.kind, d.incident_id, \
    d.channel, d.status, d.attempts, d.last_error, d.created_at, d.delivered_at";

#[derive(sqlx::FromRow)]
pub(crate) struct DeliveryInfoRow {
    seq: i64,
    event_id: String,
    kind: String,
    incident_id: String,
    channel: String,
    status: String,
    attempts: i64,
    last_error: Option<String>,
    created_at: i64,
    delivered_at: Option<i64>,
}

impl TryFrom<DeliveryInfoRow> for crate::DeliveryInfo {
    type Error = StoreError;
    fn try_from(r: DeliveryInfoRow) -> Result<crate::DeliveryInfo> {
        Ok(crate::DeliveryInfo {
            seq: r.seq,
            event_id: r.event_id,
            kind: r.kind,
            incident_id: r.incident_id,
            channel: r.channel,
            status: crate::DeliveryStatus::parse(&r.status).ok_or_else(|| {
                StoreError::unreadable(format!("unknown delivery status `{}`", r.status))
            })?,
            attempts: r.attempts,
            last_error: r.last_error,
            created_at: from_ms(r.created_at)?,
            delivered_at: r.delivered_at.map(from_ms).transpose()?,
        })
    }
}

/// The lower-cased title and update text an incident is searched by.
pub(crate) fn search_text(i: &statuswatch_model::Incident) -> String {
    let mut out = i.title.to_lowercase();
    for u in &i.updates {
        out.push(' ');
        out.push_str(&u.body.to_lowercase());
    }
    out
}

/// The sources of private pages, as a subquery (pages are few).
pub(crate) const PRIVATE_SOURCES: &str =
    "(SELECT source_id FROM pages WHERE access_hash IS NOT NULL)";

/// The columns every page query selects.
pub(crate) const PAGE_COLUMNS: &str =
    "slug, title, source_id, created_at, access_hash, logo_url, accent";

#[derive(sqlx::FromRow)]
pub(crate) struct PageRow {
    slug: String,
    title: String,
    source_id: i64,
    created_at: i64,
    access_hash: Option<String>,
    logo_url: Option<String>,
    accent: Option<String>,
}

impl TryFrom<PageRow> for crate::Page {
    type Error = StoreError;
    fn try_from(r: PageRow) -> Result<Self> {
        Ok(crate::Page {
            slug: r.slug,
            title: r.title,
            source_id: r.source_id,
            created_at: from_ms(r.created_at)?,
            access_hash: r.access_hash,
            logo_url: r.logo_url,
            accent: r.accent,
        })
    }
}

/// The columns every subscriber query selects.
pub(crate) const SUBSCRIBER_COLUMNS: &str =
    "id, slug, email, components, token, created_at, confirmed_at";

#[derive(sqlx::FromRow)]
pub(crate) struct SubscriberRow {
    id: String,
    slug: String,
    email: String,
    components: String,
    token: String,
    created_at: i64,
    confirmed_at: Option<i64>,
}

impl TryFrom<SubscriberRow> for crate::Subscriber {
    type Error = StoreError;
    fn try_from(r: SubscriberRow) -> Result<Self> {
        Ok(crate::Subscriber {
            id: r.id,
            slug: r.slug,
            email: r.email,
            components: serde_json::from_str(&r.components)?,
            token: r.token,
            created_at: from_ms(r.created_at)?,
            confirmed_at: r.confirmed_at.map(from_ms).transpose()?,
        })
    }
}
