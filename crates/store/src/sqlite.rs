//! The embedded SQLite store (the default): WAL, one writer transaction per
//! applied poll (`BEGIN IMMEDIATE`, so writers queue instead of failing).

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
                    StoreError::open(format!("cannot create {}: {e}", dir.display()), None)
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
            .map_err(|e| {
                StoreError::open(format!("cannot open SQLite database {file}: {e}"), Some(e))
            })?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        let store = SqliteStore { pool };
        store.backfill_component_states().await?;
        store.split_stored_credentials().await?;
        Ok(store)
    }
}

impl SqliteStore {
    /// Writes a consistent copy of the whole database to `target` (SQLite's
    /// `VACUUM INTO`: one read transaction, so writers carry on and the copy
    /// is the database as of one moment). `target` must not exist. The
    /// installation's secrets are left out of the copy (erased, not only
    /// deleted): who holds a backup cannot sign a private page's cookie; a
    /// store restored from it makes new ones, and visitors give the key again.
    pub async fn backup_into(&self, target: &Path) -> Result<()> {
        use sqlx::Connection;
        let file = target;
        let target = target
            .to_str()
            .ok_or_else(|| StoreError::open(format!("{} is not UTF-8", target.display()), None))?;
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&self.pool)
            .await?;
        let options = SqliteConnectOptions::new().filename(file);
        let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
        sqlx::query("PRAGMA secure_delete = ON")
            .execute(&mut conn)
            .await?;
        sqlx::query("DELETE FROM secrets")
            .execute(&mut conn)
            .await?;
        sqlx::query("VACUUM").execute(&mut conn).await?;
        conn.close().await?;
        Ok(())
    }

    /// Reads a backup back without changing it: SQLite's own check of the
    /// file, and how many sources it holds.
    pub async fn check_backup(file: &Path) -> Result<i64> {
        use sqlx::Connection;
        let options = SqliteConnectOptions::new().filename(file).read_only(true);
        let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
        let check: String = sqlx::query_scalar("PRAGMA quick_check")
            .fetch_one(&mut conn)
            .await?;
        if check != "ok" {
            return Err(StoreError::unreadable(format!(
                "{} fails SQLite's check: {check}",
                file.display()
            )));
        }
        let sources: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sources")
            .fetch_one(&mut conn)
            .await?;
        conn.close().await?;
        Ok(sources)
    }

    /// Not paused, written as the partial index `sources_due` is.
    const NOT_PAUSED: &'static str = "paused = 0";

    /// How due rows are locked while they are claimed.
    const CLAIM_LOCK: &'static str = "";

    /// Starts a transaction that will write.
    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

/// The database the shared SQL (`sql/`) is compiled for here.
type Db = Sqlite;
/// The store the shared SQL implements here.
type This = SqliteStore;

// Compiled once per backend on purpose (see `sql/mod.rs`).
#[allow(clippy::duplicate_mod)]
#[path = "sql/mod.rs"]
mod sql;
