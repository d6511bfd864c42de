//! An answer merged into what is stored: each incident against its stored
//! version (what is new, what changed, which events that makes and who
//! hears of them), and a page of one's own written the same way.

use super::*;

impl Poller {
    /// Writes what a page of one's own says now (its components, and the
    /// incidents given, new or changed), merged into what is stored exactly as
    /// a vendor's answer is: its events and outbox rows commit with it, in one
    /// transaction. The page's source stays never due.
    /// `extra` names more channels for each event (a page's email
    /// subscribers), beside those the subscriptions route it to.
    pub async fn publish(
        &self,
        source: &Source,
        snapshot: Snapshot,
        extra: &ExtraChannels<'_>,
    ) -> Result<statuswatch_store::AppliedPoll, StoreError> {
        let now = self.clock.now();
        let writes = self.merge_all(source, &snapshot, now, extra).await?;
        let record = PollRecord {
            source_id: source.id,
            at: now,
            outcome: PollOutcome::Ok,
            provider: snapshot.provider,
            components: Some(snapshot.components),
            writes,
            item_count: None,
            fetch_state: source.fetch_state.clone(),
            next_poll_at: DateTime::from_timestamp_millis(statuswatch_store::NEVER_DUE_MS)
                .unwrap_or(now),
            warning: None,
        };
        self.store.apply_poll(record).await
    }

    /// Merges every incident of the answer into its stored version.
    pub(super) async fn merge_all(
        &self,
        source: &Source,
        snapshot: &Snapshot,
        now: DateTime<Utc>,
        extra: &ExtraChannels<'_>,
    ) -> Result<Vec<IncidentWrite>, StoreError> {
        let ids: Vec<String> = snapshot
            .incidents
            .iter()
            .map(|i| i.vendor_id.clone())
            .collect();
        let stored: HashMap<String, StoredIncident> = self
            .store
            .incidents_by_vendor_ids(source.id, &ids)
            .await?
            .into_iter()
            .map(|s| (s.incident.vendor_id.clone(), s))
            .collect();
        let provider = snapshot
            .provider
            .clone()
            .unwrap_or_else(|| source.provider_name().to_string());
        let mode = if source.baselined {
            Mode::Live
        } else {
            Mode::Baseline
        };
        // What retention pruned must not come back as news: an incident the
        // vendor still lists, over before the retention cutoff and not
        // stored, is left out. The cutoff is now − `keep`, or the store's
        // watermark when a `prune` by hand went further; the watermark is
        // read only for such an incident the configured cutoff lets through.
        let configured = self
            .config
            .keep
            .and_then(|k| chrono::Duration::from_std(k).ok())
            .and_then(|k| now.checked_sub_signed(k));
        let let_through = |i: &statuswatch_model::Incident| {
            !stored.contains_key(&i.vendor_id)
                && crate::ended_at(i).is_some_and(|e| configured.is_none_or(|c| e >= c))
        };
        let cutoff = if snapshot.incidents.iter().any(let_through) {
            configured.max(self.store.pruned_before().await?)
        } else {
            configured
        };
        let mut writes = Vec::new();
        for incident in &snapshot.incidents {
            let prev = stored.get(&incident.vendor_id);
            if prev.is_none()
                && cutoff.is_some_and(|c| crate::ended_at(incident).is_some_and(|e| e < c))
            {
                continue;
            }
            let m = merge(prev.map(|p| &p.incident), incident, mode);
            if !m.changed {
                continue;
            }
            let events = m
                .changes
                .iter()
                .map(|c| {
                    let update = c.update.map(|i| m.incident.updates[i].clone());
                    NewEvent {
                        kind: c.kind,
                        occurred_at: update.as_ref().and_then(|u| u.at).unwrap_or(now),
                        update,
                        channels: {
                            let mut channels = self.router.channels_for(
                                c.kind,
                                &provider,
                                &source.name,
                                &m.incident,
                            );
                            for more in extra(c.kind, &m.incident) {
                                if !channels.contains(&more) {
                                    channels.push(more);
                                }
                            }
                            channels
                        },
                    }
                })
                .collect();
            writes.push(IncidentWrite {
                existing_id: prev.map(|p| p.id.clone()),
                incident: m.incident,
                events,
            });
        }
        Ok(writes)
    }
}
