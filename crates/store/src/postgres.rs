//! The PostgreSQL store, for several `serve` nodes sharing one database:
//! due sources are claimed with `FOR UPDATE SKIP LOCKED`, so two nodes never
//! poll the same source at once.

use crate::rows::{
    convert, new_id, EventRow, IncidentRow, SourceRow, EVENT_COLUMNS, INCIDENT_COLUMNS,
    SOURCE_COLUMNS, TERMINAL,
};
use crate::{
    ms, AppliedPoll, Event, FailureRecord, IncidentQuery, NewSource, PollRecord, Result, Source,
    SourceId, Store, StoreError, StoredIncident,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, QueryBuilder};
use std::str::FromStr;
use std::time::Duration;

/// PostgreSQL storage.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://...`) and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Other(format!("bad PostgreSQL URL: {e}")))?;
        Self::connect_with(options).await
    }

    /// Connects with explicit options (a schema in `search_path`, say).
    pub async fn connect_with(options: PgConnectOptions) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Other(format!("cannot connect to PostgreSQL: {e}")))?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        Ok(PgStore { pool })
    }
}

#[async_trait]
impl Store for PgStore {
    async fn add_source(&self, s: NewSource, now: DateTime<Utc>) -> Result<Source> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sources (name, url, platform, provider, created_at, next_poll_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&s.name)
        .bind(&s.url)
        .bind(&s.platform)
        .bind(&s.provider)
        .bind(ms(now))
        .bind(ms(now))
        .fetch_one(&self.pool)
        .await?;
        self.source(id).await
    }

    async fn source(&self, id: SourceId) -> Result<Source> {
        let row: Option<SourceRow> = sqlx::query_as(&format!(
            "SELECT {SOURCE_COLUMNS} FROM sources WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.ok_or_else(|| StoreError::NotFound(format!("source {id}")))?
            .try_into()
    }

    async fn source_by_url(&self, url: &str) -> Result<Option<Source>> {
        let row: Option<SourceRow> = sqlx::query_as(&format!(
            "SELECT {SOURCE_COLUMNS} FROM sources WHERE url = $1"
        ))
        .bind(url)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Source::try_from).transpose()
    }

    async fn sources(&self) -> Result<Vec<Source>> {
        let rows: Vec<SourceRow> =
            sqlx::query_as(&format!("SELECT {SOURCE_COLUMNS} FROM sources ORDER BY id"))
                .fetch_all(&self.pool)
                .await?;
        convert(rows)
    }

    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Source>> {
        let rows: Vec<SourceRow> = sqlx::query_as(&format!(
            "UPDATE sources SET next_poll_at = $1 WHERE id IN \
             (SELECT id FROM sources WHERE NOT paused AND next_poll_at <= $2 \
              ORDER BY next_poll_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING {SOURCE_COLUMNS}"
        ))
        .bind(ms(lease_until))
        .bind(ms(now))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        convert(rows)
    }

    async fn cap_next_polls(&self, now: DateTime<Utc>, interval_ms: i64) -> Result<u64> {
        let interval_ms = interval_ms.max(1);
        let done = sqlx::query(
            "UPDATE sources SET next_poll_at = $1 + (id * 7919) % $2 \
             WHERE consecutive_failures = 0 AND next_poll_at > $3 + $4",
        )
        .bind(ms(now))
        .bind(interval_ms)
        .bind(ms(now))
        .bind(interval_ms)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    async fn incidents_by_vendor_ids(
        &self,
        source: SourceId,
        vendor_ids: &[String],
    ) -> Result<Vec<StoredIncident>> {
        if vendor_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = QueryBuilder::<Postgres>::new(format!(
            "SELECT {INCIDENT_COLUMNS} FROM incidents i JOIN sources s ON s.id = i.source_id \
             WHERE i.source_id = "
        ));
        q.push_bind(source).push(" AND i.vendor_id IN (");
        let mut sep = q.separated(", ");
        for v in vendor_ids {
            sep.push_bind(v);
        }
        q.push(")");
        let rows: Vec<IncidentRow> = q.build_query_as().fetch_all(&self.pool).await?;
        convert(rows)
    }

    async fn apply_poll(&self, p: PollRecord) -> Result<AppliedPoll> {
        let mut tx = self.pool.begin().await?;
        let components = p
            .components
            .as_ref()
            .map(serde_json::to_string)
            .transpose()?;
        let done = sqlx::query(
            "UPDATE sources SET provider = COALESCE($1, provider), \
             components = COALESCE($2, components), fetch_state = $3, \
             last_item_count = COALESCE($4, last_item_count), baselined = TRUE, last_poll_at = $5, \
             last_outcome = $6, consecutive_failures = 0, last_error = NULL, next_poll_at = $7 \
             WHERE id = $8",
        )
        .bind(&p.provider)
        .bind(&components)
        .bind(&p.fetch_state)
        .bind(p.item_count)
        .bind(ms(p.at))
        .bind(&p.outcome)
        .bind(ms(p.next_poll_at))
        .bind(p.source_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("source {}", p.source_id)));
        }
        let mut applied = AppliedPoll::default();
        for w in &p.writes {
            let body = serde_json::to_string(&w.incident)?;
            let started = w.incident.started_at.map(ms);
            let id = match &w.existing_id {
                Some(id) => {
                    sqlx::query(
                        "UPDATE incidents SET status = $1, started_at = $2, updated_at = $3, body = $4 \
                         WHERE id = $5",
                    )
                    .bind(w.incident.status.as_str())
                    .bind(started)
                    .bind(ms(p.at))
                    .bind(&body)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    applied.updated += 1;
                    id.clone()
                }
                None => {
                    let id = new_id();
                    sqlx::query(
                        "INSERT INTO incidents (id, source_id, vendor_id, status, started_at, \
                         detected_at, updated_at, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(&id)
                    .bind(p.source_id)
                    .bind(&w.incident.vendor_id)
                    .bind(w.incident.status.as_str())
                    .bind(started)
                    .bind(ms(p.at))
                    .bind(ms(p.at))
                    .bind(&body)
                    .execute(&mut *tx)
                    .await?;
                    applied.inserted += 1;
                    id
                }
            };
            for e in &w.events {
                sqlx::query(
                    "INSERT INTO events (id, incident_id, source_id, kind, occurred_at, \
                     created_at, update_body, incident) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(new_id())
                .bind(&id)
                .bind(p.source_id)
                .bind(e.kind.as_str())
                .bind(ms(e.occurred_at))
                .bind(ms(p.at))
                .bind(e.update.as_ref().map(serde_json::to_string).transpose()?)
                .bind(&body)
                .execute(&mut *tx)
                .await?;
                applied.events += 1;
            }
        }
        tx.commit().await?;
        Ok(applied)
    }

    async fn record_failure(&self, f: FailureRecord) -> Result<()> {
        let done = sqlx::query(
            "UPDATE sources SET last_poll_at = $1, last_outcome = $2, last_error = $3, \
             consecutive_failures = consecutive_failures + 1, next_poll_at = $4 WHERE id = $5",
        )
        .bind(ms(f.at))
        .bind(&f.outcome)
        .bind(&f.error)
        .bind(ms(f.next_poll_at))
        .bind(f.source_id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("source {}", f.source_id)));
        }
        Ok(())
    }

    async fn incidents(&self, query: &IncidentQuery) -> Result<Vec<StoredIncident>> {
        let mut q = QueryBuilder::<Postgres>::new(format!(
            "SELECT {INCIDENT_COLUMNS} FROM incidents i JOIN sources s ON s.id = i.source_id WHERE 1 = 1"
        ));
        if let Some(id) = query.source_id {
            q.push(" AND i.source_id = ").push_bind(id);
        }
        if query.open_only {
            q.push(format!(" AND i.status NOT IN {TERMINAL}"));
        }
        if let Some(p) = &query.provider {
            q.push(" AND (lower(COALESCE(s.provider, s.name)) = lower(")
                .push_bind(p.clone())
                .push(") OR lower(s.name) = lower(")
                .push_bind(p.clone())
                .push("))");
        }
        q.push(" ORDER BY COALESCE(i.started_at, i.detected_at) DESC, i.id DESC");
        if let Some(limit) = query.limit {
            q.push(" LIMIT ").push_bind(i64::from(limit));
        }
        let rows: Vec<IncidentRow> = q.build_query_as().fetch_all(&self.pool).await?;
        convert(rows)
    }

    async fn incident(&self, id: &str) -> Result<StoredIncident> {
        let row: Option<IncidentRow> = sqlx::query_as(&format!(
            "SELECT {INCIDENT_COLUMNS} FROM incidents i JOIN sources s ON s.id = i.source_id \
             WHERE i.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.ok_or_else(|| StoreError::NotFound(format!("incident {id}")))?
            .try_into()
    }

    async fn events_after(&self, after: i64, limit: u32) -> Result<Vec<Event>> {
        let rows: Vec<EventRow> = sqlx::query_as(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2"
        ))
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        convert(rows)
    }
}
