//! `statuswatch prune`: retention run once, by hand or from cron. `serve`
//! runs the same pass every hour when `[store] keep` is set.

use anyhow::{bail, Result};
use statuswatch_engine::{Retention, SystemClock};
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `prune`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Keep incidents this long once over (`90d`, `2y`); default: `[store] keep`.
    #[arg(long, value_name = "DURATION")]
    pub keep: Option<String>,
}

pub async fn run(settings: &crate::config::Settings, args: Args) -> Result<ExitCode> {
    let keep = match (&args.keep, settings.engine.keep) {
        (Some(t), _) => crate::config::keep("--keep", t)?,
        (None, Some(k)) => k,
        (None, None) => bail!(
            "no retention period: set `keep` under [store] in the config file, or pass --keep (e.g. --keep 2y)"
        ),
    };
    let store = crate::db::open(settings.db.clone()).await?;
    let pruned = Retention::new(store, Arc::new(SystemClock), keep)
        .run_once()
        .await?;
    println!(
        "pruned {} incidents and {} events over for longer than {}",
        pruned.incidents,
        pruned.events,
        humantime::format_duration(keep)
    );
    Ok(ExitCode::SUCCESS)
}
