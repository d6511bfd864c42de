//! `statuswatch deliveries`: the alert outbox, so a failed alert is visible.

use crate::{db, table};
use anyhow::{bail, Result};
use statuswatch_store::DeliveryStatus;
use std::process::ExitCode;

/// Arguments of `deliveries`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only `pending`, `delivered`, `failed` or `skipped`.
    #[arg(long)]
    pub status: Option<String>,
    /// At most this many, newest first.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(settings: &crate::config::Settings, args: Args) -> Result<ExitCode> {
    let status = match &args.status {
        Some(s) => match DeliveryStatus::parse(s) {
            Some(d) => Some(d),
            None => bail!("--status `{s}`: use pending, delivered, failed or skipped"),
        },
        None => None,
    };
    let store = db::open(settings.db.clone()).await?;
    let rows = store.deliveries(status, args.limit).await?;
    if args.json {
        crate::out::outln!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        crate::out::outln!("No alert deliveries.");
        return Ok(ExitCode::SUCCESS);
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|d| {
            vec![
                d.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                d.channel.clone(),
                d.kind.clone(),
                d.status.to_string(),
                d.attempts.to_string(),
                d.event_id.clone(),
                d.last_error
                    .as_deref()
                    .map(|e| table::cut(e, 60))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    table::print(
        &[
            "CREATED (UTC)",
            "CHANNEL",
            "EVENT",
            "STATUS",
            "ATTEMPTS",
            "KEY",
            "LAST ERROR",
        ],
        &cells,
    );
    Ok(ExitCode::SUCCESS)
}
