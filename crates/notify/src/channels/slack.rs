//! Slack incoming webhooks: Block Kit (header, section, context, a button).

use crate::channel::UrlConfig;
use crate::render::{
    components, cut, escape_markup, headline, json_body, status_line, title, ts, update_text,
    Notification, Rendered,
};
use serde_json::json;

/// `kind = "slack"`: the incoming webhook URL.
pub type Config = UrlConfig;

/// The Block Kit message.
pub fn render(c: &Config, n: &Notification) -> Rendered {
    let i = &n.incident;
    let title = title(n);
    let mut blocks = vec![
        json!({"type": "header", "text": {"type": "plain_text", "text": cut(&title, 150), "emoji": false}}),
        json!({"type": "section", "text": {"type": "mrkdwn", "text": cut(&format!("*{}*\n{}", escape_markup(&status_line(n)), escape_markup(&update_text(n))), 3000)}}),
    ];
    let mut context = Vec::new();
    if !i.components.is_empty() {
        context.push(json!({"type": "mrkdwn", "text": cut(&format!("Affects: {}", escape_markup(&components(i))), 3000)}));
    }
    if let Some(t) = i.started_at {
        context.push(json!({"type": "mrkdwn", "text": format!("Started {}", ts(t))}));
    }
    blocks.push(json!({"type": "context", "elements": context}));
    if let Some(url) = &i.url {
        blocks.push(json!({"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Vendor's page"}, "url": url}]}));
    }
    json_body(
        c.url.as_ref(),
        &json!({"text": cut(&escape_markup(&format!("{} — {}", title, headline(n.kind))), 3000), "blocks": blocks}),
    )
}
