//! Matrix: a notice in a room through the client-server API, as a bot
//! account sends it. The event's id is the transaction id, so a retried
//! delivery is the same message, never a second one.

use crate::channel::{check_url, Secret};
use crate::render::{
    components, cut, status_line, title, update_text, Method, Notification, Rendered,
};
use serde::Deserialize;
use serde_json::json;
use statuswatch_view::clean::xml_escape as escape;

/// `kind = "matrix"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The homeserver (`https://matrix.org`).
    #[serde(default)]
    pub url: Option<Secret>,
    /// The bot account's access token.
    #[serde(default)]
    pub access_token: Option<Secret>,
    /// The room's id (`!abcdef:matrix.org`), which the bot has joined.
    #[serde(default)]
    pub room_id: Option<String>,
}

impl Config {
    pub(crate) fn validate(&self) -> Result<(), String> {
        check_url(self.url.as_ref())?;
        crate::channel::require(self.access_token.as_ref(), "matrix", "access_token")?;
        match self.room_id.as_deref().map(str::trim) {
            Some(r) if r.starts_with('!') && r.contains(':') => Ok(()),
            Some(r) => Err(format!("room_id `{r}` is not a room id (!id:server)")),
            None => Err("kind = \"matrix\" needs room_id".into()),
        }
    }
}

/// The `m.room.message` event, plain and HTML.
pub fn render(c: &Config, n: &Notification) -> Rendered {
    let i = &n.incident;
    let mut plain = format!("{}\n{}\n\n{}", title(n), status_line(n), update_text(n));
    let mut html = format!(
        "<b>{}</b><br>{}<br><br>{}",
        escape(&title(n)),
        escape(&status_line(n)),
        escape(&update_text(n)).replace('\n', "<br>")
    );
    if !i.components.is_empty() {
        plain.push_str(&format!("\n\nAffects: {}", components(i)));
        html.push_str(&format!("<br><br>Affects: {}", escape(&components(i))));
    }
    if let Some(url) = &i.url {
        plain.push_str(&format!("\n{url}"));
        html.push_str(&format!(
            "<br><a href=\"{}\">Vendor's page</a>",
            escape(url)
        ));
    }
    let base = c
        .url
        .as_ref()
        .map_or("", |u| u.expose())
        .trim_end_matches('/');
    let room: String =
        url::form_urlencoded::byte_serialize(c.room_id.as_deref().unwrap_or("").trim().as_bytes())
            .collect();
    let txn: String = url::form_urlencoded::byte_serialize(n.event_id.as_bytes()).collect();
    Rendered {
        method: Method::Put,
        url: format!("{base}/_matrix/client/v3/rooms/{room}/send/m.room.message/{txn}"),
        content_type: "application/json".into(),
        headers: vec![(
            "Authorization".into(),
            format!(
                "Bearer {}",
                c.access_token.as_ref().map_or("", |t| t.expose())
            ),
        )],
        body: serde_json::to_vec(&json!({
            "msgtype": "m.notice",
            "body": cut(&plain, 16000),
            "format": "org.matrix.custom.html",
            "formatted_body": cut(&html, 32000),
        }))
        .expect("JSON values serialize"),
    }
}
