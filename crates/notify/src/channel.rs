//! Channel configuration as written in the config file, validated.

use serde::Deserialize;
use std::fmt;

/// A secret: shown as `[redacted]` in `Debug` and `Display`.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    /// The value, for use (never for logs).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The kinds of channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    /// A generic JSON webhook, signed with HMAC-SHA256 when a secret is set.
    Webhook,
    /// A Slack incoming webhook (Block Kit).
    Slack,
    /// A Microsoft Teams workflow webhook (Adaptive Card).
    Teams,
    /// A Discord webhook (embeds).
    Discord,
    /// A Google Chat webhook (cardsV2).
    Googlechat,
    /// PagerDuty Events API v2.
    Pagerduty,
    /// Email over SMTP.
    Email,
}

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

/// One `[[channel]]` of the config file.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelConfig {
    /// Its name, used by subscriptions.
    pub name: String,
    /// What it is.
    pub kind: ChannelKind,
    /// Where to send (a webhook URL; PagerDuty's events endpoint by default).
    /// Webhook URLs of chat platforms carry their credential, so this is a secret too.
    #[serde(default)]
    pub url: Option<Secret>,
    /// Signs webhook bodies.
    #[serde(default)]
    pub secret: Option<Secret>,
    /// PagerDuty's integration (routing) key.
    #[serde(default)]
    pub routing_key: Option<Secret>,
    /// Email: the SMTP server.
    #[serde(default)]
    pub smtp_host: Option<String>,
    /// Email: its port (default by security: 587, 465, 25).
    #[serde(default)]
    pub smtp_port: Option<u16>,
    /// Email: `starttls` (default), `tls` or `none`.
    #[serde(default)]
    pub smtp_security: Option<SmtpSecurity>,
    /// Email: the SMTP user.
    #[serde(default)]
    pub username: Option<String>,
    /// Email: the SMTP password.
    #[serde(default)]
    pub password: Option<Secret>,
    /// Email: the sender address.
    #[serde(default)]
    pub from: Option<String>,
    /// Email: the recipients.
    #[serde(default)]
    pub to: Vec<String>,
    /// Quiet re-notification: after an alert about an incident, plain updates
    /// of it within this time (`30m`) are not sent; openings, resolutions and
    /// maintenance phases always are.
    #[serde(default)]
    pub quiet_updates: Option<String>,
}

impl fmt::Debug for ChannelConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChannelConfig")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("url", &self.url.as_ref().map(|_| "[redacted]"))
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field(
                "routing_key",
                &self.routing_key.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

/// What is wrong with a channel's config.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("channel `{channel}`: {problem}")]
pub struct ConfigError {
    /// The channel.
    pub channel: String,
    /// The problem.
    pub problem: String,
}

/// PagerDuty's Events API v2 endpoint.
pub const PAGERDUTY_EVENTS_URL: &str = "https://events.pagerduty.com/v2/enqueue";

impl ChannelConfig {
    /// Checks what the kind needs; a missing credential is an error at start-up,
    /// not a silent failure at the first incident.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let err = |p: &str| ConfigError {
            channel: self.name.clone(),
            problem: p.to_string(),
        };
        if self.name.trim().is_empty() {
            return Err(err("the name is empty"));
        }
        if let Some(q) = &self.quiet_updates {
            self.quiet()
                .ok_or_else(|| err(&format!("quiet_updates `{q}` is not a duration (try 30m)")))?;
        }
        match self.kind {
            ChannelKind::Email => {
                if self
                    .smtp_host
                    .as_deref()
                    .is_none_or(|h| h.trim().is_empty())
                {
                    return Err(err("kind = \"email\" needs smtp_host"));
                }
                let from = self
                    .from
                    .as_deref()
                    .ok_or_else(|| err("kind = \"email\" needs from"))?;
                if self.to.is_empty() {
                    return Err(err("kind = \"email\" needs at least one address in to"));
                }
                for a in std::iter::once(from).chain(self.to.iter().map(String::as_str)) {
                    if a.parse::<lettre::message::Mailbox>().is_err() {
                        return Err(err(&format!("`{a}` is not an email address")));
                    }
                }
                if self.username.is_some() != self.password.is_some() {
                    return Err(err("username and password go together"));
                }
            }
            ChannelKind::Pagerduty => {
                if self
                    .routing_key
                    .as_ref()
                    .is_none_or(|k| k.expose().trim().is_empty())
                {
                    return Err(err("kind = \"pagerduty\" needs routing_key"));
                }
            }
            _ => {
                let url = self.url.as_ref().ok_or_else(|| err("needs url"))?;
                let parsed =
                    reqwest::Url::parse(url.expose()).map_err(|_| err("url is not a valid URL"))?;
                if !matches!(parsed.scheme(), "http" | "https") {
                    return Err(err("url must be http or https"));
                }
            }
        }
        Ok(())
    }

    /// The quiet period for plain updates, if any.
    pub fn quiet(&self) -> Option<std::time::Duration> {
        let q = self.quiet_updates.as_deref()?.trim();
        let (n, unit) = q.split_at(q.find(|c: char| !c.is_ascii_digit())?);
        let n: u64 = n.parse().ok()?;
        let secs = match unit.trim() {
            "s" | "sec" | "secs" => n,
            "m" | "min" | "mins" => n * 60,
            "h" | "hour" | "hours" => n * 3600,
            _ => return None,
        };
        Some(std::time::Duration::from_secs(secs))
    }

    /// Where requests go.
    pub fn target(&self) -> String {
        match (&self.url, self.kind) {
            (Some(u), _) => u.expose().to_string(),
            (None, ChannelKind::Pagerduty) => PAGERDUTY_EVENTS_URL.to_string(),
            (None, _) => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show() {
        let c: ChannelConfig = toml_like(
            r#"{"name":"ops","kind":"webhook","url":"https://hooks.example.com/T0/abc","secret":"s3cret"}"#,
        );
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("s3cret") && !dbg.contains("abc"), "{dbg}");
        assert!(c.validate().is_ok());
    }

    #[test]
    fn missing_credentials_are_named() {
        let c: ChannelConfig = toml_like(r#"{"name":"pd","kind":"pagerduty"}"#);
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "channel `pd`: kind = \"pagerduty\" needs routing_key"
        );
        let c: ChannelConfig = toml_like(r#"{"name":"s","kind":"slack","url":"not a url"}"#);
        assert!(c
            .validate()
            .unwrap_err()
            .to_string()
            .contains("not a valid URL"));
    }

    fn toml_like(json: &str) -> ChannelConfig {
        serde_json::from_str(json).unwrap()
    }
}
