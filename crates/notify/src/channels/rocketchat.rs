//! Rocket.Chat incoming webhooks: a line and one attachment, coloured by
//! the event (Rocket.Chat reads Slack's attachment fields).

use crate::channel::UrlConfig;
use crate::render::{
    components, cut, event_colour, headline, impact, json_body, status_line, title, update_text,
    Notification, Rendered,
};
use serde_json::json;

/// `kind = "rocketchat"`: the incoming webhook URL.
pub type Config = UrlConfig;

/// The message.
pub fn render(c: &Config, n: &Notification) -> Rendered {
    let i = &n.incident;
    let color = format!("#{:06x}", event_colour(n.kind));
    let mut fields = vec![
        json!({"short": true, "title": "Impact", "value": impact(i)}),
        json!({"short": true, "title": "Status", "value": i.status.as_str()}),
    ];
    if !i.components.is_empty() {
        fields
            .push(json!({"short": false, "title": "Affects", "value": cut(&components(i), 1000)}));
    }
    let mut attachment = json!({
        "title": cut(&title(n), 250),
        "text": cut(&format!("*{}*\n{}", status_line(n), update_text(n)), 4000),
        "color": color,
        "fields": fields,
    });
    if let Some(url) = &i.url {
        attachment["title_link"] = json!(url);
    }
    json_body(
        c.url.as_ref(),
        &json!({
            "text": cut(&format!("{} — {}", title(n), headline(n.kind)), 300),
            "attachments": [attachment],
        }),
    )
}
