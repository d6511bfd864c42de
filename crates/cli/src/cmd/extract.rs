//! `statuswatch extract FILE|URL`: read one incident page.

use anyhow::{bail, Context, Result};
use statuswatch_extract::extract;
use statuswatch_fetch::{FetchConfig, Fetched, Validators};
use statuswatch_store::StoredIncident;
use statuswatch_view::IncidentView;
use std::process::ExitCode;

/// Arguments of `extract`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// An incident page: a file (HTML or its copied text; `-` for standard input) or an http(s) URL.
    pub input: String,
    /// Print the incident model as JSON.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(settings: &crate::config::Settings, args: Args) -> Result<ExitCode> {
    let (text, url) = read_input(&args.input, settings.fetch.clone()).await?;
    let now = super::now();
    let x = extract(&text, now).with_context(|| format!("reading {}", args.input))?;
    for w in &x.warnings {
        crate::out::errln!("warning: {w}");
    }
    let mut incident = x.incident;
    if incident.url.is_none() {
        incident.url = url;
    }
    let stored = StoredIncident {
        id: incident.vendor_id.clone(),
        source_id: 0,
        source: args.input.clone(),
        provider: x.provider.clone().unwrap_or_default(),
        detected_at: now,
        incident,
    };
    if args.json {
        crate::out::outln!(
            "{}",
            serde_json::to_string_pretty(&IncidentView::from(&stored))?
        );
    } else {
        crate::out::outln!("{}", super::show::render(&stored, now, false));
    }
    Ok(ExitCode::SUCCESS)
}

async fn read_input(input: &str, fetch: FetchConfig) -> Result<(String, Option<String>)> {
    if input.starts_with("http://") || input.starts_with("https://") {
        let url = super::parse_url(input)?;
        let fetcher = super::fetcher(fetch)?;
        match fetcher
            .get(&url, &Validators::default())
            .await
            .with_context(|| format!("fetching {url}"))?
        {
            Fetched::Body {
                bytes, final_url, ..
            } => Ok((
                String::from_utf8_lossy(&bytes).into_owned(),
                Some(final_url.to_string()),
            )),
            Fetched::NotModified => bail!("{url} answered 304 to an unconditional request"),
        }
    } else if input == "-" {
        let bytes = crate::input::read_bounded(
            std::io::stdin(),
            crate::input::PAGE_LIMIT,
            "standard input",
        )?;
        Ok((String::from_utf8_lossy(&bytes).into_owned(), None))
    } else {
        let bytes = crate::input::read_file(std::path::Path::new(input), crate::input::PAGE_LIMIT)?;
        Ok((String::from_utf8_lossy(&bytes).into_owned(), None))
    }
}
