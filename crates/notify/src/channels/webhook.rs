//! The generic JSON webhook: the contract's body, `Idempotency-Key`, and an
//! HMAC-SHA256 signature when a secret is set.

use crate::channel::{check_url, Secret};
use crate::render::{signature, ts, Notification, Rendered};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

/// `kind = "webhook"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where to POST.
    #[serde(default)]
    pub url: Option<Secret>,
    /// Signs bodies (`Statuswatch-Signature`).
    #[serde(default)]
    pub secret: Option<Secret>,
}

impl Config {
    pub(crate) fn validate(&self) -> Result<(), String> {
        check_url(self.url.as_ref())
    }
}

/// The contract's webhook request; `now` stamps the signature.
pub fn render(c: &Config, n: &Notification, now: DateTime<Utc>) -> Rendered {
    let body = serde_json::to_vec(&json!({
        "id": n.event_id,
        "type": n.kind.as_str(),
        "occurred_at": ts(n.occurred_at),
        "incident": n.incident,
        "update": n.update,
    }))
    .expect("JSON values serialize");
    let mut headers = vec![("Idempotency-Key".to_string(), n.event_id.clone())];
    if let Some(secret) = &c.secret {
        headers.push((
            "Statuswatch-Signature".into(),
            signature(secret.expose(), now.timestamp(), &body),
        ));
    }
    Rendered {
        url: c
            .url
            .as_ref()
            .map(|u| u.expose().to_string())
            .unwrap_or_default(),
        content_type: "application/json".into(),
        headers,
        body,
    }
}
