//! The PostgreSQL store, for several `serve` nodes sharing one database:
//! due sources are claimed with `FOR UPDATE SKIP LOCKED`, so two nodes never
//! poll the same source at once.

use crate::{Result, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// How long the first connection may take before the server is said not to answer.
const FIRST_CONNECT: Duration = Duration::from_secs(10);

/// PostgreSQL storage.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://...`) and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::open(format!("bad PostgreSQL URL: {e}"), Some(e)))?;
        Self::connect_with(options).await
    }

    /// Connects with explicit options (a schema in `search_path`, say).
    pub async fn connect_with(options: PgConnectOptions) -> Result<Self> {
        // One connection first, alone and within a few seconds: a server
        // that refuses or does not answer is named now, with its reason,
        // rather than after the pool's 30 s of silent retries.
        {
            use sqlx::Connection;
            let target = format!(
                "{}:{}/{}",
                options.get_host(),
                options.get_port(),
                options.get_database().unwrap_or("")
            );
            match tokio::time::timeout(FIRST_CONNECT, sqlx::PgConnection::connect_with(&options))
                .await
            {
                Ok(Ok(c)) => {
                    let _ = c.close().await;
                }
                Ok(Err(e)) => {
                    return Err(StoreError::open(
                        format!("cannot connect to PostgreSQL at {target}: {e}"),
                        Some(e),
                    ))
                }
                Err(_) => {
                    return Err(StoreError::open(
                        format!(
                            "cannot connect to PostgreSQL at {target}: no answer within {} s",
                            FIRST_CONNECT.as_secs()
                        ),
                        None,
                    ))
                }
            }
        }
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::open(format!("cannot connect to PostgreSQL: {e}"), Some(e)))?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        let store = PgStore { pool };
        store.backfill_component_states().await?;
        store.split_stored_credentials().await?;
        Ok(store)
    }
}

impl PgStore {
    /// Not paused, written as the partial index `sources_due` is.
    const NOT_PAUSED: &'static str = "NOT paused";

    /// How due rows are locked while they are claimed.
    const CLAIM_LOCK: &'static str = " FOR UPDATE SKIP LOCKED";

    /// Starts a transaction that will write.
    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>> {
        Ok(self.pool.begin().await?)
    }
}

/// The database the shared SQL (`sql/`) is compiled for here.
type Db = Postgres;
/// The store the shared SQL implements here.
type This = PgStore;

// Compiled once per backend on purpose (see `sql/mod.rs`).
#[allow(clippy::duplicate_mod)]
#[path = "sql/mod.rs"]
mod sql;
