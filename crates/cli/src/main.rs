//! `statuswatch`: watch vendors' status pages, keep their incidents, serve them.

#[macro_use]
mod out;
mod cmd;
mod config;
mod db;
mod input;
mod table;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// jemalloc gives memory back where glibc's allocator keeps it fragmented:
/// measured with statuswatch-fleet at 20,000 sources, a steady `serve` holds
/// 69 MiB with it and 149 MiB without.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Watch public status pages and keep one history of every vendor's incidents.
#[derive(Debug, Parser)]
#[command(name = "statuswatch", version, about, long_about = None)]
pub(crate) struct Cli {
    /// Database: a file path or sqlite:// URL (embedded SQLite, created on
    /// first use) or a postgres:// URL. Default: statuswatch.db in the
    /// platform's data directory.
    #[arg(
        long,
        global = true,
        env = "STATUSWATCH_DB",
        hide_env_values = true,
        value_name = "PATH|URL"
    )]
    db: Option<String>,

    /// A TOML config file (database, polling, fetching, alert channels and
    /// subscriptions, web); flags and STATUSWATCH_* variables override it.
    /// `channel` and `subscribe` edit it (creating it if missing).
    #[arg(long, global = true, env = "STATUSWATCH_CONFIG", value_name = "FILE")]
    config: Option<std::path::PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start watching a status page (a URL or a vendor of the catalog); its platform is detected unless given.
    Add(cmd::add::Args),
    /// The vendors shipped with statuswatch: list, search, count by platform.
    Catalog(cmd::catalog::Args),
    /// The watched sources and their health.
    Sources(cmd::sources::Args),
    /// The components each watched page lists, with their current states.
    Components(cmd::components::Args),
    /// Add many sources from an OPML file or a CSV/TSV of name and URL.
    Import(cmd::import::Args),
    /// Poll every source once and print a line per source.
    Poll(cmd::poll::Args),
    /// Stored incidents, newest first.
    Incidents(cmd::incidents::Args),
    /// One stored incident: summary, times, components, timeline.
    Show(cmd::show::Args),
    /// Run the scheduler and the web server until stopped.
    Serve(cmd::serve::Args),
    /// Manage alert channels in the config file.
    Channel(cmd::channel::Args),
    /// Send events to a channel, filtered by provider, component, impact and kind.
    Subscribe(cmd::channel::SubscribeArgs),
    /// The alert outbox: pending, delivered and failed deliveries.
    Deliveries(cmd::deliveries::Args),
    /// Send a sample alert to a channel of the config file.
    TestAlert(cmd::test_alert::Args),
    /// Read one incident page (a file, its copied text, or a URL) into the incident model.
    Extract(cmd::extract::Args),
    /// Write a consistent copy of the SQLite store to FILE (safe while `serve` runs).
    Backup(cmd::backup::Args),
    /// Delete incidents over for longer than the retention period (`[store] keep` or --keep); open ones stay.
    Prune(cmd::prune::Args),
    /// Status pages of your own, served at /status/<slug>: components, incidents, maintenances.
    Page(cmd::page::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(cmd::docs::CompletionsArgs),
    /// Print the man page, or write one per command into a folder.
    Man(cmd::docs::ManArgs),
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let (path, db) = (cli.config, cli.db);
    let load = |over: config::Overrides| config::load(path.as_deref(), over);
    let plain = || config::Overrides {
        db: db.clone(),
        ..config::Overrides::default()
    };
    match cli.command {
        // `channel` and `subscribe` edit the file, which may not exist yet.
        Command::Channel(a) => cmd::channel::run(path.clone(), a).await,
        Command::Subscribe(a) => cmd::channel::subscribe(path.clone(), a).await,
        Command::Catalog(a) => cmd::catalog::run(a).await,
        Command::Completions(a) => cmd::docs::completions(a),
        Command::Man(a) => cmd::docs::man(a),
        Command::Add(a) => cmd::add::run(&load(plain())?, a).await,
        Command::Sources(a) => cmd::sources::run(&load(plain())?, a).await,
        Command::Components(a) => cmd::components::run(&load(plain())?, a).await,
        Command::Import(a) => cmd::import::run(&load(plain())?, a).await,
        Command::Poll(a) => cmd::poll::run(&load(plain())?, a).await,
        Command::Incidents(a) => cmd::incidents::run(&load(plain())?, a).await,
        Command::Show(a) => cmd::show::run(&load(plain())?, a).await,
        Command::Extract(a) => cmd::extract::run(&load(plain())?, a).await,
        Command::TestAlert(a) => cmd::test_alert::run(&load(plain())?, a).await,
        Command::Deliveries(a) => cmd::deliveries::run(&load(plain())?, a).await,
        Command::Backup(a) => cmd::backup::run(&load(plain())?, a).await,
        Command::Page(a) => cmd::page::run(&load(plain())?, a).await,
        Command::Prune(a) => cmd::prune::run(&load(plain())?, a).await,
        Command::Serve(a) => {
            let over = config::Overrides {
                db: db.clone(),
                listen: a.listen,
                interval: a.interval,
                concurrency: a.concurrency,
                admin_token: a.admin_token,
            };
            cmd::serve::run(load(over)?).await
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("STATUSWATCH_LOG").unwrap_or_else(|_| {
                let default = if matches!(cli.command, Command::Serve(_)) {
                    "info"
                } else {
                    "warn"
                };
                tracing_subscriber::EnvFilter::new(format!("{default},sqlx=warn"))
            }),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = run(cli).await;
    match result {
        Ok(code) => code,
        Err(e) => {
            out::errln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
