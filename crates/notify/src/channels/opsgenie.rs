//! Opsgenie's Alert API: an alert per incident (its alias), opened with a
//! priority from the impact, a note at each update, closed when the vendor
//! resolves it; maintenances are not sent (as to PagerDuty).

use crate::channel::Secret;
use crate::render::{components, cut, title, update_text, Notification, Rendered};
use serde::Deserialize;
use serde_json::json;
use statuswatch_model::{EventKind, Impact};

/// Opsgenie's API (`https://api.eu.opsgenie.com` for EU accounts).
pub const API_URL: &str = "https://api.opsgenie.com";

/// `kind = "opsgenie"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// An API integration's key.
    #[serde(default)]
    pub api_key: Option<Secret>,
    /// The API's address (the US one by default; the EU one for EU accounts).
    #[serde(default)]
    pub url: Option<Secret>,
}

impl Config {
    pub(crate) fn validate(&self) -> Result<(), String> {
        crate::channel::require(self.api_key.as_ref(), "opsgenie", "api_key")?;
        if self.url.is_some() {
            crate::channel::check_url(self.url.as_ref())?;
        }
        Ok(())
    }
}

/// The alert request, or `None` for events Opsgenie is not told of.
pub fn render(c: &Config, n: &Notification) -> Option<Rendered> {
    let i = &n.incident;
    let alias = format!("statuswatch-{}", i.id);
    let base = c
        .url
        .as_ref()
        .map_or(API_URL, |u| u.expose())
        .trim_end_matches('/')
        .to_string();
    let (path, body) = match n.kind {
        EventKind::IncidentOpened => {
            let priority = match i.impact {
                Some(Impact::Critical) => "P1",
                Some(Impact::Major) => "P2",
                Some(Impact::Minor) => "P3",
                Some(Impact::None) => "P4",
                _ => "P3",
            };
            let mut details = json!({"status": i.status.as_str(), "provider": i.provider});
            if let Some(url) = &i.url {
                details["url"] = json!(url);
            }
            (
                "/v2/alerts".to_string(),
                json!({
                    "message": cut(&title(n), 130),
                    "alias": alias,
                    "description": cut(&update_text(n), 15000),
                    "priority": priority,
                    "source": "statuswatch",
                    "entity": cut(&components(i), 512),
                    "tags": ["statuswatch", i.provider],
                    "details": details,
                }),
            )
        }
        EventKind::IncidentUpdated => (
            format!("/v2/alerts/{alias}/notes?identifierType=alias"),
            json!({"source": "statuswatch", "note": cut(&update_text(n), 25000)}),
        ),
        EventKind::IncidentResolved => (
            format!("/v2/alerts/{alias}/close?identifierType=alias"),
            json!({"source": "statuswatch", "note": cut(&update_text(n), 25000)}),
        ),
        _ => return None,
    };
    let key = c.api_key.as_ref().map_or("", |k| k.expose());
    Some(Rendered {
        method: crate::render::Method::Post,
        url: format!("{base}{path}"),
        content_type: "application/json".into(),
        headers: vec![("Authorization".into(), format!("GenieKey {key}"))],
        body: serde_json::to_vec(&body).expect("JSON values serialize"),
    })
}
