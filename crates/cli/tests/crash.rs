//! `serve` is killed with SIGKILL at random moments while a vendor moves two
//! incidents through their lives, and restarted each time. Every expected
//! event must reach the webhook receiver, none as two different events, each
//! incident's events in order; repeats of one event (same idempotency key,
//! after a kill between sending and recording) are counted and reported.

use serde_json::{json, Value};
use statuswatch_testkit::{Receiver, Reply, Vendor};
use std::collections::HashMap;
use std::time::{Duration, Instant};

fn fixture(name: &str) -> Value {
    serde_json::from_slice(&statuswatch_testkit::fixture!(name)).unwrap()
}

/// The vendor's incidents after `step` steps of a scripted life of two incidents.
fn incidents_at(step: usize) -> Vec<Value> {
    let base = fixture("cursor__summary_2026-09-25_incident.json")["incidents"][0].clone();
    let script: [(&str, &str, &str); 8] = [
        ("A", "investigating", "A: looking"),
        ("A", "identified", "A: found"),
        ("B", "investigating", "B: looking"),
        ("A", "identified", "A: fix rolling out"),
        ("B", "resolved", "B: fixed"),
        ("A", "monitoring", "A: watching"),
        ("A", "resolved", "A: fixed"),
        ("A", "postmortem", "A: root cause"),
    ];
    let mut incidents: Vec<Value> = Vec::new();
    for (n, (who, status, body)) in script.iter().take(step).enumerate() {
        let id = format!("crash{who}");
        let at = format!("2026-09-26T00:{:02}:00.000Z", n * 5);
        let pos = match incidents.iter().position(|i| i["id"] == id) {
            Some(p) => p,
            None => {
                let mut i = base.clone();
                i["id"] = json!(id);
                i["name"] = json!(format!("Incident {who}"));
                i["incident_updates"] = json!([]);
                i["components"] = json!([]);
                incidents.push(i);
                incidents.len() - 1
            }
        };
        let inc = &mut incidents[pos];
        let update = json!({"id": format!("{id}-{n}"), "status": status, "body": body, "incident_id": id,
            "created_at": at, "updated_at": at, "display_at": at, "affected_components": null});
        inc["incident_updates"]
            .as_array_mut()
            .unwrap()
            .insert(0, update);
        inc["status"] = json!(status);
        if *status == "resolved" {
            inc["resolved_at"] = json!(at);
        }
    }
    incidents
}

fn serve_vendor(v: &Vendor, step: usize) {
    let summary = fixture("cursor__summary_2026-09-25_incident.json");
    let page = summary["page"].clone();
    let mut s = summary.clone();
    // The summary lists what is open; the history, everything.
    s["incidents"] = json!(incidents_at(step)
        .into_iter()
        .filter(|i| i["status"] != "resolved" && i["status"] != "postmortem")
        .collect::<Vec<_>>());
    v.set("/api/v2/summary.json", Reply::json(&s));
    v.set(
        "/api/v2/incidents.json",
        Reply::json(&json!({"page": page, "incidents": incidents_at(step)})),
    );
    v.set(
        "/api/v2/scheduled-maintenances.json",
        Reply::json(&json!({"page": page, "scheduled_maintenances": []})),
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
            .filter(|g| g.0 == format!("Incident {who}"))
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
