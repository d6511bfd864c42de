//! ntfy (ntfy.sh or a self-hosted server): JSON publishing to the server's
//! root, so titles keep any character; an access token when the topic needs
//! one.

use crate::channel::{check_url, Secret};
use crate::render::{cut, headline, title, update_text, Notification, Rendered};
use serde::Deserialize;
use serde_json::json;
use statuswatch_model::{EventKind, Impact};

/// `kind = "ntfy"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The topic's URL (`https://ntfy.sh/ops-vendors`).
    #[serde(default)]
    pub url: Option<Secret>,
    /// An access token (`tk_...`), for protected topics.
    #[serde(default)]
    pub token: Option<Secret>,
}

impl Config {
    pub(crate) fn validate(&self) -> Result<(), String> {
        check_url(self.url.as_ref())?;
        if topic(self).is_none() {
            return Err("url names no topic (https://ntfy.sh/<topic>)".into());
        }
        Ok(())
    }
}

/// The server's root and the topic of the configured URL.
fn topic(c: &Config) -> Option<(String, String)> {
    let u = reqwest::Url::parse(c.url.as_ref()?.expose()).ok()?;
    let mut segments: Vec<&str> = u.path_segments()?.filter(|s| !s.is_empty()).collect();
    let topic = segments.pop()?.to_string();
    let mut root = u.clone();
    root.set_path(&segments.join("/"));
    root.set_query(None);
    Some((root.to_string(), topic))
}

/// The message: ntfy's priority from the event and impact (5 is urgent).
pub fn render(c: &Config, n: &Notification) -> Rendered {
    let i = &n.incident;
    let (tag, priority) = match n.kind {
        EventKind::IncidentResolved | EventKind::MaintenanceCompleted => ("white_check_mark", 3),
        EventKind::IncidentOpened => (
            "rotating_light",
            match i.impact {
                Some(Impact::Critical) => 5,
                Some(Impact::Major) => 4,
                _ => 3,
            },
        ),
        k if k.as_str().starts_with("maintenance.") => ("wrench", 2),
        _ => ("warning", 3),
    };
    let (root, topic) = topic(c).unwrap_or_default();
    let mut message = json!({
        "topic": topic,
        "title": cut(&format!("{} — {}", title(n), headline(n.kind)), 250),
        "message": cut(&update_text(n), 3500),
        "tags": [tag],
        "priority": priority,
    });
    if let Some(url) = &i.url {
        message["click"] = json!(url);
    }
    let mut headers = Vec::new();
    if let Some(t) = &c.token {
        headers.push((
            "Authorization".to_string(),
            format!("Bearer {}", t.expose()),
        ));
    }
    Rendered {
        method: crate::render::Method::Post,
        url: root,
        content_type: "application/json".into(),
        headers,
        body: serde_json::to_vec(&message).expect("JSON values serialize"),
    }
}
