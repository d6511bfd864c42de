//! `serve` is killed with SIGKILL at random moments while a vendor moves two
//! incidents through their lives, and restarted each time. Every expected
//! event must reach the webhook receiver, none as two different events, each
//! incident's events in order; repeats of one event (same idempotency key,
//! after a kill between sending and recording) are counted and reported.

mod support;

use serde_json::Value;
use statuswatch_testkit::{Receiver, Vendor};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The scripted life of two incidents, A and B.
const SCRIPT: [(&str, &str, &str); 8] = [
    ("A", "investigating", "A: looking"),
    ("A", "identified", "A: found"),
    ("B", "investigating", "B: looking"),
    ("A", "identified", "A: fix rolling out"),
    ("B", "resolved", "B: fixed"),
    ("A", "monitoring", "A: watching"),
    ("A", "resolved", "A: fixed"),
    ("A", "postmortem", "A: root cause"),
];

fn serve_vendor(v: &Vendor, step: usize) {
    support::serve_statuspage(
        v,
        "",
        support::scripted_incidents("crash", &SCRIPT, step),
        Duration::ZERO,
    );
}

#[test]
fn serve_killed_at_random_moments_loses_and_duplicates_nothing() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let vendor = rt.block_on(Vendor::start());
    let receiver = rt.block_on(Receiver::start());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sw.db");
    let config = dir.path().join("statuswatch.toml");
    std::fs::write(
        &config,
        format!(
            "[fetch]\ntimeout = \"2s\"\nper_host_interval = \"0ms\"\n\n[[channel]]\nname = \"ops\"\nkind = \"webhook\"\nurl = \"{}\"\nsecret = \"s\"\n\n[[subscription]]\nchannel = \"ops\"\n",
            receiver.url()
        ),
    )
    .unwrap();
    serve_vendor(&vendor, 0);
    let bin = assert_cmd::cargo::cargo_bin("statuswatch");
    let status = std::process::Command::new(&bin)
        .args(["add", &vendor.url("/"), "--platform", "statuspage"])
        .env("STATUSWATCH_DB", &db)
        .output()
        .unwrap();
    assert!(status.status.success());
    let start = || {
        std::process::Command::new(&bin)
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--interval",
                "1s",
                "--config",
                config.to_str().unwrap(),
            ])
            .env("STATUSWATCH_DB", &db)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };

    // Deterministic "random" kill times, so a failure can be replayed.
    let mut seed: u64 = 0x5eed_cafe;
    let mut next = |lo: u64, hi: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        lo + (seed >> 33) % (hi - lo)
    };
    let mut kills = 0;
    let mut child = start();
    let mut step = 0;
    let mut step_at = Instant::now();
    while step < 8 {
        std::thread::sleep(Duration::from_millis(next(150, 1300)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
        child = start();
        if step_at.elapsed() > Duration::from_millis(1500) {
            step += 1;
            serve_vendor(&vendor, step);
            step_at = Instant::now();
        }
    }
    // Let the last node finish: polls, and deliveries leased by killed nodes (20 s).
    let expected = 8;
    let deadline = Instant::now() + Duration::from_secs(45);
    let distinct = |r: &Receiver| {
        let mut ids: Vec<String> = r
            .received()
            .iter()
            .filter(|x| x.answered == 200)
            .map(|x| x.headers["idempotency-key"].clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids.len()
    };
    while distinct(&receiver) < expected && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_millis(1500));
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    child.wait().unwrap();

    let received = receiver.received();
    let mut first_seen: Vec<Value> = Vec::new();
    let mut count: HashMap<String, usize> = HashMap::new();
    for r in received.iter().filter(|r| r.answered == 200) {
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        let id = body["id"].as_str().unwrap().to_string();
        *count.entry(id.clone()).or_default() += 1;
        if count[&id] == 1 {
            first_seen.push(body);
        }
    }
    let repeats: usize = count.values().map(|c| c - 1).sum();
    let got: Vec<(String, String, String)> = first_seen
        .iter()
        .map(|b| {
            (
                b["incident"]["title"].as_str().unwrap().to_string(),
                b["type"].as_str().unwrap().to_string(),
                b["update"]["body"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    eprintln!(
        "crash test: {kills} kills, {} deliveries received, {} distinct events, {repeats} repeats of an acknowledged key",
        received.len(),
        got.len()
    );
    let per = |who: &str| -> Vec<(String, String)> {
        got.iter()
            .filter(|g| g.0 == format!("Incident crash{who}"))
            .map(|g| (g.1.clone(), g.2.clone()))
            .collect()
    };
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        per("A"),
        [
            s("incident.opened", "A: looking"),
            s("incident.updated", "A: found"),
            s("incident.updated", "A: fix rolling out"),
            s("incident.updated", "A: watching"),
            s("incident.resolved", "A: fixed"),
            s("incident.updated", "A: root cause"),
        ],
        "every event of A, once, in order"
    );
    assert_eq!(
        per("B"),
        [
            s("incident.opened", "B: looking"),
            s("incident.resolved", "B: fixed")
        ]
    );
    assert_eq!(
        got.len(),
        expected,
        "no event twice under two ids, none lost"
    );
    assert!(kills >= 8, "{kills} kills");
}
