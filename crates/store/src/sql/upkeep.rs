//! Upkeep: node heartbeats, counts, retention, secrets, sessions, and the repairs run once at open.

use super::{Db, This};

impl This {
    /// Moves credentials written in stored sources' URLs (rows of
    /// releases before migration 0012) to `auth`; once, at open.
    pub(crate) async fn split_stored_credentials(&self) -> crate::Result<()> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, url FROM sources WHERE auth IS NULL AND url LIKE '%@%'")
                .fetch_all(&self.pool)
                .await?;
        let split: Vec<(i64, String, String)> = rows
            .into_iter()
            .filter_map(|(id, url)| {
                let (bare, auth) = crate::split_credentials(&url);
                auth.map(|a| (id, bare, a))
            })
            .collect();
        if split.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for (id, url, auth) in split {
            let mut q = sqlx::QueryBuilder::<Db>::new("UPDATE sources SET url = ");
            q.push_bind(url)
                .push(", auth = ")
                .push_bind(auth)
                .push(" WHERE id = ")
                .push_bind(id);
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Fills `component_state` for sources stored before it existed
    /// (migration 0007), from their component lists; once, at open.
    pub(crate) async fn backfill_component_states(&self) -> crate::Result<()> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, components FROM sources WHERE component_state IS NULL AND components <> '[]'",
        )
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for (id, components) in rows {
            let list: Vec<statuswatch_model::ComponentState> =
                serde_json::from_str(&components).unwrap_or_default();
            let worst = statuswatch_model::ComponentStatus::worst(list.iter().map(|c| c.state));
            let Some(worst) = worst else { continue };
            let mut q = sqlx::QueryBuilder::<Db>::new("UPDATE sources SET component_state = ");
            q.push_bind(worst.as_str())
                .push(" WHERE id = ")
                .push_bind(id);
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl crate::UpkeepStore for This {
    async fn beat(&self, b: &crate::NodeBeat) -> crate::Result<()> {
        let mut q = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO nodes (id, host, pid, version, started_at, seen_at, polls, failures, lag_ms, interval_ms, in_flight) VALUES (",
        );
        let mut v = q.separated(", ");
        v.push_bind(&b.id)
            .push_bind(&b.host)
            .push_bind(b.pid)
            .push_bind(&b.version)
            .push_bind(crate::ms(b.started_at))
            .push_bind(crate::ms(b.seen_at))
            .push_bind(b.polls)
            .push_bind(b.failures)
            .push_bind(b.lag_ms)
            .push_bind(b.interval_ms)
            .push_bind(b.in_flight);
        q.push(
            ") ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, polls = excluded.polls, \
             failures = excluded.failures, lag_ms = excluded.lag_ms, interval_ms = excluded.interval_ms, \
             in_flight = excluded.in_flight",
        );
        q.build().execute(&self.pool).await?;
        let mut q = sqlx::QueryBuilder::<Db>::new("DELETE FROM nodes WHERE seen_at < ");
        q.push_bind(crate::ms(b.seen_at) - 86_400_000);
        q.build().execute(&self.pool).await?;
        Ok(())
    }

    async fn nodes(&self) -> crate::Result<Vec<crate::NodeBeat>> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(String, String, i64, String, i64, i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT id, host, pid, version, started_at, seen_at, polls, failures, lag_ms, interval_ms, in_flight \
             FROM nodes ORDER BY seen_at DESC, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(
                |(
                    id,
                    host,
                    pid,
                    version,
                    started,
                    seen,
                    polls,
                    failures,
                    lag_ms,
                    interval_ms,
                    in_flight,
                )| {
                    Ok(crate::NodeBeat {
                        id,
                        host,
                        pid,
                        version,
                        started_at: crate::from_ms(started)?,
                        seen_at: crate::from_ms(seen)?,
                        polls,
                        failures,
                        lag_ms,
                        interval_ms,
                        in_flight,
                    })
                },
            )
            .collect()
    }

    async fn counts(&self) -> crate::Result<crate::Counts> {
        // Two counts, each answered by an index (the open ones by the
        // partial index of open incidents), never a scan of the rows.
        // Private pages' incidents are counted apart (a handful of
        // rows) and taken out: /metrics is public.
        let incidents: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM incidents")
            .fetch_one(&self.pool)
            .await?;
        let open_incidents: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM incidents WHERE status NOT IN {}",
            crate::rows::TERMINAL
        ))
        .fetch_one(&self.pool)
        .await?;
        let (private, private_open): (i64, i64) = sqlx::query_as(&format!(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status NOT IN {} THEN 1 ELSE 0 END), 0) \
             FROM incidents WHERE source_id IN {}",
            crate::rows::TERMINAL,
            crate::rows::PRIVATE_SOURCES
        ))
        .fetch_one(&self.pool)
        .await?;
        let (incidents, open_incidents) = (incidents - private, open_incidents - private_open);
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT status, COUNT(*) FROM deliveries GROUP BY status ORDER BY status",
        )
        .fetch_all(&self.pool)
        .await?;
        let deliveries = rows
            .into_iter()
            .filter_map(|(s, n)| crate::DeliveryStatus::parse(&s).map(|s| (s, n)))
            .collect();
        Ok(crate::Counts {
            open_incidents,
            incidents,
            deliveries,
        })
    }

    async fn prune(
        &self,
        ended_before: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<crate::Pruned> {
        const BATCH: i64 = 500;
        let cutoff = crate::ms(ended_before);
        // The watermark first: from now on the engine leaves out what
        // ended before it, so nothing pruned below comes back as news.
        sqlx::QueryBuilder::<Db>::new("INSERT INTO retention (id, pruned_before) VALUES (1, ")
            .push_bind(cutoff)
            .push(
                ") ON CONFLICT (id) DO UPDATE SET pruned_before = \
             CASE WHEN retention.pruned_before > excluded.pruned_before \
             THEN retention.pruned_before ELSE excluded.pruned_before END",
            )
            .build()
            .execute(&self.pool)
            .await?;
        let mut pruned = crate::Pruned::default();
        loop {
            let mut tx = self.begin_write().await?;
            // Read through the partial index `incidents_over`; an
            // incident whose alert is still pending stays until it is out.
            let mut q = sqlx::QueryBuilder::<Db>::new(format!(
                "SELECT id FROM incidents WHERE status IN {} \
                 AND COALESCE(resolved_at, updated_at) < ",
                crate::rows::TERMINAL
            ));
            q.push_bind(cutoff)
                .push(
                    " AND NOT EXISTS (SELECT 1 FROM deliveries d \
                     WHERE d.incident_id = incidents.id AND d.status = 'pending') LIMIT ",
                )
                .push_bind(BATCH);
            let ids: Vec<String> = q.build_query_scalar().fetch_all(&mut *tx).await?;
            if ids.is_empty() {
                break;
            }
            // Deliveries by their events (the (event_id, channel)
            // index), events by incident (events_incident), then the
            // incidents: every step an index lookup, never a scan.
            for (sql, counted) in [
                (
                    "DELETE FROM deliveries WHERE event_id IN \
                     (SELECT id FROM events WHERE incident_id IN (",
                    None,
                ),
                ("DELETE FROM events WHERE incident_id IN (", Some(false)),
                ("DELETE FROM incidents WHERE id IN (", Some(true)),
            ] {
                let mut q = sqlx::QueryBuilder::<Db>::new(sql);
                let mut list = q.separated(", ");
                for id in &ids {
                    list.push_bind(id);
                }
                q.push(if counted.is_none() { "))" } else { ")" });
                let n = q.build().execute(&mut *tx).await?.rows_affected();
                match counted {
                    Some(true) => pruned.incidents += n,
                    Some(false) => pruned.events += n,
                    None => {}
                }
            }
            tx.commit().await?;
            if (ids.len() as i64) < BATCH {
                break;
            }
        }
        Ok(pruned)
    }

    async fn pruned_before(&self) -> crate::Result<Option<chrono::DateTime<chrono::Utc>>> {
        let ms: Option<i64> =
            sqlx::query_scalar("SELECT pruned_before FROM retention WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(ms.and_then(chrono::DateTime::from_timestamp_millis))
    }

    async fn secret(&self, name: &str, fresh: &str) -> crate::Result<String> {
        let mut q = sqlx::QueryBuilder::<Db>::new("INSERT INTO secrets (name, value) VALUES (");
        q.push_bind(name)
            .push(", ")
            .push_bind(fresh)
            .push(") ON CONFLICT (name) DO NOTHING");
        q.build().execute(&self.pool).await?;
        let mut q = sqlx::QueryBuilder::<Db>::new("SELECT value FROM secrets WHERE name = ");
        q.push_bind(name);
        Ok(q.build_query_scalar().fetch_one(&self.pool).await?)
    }

    async fn revoke_session(
        &self,
        nonce: &str,
        expires_at: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<()> {
        let mut tx = self.begin_write().await?;
        let mut q =
            sqlx::QueryBuilder::<Db>::new("DELETE FROM revoked_sessions WHERE expires_at < ");
        q.push_bind(crate::ms(now));
        q.build().execute(&mut *tx).await?;
        let mut q = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO revoked_sessions (nonce, expires_at) VALUES (",
        );
        q.push_bind(nonce)
            .push(", ")
            .push_bind(crate::ms(expires_at))
            .push(") ON CONFLICT (nonce) DO NOTHING");
        q.build().execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session_revoked(&self, nonce: &str) -> crate::Result<bool> {
        let mut q =
            sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM revoked_sessions WHERE nonce = ");
        q.push_bind(nonce);
        let n: i64 = q.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(n > 0)
    }
}
