//! `statuswatch poll`: every source once.

use crate::db;
use anyhow::Result;
use futures::StreamExt;
use statuswatch_engine::{Poller, SystemClock};
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `poll`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Sources polled at once.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
}

pub async fn run(settings: &crate::config::Settings, args: Args) -> Result<ExitCode> {
    let store = db::open(settings.db.clone()).await?;
    // Pages of one's own are written, not polled.
    let sources = store.watched_sources().await?;
    if sources.is_empty() {
        crate::out::outln!("No sources yet. Add one with `statuswatch add <URL>`.");
        return Ok(ExitCode::SUCCESS);
    }
    // The configuration's routing: events recorded here get their outbox rows
    // in the poll's transaction, and `serve` delivers them.
    let poller = Arc::new(
        Poller::new(
            store,
            super::fetcher(settings.fetch.clone())?,
            Arc::new(SystemClock),
            settings.engine.clone(),
        )
        .with_subscriptions(settings.subscriptions.clone()),
    );
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
