//! Telegram bots: `sendMessage` to a chat, HTML formatted (vendor text
//! escaped), the link preview off.

use crate::channel::Secret;
use crate::render::{components, cut, status_line, title, update_text, Notification, Rendered};
use serde::Deserialize;
use serde_json::json;
use statuswatch_view::clean::xml_escape as escape;

/// Telegram's Bot API.
pub const API_URL: &str = "https://api.telegram.org";

/// `kind = "telegram"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The bot's token (`123456:ABC-...`), from @BotFather.
    #[serde(default)]
    pub bot_token: Option<Secret>,
    /// The chat: a numeric id (`-1001234567890`) or `@channelname`.
    #[serde(default)]
    pub chat_id: Option<String>,
    /// The Bot API's address (Telegram's by default; a local Bot API server).
    #[serde(default)]
    pub url: Option<Secret>,
}

impl Config {
    pub(crate) fn validate(&self) -> Result<(), String> {
        crate::channel::require(self.bot_token.as_ref(), "telegram", "bot_token")?;
        if self.chat_id.as_deref().is_none_or(|c| c.trim().is_empty()) {
            return Err("kind = \"telegram\" needs chat_id".into());
        }
        if self.url.is_some() {
            crate::channel::check_url(self.url.as_ref())?;
        }
        Ok(())
    }
}

/// The `sendMessage` request.
pub fn render(c: &Config, n: &Notification) -> Rendered {
    let i = &n.incident;
    let mut text = format!(
        "<b>{}</b>\n{}\n\n{}",
        escape(&title(n)),
        escape(&status_line(n)),
        escape(&update_text(n))
    );
    if !i.components.is_empty() {
        text.push_str(&format!("\n\nAffects: {}", escape(&components(i))));
    }
    if let Some(url) = &i.url {
        text.push_str(&format!("\n<a href=\"{}\">Vendor's page</a>", escape(url)));
    }
    let base = c.url.as_ref().map_or(API_URL, |u| u.expose());
    let token = c.bot_token.as_ref().map_or("", |t| t.expose());
    Rendered {
        method: crate::render::Method::Post,
        url: format!("{}/bot{token}/sendMessage", base.trim_end_matches('/')),
        content_type: "application/json".into(),
        headers: Vec::new(),
        body: serde_json::to_vec(&json!({
            "chat_id": c.chat_id.as_deref().unwrap_or("").trim(),
            // Telegram's limit is 4,096 characters after entities are parsed.
            "text": cut(&text, 4000),
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": true},
        }))
        .expect("JSON values serialize"),
    }
}
