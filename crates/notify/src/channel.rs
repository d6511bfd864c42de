//! Channel configuration as written in the config file: the part every
//! channel shares (name, quiet period) and one tagged variant per kind, each
//! defined and validated by its own module in `channels/`.

use crate::channels::{
    discord, email, googlechat, matrix, mattermost, ntfy, opsgenie, pagerduty, pushover,
    rocketchat, slack, teams, telegram, webhook, zulip,
};
use serde::{Deserialize, Deserializer};
use std::fmt;
use std::time::Duration;

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

/// What a channel is, with the settings of its kind (`kind = "..."` in the file).
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ChannelKind {
    /// A generic JSON webhook, signed with HMAC-SHA256 when a secret is set.
    Webhook(webhook::Config),
    /// A Slack incoming webhook (Block Kit).
    Slack(slack::Config),
    /// A Microsoft Teams workflow webhook (Adaptive Card).
    Teams(teams::Config),
    /// A Discord webhook (embeds).
    Discord(discord::Config),
    /// A Google Chat webhook (cardsV2).
    Googlechat(googlechat::Config),
    /// A Mattermost incoming webhook (Markdown and an attachment).
    Mattermost(mattermost::Config),
    /// An ntfy topic (JSON publishing).
    Ntfy(ntfy::Config),
    /// A Telegram chat, through a bot (`sendMessage`).
    Telegram(telegram::Config),
    /// A Rocket.Chat incoming webhook.
    Rocketchat(rocketchat::Config),
    /// A Zulip stream, through a bot.
    Zulip(zulip::Config),
    /// Pushover pushes.
    Pushover(pushover::Config),
    /// Opsgenie's Alert API (open, note, close per incident).
    Opsgenie(opsgenie::Config),
    /// A Matrix room, through a bot account.
    Matrix(matrix::Config),
    /// PagerDuty Events API v2.
    Pagerduty(pagerduty::Config),
    /// Email over SMTP.
    Email(email::Config),
}

impl ChannelKind {
    /// The kind's name for people (`Webhook`).
    pub fn label(&self) -> &'static str {
        match self {
            ChannelKind::Webhook(_) => "Webhook",
            ChannelKind::Slack(_) => "Slack",
            ChannelKind::Teams(_) => "Teams",
            ChannelKind::Discord(_) => "Discord",
            ChannelKind::Googlechat(_) => "Googlechat",
            ChannelKind::Mattermost(_) => "Mattermost",
            ChannelKind::Ntfy(_) => "Ntfy",
            ChannelKind::Telegram(_) => "Telegram",
            ChannelKind::Rocketchat(_) => "Rocketchat",
            ChannelKind::Zulip(_) => "Zulip",
            ChannelKind::Pushover(_) => "Pushover",
            ChannelKind::Opsgenie(_) => "Opsgenie",
            ChannelKind::Matrix(_) => "Matrix",
            ChannelKind::Pagerduty(_) => "Pagerduty",
            ChannelKind::Email(_) => "Email",
        }
    }
}

/// One `[[channel]]` of the config file.
#[derive(Debug, Clone, Deserialize)]
pub struct ChannelConfig {
    /// Its name, used by subscriptions.
    pub name: String,
    /// Quiet re-notification: after an alert about an incident, plain updates
    /// of it within this time (`30m`, `1h30m`) are not sent; openings,
    /// resolutions and maintenance phases always are. Read once, at load,
    /// with the same duration grammar as every other setting.
    #[serde(default, deserialize_with = "duration_opt")]
    pub quiet_updates: Option<Duration>,
    /// The kind and its settings.
    #[serde(flatten)]
    pub kind: ChannelKind,
}

/// A duration as people write it (`30m`, `1h30m`, `250ms`): the one grammar of
/// the configuration (humantime's).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text.trim())
        .map_err(|_| format!("`{text}` is not a duration (try 30m, 1h30m, 60s)"))
}

fn duration_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    let Some(text) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    parse_duration(&text)
        .map(Some)
        .map_err(|e| serde::de::Error::custom(format!("quiet_updates: {e}")))
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

impl ChannelConfig {
    /// Checks what the kind needs; a missing credential is an error at start-up,
    /// not a silent failure at the first incident.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let err = |problem: String| ConfigError {
            channel: self.name.clone(),
            problem,
        };
        if self.name.trim().is_empty() {
            return Err(err("the name is empty".into()));
        }
        if self.name.starts_with("subscriber:") {
            return Err(err(
                "names beginning `subscriber:` are kept for pages' email subscribers".into(),
            ));
        }
        match &self.kind {
            ChannelKind::Webhook(c) => c.validate(),
            ChannelKind::Slack(c) => c.validate(),
            ChannelKind::Teams(c) => c.validate(),
            ChannelKind::Discord(c) => c.validate(),
            ChannelKind::Googlechat(c) => c.validate(),
            ChannelKind::Mattermost(c) => c.validate(),
            ChannelKind::Ntfy(c) => c.validate(),
            ChannelKind::Telegram(c) => c.validate(),
            ChannelKind::Rocketchat(c) => c.validate(),
            ChannelKind::Zulip(c) => c.validate(),
            ChannelKind::Pushover(c) => c.validate(),
            ChannelKind::Opsgenie(c) => c.validate(),
            ChannelKind::Matrix(c) => c.validate(),
            ChannelKind::Pagerduty(c) => c.validate(),
            ChannelKind::Email(c) => c.validate(),
        }
        .map_err(err)
    }

    /// The quiet period for plain updates, if any.
    pub fn quiet(&self) -> Option<Duration> {
        self.quiet_updates
    }
}

/// The settings of a channel that is a webhook URL and nothing else (Slack,
/// Teams, Discord, Google Chat): the URL carries the credential.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrlConfig {
    /// The webhook URL.
    #[serde(default)]
    pub url: Option<Secret>,
}

impl UrlConfig {
    pub(crate) fn validate(&self) -> Result<(), String> {
        check_url(self.url.as_ref())
    }
}

/// A credential that must be given: present and not blank, or the error
/// naming it (`kind = "pagerduty" needs routing_key`).
pub(crate) fn require(value: Option<&Secret>, kind: &str, key: &str) -> Result<(), String> {
    match value {
        Some(v) if !v.expose().trim().is_empty() => Ok(()),
        _ => Err(format!("kind = \"{kind}\" needs {key}")),
    }
}

/// A webhook URL: present, valid, http or https.
pub(crate) fn check_url(url: Option<&Secret>) -> Result<(), String> {
    let url = url.ok_or("needs url")?;
    let parsed = reqwest::Url::parse(url.expose()).map_err(|_| "url is not a valid URL")?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("url must be http or https".into());
    }
    Ok(())
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

    #[test]
    fn a_channel_cannot_pose_as_a_pages_subscriber() {
        let c: ChannelConfig = toml_like(
            r#"{"name":"subscriber:01H","kind":"webhook","url":"https://example.com/hook"}"#,
        );
        let e = c.validate().unwrap_err().to_string();
        assert!(e.contains("kept for pages' email subscribers"), "{e}");
    }

    #[test]
    fn quiet_updates_take_the_configuration_grammar_once_at_load() {
        let c: ChannelConfig = toml_like(
            r#"{"name":"ops","kind":"webhook","url":"https://h.example/x","quiet_updates":"1h30m"}"#,
        );
        assert_eq!(c.quiet(), Some(Duration::from_secs(90 * 60)));
        let e = serde_json::from_str::<ChannelConfig>(
            r#"{"name":"ops","kind":"webhook","url":"https://h.example/x","quiet_updates":"soon"}"#,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("quiet_updates: `soon` is not a duration"),
            "{e}"
        );
    }

    #[test]
    fn a_setting_of_another_kind_is_refused_by_name() {
        let e = serde_json::from_str::<ChannelConfig>(
            r#"{"name":"ops","kind":"slack","url":"https://h.example/x","routing_key":"k"}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("routing_key"), "{e}");
    }

    fn toml_like(json: &str) -> ChannelConfig {
        serde_json::from_str(json).unwrap()
    }
}
