//! Alert channels. Each channel kind is a module of `channels/`: its
//! validated config, a pure `render` of an event into the request the
//! platform documents, and `send`. Rendering is pure so tests assert the
//! exact bodies; sending only performs a request.

mod channel;
pub mod channels;
mod render;
pub mod subscriber;
mod subscription;

pub use channel::{parse_duration, ChannelConfig, ChannelKind, ConfigError, Secret};
pub use channels::email::{render_email, send_email, send_mail, EmailParts, SmtpSecurity};
pub use channels::pagerduty::EVENTS_URL as PAGERDUTY_EVENTS_URL;
pub use render::{render, signature, Method, Notification, Rendered};
/// The HTTP client type `send` takes.
pub use reqwest::Client as HttpClient;
pub use subscription::{EventFilter, Subscription};

use std::time::Duration;

/// Why a send failed, and whether trying again may help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// What happened.
    pub message: String,
    /// Whether a later attempt may succeed (network errors, 5xx, 429).
    pub retryable: bool,
    /// How long the receiver asked us to wait, if it did.
    pub retry_after: Option<Duration>,
}

/// The HTTP client for alerts: short timeouts (a slow receiver must not hold
/// the outbox), statuswatch's User-Agent.
pub fn client(user_agent: &str) -> Result<reqwest::Client, SendError> {
    reqwest::Client::builder()
        .user_agent(user_agent)
        .timeout(Duration::from_secs(15))
        .connect_timeout(Duration::from_secs(5))
        .build()
        .map_err(|e| SendError {
            message: format!("cannot build the HTTP client: {e}"),
            retryable: false,
            retry_after: None,
        })
}

/// Delivers `n` on `channel`: renders it and sends it by HTTP or email.
/// `Ok(false)` means the channel takes no such event (nothing was sent).
pub async fn deliver(
    client: &reqwest::Client,
    channel: &ChannelConfig,
    n: &Notification,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, SendError> {
    if let ChannelKind::Email(c) = &channel.kind {
        send_email(&channel.name, c, &render_email(n)).await?;
        return Ok(true);
    }
    match render(channel, n, now) {
        Some(request) => send(client, &request).await.map(|()| true),
        None => Ok(false),
    }
}

/// Sends a rendered notification with `client`. A 2xx answer acknowledges.
pub async fn send(client: &reqwest::Client, r: &Rendered) -> Result<(), SendError> {
    let method = match r.method {
        render::Method::Post => reqwest::Method::POST,
        render::Method::Put => reqwest::Method::PUT,
    };
    let mut req = client
        .request(method, &r.url)
        .header(reqwest::header::CONTENT_TYPE, &r.content_type)
        .body(r.body.clone());
    for (k, v) in &r.headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let resp = req.send().await.map_err(|e| SendError {
        message: format!("could not reach the receiver: {}", without_url(&e)),
        retryable: true,
        retry_after: None,
    })?;
    let status = resp.status();
    if status.is_success() {
        return Ok(());
    }
    let retry_after = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    Err(SendError {
        message: format!("the receiver answered HTTP {}", status.as_u16()),
        retryable: status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408,
        retry_after,
    })
}

/// A reqwest error without its URL: webhook URLs are secrets (Slack's are).
fn without_url(e: &reqwest::Error) -> String {
    let mut msg = e.without_url_ref().to_string();
    let mut cur = std::error::Error::source(e);
    while let Some(s) = cur {
        msg = format!("{msg}: {s}");
        cur = s.source();
    }
    msg
}

trait WithoutUrl {
    fn without_url_ref(&self) -> String;
}

impl WithoutUrl for reqwest::Error {
    fn without_url_ref(&self) -> String {
        if self.is_timeout() {
            "timed out".into()
        } else if self.is_connect() {
            "connection failed".into()
        } else {
            "request failed".into()
        }
    }
}
