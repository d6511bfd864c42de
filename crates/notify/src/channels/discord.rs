//! Discord webhooks: one embed, coloured by the event, no mentions.

use crate::channel::UrlConfig;
use crate::render::{
    components, cut, event_colour, headline, impact, json_body, title, ts, update_text,
    Notification, Rendered,
};
use serde_json::json;

/// `kind = "discord"`: the webhook URL.
pub type Config = UrlConfig;

/// The embed message.
pub fn render(c: &Config, n: &Notification) -> Rendered {
    let i = &n.incident;
    let color = event_colour(n.kind);
    let mut fields = vec![
        json!({"name": "Event", "value": headline(n.kind), "inline": true}),
        json!({"name": "Impact", "value": impact(i), "inline": true}),
        json!({"name": "Status", "value": i.status.as_str(), "inline": true}),
    ];
    if !i.components.is_empty() {
        fields
            .push(json!({"name": "Affects", "value": cut(&components(i), 1024), "inline": false}));
    }
    let mut embed = json!({
        "title": cut(&title(n), 256),
        "description": cut(&update_text(n), 4096),
        "color": color,
        "fields": fields,
        "timestamp": ts(n.occurred_at),
    });
    if let Some(url) = &i.url {
        embed["url"] = json!(url);
    }
    // Vendor text must not ping anyone (@everyone in an update).
    json_body(
        c.url.as_ref(),
        &json!({"embeds": [embed], "allowed_mentions": {"parse": []}}),
    )
}
