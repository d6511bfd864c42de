//! What every channel renders from: the notification, the request it becomes,
//! shared text helpers, and the dispatch to each channel's pure `render`.

use crate::channel::{ChannelConfig, ChannelKind, Secret};
use crate::channels::{
    discord, googlechat, matrix, mattermost, ntfy, opsgenie, pagerduty, pushover, rocketchat,
    slack, teams, telegram, webhook, zulip,
};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use statuswatch_model::EventKind;
pub(crate) use statuswatch_view::time::rfc3339 as ts;
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

/// How a rendered request is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Most receivers.
    Post,
    /// Matrix (the transaction id in the path makes a retry harmless).
    Put,
}

/// A request ready to send.
#[derive(Clone, PartialEq, Eq)]
pub struct Rendered {
    /// How.
    pub method: Method,
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
            .field("method", &self.method)
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

pub(crate) fn json_body(url: Option<&Secret>, v: &Value) -> Rendered {
    Rendered {
        method: Method::Post,
        url: url.map(|u| u.expose().to_string()).unwrap_or_default(),
        content_type: "application/json".into(),
        headers: Vec::new(),
        body: serde_json::to_vec(v).expect("JSON values serialize"),
    }
}

/// A short word for the event.
pub(crate) fn headline(kind: EventKind) -> &'static str {
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

/// `Provider: title`.
pub(crate) fn title(n: &Notification) -> String {
    format!("{}: {}", n.incident.provider, n.incident.title)
}

/// The update's text, or nothing.
pub(crate) fn update_text(n: &Notification) -> String {
    n.update
        .as_ref()
        .map(|u| u.body.clone())
        .unwrap_or_default()
}

/// `New incident · impact major · Investigating`.
pub(crate) fn status_line(n: &Notification) -> String {
    format!(
        "{} · impact {} · {}",
        headline(n.kind),
        impact(&n.incident),
        n.update
            .as_ref()
            .map(|u| u.label.as_str())
            .unwrap_or(n.incident.status.as_str())
    )
}

pub(crate) fn components(i: &IncidentView) -> String {
    i.components
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn impact(i: &IncidentView) -> &'static str {
    i.impact.map(|x| x.as_str()).unwrap_or("not stated")
}

pub(crate) fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The colour of an event where a channel shows one: green when it is
/// over, red when it opens, blue for maintenance, amber for the rest.
pub(crate) fn event_colour(kind: EventKind) -> u32 {
    match kind {
        EventKind::IncidentResolved | EventKind::MaintenanceCompleted => 0x2da44e,
        EventKind::IncidentOpened => 0xcf222e,
        k if k.as_str().starts_with("maintenance.") => 0x0969da,
        _ => 0xbf8700,
    }
}

/// Slack's and Google Chat's text needs `&`, `<` and `>` escaped.
pub(crate) use statuswatch_view::clean::markup_escape as escape_markup;

/// The HTTP request for `n` on `channel`, or `None` when the channel takes no
/// such event (PagerDuty is not told about maintenances) or is not HTTP
/// (email). `now` stamps signatures.
pub fn render(channel: &ChannelConfig, n: &Notification, now: DateTime<Utc>) -> Option<Rendered> {
    Some(match &channel.kind {
        ChannelKind::Webhook(c) => webhook::render(c, n, now),
        ChannelKind::Slack(c) => slack::render(c, n),
        ChannelKind::Mattermost(c) => mattermost::render(c, n),
        ChannelKind::Ntfy(c) => ntfy::render(c, n),
        ChannelKind::Telegram(c) => telegram::render(c, n),
        ChannelKind::Rocketchat(c) => rocketchat::render(c, n),
        ChannelKind::Zulip(c) => zulip::render(c, n),
        ChannelKind::Pushover(c) => pushover::render(c, n),
        ChannelKind::Opsgenie(c) => return opsgenie::render(c, n),
        ChannelKind::Matrix(c) => matrix::render(c, n),
        ChannelKind::Teams(c) => teams::render(c, n),
        ChannelKind::Discord(c) => discord::render(c, n),
        ChannelKind::Googlechat(c) => googlechat::render(c, n),
        ChannelKind::Pagerduty(c) => return pagerduty::render(c, n),
        ChannelKind::Email(_) => return None, // see `channels::email::render_email`
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
