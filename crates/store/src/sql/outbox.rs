//! The outbox: deliveries claimed, finished and listed; maintenance reminders.

use super::{Db, This};

#[async_trait::async_trait]
impl crate::OutboxStore for This {
    async fn claim_deliveries(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        lease_until: chrono::DateTime<chrono::Utc>,
        limit: u32,
    ) -> crate::Result<Vec<crate::Delivery>> {
        let mut q = sqlx::QueryBuilder::<Db>::new("UPDATE deliveries SET next_attempt_at = ");
        q.push_bind(crate::ms(lease_until))
            .push(
                " WHERE seq IN (SELECT d.seq FROM deliveries d WHERE d.status = 'pending' \
                 AND d.next_attempt_at <= ",
            )
            .push_bind(crate::ms(now))
            .push(
                " AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.incident_id = d.incident_id \
                 AND e.channel = d.channel AND e.status = 'pending' AND e.seq < d.seq) \
                 ORDER BY d.seq LIMIT ",
            )
            .push_bind(i64::from(limit))
            .push(Self::CLAIM_LOCK)
            .push(") RETURNING seq, event_id, channel, attempts");
        let mut claimed: Vec<crate::rows::ClaimedRow> =
            q.build_query_as().fetch_all(&self.pool).await?;
        if claimed.is_empty() {
            return Ok(Vec::new());
        }
        claimed.sort_by_key(|c| c.seq);
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM events e JOIN incidents i ON i.id = e.incident_id \
             JOIN sources s ON s.id = e.source_id WHERE e.id IN (",
            crate::rows::DELIVERY_EVENT_COLUMNS
        ));
        let mut sep = q.separated(", ");
        for c in &claimed {
            sep.push_bind(&c.event_id);
        }
        q.push(")");
        let rows: Vec<crate::rows::DeliveryEventRow> =
            q.build_query_as().fetch_all(&self.pool).await?;
        let mut by_id = std::collections::HashMap::new();
        for r in rows {
            let event = crate::Event::try_from(r.event)?;
            by_id.insert(
                event.id.clone(),
                (event, r.source, r.provider, r.detected_at),
            );
        }
        claimed
            .into_iter()
            .map(|c| {
                let (event, source, provider, detected_at) = by_id
                    .get(&c.event_id)
                    .cloned()
                    .ok_or_else(|| crate::StoreError::NotFound(format!("event {}", c.event_id)))?;
                Ok(crate::Delivery {
                    seq: c.seq,
                    channel: c.channel,
                    attempts: c.attempts,
                    event,
                    source,
                    provider,
                    detected_at: crate::from_ms(detected_at)?,
                })
            })
            .collect()
    }

    async fn finish_delivery(
        &self,
        seq: i64,
        at: chrono::DateTime<chrono::Utc>,
        outcome: crate::DeliveryOutcome,
    ) -> crate::Result<()> {
        let mut q =
            sqlx::QueryBuilder::<Db>::new("UPDATE deliveries SET attempts = attempts + 1, ");
        match &outcome {
            crate::DeliveryOutcome::Delivered => {
                q.push("status = 'delivered', last_error = NULL, delivered_at = ")
                    .push_bind(crate::ms(at));
            }
            crate::DeliveryOutcome::Retry {
                next_attempt_at,
                error,
            } => {
                q.push("last_error = ")
                    .push_bind(error)
                    .push(", next_attempt_at = ")
                    .push_bind(crate::ms(*next_attempt_at));
            }
            crate::DeliveryOutcome::Failed { error } => {
                q.push("status = 'failed', last_error = ").push_bind(error);
            }
            crate::DeliveryOutcome::Skipped { reason } => {
                q.push("status = 'skipped', last_error = ")
                    .push_bind(reason);
            }
        }
        q.push(" WHERE seq = ")
            .push_bind(seq)
            .push(" AND status = 'pending'");
        q.build().execute(&self.pool).await?;
        Ok(())
    }

    async fn due_reminders(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        until: chrono::DateTime<chrono::Utc>,
        limit: u32,
    ) -> crate::Result<Vec<crate::StoredIncident>> {
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM incidents i JOIN sources s ON s.id = i.source_id \
             WHERE i.reminded_at IS NULL AND i.status = 'scheduled' AND i.scheduled_for > ",
            crate::rows::INCIDENT_COLUMNS
        ));
        q.push_bind(crate::ms(now))
            .push(" AND i.scheduled_for <= ")
            .push_bind(crate::ms(until))
            .push(" ORDER BY i.scheduled_for LIMIT ")
            .push_bind(i64::from(limit));
        let rows: Vec<crate::rows::IncidentRow> = q.build_query_as().fetch_all(&self.pool).await?;
        crate::rows::convert(rows)
    }

    async fn record_reminder(
        &self,
        incident_id: &str,
        at: chrono::DateTime<chrono::Utc>,
        e: crate::NewEvent,
    ) -> crate::Result<bool> {
        let mut tx = self.begin_write().await?;
        let mut q = sqlx::QueryBuilder::<Db>::new("UPDATE incidents SET reminded_at = ");
        q.push_bind(crate::ms(at))
            .push(" WHERE id = ")
            .push_bind(incident_id)
            .push(" AND reminded_at IS NULL");
        if q.build().execute(&mut *tx).await?.rows_affected() == 0 {
            return Ok(false);
        }
        let mut q =
            sqlx::QueryBuilder::<Db>::new("SELECT body, source_id FROM incidents WHERE id = ");
        q.push_bind(incident_id);
        let (body, source_id): (String, i64) = q.build_query_as().fetch_one(&mut *tx).await?;
        Self::insert_event(&mut tx, incident_id, source_id, &e, &body, at).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn last_delivered_at(
        &self,
        incident_id: &str,
        channel: &str,
    ) -> crate::Result<Option<chrono::DateTime<chrono::Utc>>> {
        let mut q = sqlx::QueryBuilder::<Db>::new(
            "SELECT MAX(delivered_at) FROM deliveries WHERE status = 'delivered' AND incident_id = ",
        );
        q.push_bind(incident_id)
            .push(" AND channel = ")
            .push_bind(channel);
        let at: Option<i64> = q.build_query_scalar().fetch_one(&self.pool).await?;
        at.map(crate::from_ms).transpose()
    }

    async fn deliveries(
        &self,
        status: Option<crate::DeliveryStatus>,
        limit: u32,
    ) -> crate::Result<Vec<crate::DeliveryInfo>> {
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM deliveries d JOIN events e ON e.id = d.event_id WHERE 1 = 1",
            crate::rows::DELIVERY_INFO_COLUMNS
        ));
        if let Some(s) = status {
            q.push(" AND d.status = ").push_bind(s.as_str());
        }
        q.push(" ORDER BY d.seq DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows: Vec<crate::rows::DeliveryInfoRow> =
            q.build_query_as().fetch_all(&self.pool).await?;
        crate::rows::convert(rows)
    }
}
