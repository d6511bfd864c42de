//! `statuswatch add URL`.

use crate::db;
use anyhow::{anyhow, Result};
use statuswatch_engine::{detect, Detected};
use statuswatch_fetch::{FetchConfig, Fetcher};
use statuswatch_sources::Platform;
use statuswatch_store::{NewSource, Source, Store, StoreError};
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `add`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The status page: its address, its /api/v2/... URL or its feed URL.
    pub url: String,
    /// A name for the source (default: the page's own name).
    #[arg(long)]
    pub name: Option<String>,
    /// Use this platform only: statuspage, feed or html (any page, read with the extractor).
    #[arg(long, value_parser = clap::value_parser!(PlatformArg))]
    pub platform: Option<PlatformArg>,
}

/// A platform name on the command line.
#[derive(Debug, Clone, Copy)]
pub struct PlatformArg(pub Platform);

impl std::str::FromStr for PlatformArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        s.parse().map(PlatformArg)
    }
}

pub async fn run(db: Option<String>, args: Args) -> Result<ExitCode> {
    let url = super::parse_url(&args.url)?;
    let fetcher = super::fetcher(FetchConfig::default())?;
    let store = db::open(db).await?;
    let (source, d) = add_one(
        &store,
        &fetcher,
        &url,
        args.name,
        args.platform.map(|p| p.0),
    )
    .await?;
    crate::out::outln!(
        "Added {} ({}) {}\n  provider: {}; {} components and {} incidents in its answer",
        source.name,
        d.platform,
        d.url,
        d.provider.as_deref().unwrap_or("(not stated)"),
        d.components,
        d.incidents
    );
    Ok(ExitCode::SUCCESS)
}

/// Detects `url` and stores it; nothing is stored when detection fails.
pub async fn add_one(
    store: &Arc<dyn Store>,
    fetcher: &Fetcher,
    url: &url::Url,
    name: Option<String>,
    platform: Option<Platform>,
) -> Result<(Source, Detected)> {
    if let Some(s) = store.source_by_url(url.as_str()).await? {
        return Err(anyhow!(AlreadyWatched(s.name)));
    }
    let d = detect(fetcher, url, platform, chrono::Utc::now()).await?;
    if let Some(s) = store.source_by_url(d.url.as_str()).await? {
        return Err(anyhow!(AlreadyWatched(s.name)));
    }
    let name = name
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .or_else(|| d.provider.clone())
        .unwrap_or_else(|| d.url.host_str().unwrap_or("source").to_string());
    let new = NewSource {
        name: name.clone(),
        url: d.url.to_string(),
        platform: d.platform.as_str().to_string(),
        provider: d.provider.clone(),
    };
    match store.add_source(new, chrono::Utc::now()).await {
        Ok(s) => Ok((s, d)),
        Err(StoreError::Conflict(_)) => Err(anyhow!(
            "a source named `{name}` already exists; choose another name with --name"
        )),
        Err(e) => Err(e.into()),
    }
}

/// The URL is watched already.
#[derive(Debug)]
pub struct AlreadyWatched(pub String);

impl std::fmt::Display for AlreadyWatched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "already watched as `{}`", self.0)
    }
}

impl std::error::Error for AlreadyWatched {}
