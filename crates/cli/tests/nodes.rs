//! Three `serve` nodes share one PostgreSQL store while one of them, chosen at
//! random, is killed with SIGKILL and restarted again and again (often in the
//! middle of a poll: the vendors answer slowly), and vendors
//! move their incidents through their lives. Every source must keep being
//! polled (a killed node's leases run out and another node takes its sources),
//! and every event must reach the webhook receiver once under one id, each
//! incident's events in order, whichever node sent it.
//!
//! Needs `STATUSWATCH_TEST_POSTGRES_URL` (a server where a database may be
//! created); says plainly that it skipped without it.

mod support;

use serde_json::Value;
use statuswatch_testkit::{Receiver, Vendor};
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SOURCES: usize = 6;
const NODES: usize = 3;
const STEPS: usize = 6;

/// Source `k`'s page after `step` steps of a scripted life of two incidents
/// (the summary answers slowly: a node is often killed in the middle of a
/// poll, holding the source's lease).
fn serve_vendor(v: &Vendor, k: usize, step: usize) {
    let steps = [
        ("A", "investigating", "looking"),
        ("B", "investigating", "looking"),
        ("A", "identified", "found"),
        ("B", "resolved", "fixed"),
        ("A", "monitoring", "watching"),
        ("A", "resolved", "fixed"),
    ];
    assert_eq!(steps.len(), STEPS);
    let bodies: Vec<String> = steps
        .iter()
        .map(|(who, _, text)| format!("{who}{k}: {text}"))
        .collect();
    let script: Vec<(&str, &str, &str)> = steps
        .iter()
        .zip(&bodies)
        .map(|((who, status, _), body)| (*who, *status, body.as_str()))
        .collect();
    support::serve_statuspage(
        v,
        &format!("/p{k}"),
        support::scripted_incidents(&format!("s{k}"), &script, step),
        Duration::from_millis(400),
    );
}

#[test]
fn nodes_killed_at_random_keep_every_source_polled_and_alert_once() {
    let Ok(server) = std::env::var("STATUSWATCH_TEST_POSTGRES_URL") else {
        statuswatch_testkit::skip(
            "three nodes on PostgreSQL (set STATUSWATCH_TEST_POSTGRES_URL to run it)",
        );
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = support::Database::create(&rt, &server, "nodes");
    let vendor = rt.block_on(Vendor::start());
    let receiver = rt.block_on(Receiver::start());
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("statuswatch.toml");
    // A 1 s request timeout makes a source's lease 4 s: a killed node's
    // sources go to the others that soon.
    std::fs::write(
        &config,
        format!(
            "[fetch]\ntimeout = \"1s\"\nper_host_interval = \"0ms\"\n\n[[channel]]\nname = \"ops\"\nkind = \"webhook\"\nurl = \"{}\"\nsecret = \"s\"\n\n[[subscription]]\nchannel = \"ops\"\n",
            receiver.url()
        ),
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("statuswatch");
    for k in 0..SOURCES {
        serve_vendor(&vendor, k, 0);
        let out = Command::new(&bin)
            .args(["--db", &db.url, "add", &vendor.url(&format!("/p{k}/"))])
            .args(["--platform", "statuspage", "--name", &format!("source {k}")])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "add: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let start = || -> Child {
        Command::new(&bin)
            .args(["--db", &db.url, "--config", config.to_str().unwrap()])
            .args(["serve", "--listen", "127.0.0.1:0", "--interval", "1s"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut nodes: Vec<Child> = (0..NODES).map(|_| start()).collect();

    // Deterministic "random" choices, so a failure can be replayed.
    let mut seed: u64 = 0x0dd_ba11;
    let mut next = |lo: u64, hi: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        lo + (seed >> 33) % (hi - lo)
    };
    let began = Instant::now();
    let mut kills = 0;
    let mut step = 0;
    let mut step_at = Instant::now();
    while step < STEPS {
        std::thread::sleep(Duration::from_millis(next(300, 1500)));
        let victim = next(0, NODES as u64) as usize;
        nodes[victim].kill().unwrap(); // SIGKILL
        nodes[victim].wait().unwrap();
        kills += 1;
        nodes[victim] = start();
        if step_at.elapsed() > Duration::from_millis(2500) {
            step += 1;
            for k in 0..SOURCES {
                serve_vendor(&vendor, k, step);
            }
            step_at = Instant::now();
        }
    }
    let killing_ended = Instant::now();
    let expected = SOURCES * 6;
    let deadline = Instant::now() + Duration::from_secs(60);
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
    for n in &mut nodes {
        Command::new("kill")
            .args(["-TERM", &n.id().to_string()])
            .status()
            .unwrap();
        n.wait().unwrap();
    }

    // Cadence: while nodes were being killed, no source went unpolled longer
    // than a lease (4 s) plus two intervals and some slack.
    let mut worst = Duration::ZERO;
    for k in 0..SOURCES {
        let times: Vec<Instant> = vendor
            .hit_times(&format!("/p{k}/api/v2/summary.json"))
            .into_iter()
            .filter(|t| *t <= killing_ended)
            .collect();
        assert!(times.len() >= 5, "source {k} polled {} times", times.len());
        let gap = times
            .windows(2)
            .map(|w| w[1] - w[0])
            .max()
            .unwrap_or_default()
            .max(times[0] - began);
        worst = worst.max(gap);
        assert!(
            gap < Duration::from_secs(9),
            "source {k} went {gap:?} without a poll"
        );
    }

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
    eprintln!(
        "nodes test: {kills} kills of {NODES} nodes, longest gap between polls of a source {worst:?}, \
         {} deliveries, {} distinct events, {repeats} repeats of an acknowledged key",
        received.len(),
        first_seen.len()
    );
    let s = |a: &str, b: String| (a.to_string(), b);
    for k in 0..SOURCES {
        let per = |who: &str| -> Vec<(String, String)> {
            first_seen
                .iter()
                .filter(|b| b["incident"]["title"] == format!("Incident s{k}{who}"))
                .map(|b| {
                    (
                        b["type"].as_str().unwrap().to_string(),
                        b["update"]["body"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        };
        assert_eq!(
            per("A"),
            [
                s("incident.opened", format!("A{k}: looking")),
                s("incident.updated", format!("A{k}: found")),
                s("incident.updated", format!("A{k}: watching")),
                s("incident.resolved", format!("A{k}: fixed")),
            ],
            "every event of source {k}'s A, once, in order"
        );
        assert_eq!(
            per("B"),
            [
                s("incident.opened", format!("B{k}: looking")),
                s("incident.resolved", format!("B{k}: fixed")),
            ],
            "every event of source {k}'s B, once, in order"
        );
    }
    assert_eq!(
        first_seen.len(),
        SOURCES * 6,
        "no event lost, none twice under two ids"
    );
    assert!(kills >= 6, "{kills} kills");
}
