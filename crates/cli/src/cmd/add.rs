//! `statuswatch add URL`.

use crate::db;
use anyhow::{anyhow, Result};
use statuswatch_engine::{detect, Detected};
use statuswatch_fetch::Fetcher;
use statuswatch_sources::Platform;
use statuswatch_store::{NewSource, Source, Store, StoreError};
use std::process::ExitCode;
use std::sync::Arc;
use url::Url;

/// Arguments of `add`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The status page: its address, its /api/v2/... URL or its feed URL; or
    /// a vendor of the catalog by slug or name (`github`, see `statuswatch catalog`).
    #[arg(value_name = "URL|VENDOR")]
    pub url: String,
    /// A name for the source (default: the page's own name).
    #[arg(long)]
    pub name: Option<String>,
    /// Use this platform only (see `statuswatch catalog stats` for the names;
    /// html reads any page with the extractor).
    #[arg(long, value_parser = clap::value_parser!(PlatformArg))]
    pub platform: Option<PlatformArg>,
}

/// A platform name on the command line.
#[derive(Debug, Clone, Copy)]
pub struct PlatformArg(pub Platform);

impl std::str::FromStr for PlatformArg {
    type Err = statuswatch_sources::UnknownPlatform;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(PlatformArg)
    }
}

pub async fn run(settings: &crate::config::Settings, args: Args) -> Result<ExitCode> {
    let target = resolve(&args.url)?;
    let (url, platform, name) = match target {
        Target::Url(url) => (url, args.platform.map(|p| p.0), args.name),
        Target::Vendor(v) => {
            crate::out::outln!("{} ({}): {}", v.name, v.slug, v.status_url);
            let platform = match args.platform {
                Some(p) => Some(p.0),
                None => v.platform.and_then(|p| p.parse().ok()),
            };
            (
                Url::parse(v.status_url)?,
                platform,
                args.name.or_else(|| Some(v.name.to_string())),
            )
        }
    };
    let fetcher = super::fetcher(settings.fetch.clone())?;
    let store = db::open(settings.db.clone()).await?;
    let (source, d) = add_one(&store, &fetcher, &url, name, platform, false).await?;
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

/// What `add` was given.
#[derive(Debug)]
pub enum Target {
    /// A URL.
    Url(Url),
    /// A vendor of the catalog.
    Vendor(&'static statuswatch_catalog::Vendor),
}

/// A URL (with a scheme, or a host with a dot) or a vendor of the catalog by
/// slug or name; a word that is neither is an error that suggests vendors.
pub fn resolve(input: &str) -> Result<Target> {
    let trimmed = input.trim();
    if !trimmed.contains("://") {
        if let Some(v) = statuswatch_catalog::get(trimmed) {
            return Ok(Target::Vendor(v));
        }
        if !trimmed.contains('.') {
            let hits = statuswatch_catalog::search(trimmed);
            let suggestions: Vec<String> = hits
                .iter()
                .take(8)
                .map(|v| format!("  {} ({})", v.slug, v.name))
                .collect();
            return Err(if suggestions.is_empty() {
                anyhow!(
                    "`{trimmed}` is neither a URL nor a vendor of the catalog; \
                     give the status page's URL, or find the vendor with `statuswatch catalog search`"
                )
            } else {
                anyhow!(
                    "`{trimmed}` is not a URL, and no vendor of the catalog has exactly that name; did you mean:\n{}\n(add one with `statuswatch add <slug>`)",
                    suggestions.join("\n")
                )
            });
        }
    }
    Ok(Target::Url(super::parse_url(trimmed)?))
}

/// Detects `url` and stores it; nothing is stored when detection fails.
pub async fn add_one(
    store: &Arc<dyn Store>,
    fetcher: &Fetcher,
    url: &url::Url,
    name: Option<String>,
    platform: Option<Platform>,
    on_behalf: bool,
) -> Result<(Source, Detected)> {
    if let Some(s) = store.source_by_url(url.as_str()).await? {
        return Err(anyhow!(AlreadyWatched(s.name)));
    }
    let d = detect(fetcher, url, platform, super::now()).await?;
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
        on_behalf,
    };
    match store.add_source(new, super::now()).await {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_catalog_and_urls_stay_urls() {
        match resolve("GitHub").unwrap() {
            Target::Vendor(v) => assert_eq!(v.status_url, "https://www.githubstatus.com/"),
            t => panic!("{t:?}"),
        }
        match resolve("status.example.com").unwrap() {
            Target::Url(u) => assert_eq!(u.as_str(), "https://status.example.com/"),
            t => panic!("{t:?}"),
        }
        match resolve("https://github.com").unwrap() {
            Target::Url(u) => assert_eq!(u.host_str(), Some("github.com")),
            t => panic!("{t:?}"),
        }
        let e = resolve("githu").unwrap_err().to_string();
        assert!(
            e.contains("did you mean") && e.contains("github (GitHub)"),
            "{e}"
        );
        let e = resolve("zzqqxx").unwrap_err().to_string();
        assert!(e.contains("neither a URL nor a vendor"), "{e}");
    }
}
