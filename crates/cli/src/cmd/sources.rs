//! `statuswatch sources`.

use crate::{db, table};
use anyhow::Result;
use statuswatch_web::api::SourceView;
use std::process::ExitCode;

/// Arguments of `sources`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(settings: &crate::config::Settings, args: Args) -> Result<ExitCode> {
    let store = db::open(settings.db.clone()).await?;
    let views: Vec<SourceView> = store
        .sources()
        .await?
        .iter()
        .map(SourceView::from)
        .collect();
    if args.json {
        crate::out::outln!("{}", serde_json::to_string_pretty(&views)?);
        return Ok(ExitCode::SUCCESS);
    }
    if views.is_empty() {
        crate::out::outln!("No sources yet. Add one with `statuswatch add <URL>`.");
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<Vec<String>> = views
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                s.platform.clone(),
                s.last_poll_at
                    .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                    .unwrap_or_else(|| "never".into()),
                s.last_outcome.map_or_else(|| "-".into(), |o| o.to_string()),
                s.consecutive_failures.to_string(),
                match (&s.last_error, &s.warning) {
                    (Some(e), _) => table::cut(e, 80),
                    (None, Some(w)) => table::cut(&format!("warning: {w}"), 80),
                    (None, None) => String::new(),
                },
                s.url.clone(),
            ]
        })
        .collect();
    table::print(
        &[
            "NAME",
            "PLATFORM",
            "LAST POLL (UTC)",
            "OUTCOME",
            "FAILURES",
            "LAST ERROR",
            "URL",
        ],
        &rows,
    );
    Ok(ExitCode::SUCCESS)
}
