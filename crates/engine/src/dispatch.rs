//! The dispatcher: delivers the outbox. Each due delivery is rendered for its
//! channel and sent; a 2xx acknowledges it, anything else is retried with
//! exponential backoff and jitter (never sooner than the receiver's
//! Retry-After) until `max_attempts`, then it is marked failed and stays
//! visible. Deliveries are claimed in order per incident and channel, and
//! every delivery carries its event's id as idempotency key, so a receiver
//! sees each event once even if statuswatch dies between sending and
//! recording the acknowledgement.

use crate::backoff::exponential;
use crate::Clock;
use statuswatch_notify::{deliver, ChannelConfig, Notification};
use statuswatch_store::{Delivery, DeliveryOutcome, Store};
use statuswatch_view::{IncidentView, Provenance, UpdateView};
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// How hard to try.
#[derive(Debug, Clone)]
pub struct DispatchConfig {
    /// Deliveries in flight at once.
    pub concurrency: usize,
    /// Attempts before a delivery is marked failed.
    pub max_attempts: i64,
    /// The first retry's delay; each next one doubles.
    pub base_backoff: Duration,
    /// The longest delay between attempts.
    pub max_backoff: Duration,
    /// How long a claimed delivery stays leased while it is sent (longer than
    /// the 15 s send timeout; after a crash, the delivery is retried then).
    pub lease: Duration,
    /// How often to look for due deliveries when there were none.
    pub tick: Duration,
}

impl Default for DispatchConfig {
    fn default() -> Self {
        DispatchConfig {
            concurrency: 16,
            max_attempts: 12,
            base_backoff: Duration::from_secs(5),
            max_backoff: Duration::from_secs(30 * 60),
            lease: Duration::from_secs(20),
            tick: Duration::from_millis(250),
        }
    }
}

/// Delivers the outbox.
pub struct Dispatcher {
    store: Arc<dyn Store>,
    client: statuswatch_notify::HttpClient,
    channels: HashMap<String, ChannelConfig>,
    clock: Arc<dyn Clock>,
    config: DispatchConfig,
    /// How pages' email subscribers are reached, when configured.
    subscriber_mail: Option<statuswatch_notify::subscriber::SubscriberMail>,
}

impl Dispatcher {
    /// A dispatcher for these channels.
    pub fn new(
        store: Arc<dyn Store>,
        channels: Vec<ChannelConfig>,
        clock: Arc<dyn Clock>,
        config: DispatchConfig,
    ) -> Result<Self, statuswatch_notify::SendError> {
        let client = statuswatch_notify::client(statuswatch_fetch::USER_AGENT)?;
        Ok(Dispatcher {
            store,
            client,
            channels: channels.into_iter().map(|c| (c.name.clone(), c)).collect(),
            clock,
            config,
            subscriber_mail: None,
        })
    }

    /// Reaches pages' email subscribers (the `subscriber:<id>` outbox
    /// channels) through this mail setup.
    pub fn with_subscriber_mail(
        mut self,
        mail: Option<statuswatch_notify::subscriber::SubscriberMail>,
    ) -> Self {
        self.subscriber_mail = mail;
        self
    }

    /// Runs until `shutdown` completes, then lets deliveries in flight finish.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let this = Arc::new(self);
        let lease =
            chrono::Duration::from_std(this.config.lease).unwrap_or(chrono::Duration::minutes(1));
        let slots = this.config.concurrency.clamp(1, u32::MAX as usize) as u32;
        crate::work::claim_loop(
            "deliveries",
            crate::work::Capacity {
                total: slots,
                least: 1,
                max_items: slots,
                max_claim: slots,
            },
            this.config.tick,
            shutdown,
            &crate::work::NoHooks,
            |free| {
                let now = this.clock.now();
                let store = this.store.clone();
                async move { store.claim_deliveries(now, now + lease, free).await }
            },
            |_| 1,
            |d| {
                let me = this.clone();
                async move { me.deliver(d).await }
            },
        )
        .await;
    }

    /// Makes one attempt and records how it went.
    pub async fn deliver(&self, d: Delivery) {
        let outcome = self.attempt(&d).await;
        match &outcome {
            DeliveryOutcome::Delivered => {
                tracing::info!(channel = %d.channel, event = %d.event.id, kind = %d.event.kind, "alert delivered")
            }
            DeliveryOutcome::Retry { error, .. } => {
                tracing::warn!(channel = %d.channel, event = %d.event.id, attempt = d.attempts + 1, error = %error, "alert not delivered; will retry")
            }
            DeliveryOutcome::Failed { error } => {
                tracing::error!(channel = %d.channel, event = %d.event.id, error = %error, "alert failed for good")
            }
            DeliveryOutcome::Skipped { reason } => {
                tracing::info!(channel = %d.channel, event = %d.event.id, reason = %reason, "alert coalesced")
            }
        }
        if let Err(e) = self
            .store
            .finish_delivery(d.seq, self.clock.now(), outcome)
            .await
        {
            tracing::error!(error = %e, "could not record a delivery attempt");
        }
    }

    async fn attempt(&self, d: &Delivery) -> DeliveryOutcome {
        if let statuswatch_store::Recipient::Subscriber(id) =
            statuswatch_store::Recipient::of(&d.channel)
        {
            return self.to_subscriber(d, id).await;
        }
        let Some(channel) = self.channels.get(&d.channel) else {
            return DeliveryOutcome::Failed {
                error: format!("channel `{}` is not configured", d.channel),
            };
        };
        if let (Some(quiet), statuswatch_model::EventKind::IncidentUpdated) =
            (channel.quiet(), d.event.kind)
        {
            if let Ok(Some(last)) = self
                .store
                .last_delivered_at(&d.event.incident_id, &d.channel)
                .await
            {
                let since = self.clock.now() - last;
                if since.to_std().is_ok_and(|s| s < quiet) {
                    return DeliveryOutcome::Skipped {
                        reason: format!(
                            "quiet: the channel heard of this incident {} min ago",
                            since.num_minutes()
                        ),
                    };
                }
            }
        }
        let n = self.notification(d);
        // Ok(false): the channel takes no such event; nothing to send.
        match deliver(&self.client, channel, &n, self.clock.now()).await {
            Ok(_) => DeliveryOutcome::Delivered,
            Err(e) if e.retryable => self.retry(d, e.message, e.retry_after),
            Err(e) => DeliveryOutcome::Failed {
                error: format!("{} (after {} attempts)", e.message, d.attempts + 1),
            },
        }
    }

    /// One notification to a page's email subscriber, with its unsubscribe
    /// link; none to one who unsubscribed meanwhile.
    async fn to_subscriber(&self, d: &Delivery, id: &str) -> DeliveryOutcome {
        let Some(mail) = &self.subscriber_mail else {
            return DeliveryOutcome::Failed {
                error: "subscribers' email is not configured ([pages] mail names no email channel)"
                    .into(),
            };
        };
        let subscriber = match self.store.subscriber(id).await {
            Ok(Some(s)) if s.confirmed_at.is_some() => s,
            Ok(_) => {
                return DeliveryOutcome::Skipped {
                    reason: "the subscriber unsubscribed".into(),
                }
            }
            Err(e) => return self.retry(d, format!("could not read the subscriber: {e}"), None),
        };
        let n = self.notification(d);
        let unsubscribe = mail.unsubscribe_url(&subscriber.slug, &subscriber.token);
        let parts = statuswatch_notify::subscriber::notification(
            &n,
            &mail.page_url(&subscriber.slug),
            &unsubscribe,
        );
        match mail.send(&subscriber.email, &parts, &unsubscribe).await {
            Ok(()) => DeliveryOutcome::Delivered,
            Err(e) if e.retryable => self.retry(d, e.message, e.retry_after),
            Err(e) => DeliveryOutcome::Failed {
                error: format!("{} (after {} attempts)", e.message, d.attempts + 1),
            },
        }
    }

    fn notification(&self, d: &Delivery) -> Notification {
        let view = IncidentView::new(
            Provenance {
                id: &d.event.incident_id,
                source: &d.source,
                provider: &d.provider,
                detected_at: d.detected_at,
            },
            &d.event.incident,
        );
        Notification {
            event_id: d.event.id.clone(),
            kind: d.event.kind,
            occurred_at: d.event.occurred_at,
            incident: view,
            update: d.event.update.as_ref().map(UpdateView::from),
        }
    }

    /// Another attempt later, or failed for good after `max_attempts`.
    fn retry(&self, d: &Delivery, error: String, after: Option<Duration>) -> DeliveryOutcome {
        if d.attempts + 1 >= self.config.max_attempts {
            return DeliveryOutcome::Failed {
                error: format!("{error} (after {} attempts)", d.attempts + 1),
            };
        }
        let wait = self.backoff(d.attempts).max(after.unwrap_or_default());
        DeliveryOutcome::Retry {
            next_attempt_at: self.clock.now()
                + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::minutes(30)),
            error,
        }
    }

    /// `base · 2^attempts`, capped, ±20 % jitter.
    fn backoff(&self, attempts: i64) -> Duration {
        exponential(
            self.config.base_backoff,
            attempts,
            self.config.max_backoff,
            0.2,
        )
    }
}
