//! The PostgreSQL store, for several `serve` nodes sharing one database:
//! due sources are claimed with `FOR UPDATE SKIP LOCKED`, so two nodes never
//! poll the same source at once.

use crate::imp::impl_store;
use crate::{Result, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// PostgreSQL storage.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://...`) and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Other(format!("bad PostgreSQL URL: {e}")))?;
        Self::connect_with(options).await
    }

    /// Connects with explicit options (a schema in `search_path`, say).
    pub async fn connect_with(options: PgConnectOptions) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Other(format!("cannot connect to PostgreSQL: {e}")))?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        let store = PgStore { pool };
        store.backfill_component_states().await?;
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

impl_store!(PgStore, Postgres);
