//! The binary against hostile vendors and careless hands: vendor text that
//! would drive the terminal, databases named wrong, endless inputs, a
//! PostgreSQL server that refuses, a backup that must not carry secrets.

use assert_cmd::Command;
use serde_json::Value;
use statuswatch_testkit::{Reply, Vendor};
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    statuswatch_testkit::fixture!(name)
}

fn cmd(db: &PathBuf) -> Command {
    let mut c = Command::cargo_bin("statuswatch").unwrap();
    c.env("STATUSWATCH_DB", db).env_remove("STATUSWATCH_LOG");
    c
}

/// What a terminal would obey rather than show.
fn obeyed(out: &[u8]) -> Vec<char> {
    String::from_utf8_lossy(out)
        .chars()
        .filter(|c| (c.is_control() && *c != '\n' && *c != '\t') || *c == '\u{202e}')
        .collect()
}

#[test]
fn vendor_text_never_drives_the_terminal() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let vendor = rt.block_on(Vendor::start());
    let mut summary: Value =
        serde_json::from_slice(&fixture("cursor__summary_2026-09-25_incident.json")).unwrap();
    // Window title, clear screen, OSC 52 clipboard, a hidden line, a reversed name.
    summary["incidents"][0]["name"] = Value::from(
        "Errors\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}]52;c;cm0gLXJmIH4=\u{7} on the API\rhidden\u{202e}",
    );
    summary["incidents"][0]["incident_updates"][0]["body"] =
        Value::from("Looking\u{1b}[8m into\u{8}\u{8} it");
    summary["components"][0]["name"] = Value::from("Edge\u{1b}[31m red");
    summary["page"]["name"] = Value::from("Cursor\u{1b}]0;title\u{7}");
    let json = |b: Vec<u8>| Reply::bytes(b, "application/json");
    vendor.set(
        "/sp/api/v2/summary.json",
        json(serde_json::to_vec(&summary).unwrap()),
    );
    vendor.set(
        "/sp/api/v2/incidents.json",
        json(fixture("github__incidents_2026-08-18.json")),
    );
    vendor.set(
        "/sp/api/v2/scheduled-maintenances.json",
        json(fixture(
            "anthropic-claude__scheduled-maintenances_2026-09-15.json",
        )),
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sw.db");
    let url = vendor.url("/sp/api/v2/summary.json");
    let mut outputs = Vec::new();
    for args in [
        vec!["add", url.as_str(), "--name", "cursor"],
        vec!["poll"],
        vec!["sources"],
        vec!["incidents"],
        vec!["incidents", "--open"],
        vec!["components", "cursor"],
    ] {
        let out = cmd(&db).args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        outputs.push((args.join(" "), out.stdout, out.stderr));
    }
    let open: Value = serde_json::from_slice(
        &cmd(&db)
            .args(["incidents", "--open", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    // JSON keeps the vendor's words whole (escaped by JSON itself).
    assert!(open[0]["title"].as_str().unwrap().contains('\u{1b}'));
    let id = open[0]["id"].as_str().unwrap().to_string();
    let out = cmd(&db).args(["show", &id]).output().unwrap();
    outputs.push(("show".into(), out.stdout, out.stderr));
    for (what, stdout, stderr) in &outputs {
        assert_eq!(obeyed(stdout), Vec::<char>::new(), "{what}: stdout");
        assert_eq!(obeyed(stderr), Vec::<char>::new(), "{what}: stderr");
    }
    // What was there is shown, escaped.
    let shown = String::from_utf8_lossy(&outputs.last().unwrap().1).into_owned();
    assert!(shown.contains("Errors\\u001b]0;pwned\\u0007"), "{shown}");
}

#[test]
fn databases_named_wrong_are_refused_by_name() {
    for (db, says) in [
        ("postgres://", "names no host"),
        ("postgres://localhost", "names no database"),
        ("mysql://u@h/statuswatch", "`mysql://` is not a database"),
        ("http://example.com/db", "`http://` is not a database"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::cargo_bin("statuswatch")
            .unwrap()
            .current_dir(dir.path())
            .args(["--db", db, "sources"])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{db}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{db}: {err}");
        // Nothing was made in the working directory (no odd SQLite file).
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "{db}");
    }
}

#[test]
fn a_postgresql_server_that_refuses_is_named_at_once() {
    // A port nobody listens on.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let db = format!("postgres://sw@127.0.0.1:{port}/statuswatch");
    let out = Command::cargo_bin("statuswatch")
        .unwrap()
        .args(["--db", &db, "sources"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "cannot connect to PostgreSQL at 127.0.0.1:{port}/statuswatch"
        )) && err.to_lowercase().contains("refused"),
        "{err}"
    );
}

#[test]
fn endless_inputs_are_refused_at_their_bound() {
    if !std::path::Path::new("/dev/zero").exists() {
        statuswatch_testkit::skip("no /dev/zero here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sw.db");
    for (args, says) in [
        (
            vec!["extract", "/dev/zero"],
            "/dev/zero holds more than 32 MiB",
        ),
        (
            vec!["import", "/dev/zero"],
            "/dev/zero holds more than 64 MiB",
        ),
        (
            vec!["--config", "/dev/zero", "sources"],
            "/dev/zero holds more than 1 MiB",
        ),
    ] {
        let out = cmd(&db)
            .args(&args)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("statuswatch"))
        .env("STATUSWATCH_DB", &db)
        .args(["extract", "-"])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard input holds more than"));
}

#[test]
fn a_backup_carries_no_secret() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sw.db");
    let made = rt.block_on(async {
        use statuswatch_store::UpkeepStore;
        let s = statuswatch_store::sqlite::SqliteStore::open(db.to_str().unwrap())
            .await
            .unwrap();
        s.secret("page_access_cookie", "the-installations-secret")
            .await
            .unwrap()
    });
    assert_eq!(made, "the-installations-secret");
    let copy = dir.path().join("copy.db");
    let out = cmd(&db)
        .args(["backup", copy.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&copy).unwrap();
    assert!(
        !bytes
            .windows(b"the-installations-secret".len())
            .any(|w| w == b"the-installations-secret"),
        "the secret is in the backup's bytes"
    );
    let again = rt.block_on(async {
        use statuswatch_store::UpkeepStore;
        let s = statuswatch_store::sqlite::SqliteStore::open(copy.to_str().unwrap())
            .await
            .unwrap();
        s.secret("page_access_cookie", "a-new-one").await.unwrap()
    });
    assert_eq!(again, "a-new-one", "a restored store makes its own");
}
