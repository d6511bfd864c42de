//! Pure rendering of an event into each platform's documented request.

use crate::channel::{ChannelConfig, ChannelKind};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use statuswatch_model::EventKind;
use statuswatch_view::time::rfc3339 as ts;
use statuswatch_view::{IncidentView, UpdateView};

/// One event to tell a channel about.
#[derive(Debug, Clone)]
pub struct Notification {
    /// The event's id: the idempotency key of every delivery of it.
    pub event_id: String,
    /// What happened.
    pub kind: EventKind,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// The incident as it was right after the change.
    pub incident: IncidentView,
    /// The update that carried the change, if one did.
    pub update: Option<UpdateView>,
}

/// A request ready to send.
#[derive(Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Where (may carry a credential: never log it).
    pub url: String,
    /// `Content-Type`.
    pub content_type: String,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendered")
            .field("url", &"[redacted]")
            .field("content_type", &self.content_type)
            .field(
                "headers",
                &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

fn json_body(channel: &ChannelConfig, v: &Value) -> Rendered {
    Rendered {
        url: channel.target(),
        content_type: "application/json".into(),
        headers: Vec::new(),
        body: serde_json::to_vec(v).expect("JSON values serialize"),
    }
}

/// A short word for the event.
fn headline(kind: EventKind) -> &'static str {
    match kind {
        EventKind::IncidentOpened => "New incident",
        EventKind::IncidentUpdated => "Incident update",
        EventKind::IncidentResolved => "Resolved",
        EventKind::MaintenanceScheduled => "Maintenance scheduled",
        EventKind::MaintenanceStarted => "Maintenance started",
        EventKind::MaintenanceUpdated => "Maintenance update",
        EventKind::MaintenanceCompleted => "Maintenance completed",
        EventKind::MaintenanceReminder => "Maintenance soon",
    }
}

fn components(i: &IncidentView) -> String {
    i.components
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn impact(i: &IncidentView) -> &'static str {
    i.impact.map(|x| x.as_str()).unwrap_or("not stated")
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Slack's and Google Chat's text needs `&`, `<` and `>` escaped.
fn escape_markup(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The HTTP request for `n` on `channel`, or `None` when the channel takes no
/// such event (PagerDuty is not told about maintenances) or is not HTTP
/// (email). `now` stamps signatures.
pub fn render(channel: &ChannelConfig, n: &Notification, now: DateTime<Utc>) -> Option<Rendered> {
    let i = &n.incident;
    let title = format!("{}: {}", i.provider, i.title);
    let text = n
        .update
        .as_ref()
        .map(|u| u.body.clone())
        .unwrap_or_default();
    let status_line = format!(
        "{} · impact {} · {}",
        headline(n.kind),
        impact(i),
        n.update
            .as_ref()
            .map(|u| u.label.as_str())
            .unwrap_or(i.status.as_str())
    );
    Some(match channel.kind {
        ChannelKind::Webhook => {
            let body = serde_json::to_vec(&json!({
                "id": n.event_id,
                "type": n.kind.as_str(),
                "occurred_at": ts(n.occurred_at),
                "incident": i,
                "update": n.update,
            }))
            .expect("JSON values serialize");
            let mut headers = vec![("Idempotency-Key".to_string(), n.event_id.clone())];
            if let Some(secret) = &channel.secret {
                headers.push((
                    "Statuswatch-Signature".into(),
                    signature(secret.expose(), now.timestamp(), &body),
                ));
            }
            Rendered {
                url: channel.target(),
                content_type: "application/json".into(),
                headers,
                body,
            }
        }
        ChannelKind::Slack => {
            let mut blocks = vec![
                json!({"type": "header", "text": {"type": "plain_text", "text": cut(&title, 150), "emoji": false}}),
                json!({"type": "section", "text": {"type": "mrkdwn", "text": cut(&format!("*{}*\n{}", escape_markup(&status_line), escape_markup(&text)), 3000)}}),
            ];
            let mut context = Vec::new();
            if !i.components.is_empty() {
                context.push(json!({"type": "mrkdwn", "text": cut(&format!("Affects: {}", escape_markup(&components(i))), 3000)}));
            }
            context
                .push(json!({"type": "mrkdwn", "text": format!("Started {}", ts(i.started_at))}));
            blocks.push(json!({"type": "context", "elements": context}));
            if let Some(url) = &i.url {
                blocks.push(json!({"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Vendor's page"}, "url": url}]}));
            }
            json_body(
                channel,
                &json!({"text": cut(&escape_markup(&format!("{} — {}", title, headline(n.kind))), 3000), "blocks": blocks}),
            )
        }
        ChannelKind::Discord => {
            let color = match n.kind {
                EventKind::IncidentResolved | EventKind::MaintenanceCompleted => 0x2da44e,
                EventKind::IncidentOpened => 0xcf222e,
                k if k.as_str().starts_with("maintenance.") => 0x0969da,
                _ => 0xbf8700,
            };
            let mut fields = vec![
                json!({"name": "Event", "value": headline(n.kind), "inline": true}),
                json!({"name": "Impact", "value": impact(i), "inline": true}),
                json!({"name": "Status", "value": i.status.as_str(), "inline": true}),
            ];
            if !i.components.is_empty() {
                fields.push(
                    json!({"name": "Affects", "value": cut(&components(i), 1024), "inline": false}),
                );
            }
            let mut embed = json!({
                "title": cut(&title, 256),
                "description": cut(&text, 4096),
                "color": color,
                "fields": fields,
                "timestamp": ts(n.occurred_at),
            });
            if let Some(url) = &i.url {
                embed["url"] = json!(url);
            }
            // Vendor text must not ping anyone (@everyone in an update).
            json_body(
                channel,
                &json!({"embeds": [embed], "allowed_mentions": {"parse": []}}),
            )
        }
        ChannelKind::Teams => {
            let mut body = vec![
                json!({"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium", "wrap": true}),
                json!({"type": "TextBlock", "text": status_line, "isSubtle": true, "spacing": "None", "wrap": true}),
                json!({"type": "TextBlock", "text": text, "wrap": true}),
            ];
            let mut facts = vec![json!({"title": "Started", "value": ts(i.started_at)})];
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
                card["actions"] =
                    json!([{"type": "Action.OpenUrl", "title": "Vendor's page", "url": url}]);
            }
            json_body(
                channel,
                &json!({
                    "type": "message",
                    "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": null, "content": card}],
                }),
            )
        }
        ChannelKind::Googlechat => {
            let mut widgets = vec![json!({"textParagraph": {"text": escape_markup(&text)}})];
            if !i.components.is_empty() {
                widgets.push(json!({"decoratedText": {"topLabel": "Affects", "text": escape_markup(&components(i)), "wrapText": true}}));
            }
            if let Some(url) = &i.url {
                widgets.push(json!({"buttonList": {"buttons": [{"text": "Vendor's page", "onClick": {"openLink": {"url": url}}}]}}));
            }
            json_body(
                channel,
                &json!({
                    "text": format!("{} — {}", title, headline(n.kind)),
                    "cardsV2": [{"cardId": n.event_id, "card": {
                        "header": {"title": cut(&title, 200), "subtitle": status_line},
                        "sections": [{"widgets": widgets}],
                    }}],
                }),
            )
        }
        ChannelKind::Email => return None, // see `email::render_email`
        ChannelKind::Pagerduty => {
            let action = match n.kind {
                EventKind::IncidentOpened | EventKind::IncidentUpdated => "trigger",
                EventKind::IncidentResolved => "resolve",
                _ => return None,
            };
            let severity = match i.impact {
                Some(statuswatch_model::Impact::Critical) => "critical",
                Some(statuswatch_model::Impact::Major) => "error",
                Some(statuswatch_model::Impact::Minor) => "warning",
                _ => "info",
            };
            let mut v = json!({
                "routing_key": channel.routing_key.as_ref().map(|k| k.expose()).unwrap_or_default(),
                "event_action": action,
                "dedup_key": format!("statuswatch-{}", i.id),
            });
            if action == "trigger" {
                v["payload"] = json!({
                    "summary": cut(&title, 1024),
                    "source": i.provider,
                    "severity": severity,
                    "timestamp": ts(n.occurred_at),
                    "component": components(i),
                    "custom_details": {"status": i.status.as_str(), "update": text, "started_at": ts(i.started_at)},
                });
                if let Some(url) = &i.url {
                    v["links"] = json!([{"href": url, "text": "Vendor's page"}]);
                }
            }
            json_body(channel, &v)
        }
    })
}

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
pub fn signature(secret: &str, t: i64, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={t},v1={hex}")
}
