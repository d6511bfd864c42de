//! `statuswatch poll`: every source once.

use crate::db;
use anyhow::Result;
use futures::StreamExt;
use statuswatch_engine::{EngineConfig, Poller, SystemClock};
use statuswatch_fetch::FetchConfig;
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `poll`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Sources polled at once.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
}

pub async fn run(db: Option<String>, args: Args) -> Result<ExitCode> {
    let store = db::open(db).await?;
    let sources = store.sources().await?;
    if sources.is_empty() {
        crate::out::outln!("No sources yet. Add one with `statuswatch add <URL>`.");
        return Ok(ExitCode::SUCCESS);
    }
    let poller = Arc::new(Poller::new(
        store,
        super::fetcher(FetchConfig::default())?,
        Arc::new(SystemClock),
        EngineConfig::default(),
    ));
    let mut failed = 0;
    let mut reports = futures::stream::iter(sources.iter().map(|s| {
        let poller = poller.clone();
        async move { poller.poll(s).await }
    }))
    .buffered(args.concurrency.max(1));
    while let Some(report) = reports.next().await {
        if !report.outcome.is_ok() {
            failed += 1;
        }
        crate::out::outln!("{report}");
    }
    if failed > 0 {
        eprintln!("{failed} of {} sources failed", sources.len());
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
