//! `statuswatch test-alert CHANNEL`: send a sample so a user can check wiring.

use crate::config::Settings;
use anyhow::{bail, Result};
use statuswatch_model::{Component, EventKind, Impact, Incident, Status, Update};
use statuswatch_notify::{deliver, Notification};
use statuswatch_store::StoredIncident;
use statuswatch_view::IncidentView;
use std::process::ExitCode;

/// Arguments of `test-alert`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The channel's name in the config file (`--config`).
    pub channel: String,
}

pub async fn run(settings: &Settings, args: Args) -> Result<ExitCode> {
    let Some(channel) = settings.channels.iter().find(|c| c.name == args.channel) else {
        let known: Vec<&str> = settings.channels.iter().map(|c| c.name.as_str()).collect();
        bail!(
            "no channel `{}` in the configuration (--config; defined: {})",
            args.channel,
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        );
    };
    let now = super::now();
    let mut i = Incident::new(
        "statuswatch-test",
        "Test alert from statuswatch",
        Status::Investigating,
    );
    i.impact = Some(Impact::Minor);
    i.url = Some("https://github.com/statuswatch/statuswatch".into());
    i.components.push(Component {
        name: "Example component".into(),
        group: None,
    });
    i.updates.push(Update {
        vendor_id: None,
        status: Status::Investigating,
        label: "Investigating".into(),
        at: Some(now),
        body: "This is a test alert: if you can read it, the channel works.".into(),
    });
    i.normalize();
    let view = IncidentView::from(&StoredIncident {
        id: "test".into(),
        source_id: 0,
        source: "statuswatch".into(),
        provider: "statuswatch".into(),
        detected_at: now,
        incident: i,
    });
    let n = Notification {
        event_id: format!("test-{}", now.timestamp_millis()),
        kind: EventKind::IncidentOpened,
        occurred_at: now,
        update: view.updates.last().cloned(),
        incident: view,
    };
    let client = statuswatch_notify::client(statuswatch_fetch::USER_AGENT)?;
    let sent = deliver(&client, channel, &n, now)
        .await
        .map_err(|e| anyhow::anyhow!("channel `{}`: {e}", channel.name))?;
    if !sent {
        bail!("channel `{}` takes no incident events", channel.name);
    }
    crate::out::outln!(
        "Sent a test alert to `{}` ({}).",
        channel.name,
        channel.kind.label()
    );
    Ok(ExitCode::SUCCESS)
}
