//! Zulip: a bot's message to a stream and topic (the topic is the vendor's
//! name unless one is set), Markdown, through the bot's email and API key.

use crate::channel::{check_url, Secret};
use crate::render::{components, cut, status_line, title, update_text, Notification, Rendered};
use base64::Engine;
use serde::Deserialize;

/// `kind = "zulip"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The organisation's address (`https://acme.zulipchat.com`).
    #[serde(default)]
    pub url: Option<Secret>,
    /// The bot's email address.
    #[serde(default)]
    pub email: Option<String>,
    /// The bot's API key.
    #[serde(default)]
    pub api_key: Option<Secret>,
    /// The stream (channel) to post to.
    #[serde(default)]
    pub stream: Option<String>,
    /// The topic; the vendor's name when not set.
    #[serde(default)]
    pub topic: Option<String>,
}

impl Config {
    pub(crate) fn validate(&self) -> Result<(), String> {
        check_url(self.url.as_ref())?;
        let blank = |s: Option<&str>| s.is_none_or(|v| v.trim().is_empty());
        if blank(self.email.as_deref()) {
            return Err("kind = \"zulip\" needs email (the bot's)".into());
        }
        crate::channel::require(self.api_key.as_ref(), "zulip", "api_key")?;
        if blank(self.stream.as_deref()) {
            return Err("kind = \"zulip\" needs stream".into());
        }
        Ok(())
    }
}

/// Markdown with vendor text shown as text: Zulip's markup characters
/// escaped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_{}[]<>()#+-.!|~$@".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The message (form-encoded, as Zulip's API takes it).
pub fn render(c: &Config, n: &Notification) -> Rendered {
    let i = &n.incident;
    let mut content = format!(
        "**{}**\n{}\n\n{}",
        text(&title(n)),
        text(&status_line(n)),
        text(&update_text(n))
    );
    if !i.components.is_empty() {
        content.push_str(&format!("\n\nAffects: {}", text(&components(i))));
    }
    if let Some(url) = &i.url {
        content.push_str(&format!("\n[Vendor's page]({url})"));
    }
    let topic = c
        .topic
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| i.provider.clone());
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("type", "stream")
        .append_pair("to", c.stream.as_deref().unwrap_or("").trim())
        // Zulip's topics are at most 60 characters.
        .append_pair("topic", &cut(&topic, 60))
        .append_pair("content", &cut(&content, 9000))
        .finish();
    let credentials = format!(
        "{}:{}",
        c.email.as_deref().unwrap_or("").trim(),
        c.api_key.as_ref().map_or("", |k| k.expose())
    );
    let base = c
        .url
        .as_ref()
        .map_or("", |u| u.expose())
        .trim_end_matches('/');
    Rendered {
        method: crate::render::Method::Post,
        url: format!("{base}/api/v1/messages"),
        content_type: "application/x-www-form-urlencoded".into(),
        headers: vec![(
            "Authorization".into(),
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(credentials)
            ),
        )],
        body: body.into_bytes(),
    }
}
