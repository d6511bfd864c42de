//! Mattermost incoming webhooks: Markdown text and one Slack-compatible
//! attachment, coloured by the event. Vendor text never mentions anyone.

use crate::channel::UrlConfig;
use crate::render::{
    components, cut, event_colour, headline, impact, json_body, status_line, title, update_text,
    Notification, Rendered,
};
use serde_json::json;

/// `kind = "mattermost"`: the incoming webhook URL.
pub type Config = UrlConfig;

/// `@channel`, `@all`, `@here` or `@someone` in a vendor's words would
/// notify people: a zero-width space after the `@` keeps the text and
/// drops the mention.
fn no_mentions(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '@' && chars.peek().is_some_and(|n| n.is_alphanumeric()) {
            out.push('\u{200b}');
        }
    }
    out
}

/// The message: a line for notification previews, the attachment for the
/// channel.
pub fn render(c: &Config, n: &Notification) -> Rendered {
    let i = &n.incident;
    let color = format!("#{:06x}", event_colour(n.kind));
    let title = no_mentions(&title(n));
    let mut fields = vec![
        json!({"short": true, "title": "Impact", "value": impact(i)}),
        json!({"short": true, "title": "Status", "value": i.status.as_str()}),
    ];
    if !i.components.is_empty() {
        fields.push(json!({"short": false, "title": "Affects", "value": cut(&no_mentions(&components(i)), 1000)}));
    }
    let mut attachment = json!({
        "fallback": cut(&format!("{title} — {}", headline(n.kind)), 300),
        "color": color,
        "title": cut(&title, 250),
        "text": cut(&no_mentions(&format!("**{}**\n{}", status_line(n), update_text(n))), 4000),
        "fields": fields,
    });
    if let Some(url) = &i.url {
        attachment["title_link"] = json!(url);
    }
    json_body(
        c.url.as_ref(),
        &json!({
            "text": cut(&format!("{title} — {}", headline(n.kind)), 300),
            "attachments": [attachment],
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::no_mentions;

    #[test]
    fn vendor_words_mention_nobody() {
        assert_eq!(
            no_mentions("@channel see @all and ops@example.com @ 5pm"),
            "@\u{200b}channel see @\u{200b}all and ops@\u{200b}example.com @ 5pm"
        );
    }
}
