//! Microsoft Teams workflow webhooks: an Adaptive Card.

use crate::channel::UrlConfig;
use crate::render::{
    components, json_body, status_line, title, ts, update_text, Notification, Rendered,
};
use serde_json::json;

/// `kind = "teams"`: the workflow's webhook URL.
pub type Config = UrlConfig;

/// The Adaptive Card message.
pub fn render(c: &Config, n: &Notification) -> Rendered {
    let i = &n.incident;
    let mut body = vec![
        json!({"type": "TextBlock", "text": title(n), "weight": "Bolder", "size": "Medium", "wrap": true}),
        json!({"type": "TextBlock", "text": status_line(n), "isSubtle": true, "spacing": "None", "wrap": true}),
        json!({"type": "TextBlock", "text": update_text(n), "wrap": true}),
    ];
    let mut facts = Vec::new();
    if let Some(t) = i.started_at {
        facts.push(json!({"title": "Started", "value": ts(t)}));
    }
    if !i.components.is_empty() {
        facts.push(json!({"title": "Affects", "value": components(i)}));
    }
    body.push(json!({"type": "FactSet", "facts": facts}));
    let mut card = json!({
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    });
    if let Some(url) = &i.url {
        card["actions"] = json!([{"type": "Action.OpenUrl", "title": "Vendor's page", "url": url}]);
    }
    json_body(
        c.url.as_ref(),
        &json!({
            "type": "message",
            "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": null, "content": card}],
        }),
    )
}
