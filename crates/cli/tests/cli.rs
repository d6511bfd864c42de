//! The `statuswatch` binary as a user runs it, against a loopback vendor.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use statuswatch_testkit::{Reply, Vendor};
use std::path::PathBuf;
use std::time::{Duration, Instant};

struct World {
    rt: tokio::runtime::Runtime,
    vendor: Vendor,
    dir: tempfile::TempDir,
}

fn fixture(name: &str) -> Vec<u8> {
    statuswatch_testkit::fixture!(name)
}

impl World {
    /// A vendor with a Statuspage API at `/sp/` and a page announcing a feed at `/site/`.
    fn new() -> World {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let vendor = rt.block_on(Vendor::start());
        let json = |f: &str| Reply::bytes(fixture(f), "application/json");
        vendor.set(
            "/sp/api/v2/summary.json",
            json("cursor__summary_2026-09-25_incident.json"),
        );
        vendor.set(
            "/sp/api/v2/incidents.json",
            json("github__incidents_2026-08-18.json"),
        );
        vendor.set(
            "/sp/api/v2/scheduled-maintenances.json",
            json("anthropic-claude__scheduled-maintenances_2026-09-15.json"),
        );
        vendor.set(
            "/site/",
            Reply::bytes(
                r#"<!DOCTYPE html><html><head><title>Status</title>
                <link rel="alternate" type="application/atom+xml" href="/site/history.atom"></head><body></body></html>"#,
                "text/html",
            ),
        );
        vendor.set(
            "/site/history.atom",
            Reply::bytes(
                fixture("github__history_atom_2026-08-22.atom"),
                "application/atom+xml",
            ),
        );
        vendor.set(
            "/plain",
            Reply::bytes(
                "<!DOCTYPE html><html><body>hello</body></html>",
                "text/html",
            ),
        );
        World {
            rt,
            vendor,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("sw.db")
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("statuswatch").unwrap();
        c.env("STATUSWATCH_DB", self.db())
            .env_remove("STATUSWATCH_LOG");
        c
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

#[test]
fn add_poll_and_list_a_statuspage() {
    let w = World::new();
    w.cmd()
        .args(["add", &w.vendor.url("/sp/api/v2/summary.json")])
        .assert()
        .success()
        .stdout(predicate::str::contains("Added Cursor (statuspage)"));
    w.cmd()
        .arg("poll")
        .assert()
        .success()
        .stdout(predicate::str::contains("Cursor: ok"));
    w.cmd()
        .arg("poll")
        .assert()
        .success()
        .stdout(predicate::str::contains("Cursor: ok, unchanged"));
    // The page's components, to pick from.
    let comps = w.json(&["components", "Cursor", "--json"]);
    let comps = comps.as_array().unwrap();
    assert!(!comps.is_empty());
    assert!(comps
        .iter()
        .all(|c| c["source"] == "Cursor" && c["status"].is_string()));
    w.cmd()
        .args(["components", "nope"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "no source named `nope`; watched: Cursor",
        ));

    let all = w.json(&["incidents", "--json"]);
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 8, "5 incidents, 2 maintenances, 1 open incident");
    let keys: Vec<&str> = all[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = [
        "id",
        "source",
        "provider",
        "title",
        "kind",
        "impact",
        "status",
        "started_at",
        "resolved_at",
        "scheduled_for",
        "scheduled_until",
        "detected_at",
        "url",
        "components",
        "updates",
    ];
    expected.sort();
    assert_eq!(keys, expected, "exactly the contract's fields");
    let open = w.json(&["incidents", "--json", "--open", "--provider", "cursor"]);
    let open = open.as_array().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(
        open[0]["title"],
        "Investigating service degradation — Grok Bot"
    );
    assert_eq!(open[0]["started_at"], "2026-09-25T23:47:29Z");
    assert_eq!(open[0]["updates"][0]["label"], "Investigating");
    let maint: Vec<&Value> = all.iter().filter(|i| i["kind"] == "maintenance").collect();
    assert_eq!(maint.len(), 2);
    assert!(maint
        .iter()
        .all(|m| m["scheduled_for"].as_str().unwrap().ends_with('Z')));

    w.cmd().arg("incidents").assert().success().stdout(
        predicate::str::contains("STARTED (UTC)").and(predicate::str::contains("Grok Bot")),
    );
}

#[test]
fn a_page_that_announces_its_feed_is_watched_through_the_feed() {
    let w = World::new();
    w.cmd()
        .args(["add", &w.vendor.url("/site/"), "--name", "GH"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Added GH (feed)")
                .and(predicate::str::contains("/site/history.atom")),
        );
    let sources = w.json(&["sources", "--json"]);
    assert_eq!(sources[0]["platform"], "feed");
    assert!(sources[0]["url"]
        .as_str()
        .unwrap()
        .ends_with("/site/history.atom"));
}

#[test]
fn an_unrecognised_or_unreachable_url_is_a_clear_error_and_stores_nothing() {
    let w = World::new();
    w.cmd()
        .args(["add", &w.vendor.url("/plain")])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "is not a status page statuswatch recognises",
        ));
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    w.cmd()
        .args(["add", &format!("http://{closed}/")])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unreachable"));
    w.cmd()
        .args(["add", "ftp://example.com"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("only http"));
    assert_eq!(w.json(&["sources", "--json"]), Value::Array(vec![]));
}

#[test]
fn a_failing_source_fails_the_poll_and_shows_on_sources() {
    let w = World::new();
    w.cmd()
        .args(["add", &w.vendor.url("/sp/")])
        .assert()
        .success();
    w.cmd().arg("poll").assert().success();
    let before = w.json(&["incidents", "--json"]);
    // The live answer fails: the poll fails, and nothing stored changes.
    w.vendor
        .set("/sp/api/v2/summary.json", Reply::Status(500, None));
    w.cmd().arg("poll").assert().code(1).stdout(
        predicate::str::contains("Cursor: error").and(predicate::str::contains("HTTP 500")),
    );
    let s = w.json(&["sources", "--json"]);
    assert_eq!(s[0]["consecutive_failures"], 1);
    assert_eq!(s[0]["last_outcome"], "error");
    assert!(s[0]["last_error"].as_str().unwrap().contains("HTTP 500"));
    assert_eq!(
        w.json(&["incidents", "--json"]),
        before,
        "nothing stored changed"
    );
}

#[test]
fn import_reports_added_skipped_and_refused() {
    let w = World::new();
    let list = w.dir.path().join("vendors.csv");
    std::fs::write(
        &list,
        format!(
            "name,url\nCursor,{sp}\nCursor again,{sp}\nNothing,{plain}\n",
            sp = w.vendor.url("/sp/"),
            plain = w.vendor.url("/plain")
        ),
    )
    .unwrap();
    w.cmd()
        .args(["import", list.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("Added 1, skipped 1, refused 1."));
    assert_eq!(w.json(&["sources", "--json"]).as_array().unwrap().len(), 1);
}

/// Many URLs of one host, imported with the default (wide) concurrency:
/// the host still sees one request start at a time, 250 ms apart at least
/// (the fetcher's per-host politeness), whatever the file lists.
#[test]
fn an_import_of_one_host_stays_polite() {
    let w = World::new();
    let summary = fixture("cursor__summary_2026-09-25_incident.json");
    let list = w.dir.path().join("one-host.csv");
    let mut csv = String::from("name,url\n");
    for k in 0..6 {
        w.vendor.set(
            &format!("/v{k}/api/v2/summary.json"),
            statuswatch_testkit::Reply::bytes(summary.clone(), "application/json"),
        );
        csv.push_str(&format!(
            "Vendor {k},{}\n",
            w.vendor.url(&format!("/v{k}/"))
        ));
    }
    std::fs::write(&list, csv).unwrap();
    w.cmd()
        .args(["import", list.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("Added 6,"));
    let times = w.vendor.all_hit_times();
    assert!(times.len() >= 6, "{} requests", times.len());
    let closest = times
        .windows(2)
        .map(|p| p[1].duration_since(p[0]))
        .min()
        .unwrap();
    assert!(
        closest >= Duration::from_millis(200),
        "two requests to one host {closest:?} apart"
    );
}

#[test]
fn serve_polls_and_answers_until_terminated() {
    let w = World::new();
    w.cmd()
        .args(["add", &w.vendor.url("/sp/")])
        .assert()
        .success();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bin = assert_cmd::cargo::cargo_bin("statuswatch");
    let mut child = std::process::Command::new(bin)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--interval",
            "1s",
        ])
        .env("STATUSWATCH_DB", w.db())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let get = |path: &str| -> Option<Value> {
        w.rt.block_on(async {
            let r = reqwest_get(&format!("http://127.0.0.1:{port}{path}")).await?;
            serde_json::from_str(&r).ok()
        })
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut api = None;
    while Instant::now() < deadline {
        if let Some(v) = get("/api/v1/incidents") {
            if v.as_array().is_some_and(|a| !a.is_empty()) {
                api = Some(v);
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let api = api.expect("serve polled the source and served its incidents");
    assert_eq!(get("/healthz").unwrap()["status"], "ok");
    assert_eq!(
        api,
        w.json(&["incidents", "--json"]),
        "the API serves the same objects as the CLI"
    );
    // Polls keep coming at the 1 s interval.
    let hits = w.vendor.hits("/sp/api/v2/summary.json");
    std::thread::sleep(Duration::from_millis(2500));
    assert!(
        w.vendor.hits("/sp/api/v2/summary.json") > hits,
        "still polling"
    );
    // /metrics carries this process's poll counters and duration histogram.
    let metrics =
        w.rt.block_on(reqwest_get(&format!("http://127.0.0.1:{port}/metrics")))
            .unwrap();
    let polled: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("statuswatch_poll_duration_seconds_count "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(polled >= 2, "{metrics}");
    assert!(metrics.contains("statuswatch_polls_total{outcome=\"unchanged\"}"));

    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    let t = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "clean exit on SIGTERM: {status}");
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "serve did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

async fn reqwest_get(url: &str) -> Option<String> {
    let r = reqwest::get(url).await.ok()?;
    if !r.status().is_success() {
        return None;
    }
    r.text().await.ok()
}

#[test]
fn extract_reads_a_page_from_a_file_and_from_a_url() {
    let w = World::new();
    let file = format!(
        "{}/tests/fixtures/statuspage-incident-page.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let v = w.json(&["extract", &file, "--json"]);
    assert_eq!(v["title"], "Partial Outage of DRACOON Cloud");
    assert_eq!(v["provider"], "DRACOON Cloud");
    assert_eq!(v["status"], "postmortem");
    assert_eq!(v["started_at"], "2025-03-31T05:30:00Z");
    assert_eq!(v["resolved_at"], "2025-03-31T08:56:00Z");
    assert_eq!(v["updates"].as_array().unwrap().len(), 4);
    assert_eq!(
        v["components"][0],
        serde_json::json!({"name": "API (group 01)", "group": "API"})
    );

    w.vendor.set(
        "/incident",
        Reply::bytes(fixture("statuspage-incident-page.txt"), "text/plain"),
    );
    let v = w.json(&["extract", &w.vendor.url("/incident"), "--json"]);
    assert_eq!(v["url"], w.vendor.url("/incident"));
    assert_eq!(v["updates"][3]["label"], "Postmortem");
    w.cmd()
        .args(["extract", &file])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "DRACOON Cloud · major · postmortem",
        ));
    w.cmd()
        .args(["extract", "/no/such/file"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read /no/such/file"));
}

#[test]
fn a_page_with_only_an_incident_timeline_is_watched_as_html() {
    let w = World::new();
    w.vendor.set(
        "/acme/incident",
        Reply::bytes(fixture("statuspage-incident-page.txt"), "text/plain"),
    );
    w.cmd()
        .args(["add", &w.vendor.url("/acme/incident")])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Added DRACOON Cloud (html)")
                .and(predicate::str::contains("1 incidents")),
        );
    w.cmd().arg("poll").assert().success();
    let all = w.json(&["incidents", "--json"]);
    assert_eq!(all[0]["title"], "Partial Outage of DRACOON Cloud");
    assert_eq!(all[0]["provider"], "DRACOON Cloud");
    assert_eq!(all[0]["updates"].as_array().unwrap().len(), 4);
    // An HTML page with no incident timeline is not taken unasked...
    w.cmd()
        .args(["add", &w.vendor.url("/plain")])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--platform html"));
    // ...but is when asked for.
    w.cmd()
        .args([
            "add",
            &w.vendor.url("/plain"),
            "--platform",
            "html",
            "--name",
            "Plain",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Added Plain (html)"));
}

#[test]
fn channels_and_subscriptions_are_managed_in_the_config_file() {
    let w = World::new();
    let receiver = w.rt.block_on(statuswatch_testkit::Receiver::start());
    let cfg = w.dir.path().join("statuswatch.toml");
    std::fs::write(&cfg, "# my settings\ninterval = \"60s\"\n").unwrap();
    let c = cfg.to_str().unwrap();
    w.cmd()
        .args([
            "channel",
            "add",
            "ops",
            "--kind",
            "webhook",
            "--url",
            &receiver.url(),
            "--set",
            "secret=s3cret",
            "--config",
            c,
        ])
        .assert()
        .success();
    w.cmd()
        .args([
            "subscribe",
            "ops",
            "--provider",
            "Cursor",
            "--event",
            "opened",
            "--config",
            c,
        ])
        .assert()
        .success();
    let text = std::fs::read_to_string(&cfg).unwrap();
    assert!(text.starts_with("# my settings\n"), "comments kept: {text}");
    assert!(text.contains("[[channel]]") && text.contains("[[subscription]]"));

    // Invalid changes are refused and leave the file as it was.
    w.cmd()
        .args(["subscribe", "nope", "--config", c])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "channel `nope`, which is not defined",
        ));
    w.cmd()
        .args(["channel", "add", "pd", "--kind", "pagerduty", "--config", c])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("needs routing_key"));
    w.cmd()
        .args(["channel", "remove", "ops", "--config", c])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("has 1 subscription(s)"));
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), text);
    w.cmd()
        .args(["channel", "list", "--config", c])
        .assert()
        .success()
        .stdout(predicate::str::contains("ops (Webhook): 1 subscription(s)"));

    // The wiring works, and the secret never shows.
    w.cmd()
        .args(["test-alert", "ops", "--config", c])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Sent a test alert to `ops`")
                .and(predicate::str::contains("s3cret").not()),
        );
    let got = receiver.received();
    assert_eq!(got.len(), 1);
    assert!(got[0].headers["statuswatch-signature"].contains(",v1="));
    w.cmd()
        .args(["deliveries", "--status", "bogus"])
        .assert()
        .code(1);
    w.cmd()
        .args(["deliveries"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No alert deliveries."));
}

#[test]
fn help_never_shows_a_database_password() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["channel", "add", "--help"],
    ] {
        Command::cargo_bin("statuswatch")
            .unwrap()
            .args(&args)
            .env("STATUSWATCH_DB", "postgres://sw:hunter2@db.example.com/sw")
            .assert()
            .success()
            .stdout(predicate::str::contains("hunter2").not());
    }
}

#[test]
fn the_catalog_lists_searches_and_adds_by_name() {
    let w = World::new();
    let stats = w.json(&["catalog", "stats", "--json"]);
    let total: u64 = stats
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert!(total >= 1000, "{total} vendors");
    assert!(stats["statuspage"].as_u64().unwrap() > 100);
    let hits = w.json(&["catalog", "search", "aws", "--json"]);
    assert!(hits
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["slug"] == "amazon-web-services" && v["platform"] == "aws"));
    w.cmd()
        .args(["catalog", "search", "github"])
        .assert()
        .success()
        .stdout(predicate::str::contains("https://www.githubstatus.com/"));
    w.cmd()
        .args(["catalog", "search", "no-such-vendor-xyz"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("No vendor"));
    // A misspelt name suggests vendors and stores nothing.
    w.cmd()
        .args(["add", "githu"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("did you mean").and(predicate::str::contains("github")));
    let sources = w.json(&["sources", "--json"]);
    assert!(sources.as_array().unwrap().is_empty());
    w.cmd()
        .args(["add", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("catalog"));
}

#[test]
fn poll_reads_the_config_file_so_its_events_reach_the_outbox() {
    let w = World::new();
    let cfg = w.dir.path().join("statuswatch.toml");
    let db = w.dir.path().join("from-file.db");
    std::fs::write(
        &cfg,
        format!(
            "db = {:?}\n[[channel]]\nname = \"ops\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:9/hook\"\n\n[[subscription]]\nchannel = \"ops\"\n",
            db.to_str().unwrap()
        ),
    )
    .unwrap();
    // Every subcommand reads the same layered configuration: the file's
    // database is used by add, poll and deliveries alike.
    let run = |args: &[&str]| {
        let mut c = Command::cargo_bin("statuswatch").unwrap();
        c.env_remove("STATUSWATCH_DB")
            .env_remove("STATUSWATCH_CONFIG")
            .env_remove("STATUSWATCH_LOG")
            .arg("--config")
            .arg(&cfg)
            .args(args);
        c
    };
    run(&["add", &w.vendor.url("/sp/")]).assert().success();
    run(&["poll"]).assert().success();
    let out = run(&["deliveries", "--json"]).output().unwrap();
    assert!(out.status.success());
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert!(!rows.is_empty(), "poll recorded events without outbox rows");
    assert!(rows
        .iter()
        .all(|r| r["channel"] == "ops" && r["status"] == "pending"));
    assert!(db.exists(), "the config file's db was not used");
    assert!(!w.db().exists());
}

#[test]
fn backup_while_serve_runs_is_a_whole_copy_that_restores() {
    let w = World::new();
    w.cmd()
        .args(["add", &w.vendor.url("/sp/")])
        .assert()
        .success();
    w.cmd().arg("poll").assert().success();
    let before = w.json(&["incidents", "--json"]);
    assert!(!before.as_array().unwrap().is_empty());
    // `serve` writes to the store (every second) while the copy is made.
    let bin = assert_cmd::cargo::cargo_bin("statuswatch");
    let mut child = std::process::Command::new(bin)
        .args(["serve", "--listen", "127.0.0.1:0", "--interval", "1s"])
        .env("STATUSWATCH_DB", w.db())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let copy = w.dir.path().join("backup.db");
    w.cmd()
        .args(["backup", copy.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 sources"));
    // Never over an existing file.
    w.cmd()
        .args(["backup", copy.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("exists; backup never overwrites"));
    child.kill().unwrap();
    child.wait().unwrap();
    // Restore: the copy is a database of its own, with everything in it.
    let restored = w.dir.path().join("restored.db");
    std::fs::copy(&copy, &restored).unwrap();
    let out = Command::cargo_bin("statuswatch")
        .unwrap()
        .args(["--db", restored.to_str().unwrap(), "incidents", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let after: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(after, before, "the restored store holds the same incidents");
    // PostgreSQL is pointed to its own tools.
    w.cmd()
        .args(["--db", "postgres://u@127.0.0.1:1/x", "backup", "x.dump"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("pg_dump"));
}

#[test]
fn completions_and_man_pages_are_generated_from_the_commands() {
    let out = Command::cargo_bin("statuswatch")
        .unwrap()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let bash = String::from_utf8(out.stdout).unwrap();
    assert!(
        bash.contains("_statuswatch()"),
        "a bash completion function"
    );
    for sub in ["serve", "page", "backup", "completions"] {
        assert!(bash.contains(sub), "completes {sub}");
    }
    let out = Command::cargo_bin("statuswatch")
        .unwrap()
        .args(["completions", "zsh"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("#compdef statuswatch"));
    Command::cargo_bin("statuswatch")
        .unwrap()
        .args(["completions", "tcsh"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("invalid value 'tcsh'"));

    let out = Command::cargo_bin("statuswatch")
        .unwrap()
        .arg("man")
        .output()
        .unwrap();
    let man = String::from_utf8(out.stdout).unwrap();
    assert!(
        man.contains(".TH statuswatch 1"),
        "{}",
        &man[..man.len().min(200)]
    );
    assert!(
        man.contains("\\-\\-db"),
        "the global options are documented"
    );
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("statuswatch")
        .unwrap()
        .args(["man", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    for page in ["statuswatch.1", "statuswatch-serve.1", "statuswatch-page.1"] {
        let text = std::fs::read_to_string(dir.path().join(page)).unwrap();
        assert!(text.contains(".TH"), "{page}");
    }
}

/// The unit in contrib/ is what `systemd-analyze verify` accepts without a
/// warning (with its ExecStart pointed at this build's binary, which it checks
/// is executable).
#[test]
fn the_systemd_unit_verifies() {
    let Ok(v) = std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
    else {
        statuswatch_testkit::skip("systemd-analyze is not installed");
        return;
    };
    assert!(v.status.success());
    let unit = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../contrib/statuswatch.service"),
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("statuswatch");
    assert!(unit.contains("ExecStart=/usr/local/bin/statuswatch serve"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("statuswatch.service");
    std::fs::write(
        &path,
        unit.replace("/usr/local/bin/statuswatch", bin.to_str().unwrap()),
    )
    .unwrap();
    let out = std::process::Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.trim().is_empty(), "systemd-analyze warned: {stderr}");
}

#[test]
fn prune_deletes_what_ended_long_ago_keeps_what_is_open_and_it_does_not_come_back() {
    let w = World::new();
    w.cmd()
        .args(["add", &w.vendor.url("/sp/")])
        .assert()
        .success();
    w.cmd().arg("poll").assert().success();
    let before = w.json(&["incidents", "--json"]);
    // Cursor's open incident, GitHub's five resolved in August 2026 and
    // Anthropic's two maintenances completed in September 2026.
    assert_eq!(before.as_array().unwrap().len(), 8);
    w.cmd()
        .arg("prune")
        .assert()
        .failure()
        .stderr(predicate::str::contains("[store]").and(predicate::str::contains("--keep")));
    w.cmd()
        .args(["prune", "--keep", "12h"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("under a day"));
    w.cmd()
        .args(["prune", "--keep", "30d"])
        .assert()
        .success()
        .stdout(predicate::str::contains("pruned 7 incidents"));
    let open = w.json(&["incidents", "--json"]);
    let open = open.as_array().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0]["status"], "investigating");
    // The incident leaves the live answer, so the history is read again, the
    // pruned ones still in it: they are not stored (nor alerted) again.
    let mut summary: Value =
        serde_json::from_slice(&fixture("cursor__summary_2026-09-25_incident.json")).unwrap();
    summary["incidents"] = serde_json::json!([]);
    w.vendor
        .set("/sp/api/v2/summary.json", Reply::json(&summary));
    w.cmd().arg("poll").assert().success();
    assert_eq!(
        w.json(&["incidents", "--json"]).as_array().unwrap().len(),
        1
    );
    // Kept in the config file, it is what `prune` uses.
    let cfg = w.dir.path().join("sw.toml");
    std::fs::write(&cfg, "[store]\nkeep = \"1d\"\n").unwrap();
    w.cmd()
        .args(["prune", "--config", cfg.to_str().unwrap()])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("pruned 0 incidents").and(predicate::str::contains("1day")),
        );
}
