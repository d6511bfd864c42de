//! Upgrading: a database made by the previous release (its migrations and
//! its own writes; see `fixtures/previous-release/README.md`) is opened by
//! this one, which brings its schema up to date and loses nothing: every
//! incident, source, page and pending alert reads back as the previous
//! release printed it, and what the new migrations added works on it.

mod support;

use serde_json::Value;
use std::path::Path;

fn previous(name: &str) -> Vec<u8> {
    statuswatch_testkit::fixture!(&format!("previous-release/{name}"))
}

/// The previous release's database, restored from its dump into `file`.
fn restore(file: &Path) {
    use sqlx::Connection;
    let dump = String::from_utf8(previous("db.sql")).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let opts = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(file)
            .create_if_missing(true);
        let mut c = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
        sqlx::raw_sql(&dump).execute(&mut c).await.unwrap();
        let versions: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&mut c)
                .await
                .unwrap();
        assert_eq!(versions, (1..=8).collect::<Vec<_>>(), "the previous schema");
        c.close().await.unwrap();
    });
}

/// Whether everything `old` holds is in `new`, the same (objects may have
/// gained fields since; arrays keep their length and order).
fn holds(new: &Value, old: &Value) -> bool {
    match (new, old) {
        (Value::Object(n), Value::Object(o)) => o
            .iter()
            .all(|(k, v)| n.get(k).is_some_and(|nv| holds(nv, v))),
        (Value::Array(n), Value::Array(o)) => {
            n.len() == o.len() && n.iter().zip(o).all(|(a, b)| holds(a, b))
        }
        (n, o) => n == o,
    }
}

#[test]
fn a_database_of_the_previous_release_upgrades_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    restore(&db);
    let expect = |name: &str| serde_json::from_slice::<Value>(&previous(name)).unwrap();

    // The first command of this release migrates; what it reads holds all
    // the previous release printed, field for field (fields added since may
    // stand beside them).
    for (args, file) in [
        (&["incidents", "--json"][..], "incidents.json"),
        (&["sources", "--json"][..], "sources.json"),
        (&["page", "list", "--json"][..], "pages.json"),
        // The alerts still pending are still pending.
        (&["deliveries", "--json"][..], "deliveries.json"),
    ] {
        let now = support::json(&db, args);
        assert!(
            holds(&now, &expect(file)),
            "{args:?} lost something the previous release printed:\n{now:#}"
        );
    }
    let incidents = expect("incidents.json");
    assert_eq!(incidents.as_array().unwrap().len(), 35);

    // The new schema is there and works on the old rows: retention prunes
    // what ended long ago, keeps what is open and what has an alert pending.
    let out = support::statuswatch(&db)
        .args(["prune", "--keep", "30d"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = support::json(&db, &["incidents", "--json"]);
    let after = after.as_array().unwrap();
    assert!(
        after.len() < 35,
        "GitHub's history of 2026 and before is over 30 days old"
    );
    let deliveries = expect("deliveries.json");
    let pending: Vec<&str> = deliveries
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["incident_id"].as_str().unwrap())
        .collect();
    for id in pending {
        assert!(
            after.iter().any(|i| i["id"] == id),
            "incident {id} has an alert pending: it stays"
        );
    }
    for i in incidents.as_array().unwrap() {
        let open =
            !["resolved", "postmortem", "completed"].contains(&i["status"].as_str().unwrap());
        if open {
            assert!(
                after.iter().any(|a| a["id"] == i["id"]),
                "open {} stays",
                i["id"]
            );
        }
    }
    // Opening it again changes nothing more.
    assert_eq!(
        support::json(&db, &["incidents", "--json"])
            .as_array()
            .unwrap()
            .len(),
        after.len()
    );
}

/// Earlier releases made a page's source due at `serve` start-up and polled
/// `page:<slug>` as a web page, recording failures on it; upgrading puts its
/// schedule and health back (migration 0013).
#[test]
fn a_page_made_due_by_an_earlier_release_is_put_back() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    restore(&db);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sql = |q: &'static str| {
        let db = db.clone();
        rt.block_on(async move {
            let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(&db);
            let mut c = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
            let rows: Vec<(i64, i64, Option<String>)> =
                sqlx::query_as(q).fetch_all(&mut c).await.unwrap();
            c.close().await.unwrap();
            rows
        })
    };
    let hit = sql(
        "UPDATE sources SET next_poll_at = 0, consecutive_failures = 3, last_outcome = 'error', \
         last_error = 'page:team: builder error for url (page:team): URL scheme is not allowed' \
         WHERE platform = 'page' RETURNING id, next_poll_at, last_error",
    );
    assert!(
        !hit.is_empty(),
        "the previous release's database has a page"
    );
    support::json(&db, &["sources", "--json"]);
    let after = sql(
        "SELECT next_poll_at, consecutive_failures, last_error FROM sources WHERE platform = 'page'",
    );
    assert_eq!(after.len(), hit.len());
    for (next, failures, error) in after {
        assert_eq!(next, 253_402_300_799_000, "never due");
        assert_eq!((failures, error), (0, None));
    }
}
