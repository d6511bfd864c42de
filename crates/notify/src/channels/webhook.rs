//! The generic JSON webhook: the contract's body, `Idempotency-Key`, and an
//! HMAC-SHA256 signature when a secret is set; with `format = "cloudevents"`
//! the same body as the `data` of a CloudEvents 1.0 event in structured
//! mode (`application/cloudevents+json`), signed and keyed alike.

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
    /// The body's form.
    #[serde(default)]
    pub format: Format,
}

/// How a webhook's body is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// The contract's body.
    #[default]
    Statuswatch,
    /// A CloudEvents 1.0 event, structured mode, the contract's body as `data`.
    Cloudevents,
}

impl Config {
    pub(crate) fn validate(&self) -> Result<(), String> {
        check_url(self.url.as_ref())
    }
}

/// The contract's webhook request; `now` stamps the signature.
pub fn render(c: &Config, n: &Notification, now: DateTime<Utc>) -> Rendered {
    let contract = json!({
        "id": n.event_id,
        "type": n.kind.as_str(),
        "occurred_at": ts(n.occurred_at),
        "incident": n.incident,
        "update": n.update,
    });
    let (content_type, doc) = match c.format {
        Format::Statuswatch => ("application/json", contract),
        Format::Cloudevents => (
            "application/cloudevents+json; charset=utf-8",
            json!({
                "specversion": "1.0",
                "id": n.event_id,
                // The incident the event is about: with `id`, unique.
                "source": format!("/statuswatch/incidents/{}", n.incident.id),
                "type": format!("dev.statuswatch.{}", n.kind.as_str()),
                "subject": n.incident.provider,
                "time": ts(n.occurred_at),
                "datacontenttype": "application/json",
                "data": contract,
            }),
        ),
    };
    let body = serde_json::to_vec(&doc).expect("JSON values serialize");
    let mut headers = vec![("Idempotency-Key".to_string(), n.event_id.clone())];
    if let Some(secret) = &c.secret {
        headers.push((
            "Statuswatch-Signature".into(),
            signature(secret.expose(), now.timestamp(), &body),
        ));
    }
    Rendered {
        method: crate::render::Method::Post,
        url: c
            .url
            .as_ref()
            .map(|u| u.expose().to_string())
            .unwrap_or_default(),
        content_type: content_type.into(),
        headers,
        body,
    }
}
