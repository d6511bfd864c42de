//! `statuswatch incidents`.

use crate::{db, table};
use anyhow::Result;
use statuswatch_store::IncidentQuery;
use statuswatch_view::IncidentView;
use std::process::ExitCode;

/// Arguments of `incidents`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print a JSON array of the incident model instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Only this provider (the page's name or the source's name).
    #[arg(long)]
    pub provider: Option<String>,
    /// Only incidents and maintenances not over yet.
    #[arg(long)]
    pub open: bool,
    /// At most this many.
    #[arg(long)]
    pub limit: Option<u32>,
}

pub async fn run(settings: &crate::config::Settings, args: Args) -> Result<ExitCode> {
    let store = db::open(settings.db.clone()).await?;
    let rows = store
        .incidents(&IncidentQuery {
            provider: args.provider,
            open_only: args.open,
            source_id: None,
            limit: args.limit,
            // The operator's own view: private pages' incidents too.
            include_private: true,
            ..Default::default()
        })
        .await?;
    let views: Vec<IncidentView> = rows.iter().map(IncidentView::from).collect();
    if args.json {
        crate::out::outln!("{}", serde_json::to_string_pretty(&views)?);
        return Ok(ExitCode::SUCCESS);
    }
    if views.is_empty() {
        crate::out::outln!("No incidents stored.");
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<Vec<String>> = views
        .iter()
        .map(|i| {
            vec![
                i.started_at
                    .map_or_else(|| "-".into(), |t| t.format("%Y-%m-%d %H:%M").to_string()),
                table::cut(&i.provider, 24),
                i.status.to_string(),
                i.impact
                    .map(|x| x.as_str().to_string())
                    .unwrap_or_else(|| "-".into()),
                i.id.clone(),
                table::cut(&i.title, 70),
            ]
        })
        .collect();
    table::print(
        &[
            "STARTED (UTC)",
            "PROVIDER",
            "STATUS",
            "IMPACT",
            "ID",
            "TITLE",
        ],
        &rows,
    );
    Ok(ExitCode::SUCCESS)
}
