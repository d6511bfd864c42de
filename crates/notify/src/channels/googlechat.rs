//! Google Chat webhooks: a cardsV2 message.

use crate::channel::UrlConfig;
use crate::render::{
    components, cut, escape_markup, headline, json_body, status_line, title, update_text,
    Notification, Rendered,
};
use serde_json::json;

/// `kind = "googlechat"`: the space's webhook URL.
pub type Config = UrlConfig;

/// The card message.
pub fn render(c: &Config, n: &Notification) -> Rendered {
    let i = &n.incident;
    let title = title(n);
    let mut widgets = vec![json!({"textParagraph": {"text": escape_markup(&update_text(n))}})];
    if !i.components.is_empty() {
        widgets.push(json!({"decoratedText": {"topLabel": "Affects", "text": escape_markup(&components(i)), "wrapText": true}}));
    }
    if let Some(url) = &i.url {
        widgets.push(json!({"buttonList": {"buttons": [{"text": "Vendor's page", "onClick": {"openLink": {"url": url}}}]}}));
    }
    json_body(
        c.url.as_ref(),
        &json!({
            "text": format!("{} — {}", title, headline(n.kind)),
            "cardsV2": [{"cardId": n.event_id, "card": {
                "header": {"title": cut(&title, 200), "subtitle": status_line(n)},
                "sections": [{"widgets": widgets}],
            }}],
        }),
    )
}
