//! `statuswatch` survives its surroundings: PostgreSQL restarting under
//! `serve` (it reconnects and loses nothing), an SQLite disk that fills up and
//! a database another process holds locked (polls fail visibly, nothing is
//! half written, the next poll after stores what was missed, once).

mod support;

use serde_json::{json, Value};
use statuswatch_testkit::{Receiver, Reply, Vendor};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SUMMARY: &str = "/sp/api/v2/summary.json";

fn fixture(name: &str) -> Value {
    serde_json::from_slice(&statuswatch_testkit::fixture!(name)).unwrap()
}

/// Cursor's real page, its one incident taken to `status` (each step adds
/// its update), with `body` as the newest update's text.
fn cursor_at(v: &Vendor, steps: &[&str], body: &str) {
    let mut summary = fixture("cursor__summary_2026-09-25_incident.json");
    let page = summary["page"].clone();
    let incident = &mut summary["incidents"][0];
    let id = incident["id"].clone();
    for (n, status) in steps.iter().enumerate() {
        let at = format!("2026-09-26T01:{:02}:00.000Z", n * 5);
        let update = json!({"id": format!("u{n}"), "status": status, "body": format!("{status}: {body}"),
            "incident_id": id, "created_at": at, "updated_at": at, "display_at": at, "affected_components": null});
        incident["incident_updates"]
            .as_array_mut()
            .unwrap()
            .insert(0, update);
        incident["status"] = json!(status);
        if *status == "resolved" {
            incident["resolved_at"] = json!(at);
        }
    }
    let all = json!({"page": page, "incidents": summary["incidents"].clone()});
    if steps.last() == Some(&"resolved") {
        summary["incidents"] = json!([]);
    }
    v.set(SUMMARY, Reply::json(&summary));
    v.set("/sp/api/v2/incidents.json", Reply::json(&all));
    v.set(
        "/sp/api/v2/scheduled-maintenances.json",
        Reply::json(&json!({"page": page, "scheduled_maintenances": []})),
    );
}

/// Event types the receiver got, each event once (by its idempotency key),
/// in the order first received.
fn received_types(r: &Receiver) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    r.received()
        .iter()
        .filter(|x| x.answered == 200)
        .filter(|x| seen.insert(x.headers["idempotency-key"].clone()))
        .map(|x| {
            serde_json::from_slice::<Value>(&x.body).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

fn wait_for(what: &str, within: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < within, "{what}: not within {within:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn postgresql_restarting_under_serve_loses_nothing() {
    let Ok(server) = std::env::var("STATUSWATCH_TEST_POSTGRES_URL") else {
        statuswatch_testkit::skip(
            "PostgreSQL restarting under serve (set STATUSWATCH_TEST_POSTGRES_URL to run it)",
        );
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = support::Database::create(&rt, &server, "restart");
    let upstream = {
        let u = url::Url::parse(&db.url).unwrap();
        let host = u.host_str().unwrap().to_string();
        std::net::ToSocketAddrs::to_socket_addrs(&(host.as_str(), u.port().unwrap_or(5432)))
            .unwrap()
            .next()
            .unwrap()
    };
    let proxy = rt.block_on(support::Proxy::start(upstream));
    let through_proxy = {
        let mut u = url::Url::parse(&db.url).unwrap();
        u.set_port(Some(proxy.addr.port())).unwrap();
        u.set_host(Some("127.0.0.1")).unwrap();
        u.to_string()
    };
    let vendor = rt.block_on(Vendor::start());
    let receiver = rt.block_on(Receiver::start());
    cursor_at(&vendor, &[], "");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("statuswatch.toml");
    std::fs::write(
        &config,
        format!(
            "[fetch]\ntimeout = \"2s\"\nper_host_interval = \"0ms\"\n\n[[channel]]\nname = \"ops\"\nkind = \"webhook\"\nurl = \"{}\"\n\n[[subscription]]\nchannel = \"ops\"\n",
            receiver.url()
        ),
    )
    .unwrap();
    let out = support::statuswatch(&db.url)
        .args(["add", &vendor.url("/sp/"), "--platform", "statuspage"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = dir.path().join("serve.log");
    let mut serve = support::statuswatch(&through_proxy)
        .args(["--config", config.to_str().unwrap()])
        .args(["serve", "--listen", "127.0.0.1:0", "--interval", "1s"])
        .env("STATUSWATCH_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    wait_for("the opening alert", Duration::from_secs(30), || {
        received_types(&receiver).len() == 1
    });

    // PostgreSQL goes away for five seconds while the vendor moves on.
    proxy.down();
    cursor_at(&vendor, &["identified"], "found it");
    std::thread::sleep(Duration::from_secs(5));
    assert!(
        serve.try_wait().unwrap().is_none(),
        "serve exited when PostgreSQL went away"
    );
    proxy.up();
    wait_for(
        "the update after the restart",
        Duration::from_secs(45),
        || received_types(&receiver).len() == 2,
    );
    cursor_at(&vendor, &["identified", "resolved"], "fixed");
    wait_for("the resolution", Duration::from_secs(30), || {
        received_types(&receiver).len() == 3
    });
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        serve.try_wait().unwrap().is_none(),
        "serve is still running"
    );
    serve.kill().unwrap();
    serve.wait().unwrap();
    assert_eq!(
        received_types(&receiver),
        ["incident.opened", "incident.updated", "incident.resolved"],
        "every alert once, in order"
    );
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.to_lowercase().contains("error") || text.contains("WARN"),
        "the outage was not visible in the log:\n{text}"
    );
    let out = support::statuswatch(&db.url)
        .args(["incidents", "--json"])
        .output()
        .unwrap();
    let all: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert_eq!(all[0]["status"], "resolved");
    assert_eq!(all[0]["updates"].as_array().unwrap().len(), 3);
}

/// A tmpfs of `kib` KiB mounted at a fresh folder, unmounted when dropped; `None`
/// where mounting is not allowed (not root, no tmpfs).
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(kib: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills what is left with a file, until the disk says it is full, then
    /// gives `leave_kib` back.
    fn fill(&self, leave_kib: u64) -> PathBuf {
        use std::io::Write;
        let filler = self.path().join(format!("filler-{leave_kib}"));
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        let _ = f.flush();
        let len = f.metadata().unwrap().len();
        f.set_len(len.saturating_sub(leave_kib * 1024)).unwrap();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn poll(db: &str) -> (bool, String) {
    let out = support::statuswatch(db).arg("poll").output().unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn incidents(db: &str) -> Value {
    support::json(db, &["incidents", "--json"])
}

#[test]
fn a_full_disk_fails_polls_visibly_and_writes_nothing_half() {
    let Some(disk) = SmallDisk::mount(16 * 1024) else {
        statuswatch_testkit::skip("a full disk (mounting a small tmpfs needs root)");
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let vendor = rt.block_on(Vendor::start());
    cursor_at(&vendor, &[], "");
    let db = disk.path().join("sw.db").to_str().unwrap().to_string();
    assert!(support::statuswatch(&db)
        .args(["add", &vendor.url("/sp/"), "--platform", "statuspage"])
        .status()
        .unwrap()
        .success());
    let (ok, out) = poll(&db);
    assert!(ok, "{out}");
    let before = incidents(&db);
    assert_eq!(before.as_array().unwrap().len(), 1);

    // The disk all but fills up (room to open the database, not to write
    // much); the vendor posts a long update.
    let filler = disk.fill(128);
    let long = "x".repeat(512 * 1024);
    cursor_at(&vendor, &["identified"], &long);
    let (ok, out) = poll(&db);
    assert!(
        !ok,
        "a poll that could not store its answer must fail: {out}"
    );
    assert!(
        out.contains("error") && out.to_lowercase().contains("full"),
        "the failure should say the disk is full: {out}"
    );
    assert_eq!(incidents(&db), before, "nothing half written");

    // Full to the last byte: whether the database can still be opened (its
    // shared-memory file may be left from before) or not, the poll fails
    // and says the disk is full (at opening, with that as its likely cause).
    let more = disk.fill(0);
    let (ok, out) = poll(&db);
    assert!(!ok && out.to_lowercase().contains("full"), "{out}");
    std::fs::remove_file(more).unwrap();
    assert_eq!(incidents(&db), before, "nothing half written");

    // Space again: the next poll stores what was missed, once.
    std::fs::remove_file(filler).unwrap();
    let (ok, out) = poll(&db);
    assert!(ok, "{out}");
    let after = incidents(&db);
    assert_eq!(after[0]["status"], "identified");
    assert_eq!(after[0]["updates"].as_array().unwrap().len(), 2);
    let (ok, out) = poll(&db);
    assert!(ok && out.contains("unchanged"), "{out}");
    let check = Command::new("sqlite3")
        .args([&db, "PRAGMA integrity_check;"])
        .output();
    if let Ok(check) = check {
        if check.status.success() {
            assert_eq!(String::from_utf8_lossy(&check.stdout).trim(), "ok");
        }
    }
}

#[test]
fn a_database_held_locked_fails_polls_visibly_and_loses_nothing() {
    use sqlx::Connection;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let vendor = rt.block_on(Vendor::start());
    cursor_at(&vendor, &[], "");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sw.db").to_str().unwrap().to_string();
    assert!(support::statuswatch(&db)
        .args(["add", &vendor.url("/sp/"), "--platform", "statuspage"])
        .status()
        .unwrap()
        .success());
    let (ok, out) = poll(&db);
    assert!(ok, "{out}");
    let before = incidents(&db);

    // Another process (a backup tool, a hand-run sqlite3) holds the write lock
    // past the store's 30 s busy timeout.
    let mut holder = rt.block_on(async {
        let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{db}"))
            .await
            .unwrap();
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut c)
            .await
            .unwrap();
        c
    });
    cursor_at(&vendor, &["identified"], "found it");
    let started = Instant::now();
    let (ok, out) = poll(&db);
    assert!(!ok, "{out}");
    assert!(
        out.contains("error") && out.contains("locked"),
        "the failure should say the database is locked: {out}"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(25),
        "it waited for the lock first"
    );
    assert_eq!(incidents(&db), before);
    rt.block_on(async {
        sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();
        holder.close().await.unwrap();
    });
    let (ok, out) = poll(&db);
    assert!(ok, "{out}");
    let after = incidents(&db);
    assert_eq!(after[0]["updates"].as_array().unwrap().len(), 2);
    let (ok, out) = poll(&db);
    assert!(ok && out.contains("unchanged"), "{out}");
}
