//! Which channels an event goes to.

use statuswatch_model::{EventKind, Incident};
use statuswatch_notify::Subscription;
use std::sync::Arc;

/// The subscriptions, shared by the poller and the reminders.
#[derive(Debug, Clone, Default)]
pub struct Router {
    subscriptions: Arc<Vec<Subscription>>,
}

impl Router {
    /// A router over these subscriptions.
    pub fn new(subscriptions: Vec<Subscription>) -> Self {
        Router {
            subscriptions: Arc::new(subscriptions),
        }
    }

    /// The channels an event goes to, each once.
    pub fn channels_for(
        &self,
        kind: EventKind,
        provider: &str,
        source: &str,
        incident: &Incident,
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in self.subscriptions.iter() {
            if !out.contains(&s.channel) && s.matches(kind, provider, source, incident) {
                out.push(s.channel.clone());
            }
        }
        out
    }
}
