//! `statuswatch backup FILE`: a consistent copy of the SQLite store, safe
//! while `serve` runs.

use anyhow::{bail, Context, Result};
use statuswatch_store::sqlite::SqliteStore;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `backup`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the copy (must not exist; never overwritten).
    pub file: PathBuf,
}

pub async fn run(settings: &crate::config::Settings, args: Args) -> Result<ExitCode> {
    let db = match settings.db.clone().filter(|d| !d.trim().is_empty()) {
        Some(d) => d,
        None => crate::db::default_path()?,
    };
    if crate::db::is_postgres(&db) {
        bail!(
            "backup copies the embedded SQLite store; this one is PostgreSQL: use its own tools, \
             e.g. `pg_dump --format=custom --file {} <the database URL>` (restore with pg_restore)",
            args.file.display()
        );
    }
    if args.file.exists() {
        bail!(
            "{} exists; backup never overwrites a file (remove it or pick another name)",
            args.file.display()
        );
    }
    let store = SqliteStore::open(&db)
        .await
        .with_context(|| format!("opening the SQLite database {db}"))?;
    // Written under a temporary name beside the target, renamed when whole:
    // a backup cut short never has the name of a good one.
    let dir = args
        .file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let name = args
        .file
        .file_name()
        .context("the backup needs a file name")?
        .to_string_lossy()
        .into_owned();
    let partial = dir.join(format!(".{name}.partial-{}", std::process::id()));
    let _ = std::fs::remove_file(&partial);
    let copied = store.backup_into(&partial).await;
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(e).context(format!("writing the backup to {}", dir.display()));
    }
    // Check the copy before giving it the final name.
    let sources = match SqliteStore::check_backup(&partial).await {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e).context("the backup did not read back");
        }
    };
    std::fs::rename(&partial, &args.file)
        .with_context(|| format!("naming the backup {}", args.file.display()))?;
    let bytes = std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or(0);
    crate::out::outln!(
        "Backed up {db} to {} ({sources} sources, {:.1} MiB).",
        args.file.display(),
        bytes as f64 / (1024.0 * 1024.0)
    );
    Ok(ExitCode::SUCCESS)
}
