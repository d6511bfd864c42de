//! `statuswatch channel ...` and `statuswatch subscribe ...`: manage alert
//! channels and subscriptions in the config file. The file is edited in place
//! (comments and order kept) and never written unless the result validates.

use crate::config::{self, FileConfig};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use toml_edit::{value, Array, ArrayOfTables, DocumentMut, Item, Table};

/// `channel` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum ChannelCommand {
    /// List the channels and what subscribes to them.
    List,
    /// Add a channel.
    Add(AddArgs),
    /// Remove a channel (refused while a subscription names it).
    Remove {
        /// The channel's name.
        name: String,
    },
}

/// Arguments of `channel` (the file is `--config`, created if missing).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: ChannelCommand,
}

/// Arguments of `channel add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Its name.
    pub name: String,
    /// webhook, slack, teams, discord, googlechat, mattermost, rocketchat,
    /// zulip, matrix, ntfy, telegram, pushover, pagerduty, opsgenie or email.
    #[arg(long)]
    pub kind: String,
    /// The webhook URL.
    #[arg(long)]
    pub url: Option<String>,
    /// Other settings as KEY=VALUE (secret, format, routing_key, api_key,
    /// token, user, bot_token, chat_id, email, stream, topic, access_token,
    /// room_id, smtp_host,
    /// smtp_port, smtp_security, username, password, from, to); `to` may
    /// repeat; a webhook's `format=cloudevents` sends CloudEvents 1.0.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

/// Arguments of `subscribe`.
#[derive(Debug, clap::Args)]
pub struct SubscribeArgs {
    /// The channel that hears of the events.
    pub channel: String,
    /// Only this provider (repeat for several).
    #[arg(long = "provider")]
    pub providers: Vec<String>,
    /// Only incidents affecting this component or group (repeat for several).
    #[arg(long = "component")]
    pub components: Vec<String>,
    /// Only incidents of at least this impact: minor, major or critical.
    #[arg(long)]
    pub min_impact: Option<String>,
    /// Only these events: opened, updated, resolved, scheduled, started,
    /// completed, reminder, maintenance (repeat for several).
    #[arg(long = "event")]
    pub events: Vec<String>,
}

fn config_path(p: Option<PathBuf>) -> Result<PathBuf> {
    p.context("name the config file with --config or STATUSWATCH_CONFIG")
}

fn load(path: &Path) -> Result<DocumentMut> {
    let text = if path.exists() {
        crate::input::read_text(path, crate::input::CONFIG_LIMIT)?
    } else {
        String::new()
    };
    text.parse::<DocumentMut>()
        .with_context(|| format!("{} is not valid TOML", path.display()))
}

/// Validates the edited document as a whole, then writes it.
fn save(path: &Path, doc: &DocumentMut) -> Result<()> {
    let text = doc.to_string();
    let parsed: FileConfig =
        toml::from_str(&text).context("the change would make the config invalid")?;
    config::check_alerts(&parsed.channel, &parsed.subscription)?;
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

fn tables<'a>(doc: &'a mut DocumentMut, key: &str) -> Result<&'a mut ArrayOfTables> {
    if !doc.contains_key(key) {
        doc[key] = Item::ArrayOfTables(ArrayOfTables::new());
    }
    doc[key]
        .as_array_of_tables_mut()
        .with_context(|| format!("`{key}` in the config is not a list of [[{key}]] tables"))
}

fn list(values: &[String]) -> Array {
    values.iter().map(String::as_str).collect()
}

pub async fn run(config: Option<PathBuf>, args: Args) -> Result<ExitCode> {
    let path = config_path(config)?;
    let mut doc = load(&path)?;
    match args.command {
        ChannelCommand::List => {
            let parsed: FileConfig = toml::from_str(&doc.to_string())?;
            if parsed.channel.is_empty() {
                crate::out::outln!("No channels in {}.", path.display());
            }
            for c in &parsed.channel {
                let subs = parsed
                    .subscription
                    .iter()
                    .filter(|s| s.channel == c.name)
                    .count();
                crate::out::outln!("{} ({}): {subs} subscription(s)", c.name, c.kind.label());
            }
        }
        ChannelCommand::Add(a) => {
            let mut t = Table::new();
            t["name"] = value(a.name.clone());
            t["kind"] = value(a.kind.clone());
            if let Some(u) = a.url {
                t["url"] = value(u);
            }
            let mut to: Vec<String> = Vec::new();
            for kv in &a.set {
                let (k, v) = kv
                    .split_once('=')
                    .with_context(|| format!("--set `{kv}`: use KEY=VALUE"))?;
                match k.trim() {
                    "to" => to.push(v.trim().to_string()),
                    "smtp_port" => {
                        let port: i64 = v
                            .trim()
                            .parse()
                            .with_context(|| format!("smtp_port `{v}` is not a number"))?;
                        t["smtp_port"] = value(port);
                    }
                    key @ ("secret" | "routing_key" | "smtp_host" | "smtp_security"
                    | "username" | "password" | "from" | "format" | "token"
                    | "bot_token" | "chat_id" | "api_key" | "user" | "email" | "stream"
                    | "topic" | "access_token" | "room_id") => {
                        t[key] = value(v.trim());
                    }
                    other => bail!("--set `{other}`: not a channel setting"),
                }
            }
            if !to.is_empty() {
                t["to"] = value(list(&to));
            }
            let channels = tables(&mut doc, "channel")?;
            if channels
                .iter()
                .any(|c| c.get("name").and_then(|n| n.as_str()) == Some(a.name.as_str()))
            {
                bail!("channel `{}` exists already", a.name);
            }
            channels.push(t);
            save(&path, &doc)?;
            crate::out::outln!("Added channel `{}` to {}.", a.name, path.display());
        }
        ChannelCommand::Remove { name } => {
            let parsed: FileConfig = toml::from_str(&doc.to_string())?;
            let subs = parsed
                .subscription
                .iter()
                .filter(|s| s.channel == name)
                .count();
            if subs > 0 {
                bail!("channel `{name}` has {subs} subscription(s); remove them first");
            }
            let channels = tables(&mut doc, "channel")?;
            let before = channels.len();
            channels.retain(|c| c.get("name").and_then(|n| n.as_str()) != Some(name.as_str()));
            if channels.len() == before {
                bail!("no channel `{name}` in {}", path.display());
            }
            save(&path, &doc)?;
            crate::out::outln!("Removed channel `{name}`.");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn subscribe(config: Option<PathBuf>, args: SubscribeArgs) -> Result<ExitCode> {
    let path = config_path(config)?;
    let mut doc = load(&path)?;
    let mut t = Table::new();
    t["channel"] = value(args.channel.clone());
    if !args.providers.is_empty() {
        t["providers"] = value(list(&args.providers));
    }
    if !args.components.is_empty() {
        t["components"] = value(list(&args.components));
    }
    if let Some(i) = &args.min_impact {
        t["min_impact"] = value(i.as_str());
    }
    if !args.events.is_empty() {
        t["events"] = value(list(&args.events));
    }
    tables(&mut doc, "subscription")?.push(t);
    save(&path, &doc)?;
    crate::out::outln!("Subscribed `{}` in {}.", args.channel, path.display());
    Ok(ExitCode::SUCCESS)
}
