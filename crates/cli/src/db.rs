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

/// What `--db` names, checked: a file path, `sqlite://PATH`, or a
/// `postgres://` URL with a host and a database. Anything else with a
/// scheme (`mysql://`, `http://`) is refused rather than taken for a
/// file name, and a bare `postgres://` rather than taken for the local
/// server and the user's own database.
pub fn check(db: &str) -> Result<()> {
    if let Some((scheme, _)) = db.split_once("://") {
        match scheme.to_ascii_lowercase().as_str() {
            "sqlite" => {}
            "postgres" | "postgresql" => {
                let u = url::Url::parse(db)
                    .with_context(|| format!("--db: `{}` is not a PostgreSQL URL", redact(db)))?;
                let host = u.host_str().unwrap_or("");
                let name = u.path().trim_start_matches('/');
                if host.is_empty() || name.is_empty() {
                    anyhow::bail!(
                        "--db: `{}` names no {}; write postgres://USER@HOST[:PORT]/DATABASE",
                        redact(db),
                        if host.is_empty() { "host" } else { "database" }
                    );
                }
            }
            other => anyhow::bail!(
                "--db: `{other}://` is not a database statuswatch uses; give a file path, sqlite://PATH or postgres://USER@HOST/DATABASE"
            ),
        }
    }
    Ok(())
}

/// A database URL with its password hidden, to name it in a message.
pub fn redact(db: &str) -> String {
    // By hand, so a URL too broken to parse is redacted too.
    let Some((scheme, rest)) = db.split_once("://") else {
        return db.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => match rest[..at].split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***{}", &rest[at..]),
            None => db.to_string(),
        },
        None => db.to_string(),
    }
}

/// Opens the store named by `--db` (or the default).
pub async fn open(db: Option<String>) -> Result<Arc<dyn Store>> {
    let db = match db.filter(|d| !d.trim().is_empty()) {
        Some(d) => d,
        None => default_path()?,
    };
    check(&db)?;
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
            Err(e) if e.disk_io() => {
                anyhow::bail!(
                    "opening the SQLite database {db}: {e} (is its disk full, or read-only?)"
                )
            }
            Err(e) => return Err(e).with_context(|| format!("opening the SQLite database {db}")),
        };
        Ok(Arc::new(store))
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn database_names_are_checked() {
        for ok in [
            "/var/lib/statuswatch/sw.db",
            "sw.db",
            "sqlite:///tmp/sw.db",
            "sqlite:sw.db",
            "postgres://sw@db.internal/statuswatch",
            "postgresql://sw:pw@127.0.0.1:5432/test",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        let err = |db: &str| format!("{:#}", check(db).unwrap_err());
        assert!(err("postgres://").contains("names no host"));
        assert!(err("postgres://localhost").contains("names no database"));
        assert!(err("mysql://u@h/db").contains("`mysql://` is not a database"));
        assert!(err("http://example.com/db").contains("`http://` is not a database"));
        assert!(!err("postgres://u:secret@/db").contains("secret"));
        assert_eq!(
            super::redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
    }
}
