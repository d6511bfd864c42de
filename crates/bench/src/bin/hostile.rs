//! `statuswatch-hostile-bench`: how `/healthz` answers while hostile vendors
//! are watched. The real `serve` binary (release, its defaults, SQLite)
//! watches `--deep` vendors of `--platform html` whose page turns, after
//! being added, into `--depth` nested `<div>`s that change at every poll,
//! and `--wide` Statuspage vendors that list `--components` components;
//! a client asks `/healthz` every 50 ms for `--secs` seconds and prints its
//! latency (p50, p99, max), then what each source's health says.
//!
//! `cargo build --release -p statuswatch -p statuswatch-bench` then
//! `target/release/statuswatch-hostile-bench` (or `--serve-bin` for another
//! build, e.g. an earlier release, to compare).

use anyhow::{bail, Context, Result};
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::routing::get;
use clap::Parser;
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Parser)]
struct Args {
    /// Vendors whose page becomes deeply nested after it is added.
    #[arg(long, default_value_t = 2)]
    deep: usize,
    /// How deep their pages nest.
    #[arg(long, default_value_t = 40_000)]
    depth: usize,
    /// Statuspage vendors listing very many components.
    #[arg(long, default_value_t = 1)]
    wide: usize,
    /// How many components those list (50,000 fit under the 8 MiB cap).
    #[arg(long, default_value_t = 50_000)]
    components: usize,
    /// How long `/healthz` is measured.
    #[arg(long, default_value_t = 60)]
    secs: u64,
    /// The `statuswatch` binary (default: beside this one).
    #[arg(long)]
    serve_bin: Option<PathBuf>,
}

struct Kill(Vec<Child>);

impl Drop for Kill {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Requests seen per path, so a page is ordinary until it was added.
#[derive(Default)]
struct Vendor {
    seen: dashmap_lite::Counts,
    depth: usize,
    components: usize,
    polls: AtomicU64,
}

/// A tiny map of counters (the bench has a handful of paths).
mod dashmap_lite {
    use std::collections::HashMap;
    use std::sync::Mutex;

    #[derive(Default)]
    pub struct Counts(Mutex<HashMap<String, u64>>);

    impl Counts {
        pub fn bump(&self, key: &str) -> u64 {
            let mut m = self.0.lock().unwrap();
            let n = m.entry(key.to_string()).or_default();
            *n += 1;
            *n
        }
    }
}

const GOOD: &str = "<!DOCTYPE html><html><head><title>Acme Status</title></head><body>\
    <h1>Elevated API errors</h1>\
    <div><strong>Investigating</strong> - We are looking into errors.<br><small>Posted Nov 20, 2026 - 10:00 UTC</small></div>\
    </body></html>";

async fn deep(State(v): State<Arc<Vendor>>, Path(k): Path<usize>) -> impl IntoResponse {
    let n = v.seen.bump(&format!("deep{k}"));
    v.polls.fetch_add(1, Ordering::Relaxed);
    let body = if n <= 2 {
        GOOD.to_string()
    } else {
        // A new page at every poll, so no hash of the last one spares the parse.
        format!(
            "<!DOCTYPE html><html><body><h1>Poll {n}</h1>{}x{}</body></html>",
            "<div>".repeat(v.depth),
            "</div>".repeat(v.depth)
        )
    };
    ([("content-type", "text/html")], body)
}

async fn wide(
    State(v): State<Arc<Vendor>>,
    Path((k, file)): Path<(usize, String)>,
) -> impl IntoResponse {
    // Made on a blocking thread: the bench's own client shares this runtime.
    let body = tokio::task::spawn_blocking(move || wide_body(&v, k, &file))
        .await
        .unwrap_or_default();
    ([("content-type", "application/json")], body)
}

fn wide_body(v: &Vendor, k: usize, file: &str) -> Vec<u8> {
    let page = serde_json::json!({"id": format!("p{k}"), "name": format!("Wide {k}"),
        "url": "https://status.example.com", "updated_at": "2026-09-25T10:00:00Z"});
    let body = match file {
        "summary.json" => {
            let n = v.seen.bump(&format!("wide{k}"));
            let count = if n <= 2 { 3 } else { v.components };
            let comps: Vec<_> = (0..count)
                .map(|c| {
                    serde_json::json!({"id": format!("c{c}"), "name": format!("Edge {c} {n}"),
                    "status": "operational", "position": c, "group": false, "group_id": null,
                    "only_show_if_degraded": false})
                })
                .collect();
            serde_json::json!({"page": page, "components": comps, "incidents": [],
                "scheduled_maintenances": [], "status": {"indicator": "none", "description": "OK"}})
        }
        "incidents.json" => serde_json::json!({"page": page, "incidents": []}),
        _ => serde_json::json!({"page": page, "scheduled_maintenances": []}),
    };
    serde_json::to_vec(&body).unwrap_or_default()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(18090)
}

fn run(bin: &PathBuf, db: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(bin)
        .args(["--db", db])
        .args(args)
        .output()
        .context("running statuswatch")?;
    if !out.status.success() {
        bail!("{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let bin = args.serve_bin.clone().unwrap_or_else(|| {
        std::env::current_exe()
            .ok()
            .and_then(|e| e.parent().map(|d| d.join("statuswatch")))
            .unwrap_or_else(|| "statuswatch".into())
    });
    if !bin.exists() {
        bail!(
            "{} not found: cargo build --release -p statuswatch",
            bin.display()
        );
    }
    let v = Arc::new(Vendor {
        depth: args.depth,
        components: args.components,
        ..Vendor::default()
    });
    let app = axum::Router::new()
        .route("/deep/{k}", get(deep))
        .route("/wide/{k}/api/v2/{file}", get(wide))
        .with_state(v.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let vendor = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::tempdir()?;
    let db = dir.path().join("sw.db").to_string_lossy().into_owned();
    for k in 0..args.deep {
        run(
            &bin,
            &db,
            &[
                "add",
                &format!("{vendor}/deep/{k}"),
                "--platform",
                "html",
                "--name",
                &format!("deep{k}"),
            ],
        )?;
    }
    for k in 0..args.wide {
        run(
            &bin,
            &db,
            &[
                "add",
                &format!("{vendor}/wide/{k}/api/v2/summary.json"),
                "--name",
                &format!("wide{k}"),
            ],
        )?;
    }
    let listen = format!("127.0.0.1:{}", free_port());
    let log = std::fs::File::create(dir.path().join("serve.log"))?;
    let child = Command::new(&bin)
        .args([
            "--db",
            &db,
            "serve",
            "--listen",
            &listen,
            "--interval",
            "1s",
        ])
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()?;
    let _kill = Kill(vec![child]);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()?;
    let health = format!("http://{listen}/healthz");
    // Up, then measure.
    let t0 = Instant::now();
    while client.get(&health).send().await.is_err() {
        if t0.elapsed() > Duration::from_secs(30) {
            bail!("serve did not start");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!(
        "serve ({}) watching {} vendors of {} nested <div>s and {} listing {} components; /healthz every 50 ms for {} s",
        bin.display(), args.deep, args.depth, args.wide, args.components, args.secs
    );
    let mut lat: Vec<f64> = Vec::new();
    let end = Instant::now() + Duration::from_secs(args.secs);
    while Instant::now() < end {
        let t = Instant::now();
        let ok = client
            .get(&health)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        let ms = t.elapsed().as_secs_f64() * 1e3;
        lat.push(if ok { ms } else { f64::INFINITY });
        tokio::time::sleep(Duration::from_millis(50).saturating_sub(t.elapsed())).await;
    }
    lat.sort_by(f64::total_cmp);
    let q = |p: f64| lat[((lat.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "/healthz: {} answers, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, over 100 ms: {}",
        lat.len(),
        q(0.5),
        q(0.99),
        lat.last().copied().unwrap_or(0.0),
        lat.iter().filter(|l| **l > 100.0).count()
    );
    println!(
        "vendor requests answered: {}",
        v.polls.load(Ordering::Relaxed)
    );
    let sources: serde_json::Value = serde_json::from_slice(
        &client
            .get(format!("http://{listen}/api/v1/sources"))
            .send()
            .await?
            .bytes()
            .await?,
    )?;
    for s in sources.as_array().into_iter().flatten() {
        let health = s;
        println!(
            "  {}: {} failures in a row; last error: {}; warning: {}",
            s["name"].as_str().unwrap_or("?"),
            health["consecutive_failures"],
            health["last_error"]
                .as_str()
                .unwrap_or("-")
                .chars()
                .take(140)
                .collect::<String>(),
            health["warning"]
                .as_str()
                .unwrap_or("-")
                .chars()
                .take(140)
                .collect::<String>()
        );
    }
    Ok(())
}
