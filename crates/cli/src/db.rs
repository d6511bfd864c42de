//! The one place that knows which storage backend is in use.

use anyhow::{Context, Result};
use statuswatch_store::postgres::PgStore;
use statuswatch_store::sqlite::SqliteStore;
use statuswatch_store::Store;
use std::sync::Arc;

/// The default database: `statuswatch.db` in the platform's data directory.
pub fn default_path() -> Result<String> {
    let dirs = directories::ProjectDirs::from("", "", "statuswatch")
        .context("no home directory to keep the database in; pass --db")?;
    Ok(dirs
        .data_dir()
        .join("statuswatch.db")
        .to_string_lossy()
        .into_owned())
}

/// Whether `--db` names a PostgreSQL database.
pub fn is_postgres(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// Opens the store named by `--db` (or the default).
pub async fn open(db: Option<String>) -> Result<Arc<dyn Store>> {
    let db = match db.filter(|d| !d.trim().is_empty()) {
        Some(d) => d,
        None => default_path()?,
    };
    if is_postgres(&db) {
        let store = PgStore::connect(&db)
            .await
            .context("opening the PostgreSQL database")?;
        Ok(Arc::new(store))
    } else {
        let store = match SqliteStore::open(&db).await {
            Ok(s) => s,
            // SQLite says "disk I/O error" when it cannot grow its shared
            // memory file or journal: most often a full (or read-only) disk.
            Err(e) if e.to_string().contains("disk I/O error") => {
                anyhow::bail!(
                    "opening the SQLite database {db}: {e} (is its disk full, or read-only?)"
                )
            }
            Err(e) => return Err(e).with_context(|| format!("opening the SQLite database {db}")),
        };
        Ok(Arc::new(store))
    }
}
