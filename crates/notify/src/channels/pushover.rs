//! Pushover: a push to a user or group key, through an application token;
//! priority from the event and impact, the vendor's link attached.

use crate::channel::Secret;
use crate::render::{cut, headline, title, update_text, Notification, Rendered};
use serde::Deserialize;
use serde_json::json;
use statuswatch_model::{EventKind, Impact};

/// Pushover's messages endpoint.
pub const API_URL: &str = "https://api.pushover.net/1/messages.json";

/// `kind = "pushover"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The application's API token.
    #[serde(default)]
    pub token: Option<Secret>,
    /// The user (or group) key to push to.
    #[serde(default)]
    pub user: Option<Secret>,
    /// The endpoint (Pushover's by default).
    #[serde(default)]
    pub url: Option<Secret>,
}

impl Config {
    pub(crate) fn validate(&self) -> Result<(), String> {
        crate::channel::require(self.token.as_ref(), "pushover", "token")?;
        crate::channel::require(self.user.as_ref(), "pushover", "user")?;
        if self.url.is_some() {
            crate::channel::check_url(self.url.as_ref())?;
        }
        Ok(())
    }
}

/// The push.
pub fn render(c: &Config, n: &Notification) -> Rendered {
    let i = &n.incident;
    // Pushover's 1 (high) bypasses quiet hours; 2 would need acknowledging.
    let priority = match (n.kind, i.impact) {
        (EventKind::IncidentOpened, Some(Impact::Critical | Impact::Major)) => 1,
        (k, _) if k.as_str().starts_with("maintenance.") => -1,
        _ => 0,
    };
    let mut v = json!({
        "token": c.token.as_ref().map_or("", |t| t.expose()),
        "user": c.user.as_ref().map_or("", |u| u.expose()),
        "title": cut(&format!("{} — {}", title(n), headline(n.kind)), 250),
        "message": cut(&update_text(n), 1024),
        "priority": priority,
    });
    if let Some(url) = &i.url {
        v["url"] = json!(url);
        v["url_title"] = json!("Vendor's page");
    }
    Rendered {
        method: crate::render::Method::Post,
        url: c
            .url
            .as_ref()
            .map_or(API_URL.to_string(), |u| u.expose().to_string()),
        content_type: "application/json".into(),
        headers: Vec::new(),
        body: serde_json::to_vec(&v).expect("JSON values serialize"),
    }
}
