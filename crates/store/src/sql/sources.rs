//! Sources: adding, reading, pausing, removing, and the poll schedule.

use super::{Db, This};

#[async_trait::async_trait]
impl crate::SourceStore for This {
    async fn add_source(
        &self,
        s: crate::NewSource,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<crate::Source> {
        // Credentials in the URL are kept apart, never shown with it.
        let (url, auth) = crate::split_credentials(&s.url);
        let mut q = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO sources (name, url, platform, provider, created_at, next_poll_at, on_behalf, auth) VALUES (",
        );
        let mut v = q.separated(", ");
        v.push_bind(&s.name)
            .push_bind(&url)
            .push_bind(&s.platform)
            .push_bind(&s.provider)
            .push_bind(crate::ms(now))
            .push_bind(crate::ms(now))
            .push_bind(s.on_behalf)
            .push_bind(auth);
        q.push(") RETURNING id");
        let id: i64 = q.build_query_scalar().fetch_one(&self.pool).await?;
        self.source(id).await
    }

    async fn source(&self, id: crate::SourceId) -> crate::Result<crate::Source> {
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM sources WHERE id = ",
            crate::rows::SOURCE_COLUMNS
        ));
        q.push_bind(id);
        let row: Option<crate::rows::SourceRow> =
            q.build_query_as().fetch_optional(&self.pool).await?;
        row.ok_or_else(|| crate::StoreError::NotFound(format!("source {id}")))?
            .try_into()
    }

    async fn source_by_url(&self, url: &str) -> crate::Result<Option<crate::Source>> {
        let (url, _) = crate::split_credentials(url);
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM sources WHERE url = ",
            crate::rows::SOURCE_COLUMNS
        ));
        q.push_bind(url);
        let row: Option<crate::rows::SourceRow> =
            q.build_query_as().fetch_optional(&self.pool).await?;
        row.map(crate::Source::try_from).transpose()
    }

    async fn source_by_name(&self, name: &str) -> crate::Result<Option<crate::Source>> {
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM sources WHERE id NOT IN {} AND (",
            crate::rows::SOURCE_COLUMNS,
            crate::rows::PRIVATE_SOURCES
        ));
        if let Some(id) = name.parse::<i64>().ok().filter(|id| id.to_string() == name) {
            q.push("id = ").push_bind(id).push(" OR ");
        }
        q.push("lower(name) = lower(")
            .push_bind(name)
            .push(") OR lower(COALESCE(provider, name)) = lower(")
            .push_bind(name)
            .push(")) ORDER BY id LIMIT 1");
        let row: Option<crate::rows::SourceRow> =
            q.build_query_as().fetch_optional(&self.pool).await?;
        row.map(crate::Source::try_from).transpose()
    }

    async fn watched_sources(&self) -> crate::Result<Vec<crate::Source>> {
        let rows: Vec<crate::rows::SourceRow> = sqlx::query_as(&format!(
            "SELECT {} FROM sources WHERE {} ORDER BY id",
            crate::rows::SOURCE_COLUMNS,
            crate::rows::WATCHED
        ))
        .fetch_all(&self.pool)
        .await?;
        crate::rows::convert(rows)
    }

    async fn sources(&self) -> crate::Result<Vec<crate::Source>> {
        let rows: Vec<crate::rows::SourceRow> = sqlx::query_as(&format!(
            "SELECT {} FROM sources ORDER BY id",
            crate::rows::SOURCE_COLUMNS
        ))
        .fetch_all(&self.pool)
        .await?;
        crate::rows::convert(rows)
    }

    async fn set_paused(&self, id: crate::SourceId, paused: bool) -> crate::Result<crate::Source> {
        let mut q = sqlx::QueryBuilder::<Db>::new("UPDATE sources SET paused = ");
        q.push_bind(paused).push(" WHERE id = ").push_bind(id);
        if q.build().execute(&self.pool).await?.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound(format!("source {id}")));
        }
        self.source(id).await
    }

    async fn remove_source(&self, id: crate::SourceId) -> crate::Result<()> {
        let mut tx = self.begin_write().await?;
        for table in ["deliveries", "events", "incidents"] {
            let mut q = sqlx::QueryBuilder::<Db>::new(format!("DELETE FROM {table} WHERE "));
            if table == "deliveries" {
                q.push("incident_id IN (SELECT id FROM incidents WHERE source_id = ")
                    .push_bind(id)
                    .push(")");
            } else {
                q.push("source_id = ").push_bind(id);
            }
            q.build().execute(&mut *tx).await?;
        }
        let mut q = sqlx::QueryBuilder::<Db>::new("DELETE FROM sources WHERE id = ");
        q.push_bind(id);
        let gone = q.build().execute(&mut *tx).await?.rows_affected();
        if gone == 0 {
            return Err(crate::StoreError::NotFound(format!("source {id}")));
        }
        tx.commit().await?;
        Ok(())
    }

    async fn claim_due(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        lease_until: chrono::DateTime<chrono::Utc>,
        limit: u32,
    ) -> crate::Result<Vec<crate::Source>> {
        // `paused` is written as a literal: the partial index
        // `sources_due` (WHERE paused = 0 / NOT paused) is only used
        // when the query's condition matches it as written. The due
        // rows are read first, so each claimed source carries the
        // time it fell due (for the poll lag), then leased.
        let mut tx = self.begin_write().await?;
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM sources WHERE ",
            crate::rows::CLAIM_COLUMNS
        ));
        // A page of one's own is written, never polled, whatever
        // its due time says.
        q.push(Self::NOT_PAUSED)
            .push(" AND next_poll_at <= ")
            .push_bind(crate::ms(now))
            .push(" AND ")
            .push(crate::rows::WATCHED)
            .push(" ORDER BY next_poll_at LIMIT ")
            .push_bind(i64::from(limit))
            .push(Self::CLAIM_LOCK);
        let rows: Vec<crate::rows::SourceRow> = q.build_query_as().fetch_all(&mut *tx).await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let claimed: Vec<crate::Source> = crate::rows::convert(rows)?;
        let mut q = sqlx::QueryBuilder::<Db>::new("UPDATE sources SET next_poll_at = ");
        q.push_bind(crate::ms(lease_until)).push(" WHERE id IN (");
        let mut ids = q.separated(", ");
        for s in &claimed {
            ids.push_bind(s.id);
        }
        q.push(")");
        q.build().execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(claimed)
    }

    async fn cap_next_polls(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        interval_ms: i64,
    ) -> crate::Result<u64> {
        let interval_ms = interval_ms.max(1);
        let mut q = sqlx::QueryBuilder::<Db>::new("UPDATE sources SET next_poll_at = ");
        q.push_bind(crate::ms(now))
            .push(" + (id * 7919) % ")
            .push_bind(interval_ms)
            .push(" WHERE consecutive_failures = 0 AND next_poll_at > ")
            .push_bind(crate::ms(now) + interval_ms)
            .push(" AND ")
            .push(crate::rows::WATCHED);
        Ok(q.build().execute(&self.pool).await?.rows_affected())
    }

    async fn shift_schedule(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        by_ms: i64,
    ) -> crate::Result<u64> {
        let now = crate::ms(now);
        let mut tx = self.begin_write().await?;
        let mut moved = 0;
        // Pages of one's own are never due.
        let watched = format!(" AND {}", crate::rows::WATCHED);
        for (table, column, only) in [
            ("sources", "next_poll_at", watched.as_str()),
            ("deliveries", "next_attempt_at", " AND status = 'pending'"),
        ] {
            let mut q =
                sqlx::QueryBuilder::<Db>::new(format!("UPDATE {table} SET {column} = {column} - "));
            q.push_bind(by_ms)
                .push(format!(" WHERE {column} > "))
                .push_bind(now)
                .push(only);
            moved += q.build().execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(moved)
    }

    async fn source_groups(&self) -> crate::Result<Vec<crate::SourceGroup>> {
        type Row = (String, Option<String>, bool, bool, bool, bool, i64);
        // Grouped in the order of the `sources_groups` index, so the
        // count reads the index alone, sorting nothing; the few
        // sources with something open are counted apart and taken
        // out of their groups.
        let keys = "platform, component_state, baselined, (consecutive_failures > 0), \
                    (last_warning IS NOT NULL), paused";
        let group = "GROUP BY platform, component_state, baselined, consecutive_failures, \
                     last_warning, paused";
        let all: Vec<Row> =
            sqlx::query_as(&format!("SELECT {keys}, COUNT(*) FROM sources {group}"))
                .fetch_all(&self.pool)
                .await?;
        let open: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {keys}, COUNT(*) FROM sources WHERE id IN \
             (SELECT source_id FROM incidents WHERE status NOT IN {}) {group}",
            crate::rows::TERMINAL
        ))
        .fetch_all(&self.pool)
        .await?;
        // Private pages' sources (a handful) are counted apart too,
        // and taken out: the counts are a public view.
        let private: Vec<(Row, bool)> = sqlx::query_as::<_, Row>(&format!(
            "SELECT {keys}, COUNT(*) FROM sources WHERE id IN {} \
             AND id NOT IN (SELECT source_id FROM incidents WHERE status NOT IN {}) {group}",
            crate::rows::PRIVATE_SOURCES,
            crate::rows::TERMINAL
        ))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| (r, false))
        .chain(
            sqlx::query_as::<_, Row>(&format!(
                "SELECT {keys}, COUNT(*) FROM sources WHERE id IN {} \
                 AND id IN (SELECT source_id FROM incidents WHERE status NOT IN {}) {group}",
                crate::rows::PRIVATE_SOURCES,
                crate::rows::TERMINAL
            ))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| (r, true)),
        )
        .collect();
        type Key = (String, Option<String>, bool, bool, bool, bool);
        let mut counts: std::collections::BTreeMap<(Key, bool), i64> = Default::default();
        for (p, cs, known, failing, warned, paused, n) in all {
            *counts
                .entry(((p, cs, known, failing, warned, paused), false))
                .or_default() += n;
        }
        for (p, cs, known, failing, warned, paused, n) in open {
            let key = (p, cs, known, failing, warned, paused);
            *counts.entry((key.clone(), false)).or_default() -= n;
            *counts.entry((key, true)).or_default() += n;
        }
        for ((p, cs, known, failing, warned, paused, n), is_open) in private {
            *counts
                .entry(((p, cs, known, failing, warned, paused), is_open))
                .or_default() -= n;
        }
        Ok(counts
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(
                |(((platform, cs, known, failing, warned, paused), open), count)| {
                    crate::SourceGroup {
                        platform,
                        component_state: cs
                            .as_deref()
                            .and_then(statuswatch_model::ComponentStatus::parse),
                        known,
                        open,
                        failing,
                        warned,
                        paused,
                        count,
                    }
                },
            )
            .collect())
    }

    async fn find_sources(
        &self,
        query: &crate::SourceQuery,
    ) -> crate::Result<(Vec<crate::Source>, i64)> {
        fn filter<'a>(q: &mut sqlx::QueryBuilder<'a, Db>, query: &'a crate::SourceQuery) {
            q.push(" WHERE 1 = 1");
            if !query.include_private {
                q.push(format!(" AND id NOT IN {}", crate::rows::PRIVATE_SOURCES));
            }
            if query.attention {
                q.push(format!(
                    // EXISTS probes the partial index of open incidents per
                    // source; an IN list here was planned by PostgreSQL as a
                    // scan of every incident per source.
                    " AND (EXISTS (SELECT 1 FROM incidents i WHERE i.source_id = sources.id \
                     AND i.status NOT IN {}) \
                     OR component_state IN ('degraded', 'partial_outage', 'major_outage', 'maintenance') \
                     OR consecutive_failures > 0 OR last_warning IS NOT NULL)",
                    crate::rows::TERMINAL
                ));
            }
            if let Some(text) = query
                .search
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
            {
                let like = format!(
                    "%{}%",
                    text.to_lowercase()
                        .replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_")
                );
                q.push(" AND (LOWER(name) LIKE ")
                    .push_bind(like.clone())
                    .push(" ESCAPE '\\' OR LOWER(COALESCE(provider, '')) LIKE ")
                    .push_bind(like.clone())
                    .push(" ESCAPE '\\' OR LOWER(url) LIKE ")
                    .push_bind(like)
                    .push(" ESCAPE '\\')");
            }
        }
        let mut q = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM sources");
        filter(&mut q, query);
        let total: i64 = q.build_query_scalar().fetch_one(&self.pool).await?;
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM sources",
            crate::rows::SOURCE_COLUMNS
        ));
        filter(&mut q, query);
        q.push(" ORDER BY LOWER(COALESCE(provider, name)), id LIMIT ")
            .push_bind(i64::from(query.limit.max(1)))
            .push(" OFFSET ")
            .push_bind(i64::from(query.offset));
        let rows: Vec<crate::rows::SourceRow> = q.build_query_as().fetch_all(&self.pool).await?;
        Ok((crate::rows::convert(rows)?, total))
    }
}
