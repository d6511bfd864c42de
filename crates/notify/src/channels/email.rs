//! Email over SMTP: a pure render of subject, plain text and HTML, and send
//! with lettre (STARTTLS, implicit TLS, or none for a local relay; auth).

use crate::channel::Secret;
use crate::render::Notification;
use crate::SendError;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Deserialize;
use std::time::Duration;

/// How to talk to an SMTP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587); the default.
    Starttls,
    /// Implicit TLS (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or network.
    None,
}

/// `kind = "email"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The SMTP server.
    #[serde(default)]
    pub smtp_host: Option<String>,
    /// Its port (default by security: 587, 465, 25).
    #[serde(default)]
    pub smtp_port: Option<u16>,
    /// `starttls` (default), `tls` or `none`.
    #[serde(default)]
    pub smtp_security: Option<SmtpSecurity>,
    /// The SMTP user.
    #[serde(default)]
    pub username: Option<String>,
    /// The SMTP password.
    #[serde(default)]
    pub password: Option<Secret>,
    /// The sender address.
    #[serde(default)]
    pub from: Option<String>,
    /// The recipients.
    #[serde(default)]
    pub to: Vec<String>,
}

impl Config {
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self
            .smtp_host
            .as_deref()
            .is_none_or(|h| h.trim().is_empty())
        {
            return Err("kind = \"email\" needs smtp_host".into());
        }
        let from = self.from.as_deref().ok_or("kind = \"email\" needs from")?;
        if self.to.is_empty() {
            return Err("kind = \"email\" needs at least one address in to".into());
        }
        for a in std::iter::once(from).chain(self.to.iter().map(String::as_str)) {
            if a.parse::<Mailbox>().is_err() {
                return Err(format!("`{a}` is not an email address"));
            }
        }
        if self.username.is_some() != self.password.is_some() {
            return Err("username and password go together".into());
        }
        Ok(())
    }
}

/// An email's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailParts {
    /// The subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part (vendor text escaped).
    pub html: String,
}

/// `s` safe in HTML text and attributes: the one escape of HTML and XML.
pub(crate) use statuswatch_view::clean::xml_escape as escape;

/// Subject, text and HTML of a notification.
pub fn render_email(n: &Notification) -> EmailParts {
    let i = &n.incident;
    let what = match n.kind.as_str() {
        "incident.opened" => "New incident",
        "incident.updated" => "Update",
        "incident.resolved" => "Resolved",
        "maintenance.scheduled" => "Maintenance scheduled",
        "maintenance.started" => "Maintenance started",
        "maintenance.completed" => "Maintenance completed",
        "maintenance.reminder" => "Maintenance soon",
        _ => "Maintenance update",
    };
    let subject: String = format!("[{}] {what}: {}", i.provider, i.title)
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let impact = i.impact.map(|x| x.as_str()).unwrap_or("not stated");
    let comps = i
        .components
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let update = n.update.as_ref();
    let mut text = format!(
        "{}\n{} · impact {} · status {}\n",
        i.title,
        i.provider,
        impact,
        i.status.as_str()
    );
    if !comps.is_empty() {
        text.push_str(&format!("Affects: {comps}\n"));
    }
    if let Some(u) = update {
        text.push_str(&format!("\n{}\n{}\n", u.label, u.body));
    }
    if let Some(url) = &i.url {
        text.push_str(&format!("\nVendor's page: {url}\n"));
    }
    text.push_str(&format!("\nEvent {} ({})\n", n.event_id, n.kind.as_str()));
    let mut html = format!(
        "<!DOCTYPE html><html><body><h2>{}</h2><p>{} · impact {} · status {}</p>",
        escape(&i.title),
        escape(&i.provider),
        escape(impact),
        escape(i.status.as_str())
    );
    if !comps.is_empty() {
        html.push_str(&format!("<p>Affects: {}</p>", escape(&comps)));
    }
    if let Some(u) = update {
        html.push_str(&format!(
            "<h3>{}</h3><p style=\"white-space:pre-wrap\">{}</p>",
            escape(&u.label),
            escape(&u.body)
        ));
    }
    if let Some(url) = &i.url {
        html.push_str(&format!(
            "<p><a href=\"{}\">Vendor's page</a></p>",
            escape(url)
        ));
    }
    html.push_str("</body></html>");
    EmailParts {
        subject,
        text,
        html,
    }
}

fn mailbox(name: &str, addr: &str) -> Result<Mailbox, SendError> {
    addr.parse().map_err(|e| SendError {
        message: format!("channel `{name}`: `{addr}` is not an email address: {e}"),
        retryable: false,
        retry_after: None,
    })
}

/// Sends an email through the SMTP server of channel `name`, to its
/// recipients.
pub async fn send_email(name: &str, channel: &Config, parts: &EmailParts) -> Result<(), SendError> {
    send_mail(name, channel, &channel.to, parts, &[]).await
}

/// Sends an email through the SMTP server (and from the sender) of channel
/// `name`, to `to`, with more headers (`List-Unsubscribe`).
pub async fn send_mail(
    name: &str,
    channel: &Config,
    to: &[String],
    parts: &EmailParts,
    headers: &[(&str, String)],
) -> Result<(), SendError> {
    use lettre::message::header::{HeaderName, HeaderValue};
    let fail = |message: String, retryable: bool| SendError {
        message,
        retryable,
        retry_after: None,
    };
    let host = channel.smtp_host.as_deref().unwrap_or_default();
    let mut builder = Message::builder()
        .from(mailbox(name, channel.from.as_deref().unwrap_or_default())?)
        .subject(parts.subject.clone());
    for to in to {
        builder = builder.to(mailbox(name, to)?);
    }
    for (header, value) in headers {
        let header = HeaderName::new_from_ascii(header.to_string())
            .map_err(|e| fail(format!("header `{header}`: {e}"), false))?;
        if value.chars().any(|c| c.is_control()) {
            return Err(fail(
                format!("header `{header}` holds a control character"),
                false,
            ));
        }
        builder = builder.raw_header(HeaderValue::new(header, value.clone()));
    }
    let message = builder
        .multipart(MultiPart::alternative_plain_html(
            parts.text.clone(),
            parts.html.clone(),
        ))
        .map_err(|e| fail(format!("cannot build the email: {e}"), false))?;
    let security = channel.smtp_security.unwrap_or(SmtpSecurity::Starttls);
    let mut transport = match security {
        SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host),
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host),
        SmtpSecurity::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
            host,
        )),
    }
    .map_err(|e| fail(format!("SMTP server `{host}`: {e}"), false))?
    .timeout(Some(Duration::from_secs(15)));
    if let Some(port) = channel.smtp_port {
        transport = transport.port(port);
    }
    if let (Some(user), Some(pass)) = (&channel.username, &channel.password) {
        transport =
            transport.credentials(Credentials::new(user.clone(), pass.expose().to_string()));
    }
    let transport = transport.build();
    match transport.send(message).await {
        Ok(_) => Ok(()),
        Err(e) => Err(fail(
            format!("SMTP: {e}"),
            // 5xx answers are permanent; timeouts, connection and 4xx are not.
            !e.is_permanent(),
        )),
    }
}
