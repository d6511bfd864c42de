//! Incidents: applying polls (state, incidents, events and outbox rows in one transaction) and reading them back.

use super::{Db, This};

impl This {
    /// Inserts an event of an incident and its outbox rows; returns how
    /// many outbox rows were written.
    pub(super) async fn insert_event(
        tx: &mut sqlx::Transaction<'static, Db>,
        incident_id: &str,
        source_id: i64,
        e: &crate::NewEvent,
        incident_body: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<usize> {
        let event_id = crate::rows::new_id();
        let update = e.update.as_ref().map(serde_json::to_string).transpose()?;
        let mut q = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO events (id, incident_id, source_id, kind, occurred_at, \
             created_at, update_body, incident) VALUES (",
        );
        let mut v = q.separated(", ");
        v.push_bind(&event_id)
            .push_bind(incident_id)
            .push_bind(source_id)
            .push_bind(e.kind.as_str())
            .push_bind(crate::ms(e.occurred_at))
            .push_bind(crate::ms(at))
            .push_bind(update)
            .push_bind(incident_body);
        q.push(")");
        q.build().execute(&mut **tx).await?;
        for channel in &e.channels {
            let mut q = sqlx::QueryBuilder::<Db>::new(
                "INSERT INTO deliveries (event_id, incident_id, channel, \
                 next_attempt_at, created_at) VALUES (",
            );
            let mut v = q.separated(", ");
            v.push_bind(&event_id)
                .push_bind(incident_id)
                .push_bind(channel)
                .push_bind(crate::ms(at))
                .push_bind(crate::ms(at));
            q.push(")");
            q.build().execute(&mut **tx).await?;
        }
        Ok(e.channels.len())
    }

    /// Applies one poll in `tx`; `None` when its source is gone.
    async fn apply_one(
        tx: &mut sqlx::Transaction<'static, Db>,
        p: crate::PollRecord,
    ) -> crate::Result<Option<crate::AppliedPoll>> {
        let components = p
            .components
            .as_ref()
            .map(serde_json::to_string)
            .transpose()?;
        let worst = p.components.as_ref().map(|c| {
            statuswatch_model::ComponentStatus::worst(c.iter().map(|c| c.state)).map(|s| s.as_str())
        });
        let mut q = sqlx::QueryBuilder::<Db>::new("UPDATE sources SET provider = COALESCE(");
        q.push_bind(&p.provider)
            .push(", provider), components = COALESCE(")
            .push_bind(&components)
            .push(", components), component_state = ");
        match worst {
            Some(w) => q.push_bind(w),
            None => q.push("component_state"),
        };
        q.push(", fetch_state = ")
            .push_bind(&p.fetch_state)
            .push(", last_item_count = COALESCE(")
            .push_bind(p.item_count)
            .push(", last_item_count), baselined = ")
            .push_bind(true)
            .push(", last_poll_at = ")
            .push_bind(crate::ms(p.at))
            .push(", last_outcome = ")
            .push_bind(p.outcome.as_str())
            .push(", consecutive_failures = 0, last_error = NULL, last_warning = ")
            .push_bind(&p.warning)
            .push(", next_poll_at = ")
            .push_bind(crate::ms(p.next_poll_at))
            .push(" WHERE id = ")
            .push_bind(p.source_id);
        if q.build().execute(&mut **tx).await?.rows_affected() == 0 {
            return Ok(None);
        }
        let mut applied = crate::AppliedPoll::default();
        for w in &p.writes {
            let body = serde_json::to_string(&w.incident)?;
            let started = w.incident.started_at.map(crate::ms);
            let id = match &w.existing_id {
                Some(id) => {
                    let mut q = sqlx::QueryBuilder::<Db>::new("UPDATE incidents SET status = ");
                    q.push_bind(w.incident.status.as_str())
                        .push(", started_at = ")
                        .push_bind(started)
                        .push(", scheduled_for = ")
                        .push_bind(w.incident.scheduled_for.map(crate::ms))
                        .push(", kind = ")
                        .push_bind(w.incident.kind.as_str())
                        .push(", impact = ")
                        .push_bind(w.incident.impact.map(|i| i.as_str()))
                        .push(", resolved_at = ")
                        .push_bind(w.incident.resolved_at.map(crate::ms))
                        .push(", search_text = ")
                        .push_bind(crate::rows::search_text(&w.incident))
                        .push(", updated_at = ")
                        .push_bind(crate::ms(p.at))
                        .push(", body = ")
                        .push_bind(&body)
                        .push(" WHERE id = ")
                        .push_bind(id);
                    q.build().execute(&mut **tx).await?;
                    applied.updated += 1;
                    id.clone()
                }
                None => {
                    let id = crate::rows::new_id();
                    let mut q = sqlx::QueryBuilder::<Db>::new(
                        "INSERT INTO incidents (id, source_id, vendor_id, status, \
                         started_at, detected_at, updated_at, body, scheduled_for, kind, impact, \
                         resolved_at, search_text) VALUES (",
                    );
                    let mut v = q.separated(", ");
                    v.push_bind(&id)
                        .push_bind(p.source_id)
                        .push_bind(&w.incident.vendor_id)
                        .push_bind(w.incident.status.as_str())
                        .push_bind(started)
                        .push_bind(crate::ms(p.at))
                        .push_bind(crate::ms(p.at))
                        .push_bind(&body)
                        .push_bind(w.incident.scheduled_for.map(crate::ms))
                        .push_bind(w.incident.kind.as_str())
                        .push_bind(w.incident.impact.map(|i| i.as_str()))
                        .push_bind(w.incident.resolved_at.map(crate::ms))
                        .push_bind(crate::rows::search_text(&w.incident));
                    q.push(")");
                    q.build().execute(&mut **tx).await?;
                    applied.inserted += 1;
                    id
                }
            };
            for e in &w.events {
                applied.deliveries +=
                    Self::insert_event(tx, &id, p.source_id, e, &body, p.at).await?;
                applied.events += 1;
            }
        }
        Ok(Some(applied))
    }
}

#[async_trait::async_trait]
impl crate::IncidentStore for This {
    async fn incidents_by_vendor_ids(
        &self,
        source: crate::SourceId,
        vendor_ids: &[String],
    ) -> crate::Result<Vec<crate::StoredIncident>> {
        if vendor_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM incidents i JOIN sources s ON s.id = i.source_id \
             WHERE i.source_id = ",
            crate::rows::INCIDENT_COLUMNS
        ));
        q.push_bind(source).push(" AND i.vendor_id IN (");
        let mut sep = q.separated(", ");
        for v in vendor_ids {
            sep.push_bind(v);
        }
        q.push(")");
        let rows: Vec<crate::rows::IncidentRow> = q.build_query_as().fetch_all(&self.pool).await?;
        crate::rows::convert(rows)
    }

    async fn apply_poll(&self, p: crate::PollRecord) -> crate::Result<crate::AppliedPoll> {
        let mut tx = self.begin_write().await?;
        let source = p.source_id;
        let applied = Self::apply_one(&mut tx, p)
            .await?
            .ok_or_else(|| crate::StoreError::NotFound(format!("source {source}")))?;
        tx.commit().await?;
        Ok(applied)
    }

    async fn apply_polls(&self, polls: Vec<crate::PollRecord>) -> crate::Result<usize> {
        if polls.is_empty() {
            return Ok(0);
        }
        // In id order: concurrent batches lock their rows in one order.
        let mut polls = polls;
        polls.sort_by_key(|p| p.source_id);
        let mut tx = self.begin_write().await?;
        let mut applied = 0;
        for p in polls {
            if Self::apply_one(&mut tx, p).await?.is_some() {
                applied += 1;
            }
        }
        tx.commit().await?;
        Ok(applied)
    }

    async fn record_failure(&self, f: crate::FailureRecord) -> crate::Result<()> {
        let mut q = sqlx::QueryBuilder::<Db>::new("UPDATE sources SET last_poll_at = ");
        q.push_bind(crate::ms(f.at))
            .push(", last_outcome = ")
            .push_bind(f.outcome.as_str())
            .push(", last_error = ")
            .push_bind(&f.error)
            .push(", consecutive_failures = consecutive_failures + 1, next_poll_at = ")
            .push_bind(crate::ms(f.next_poll_at))
            .push(" WHERE id = ")
            .push_bind(f.source_id);
        if q.build().execute(&self.pool).await?.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound(format!(
                "source {}",
                f.source_id
            )));
        }
        Ok(())
    }

    async fn incidents(
        &self,
        query: &crate::IncidentQuery,
    ) -> crate::Result<Vec<crate::StoredIncident>> {
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM incidents i JOIN sources s ON s.id = i.source_id WHERE 1 = 1",
            crate::rows::INCIDENT_COLUMNS
        ));
        if let Some(id) = query.source_id {
            q.push(" AND i.source_id = ").push_bind(id);
        }
        if !query.include_private {
            q.push(format!(
                " AND i.source_id NOT IN {}",
                crate::rows::PRIVATE_SOURCES
            ));
        }
        if query.open_only {
            q.push(format!(" AND i.status NOT IN {}", crate::rows::TERMINAL));
        }
        if let Some(kind) = query.kind {
            q.push(" AND i.kind = ").push_bind(kind.as_str());
        }
        if !query.impacts.is_empty() {
            q.push(" AND i.impact IN (");
            let mut list = q.separated(", ");
            for i in &query.impacts {
                list.push_bind(i.as_str());
            }
            q.push(")");
        }
        if let Some(since) = query.since {
            q.push(" AND COALESCE(i.started_at, i.detected_at) >= ")
                .push_bind(crate::ms(since));
        }
        if let Some(until) = query.until {
            q.push(" AND COALESCE(i.started_at, i.detected_at) < ")
                .push_bind(crate::ms(until));
        }
        if let Some(text) = query
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            for word in text
                .to_lowercase()
                .split_whitespace()
                .take(crate::MAX_SEARCH_WORDS)
            {
                let escaped = word
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                q.push(" AND i.search_text LIKE ")
                    .push_bind(format!("%{escaped}%"))
                    .push(" ESCAPE '\\'");
            }
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
            if let Some(offset) = query.offset.filter(|o| *o > 0) {
                q.push(" OFFSET ").push_bind(i64::from(offset));
            }
        }
        let rows: Vec<crate::rows::IncidentRow> = q.build_query_as().fetch_all(&self.pool).await?;
        crate::rows::convert(rows)
    }

    async fn incident(&self, id: &str) -> crate::Result<crate::StoredIncident> {
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM incidents i JOIN sources s ON s.id = i.source_id WHERE i.id = ",
            crate::rows::INCIDENT_COLUMNS
        ));
        q.push_bind(id);
        let row: Option<crate::rows::IncidentRow> =
            q.build_query_as().fetch_optional(&self.pool).await?;
        row.ok_or_else(|| crate::StoreError::NotFound(format!("incident {id}")))?
            .try_into()
    }

    async fn incident_spans(
        &self,
        since: chrono::DateTime<chrono::Utc>,
        limit: u32,
    ) -> crate::Result<Vec<crate::IncidentSpan>> {
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT i.source_id, COALESCE(s.provider, s.name), i.started_at, i.resolved_at, \
             i.impact FROM incidents i JOIN sources s ON s.id = i.source_id \
             WHERE i.kind = 'incident' AND i.source_id NOT IN {} \
             AND COALESCE(i.started_at, i.detected_at) >= ",
            crate::rows::PRIVATE_SOURCES
        ));
        q.push_bind(crate::ms(since))
            .push(" ORDER BY COALESCE(i.started_at, i.detected_at) DESC, i.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows: Vec<(i64, String, Option<i64>, Option<i64>, Option<String>)> =
            q.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(|(source_id, provider, started, resolved, impact)| {
                Ok(crate::IncidentSpan {
                    source_id,
                    provider,
                    started_at: started.map(crate::from_ms).transpose()?,
                    resolved_at: resolved.map(crate::from_ms).transpose()?,
                    impact: impact.as_deref().and_then(statuswatch_model::Impact::parse),
                })
            })
            .collect()
    }

    async fn events_after(&self, after: i64, limit: u32) -> crate::Result<Vec<crate::Event>> {
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM events WHERE source_id NOT IN {} AND seq > ",
            crate::rows::EVENT_COLUMNS,
            crate::rows::PRIVATE_SOURCES
        ));
        q.push_bind(after)
            .push(" ORDER BY seq LIMIT ")
            .push_bind(i64::from(limit));
        let rows: Vec<crate::rows::EventRow> = q.build_query_as().fetch_all(&self.pool).await?;
        crate::rows::convert(rows)
    }
}
