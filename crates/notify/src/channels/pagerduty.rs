//! PagerDuty Events API v2: trigger on open and update, resolve on resolved,
//! one dedup key per incident; maintenances are not sent.

use crate::channel::Secret;
use crate::render::{components, cut, title, ts, update_text, Notification, Rendered};
use serde::Deserialize;
use serde_json::json;
use statuswatch_model::{EventKind, Impact};

/// PagerDuty's Events API v2 endpoint.
pub const EVENTS_URL: &str = "https://events.pagerduty.com/v2/enqueue";

/// `kind = "pagerduty"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The integration (routing) key.
    #[serde(default)]
    pub routing_key: Option<Secret>,
    /// The events endpoint (PagerDuty's by default).
    #[serde(default)]
    pub url: Option<Secret>,
}

impl Config {
    pub(crate) fn validate(&self) -> Result<(), String> {
        crate::channel::require(self.routing_key.as_ref(), "pagerduty", "routing_key")?;
        Ok(())
    }
}

/// The event request, or `None` for events PagerDuty is not told of.
pub fn render(c: &Config, n: &Notification) -> Option<Rendered> {
    let i = &n.incident;
    let action = match n.kind {
        EventKind::IncidentOpened | EventKind::IncidentUpdated => "trigger",
        EventKind::IncidentResolved => "resolve",
        _ => return None,
    };
    let severity = match i.impact {
        Some(Impact::Critical) => "critical",
        Some(Impact::Major) => "error",
        Some(Impact::Minor) => "warning",
        _ => "info",
    };
    let mut v = json!({
        "routing_key": c.routing_key.as_ref().map(|k| k.expose()).unwrap_or_default(),
        "event_action": action,
        "dedup_key": format!("statuswatch-{}", i.id),
    });
    if action == "trigger" {
        v["payload"] = json!({
            "summary": cut(&title(n), 1024),
            "source": i.provider,
            "severity": severity,
            "timestamp": ts(n.occurred_at),
            "component": components(i),
            "custom_details": {"status": i.status.as_str(), "update": update_text(n), "started_at": i.started_at.map(ts)},
        });
        if let Some(url) = &i.url {
            v["links"] = json!([{"href": url, "text": "Vendor's page"}]);
        }
    }
    Some(Rendered {
        method: crate::render::Method::Post,
        url: c
            .url
            .as_ref()
            .map_or(EVENTS_URL.to_string(), |u| u.expose().to_string()),
        content_type: "application/json".into(),
        headers: Vec::new(),
        body: serde_json::to_vec(&v).expect("JSON values serialize"),
    })
}
