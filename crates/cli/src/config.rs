//! The configuration of every subcommand, layered once at start-up:
//! defaults < file (TOML, `--config`) < environment (`STATUSWATCH_*`) < flags.
//! Clap reads flags and environment (a flag wins over its variable); this
//! module lays them over the file and the defaults and validates the result.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use statuswatch_engine::EngineConfig;
use statuswatch_fetch::FetchConfig;
use statuswatch_notify::{ChannelConfig, Subscription};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

/// The config file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// The database.
    pub db: Option<String>,
    /// Address to listen on.
    pub listen: Option<String>,
    /// Time between polls of a source (`60s`, `5m`).
    pub interval: Option<String>,
    /// Time between polls of a source showing an open incident (`15s`, the
    /// default; at most `interval`).
    pub open_interval: Option<String>,
    /// The most polls in flight at once (default 4096: a bound on sockets;
    /// `poll_memory` bounds them first).
    pub concurrency: Option<usize>,
    /// The memory polls in flight may take (`128MiB`, the default).
    pub poll_memory: Option<String>,
    /// How long a source's history (every incident, resolved ones included)
    /// goes unread while its live answer is unchanged (default: 10 intervals).
    pub history_every: Option<String>,
    /// HTTP settings.
    pub fetch: Option<FetchSection>,
    /// Alert timing.
    pub alerts: Option<AlertsSection>,
    /// The web app.
    pub web: Option<WebSection>,
    /// The store: retention.
    pub store: Option<StoreSection>,
    /// Pages of one's own: their subscribers' mail.
    pub pages: Option<PagesSection>,
    /// The Slack app of the `/statuswatch` slash command.
    pub slack: Option<SlackSection>,
    /// Alert channels.
    #[serde(default)]
    pub channel: Vec<ChannelConfig>,
    /// Alert subscriptions.
    #[serde(default)]
    pub subscription: Vec<Subscription>,
}

/// `[fetch]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FetchSection {
    /// Total time allowed per request (`30s`).
    pub timeout: Option<String>,
    /// Largest answer accepted, in bytes.
    pub max_body_bytes: Option<usize>,
    /// Requests in flight per host.
    pub per_host_concurrency: Option<usize>,
    /// Minimum time between two requests to one host (`250ms`).
    pub per_host_interval: Option<String>,
}

/// `[web]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebSection {
    /// The token that allows adding, pausing and removing sources from the
    /// web and the API (off when unset). `STATUSWATCH_ADMIN_TOKEN` overrides it.
    pub admin_token: Option<String>,
    /// Internal `host:port`s that sources added through the web or the API may
    /// point to (everything internal is refused otherwise).
    #[serde(default)]
    pub allow_internal: Vec<String>,
    /// `/metrics` has per-source series while there are at most this many
    /// sources (default 1000; `?per_source=true` asks for them anyway).
    pub metrics_per_source: Option<usize>,
    /// This server's public address (`https://status.example.com`): the
    /// links in mail and in pages' feeds are made with it, never from a
    /// request's Host header.
    pub public_url: Option<String>,
    /// Reverse proxies in front of `serve` (addresses or CIDR ranges, e.g.
    /// `["127.0.0.1", "10.0.0.0/8"]`): only from these is `X-Forwarded-For`
    /// believed, for the limits on failed tokens and on subscriptions.
    /// Empty (the default): the peer's own address counts.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
}

/// `[slack]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlackSection {
    /// The Slack app's signing secret: `serve` answers `POST /slack/command`
    /// when it is set.
    pub signing_secret: Option<String>,
}

/// `[pages]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagesSection {
    /// The email channel whose SMTP server and sender write to pages' email
    /// subscribers (their confirmations and notifications). Unset: pages
    /// offer no email subscription (feeds and webhooks still).
    pub mail: Option<String>,
}

/// `[store]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreSection {
    /// How long incidents are kept once over (`2y`, `90d`); open ones are
    /// kept whatever their age. Unset: kept forever.
    pub keep: Option<String>,
}

/// `[alerts]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertsSection {
    /// How long before a scheduled maintenance starts to remind (`1h`; `0s`: never).
    pub remind_before: Option<String>,
}

/// Values from flags or the environment.
#[derive(Debug, Default)]
pub struct Overrides {
    pub db: Option<String>,
    pub listen: Option<String>,
    pub interval: Option<String>,
    pub concurrency: Option<usize>,
    pub admin_token: Option<String>,
}

/// The validated settings every subcommand runs with.
#[derive(Debug)]
pub struct Settings {
    pub db: Option<String>,
    pub listen: SocketAddr,
    pub engine: EngineConfig,
    pub fetch: FetchConfig,
    /// Alert channels, validated.
    pub channels: Vec<ChannelConfig>,
    /// Subscriptions, each naming a configured channel.
    pub subscriptions: Vec<Subscription>,
    /// How long before a maintenance starts to remind.
    pub remind_before: Duration,
    /// The admin token, if managing sources is on.
    pub admin_token: Option<String>,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// This server's public address, without a trailing slash.
    pub public_url: Option<String>,
    /// Per-source `/metrics` series up to this many sources.
    pub metrics_per_source: usize,
    /// How pages' email subscribers are written to, when set up.
    pub subscriber_mail: Option<statuswatch_notify::subscriber::SubscriberMail>,
    /// Slack's signing secret for the slash command.
    pub slack_signing_secret: Option<String>,
}

/// Reads the config file when one is named (defaults otherwise), lays the
/// overrides over it and validates the result.
pub fn load(path: Option<&Path>, over: Overrides) -> Result<Settings> {
    let file = match path {
        Some(p) => read_file(p)?,
        None => FileConfig::default(),
    };
    layer(file, over)
}

pub fn read_file(path: &Path) -> Result<FileConfig> {
    let text = crate::input::read_text(path, crate::input::CONFIG_LIMIT)
        .with_context(|| format!("cannot read config file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("config file {} is not valid", path.display()))
}

fn duration(what: &str, text: &str) -> Result<Duration> {
    let d = humantime::parse_duration(text.trim())
        .with_context(|| format!("{what}: `{text}` is not a duration (try 60s, 5m, 250ms)"))?;
    Ok(d)
}

/// A retention period: a duration of at least a day (`2y`, `90d`, `1y 6months`).
pub fn keep(what: &str, text: &str) -> Result<Duration> {
    let d = duration(what, text)?;
    if d < Duration::from_secs(24 * 3600) {
        bail!("{what}: `{text}` is under a day; retention keeps at least a day (try 90d, 2y)");
    }
    Ok(d)
}

/// A size: `128MiB`, `512KiB`, `1GiB`, `2MB` or plain bytes.
fn bytes(what: &str, text: &str) -> Result<usize> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (n, unit) = t.split_at(split);
    let n: usize = n
        .parse()
        .with_context(|| format!("{what}: `{text}` is not a size (try 128MiB, 512KiB)"))?;
    let k = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1024,
        "m" | "mb" => 1000 * 1000,
        "mib" => 1024 * 1024,
        "g" | "gb" => 1000 * 1000 * 1000,
        "gib" => 1024 * 1024 * 1024,
        _ => bail!("{what}: `{text}` is not a size (try 128MiB, 512KiB)"),
    };
    n.checked_mul(k)
        .with_context(|| format!("{what}: `{text}` is too large"))
}

pub fn layer(file: FileConfig, over: Overrides) -> Result<Settings> {
    let listen_text = over
        .listen
        .or(file.listen)
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    let listen: SocketAddr = listen_text.parse().with_context(|| {
        format!("listen: `{listen_text}` is not an address like 127.0.0.1:8080")
    })?;
    let interval = match over.interval.or(file.interval) {
        Some(t) => duration("interval", &t)?,
        None => Duration::from_secs(60),
    };
    if interval < Duration::from_secs(1) {
        bail!("interval: must be at least 1s");
    }
    let mut engine = EngineConfig {
        interval,
        ..EngineConfig::default()
    };
    if let Some(c) = over.concurrency.or(file.concurrency) {
        if c == 0 {
            bail!("concurrency: must be at least 1");
        }
        engine.concurrency = c;
    }
    if let Some(m) = file.poll_memory {
        engine.poll_memory = bytes("poll_memory", &m)?;
        if engine.poll_memory < 1024 * 1024 {
            bail!("poll_memory: must be at least 1MiB");
        }
    }
    if let Some(t) = file.history_every {
        engine.history_every = Some(duration("history_every", &t)?);
    }
    if let Some(t) = file.open_interval {
        engine.open_interval = duration("open_interval", &t)?;
        if engine.open_interval < Duration::from_secs(5) {
            bail!("open_interval: `{t}` is shorter than 5s; vendors' pages are not to be hammered");
        }
    }
    if let Some(t) = file.store.and_then(|s| s.keep) {
        engine.keep = Some(keep("store.keep", &t)?);
    }
    let mut fetch = FetchConfig::default();
    if let Some(f) = file.fetch {
        if let Some(t) = f.timeout {
            fetch.total_timeout = duration("fetch.timeout", &t)?;
            if fetch.total_timeout < Duration::from_secs(1) {
                bail!("fetch.timeout: `{t}` is too short to fetch a page; use at least 1s");
            }
        }
        if let Some(n) = f.max_body_bytes {
            if n < MIN_BODY_BYTES {
                bail!(
                    "fetch.max_body_bytes: {n} is too small for any status page; use at least {MIN_BODY_BYTES}"
                );
            }
            fetch.max_body_bytes = n;
        }
        if let Some(n) = f.per_host_concurrency {
            fetch.per_host_concurrency = n.max(1);
        }
        if let Some(t) = f.per_host_interval {
            fetch.per_host_interval = duration("fetch.per_host_interval", &t)?;
        }
    }
    check_alerts(&file.channel, &file.subscription)?;
    let remind_before = match file.alerts.and_then(|a| a.remind_before) {
        Some(t) => duration("alerts.remind_before", &t)?,
        None => Duration::from_secs(3600),
    };
    // The lease covers one poll (three requests at most, each within the
    // timeout) with a margin; no longer, so a killed node's sources are soon
    // taken up again.
    engine.lease = fetch.total_timeout * 4;
    let web = file.web.unwrap_or_default();
    let admin_token = over
        .admin_token
        .or(web.admin_token)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    if admin_token.as_deref().is_some_and(|t| t.len() < 16) {
        bail!("web.admin_token: use at least 16 characters");
    }
    let public_url = match web
        .public_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        Some(u) => {
            let parsed = url::Url::parse(u)
                .ok()
                .filter(|p| matches!(p.scheme(), "http" | "https") && p.host().is_some())
                .with_context(|| format!("web.public_url: `{u}` is not an http(s) address like https://status.example.com"))?;
            if parsed.query().is_some() || parsed.fragment().is_some() {
                bail!("web.public_url: `{u}` must not carry a query or a fragment");
            }
            Some(u.trim_end_matches('/').to_string())
        }
        None => None,
    };
    let subscriber_mail = match file.pages.and_then(|p| p.mail) {
        Some(name) => {
            let Some(channel) = file.channel.iter().find(|c| c.name == name) else {
                bail!("pages.mail names channel `{name}`, which is not defined");
            };
            let statuswatch_notify::ChannelKind::Email(smtp) = &channel.kind else {
                bail!("pages.mail: channel `{name}` is not an email channel");
            };
            let Some(public_url) = public_url.clone() else {
                bail!("pages.mail needs web.public_url: the confirmation and unsubscribe links in subscribers' mail are made with it");
            };
            Some(statuswatch_notify::subscriber::SubscriberMail {
                channel: name,
                smtp: smtp.clone(),
                public_url,
            })
        }
        None => None,
    };
    let trusted_proxies = web
        .trusted_proxies
        .iter()
        .map(|p| proxy_range(p))
        .collect::<Result<Vec<_>>>()?;
    // Internal host:ports allowed for sources added on someone's behalf:
    // in the fetcher every command builds, so `poll` reads them as `serve` does.
    fetch.allow_internal = web.allow_internal;
    let slack_signing_secret = match file.slack.and_then(|s| s.signing_secret) {
        Some(s) if s.trim().len() < 16 => {
            bail!("slack.signing_secret: Slack's signing secrets are 32 characters; this one is too short")
        }
        other => other.map(|s| s.trim().to_string()),
    };
    Ok(Settings {
        slack_signing_secret,
        subscriber_mail,
        admin_token,
        trusted_proxies,
        public_url,
        metrics_per_source: web
            .metrics_per_source
            .unwrap_or(statuswatch_web::METRICS_PER_SOURCE),
        db: over.db.or(file.db),
        listen,
        engine,
        fetch,
        channels: file.channel,
        subscriptions: file.subscription,
        remind_before,
    })
}

/// The smallest `fetch.max_body_bytes` taken (a Statuspage summary is
/// tens of KiB).
const MIN_BODY_BYTES: usize = 16 * 1024;

/// `10.0.0.0/8`, `127.0.0.1` or `::1`: a proxy's address or range.
fn proxy_range(text: &str) -> Result<ipnet::IpNet> {
    let t = text.trim();
    t.parse::<ipnet::IpNet>()
        .or_else(|_| t.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| {
            anyhow::anyhow!(
                "web.trusted_proxies: `{text}` is not an address or a range like 10.0.0.0/8"
            )
        })
}

/// Every channel valid, names unique, every subscription naming a channel:
/// a mistake here is an error at start-up, not a silent loss at the first incident.
pub fn check_alerts(channels: &[ChannelConfig], subscriptions: &[Subscription]) -> Result<()> {
    let mut names = std::collections::HashSet::new();
    for c in channels {
        c.validate()?;
        if !names.insert(c.name.as_str()) {
            bail!("channel `{}` is defined twice", c.name);
        }
    }
    for s in subscriptions {
        if !names.contains(s.channel.as_str()) {
            bail!(
                "a subscription names channel `{}`, which is not defined",
                s.channel
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_environment_override_the_file() {
        let file: FileConfig = toml::from_str(
            "listen = \"0.0.0.0:9000\"\ninterval = \"5m\"\n[fetch]\ntimeout = \"10s\"",
        )
        .unwrap();
        let s = layer(
            file,
            Overrides {
                interval: Some("1s".into()),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(s.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(s.engine.interval, Duration::from_secs(1));
        assert_eq!(s.fetch.total_timeout, Duration::from_secs(10));
    }

    #[test]
    fn sizes_and_the_history_period_are_read() {
        let file: FileConfig =
            toml::from_str("poll_memory = \"64MiB\"\nhistory_every = \"15m\"").unwrap();
        let s = layer(file, Overrides::default()).unwrap();
        assert_eq!(s.engine.poll_memory, 64 * 1024 * 1024);
        assert_eq!(s.engine.history_every(), Duration::from_secs(900));
        let s = layer(FileConfig::default(), Overrides::default()).unwrap();
        assert_eq!(s.engine.history_every(), Duration::from_secs(600));
        for bad in ["lots", "12 parsecs", "100"] {
            let file: FileConfig = toml::from_str(&format!("poll_memory = \"{bad}\"")).unwrap();
            let e = format!("{:#}", layer(file, Overrides::default()).unwrap_err());
            assert!(e.contains("poll_memory"), "{bad}: {e}");
        }
    }

    #[test]
    fn retention_is_read_and_checked() {
        let file: FileConfig = toml::from_str("[store]\nkeep = \"2y\"").unwrap();
        let s = layer(file, Overrides::default()).unwrap();
        assert_eq!(s.engine.keep, Some(Duration::from_secs(2 * 31_557_600)));
        assert_eq!(
            layer(FileConfig::default(), Overrides::default())
                .unwrap()
                .engine
                .keep,
            None,
            "kept forever unless set"
        );
        for bad in ["forever", "12h", "0s"] {
            let file: FileConfig = toml::from_str(&format!("[store]\nkeep = \"{bad}\"")).unwrap();
            let e = format!("{:#}", layer(file, Overrides::default()).unwrap_err());
            assert!(e.contains("store.keep") && e.contains(bad), "{bad}: {e}");
        }
    }

    #[test]
    fn bad_values_are_named() {
        let e = layer(
            FileConfig::default(),
            Overrides {
                interval: Some("soon".into()),
                ..Default::default()
            },
        );
        assert!(format!("{:#}", e.unwrap_err()).contains("interval: `soon`"));
        let e = layer(
            FileConfig::default(),
            Overrides {
                listen: Some("8080".into()),
                ..Default::default()
            },
        );
        assert!(format!("{:#}", e.unwrap_err()).contains("listen: `8080`"));
        let e = toml::from_str::<FileConfig>("intervall = \"1s\"").unwrap_err();
        assert!(e.to_string().contains("intervall"));
        let file: FileConfig = toml::from_str(
            "[[channel]]\nname = \"ops\"\nkind = \"webhook\"\nurl = \"https://x.example/h\"\n[[subscription]]\nchannel = \"opz\"",
        )
        .unwrap();
        let e = layer(file, Overrides::default()).unwrap_err();
        assert!(format!("{e:#}").contains("channel `opz`, which is not defined"));
        let file: FileConfig =
            toml::from_str("[[channel]]\nname = \"pd\"\nkind = \"pagerduty\"").unwrap();
        assert!(
            format!("{:#}", layer(file, Overrides::default()).unwrap_err())
                .contains("needs routing_key")
        );
    }

    #[test]
    fn careless_fetch_and_proxy_settings_are_refused() {
        let err = |text: &str| {
            let file: FileConfig = toml::from_str(text).unwrap();
            format!("{:#}", layer(file, Overrides::default()).unwrap_err())
        };
        assert!(err("[fetch]\ntimeout = \"0s\"").contains("fetch.timeout: `0s` is too short"));
        assert!(err("[fetch]\nmax_body_bytes = 0").contains("fetch.max_body_bytes: 0 is too small"));
        assert!(err("[slack]\nsigning_secret = \"short\"").contains("slack.signing_secret"));
        assert!(err("[web]\ntrusted_proxies = [\"10.0.0.0/33\"]")
            .contains("web.trusted_proxies: `10.0.0.0/33`"));
        let file: FileConfig = toml::from_str(
            "[web]\ntrusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]\nallow_internal = [\"vm:19100\"]",
        )
        .unwrap();
        let s = layer(file, Overrides::default()).unwrap();
        assert_eq!(s.trusted_proxies.len(), 2);
        // Every command's fetcher allows what [web] allows (CLI poll too).
        assert_eq!(s.fetch.allow_internal, ["vm:19100"]);
    }
}
