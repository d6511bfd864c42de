//! `statuswatch components [SOURCE]`: the components a vendor's page lists,
//! with their current states, to pick the ones to subscribe to.

use crate::{db, table};
use anyhow::{bail, Result};
use serde::Serialize;
use std::process::ExitCode;

/// Arguments of `components`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A source's name or provider (all sources when omitted).
    pub source: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Row<'a> {
    source: &'a str,
    provider: &'a str,
    group: Option<&'a str>,
    name: &'a str,
    status: &'a str,
}

pub async fn run(settings: &crate::config::Settings, args: Args) -> Result<ExitCode> {
    let store = db::open(settings.db.clone()).await?;
    let sources = store.sources().await?;
    let chosen: Vec<_> = match &args.source {
        Some(q) => {
            let q = q.trim();
            let hits: Vec<_> = sources
                .iter()
                .filter(|s| {
                    s.name.eq_ignore_ascii_case(q) || s.provider_name().eq_ignore_ascii_case(q)
                })
                .collect();
            if hits.is_empty() {
                let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
                bail!(
                    "no source named `{q}`; watched: {}",
                    if names.is_empty() {
                        "none yet".to_string()
                    } else {
                        names.join(", ")
                    }
                );
            }
            hits
        }
        None => sources.iter().collect(),
    };
    let rows: Vec<Row> = chosen
        .iter()
        .flat_map(|s| {
            s.components.iter().map(move |c| Row {
                source: &s.name,
                provider: s.provider_name(),
                group: c.group.as_deref(),
                name: &c.name,
                status: &c.status,
            })
        })
        .collect();
    if args.json {
        crate::out::outln!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        crate::out::outln!(
            "No components known yet: they are read from the page on each poll (`statuswatch poll`); \
             some platforms (feeds, AWS, Azure) list none."
        );
        return Ok(ExitCode::SUCCESS);
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.source.to_string(),
                r.group.unwrap_or("-").to_string(),
                r.name.to_string(),
                r.status.to_string(),
            ]
        })
        .collect();
    table::print(&["SOURCE", "GROUP", "COMPONENT", "STATUS"], &cells);
    crate::out::outln!(
        "Alert on some only: statuswatch subscribe <channel> --provider <provider> --component <name or group>"
    );
    Ok(ExitCode::SUCCESS)
}
