//! The embedded SQLite store (the default): WAL, one writer transaction per
//! applied poll (`BEGIN IMMEDIATE`, so writers queue instead of failing).

use crate::imp::impl_store;
use crate::{Result, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// SQLite storage in one file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` (a file path or a
    /// `sqlite://` URL) and brings its schema up to date.
    pub async fn open(path: &str) -> Result<Self> {
        let file = path.strip_prefix("sqlite://").unwrap_or(path);
        let file = file.strip_prefix("sqlite:").unwrap_or(file);
        if let Some(dir) = Path::new(file).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    StoreError::Other(format!("cannot create {}: {e}", dir.display()))
                })?;
            }
        }
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{file}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Other(format!("cannot open SQLite database {file}: {e}")))?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        let store = SqliteStore { pool };
        store.backfill_component_states().await?;
        Ok(store)
    }
}

impl SqliteStore {
    /// Not paused, written as the partial index `sources_due` is.
    const NOT_PAUSED: &'static str = "paused = 0";

    /// How due rows are locked while they are claimed.
    const CLAIM_LOCK: &'static str = "";

    /// Starts a transaction that will write.
    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

impl_store!(SqliteStore, Sqlite);
