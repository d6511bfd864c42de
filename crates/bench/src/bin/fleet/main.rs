//! `statuswatch-fleet`: the real `statuswatch serve`, with its default
//! configuration, watching N Statuspage vendors at N distinct loopback
//! addresses, on one node (SQLite, the default) or several nodes sharing one
//! PostgreSQL. It measures what a user gets:
//!
//! - polls per minute against N (and whether every source was polled every
//!   interval: the largest gap between two polls of a page, as the vendor saw it),
//! - requests per poll and the share of 304s,
//! - CPU share and RSS of each `serve`,
//! - the time from a vendor's change to its stored event and to its
//!   delivered webhook (p50, p99, max),
//! - the size and time of `/` and `/metrics`,
//! - on PostgreSQL, the catch-up rate (every source due at once, as after an
//!   outage): what the nodes can poll, not only what is due.
//!
//! The only configuration given to `serve` is the webhook channel the
//! latencies are measured with; everything else is its default.
// A bench measures real time: it reads the system clock (see clippy.toml).
#![allow(clippy::disallowed_methods)]

mod measure;
mod pages;
mod vendor;

use measure::{
    cpu_of, free_port, get_text, metric, mib_of, percentile, polls_of, timed, vendor_stats, Killer,
};

use anyhow::{bail, Context, Result};
use clap::Parser;
use statuswatch_store::{NewSource, Store};
use std::collections::HashMap;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Parser)]
#[command(about = "Run the real `statuswatch serve` against N loopback Statuspage vendors")]
struct Args {
    /// Run as the vendor (used by the benchmark itself).
    #[arg(long, hide = true)]
    vendor: bool,
    /// Vendors (sources) to watch.
    #[arg(long, default_value_t = 100_000)]
    sources: usize,
    /// `serve` nodes.
    #[arg(long, default_value_t = 1)]
    nodes: usize,
    /// A PostgreSQL server URL (its database `statuswatch_fleet` is
    /// recreated); SQLite in a temporary folder when absent.
    #[arg(long)]
    postgres: Option<String>,
    /// The `statuswatch` binary (default: beside this one).
    #[arg(long)]
    serve_bin: Option<PathBuf>,
    /// Length of the measured window.
    #[arg(long, default_value_t = 180)]
    measure_secs: u64,
    /// Vendor changes per second during the window.
    #[arg(long, default_value_t = 2.0)]
    changes_per_sec: f64,
    /// Measure the catch-up rate (every source due at once) after the window.
    #[arg(long)]
    catch_up: bool,
    /// The vendor's port.
    #[arg(long, default_value_t = 18080)]
    port: u16,
    /// Keep the `serve` logs in this folder.
    #[arg(long)]
    logs: Option<PathBuf>,
    /// How long each `summary.json` takes once the page was read once, in
    /// ms (0: at once; real vendors across the internet take 100 ms to
    /// seconds). Slow vendors make each node's bound its own poll memory
    /// budget rather than the machine's cores.
    #[arg(long, default_value_t = 0)]
    vendor_latency_ms: u64,
    /// Every answer takes `--vendor-latency-ms`, the first poll's too (a
    /// large import of real vendors: the baseline is what is measured).
    #[arg(long)]
    slow_first_polls: bool,
    /// Also read a status page of one's own hard, side by side with nginx
    /// serving its bytes (needs nginx and wrk: scripts/bench-pages).
    #[arg(long)]
    pages: bool,
    /// How long wrk loads each page URL.
    #[arg(long, default_value_t = 10)]
    page_secs: u64,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.vendor {
        return vendor::run(
            args.sources,
            args.port,
            args.vendor_latency_ms,
            args.slow_first_polls,
        );
    }
    tokio::runtime::Runtime::new()?.block_on(bench(args))
}

async fn bench(args: Args) -> Result<()> {
    let exe = std::env::current_exe()?;
    let serve_bin = args.serve_bin.clone().unwrap_or_else(|| {
        exe.parent()
            .map(|d| d.join("statuswatch"))
            .unwrap_or_else(|| "statuswatch".into())
    });
    if !serve_bin.exists() {
        bail!(
            "{} not found: build it (cargo build --release -p statuswatch) or pass --serve-bin",
            serve_bin.display()
        );
    }
    let mut children = Killer(Vec::new());
    let mut vendor = Command::new(&exe)
        .args([
            "--vendor",
            "--sources",
            &args.sources.to_string(),
            "--port",
            &args.port.to_string(),
            "--vendor-latency-ms",
            &args.vendor_latency_ms.to_string(),
        ])
        .args(args.slow_first_polls.then_some("--slow-first-polls"))
        .stdout(Stdio::piped())
        .spawn()
        .context("starting the vendor")?;
    let mut line = String::new();
    std::io::BufReader::new(vendor.stdout.take().context("vendor stdout")?).read_line(&mut line)?;
    let port: u16 = line.trim().parse().context("the vendor's port")?;
    children.0.push(vendor);
    let control = reqwest::Client::new();
    let vendor_url = format!("http://127.0.0.1:{port}");

    // The database and the sources.
    let dir = tempfile::tempdir()?;
    let db = match &args.postgres {
        Some(url) => {
            sqlx_admin(url).await?;
            let base = url.rsplit_once('/').map_or(url.as_str(), |(b, _)| b);
            format!("{base}/statuswatch_fleet")
        }
        None => dir.path().join("fleet.db").display().to_string(),
    };
    let t = Instant::now();
    let store = open(&db).await?;
    add_sources(&store, args.sources, port).await?;
    println!(
        "statuswatch-fleet: {} sources added in {:.1} s ({})",
        args.sources,
        t.elapsed().as_secs_f64(),
        if args.postgres.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );

    // The webhook the latencies are measured with: the only configuration.
    let receiver = statuswatch_testkit::Receiver::start().await;
    let config = dir.path().join("statuswatch.toml");
    std::fs::write(
        &config,
        format!(
            "[[channel]]\nname = \"fleet\"\nkind = \"webhook\"\nurl = \"{}\"\nsecret = \"s\"\n\n[[subscription]]\nchannel = \"fleet\"\nevents = [\"incident.opened\"]\n",
            receiver.url()
        ),
    )?;
    let logs = args
        .logs
        .clone()
        .unwrap_or_else(|| dir.path().to_path_buf());
    std::fs::create_dir_all(&logs)?;
    let mut nodes = Vec::new();
    for k in 0..args.nodes {
        let listen = format!("127.0.0.1:{}", free_port());
        let log = std::fs::File::create(logs.join(format!("serve-{k}.log")))?;
        let child = Command::new(&serve_bin)
            .args(["--db", &db, "--config", config.to_str().context("path")?])
            .args(["serve", "--listen", &listen])
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("starting serve")?;
        nodes.push((child.id(), listen));
        children.0.push(child);
    }
    let t0 = Instant::now();
    // Baseline: every source's first poll reads its history.
    loop {
        tokio::time::sleep(Duration::from_secs(5)).await;
        let s = vendor_stats(&control, &vendor_url).await?;
        let histories = s["requests"][1].as_u64().unwrap_or(0) as usize;
        eprintln!(
            "  baseline: {histories}/{} histories read, {:.0} s",
            args.sources,
            t0.elapsed().as_secs_f64()
        );
        if histories >= args.sources {
            break;
        }
        if t0.elapsed() > Duration::from_secs(3600) {
            bail!("the baseline did not finish in an hour");
        }
    }
    let baseline_secs = t0.elapsed().as_secs_f64();
    // A steady interval before measuring.
    tokio::time::sleep(Duration::from_secs(70)).await;

    // The window.
    control.post(format!("{vendor_url}/_reset")).send().await?;
    let cpu0: Vec<f64> = nodes.iter().map(|(pid, _)| cpu_of(*pid)).collect();
    let polls0 = polls_of(&control, &nodes).await;
    let window_start = Instant::now();
    let last_seq = store
        .events_after(0, u32::MAX)
        .await?
        .last()
        .map_or(0, |e| e.seq);
    // Changes not yet stored, by the title of the incident they open.
    let pending: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let stored_lat: Arc<Mutex<Vec<f64>>> = Arc::default();
    let stored_by_title: Arc<Mutex<HashMap<String, f64>>> = Arc::default();
    let titles: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let store = store.clone();
        let pending = pending.clone();
        let lat = stored_lat.clone();
        let by_title = stored_by_title.clone();
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut seq = last_seq;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                if let Ok(events) = store.events_after(seq, 10_000).await {
                    for e in events {
                        seq = e.seq;
                        if e.kind != statuswatch_model::EventKind::IncidentOpened {
                            continue;
                        }
                        if let Some(t) = pending.lock().unwrap().remove(&e.incident.title) {
                            let d = t.elapsed().as_secs_f64();
                            lat.lock().unwrap().push(d);
                            by_title.lock().unwrap().insert(e.incident.title.clone(), d);
                        }
                    }
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let mut versions: HashMap<usize, u32> = HashMap::new();
    let gap = Duration::from_secs_f64(1.0 / args.changes_per_sec.max(0.01));
    let mut made = 0usize;
    let window = Duration::from_secs(args.measure_secs);
    while window_start.elapsed() < window {
        // A third of the changes go to vendors whose first change is stored
        // (they have an open incident: polled sooner); the rest to quiet ones.
        let again = (made % 3 == 2)
            .then(|| {
                let by_title = stored_by_title.lock().unwrap();
                let titles = titles.lock().unwrap();
                versions.iter().find_map(|(&i, &v)| {
                    let title = format!("Elevated errors {i}.1");
                    let at = *titles.get(&title)?;
                    let stored = *by_title.get(&title)?;
                    (v == 1 && at.elapsed().as_secs_f64() - stored > 20.0).then_some(i)
                })
            })
            .flatten();
        let i = again.unwrap_or_else(|| rand::random_range(0..args.sources));
        if again.is_none() && versions.contains_key(&i) {
            continue; // one change per source in a window: each is timed alone
        }
        control
            .post(format!("{vendor_url}/_change/{i}"))
            .send()
            .await?;
        let now = Instant::now();
        let v = versions.entry(i).or_insert(0);
        *v += 1;
        let title = format!("Elevated errors {i}.{v}");
        pending.lock().unwrap().insert(title.clone(), now);
        titles.lock().unwrap().insert(title, now);
        made += 1;
        tokio::time::sleep(gap).await;
    }
    let elapsed = window_start.elapsed().as_secs_f64();
    let cpu: Vec<f64> = nodes
        .iter()
        .zip(&cpu0)
        .map(|((pid, _), c0)| (cpu_of(*pid) - c0) / elapsed)
        .collect();
    let polls1 = polls_of(&control, &nodes).await;
    let stats = vendor_stats(&control, &vendor_url).await?;
    let rss: Vec<(f64, f64)> = nodes
        .iter()
        .map(|(pid, _)| (mib_of(*pid, "VmRSS"), mib_of(*pid, "VmHWM")))
        .collect();
    let lag: Vec<f64> = {
        let mut out = Vec::new();
        for (_, listen) in &nodes {
            let text = get_text(&control, &format!("http://{listen}/metrics"))
                .await
                .map(|(t, _)| t)
                .unwrap_or_default();
            out.push(metric(&text, "statuswatch_poll_lag_max_seconds").unwrap_or(f64::NAN));
        }
        out
    };
    // Let the last changes arrive (one interval and a margin).
    tokio::time::sleep(Duration::from_secs(75)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    watcher.await?;
    let mut stored = stored_lat.lock().unwrap().clone();
    stored.sort_by(f64::total_cmp);
    let stored_at: HashMap<String, f64> = stored_by_title.lock().unwrap().clone();
    // Changes to vendors that had an open incident (their second).
    let mut open_stored: Vec<f64> = stored_at
        .iter()
        .filter(|(t, _)| t.ends_with(".2"))
        .map(|(_, d)| *d)
        .collect();
    open_stored.sort_by(f64::total_cmp);
    let mut delivered: Vec<f64> = Vec::new();
    let mut after_store: Vec<f64> = Vec::new();
    {
        let titles = titles.lock().unwrap();
        for r in receiver.received() {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
            let title = body["incident"]["title"].as_str().unwrap_or("");
            if let Some(t) = titles.get(title) {
                let d = r.at.duration_since(*t).as_secs_f64();
                delivered.push(d);
                if let Some(s) = stored_at.get(title) {
                    after_store.push((d - s).max(0.0));
                }
            }
        }
    }
    delivered.sort_by(f64::total_cmp);
    after_store.sort_by(f64::total_cmp);

    // Pages.
    let (dash_bytes, dash_secs) = timed(&control, &format!("http://{}/", nodes[0].1)).await;
    let (metrics_bytes, metrics_secs) =
        timed(&control, &format!("http://{}/metrics", nodes[0].1)).await;

    let page_figures = if args.pages {
        let bin = std::fs::canonicalize(&serve_bin)?;
        Some(pages::measure(&bin, &db, &nodes[0].1, dir.path(), args.page_secs).await?)
    } else {
        None
    };

    // Catch-up: every source due at once.
    let mut catch_up = None;
    if args.catch_up {
        let p0 = polls_of(&control, &nodes).await;
        // Every row at once, while the nodes write theirs: PostgreSQL may
        // pick this as a deadlock's victim; try again.
        let mut tries = 0;
        while let Err(e) = store.cap_next_polls(chrono::Utc::now(), 1).await {
            tries += 1;
            if tries > 10 {
                return Err(e).context("making every source due");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let t = Instant::now();
        tokio::time::sleep(Duration::from_secs(20)).await;
        let p1 = polls_of(&control, &nodes).await;
        catch_up = Some((p1 - p0) / t.elapsed().as_secs_f64());
    }
    drop(children);

    let req: Vec<f64> = (0..3)
        .map(|k| stats["requests"][k].as_f64().unwrap_or(0.0))
        .collect();
    let nm: Vec<f64> = (0..3)
        .map(|k| stats["not_modified"][k].as_f64().unwrap_or(0.0))
        .collect();
    let polls = polls1 - polls0;
    let requests: f64 = req.iter().sum();
    println!();
    println!(
        "| figure ({} sources, {} node{}, {}, defaults) | value |",
        args.sources,
        args.nodes,
        if args.nodes == 1 { "" } else { "s" },
        if args.postgres.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    println!("| --- | --- |");
    println!("| baseline (every source's first poll) | {baseline_secs:.0} s |");
    println!(
        "| polls per minute | {:.0} ({:.0}/s) |",
        polls / elapsed * 60.0,
        polls / elapsed
    );
    println!(
        "| sources not polled in the {:.0} s window | {} |",
        elapsed, stats["pages_not_polled"]
    );
    println!(
        "| gap between two polls of a source (p50 / p99 / max) | ≤{} s / ≤{} s / {:.1} s |",
        stats["gap_p50_s"],
        stats["gap_p99_s"],
        stats["gap_max_ms"].as_f64().unwrap_or(0.0) / 1000.0
    );
    println!(
        "| requests per poll (summary / incidents / maintenances) | {:.3} ({:.3} / {:.3} / {:.3}) |",
        requests / polls.max(1.0),
        req[0] / polls.max(1.0),
        req[1] / polls.max(1.0),
        req[2] / polls.max(1.0)
    );
    println!(
        "| 304 share | {:.1} % |",
        100.0 * nm.iter().sum::<f64>() / requests.max(1.0)
    );
    for (k, c) in cpu.iter().enumerate() {
        println!(
            "| node {k}: CPU, RSS (peak) | {:.0} % of a core, {:.0} MiB ({:.0} MiB) |",
            c * 100.0,
            rss[k].0,
            rss[k].1
        );
        println!(
            "| node {k}: largest poll lag, last minute | {:.1} s |",
            lag[k]
        );
    }
    println!(
        "| change → stored event (p50 / p99 / max, n={} of {made}) | {:.1} s / {:.1} s / {:.1} s |",
        stored.len(),
        percentile(&stored, 0.5),
        percentile(&stored, 0.99),
        stored.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "| of which, vendors with an open incident (p50 / p99 / max, n={}) | {:.1} s / {:.1} s / {:.1} s |",
        open_stored.len(),
        percentile(&open_stored, 0.5),
        percentile(&open_stored, 0.99),
        open_stored.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "| change → delivered webhook (p50 / p99 / max, n={}) | {:.1} s / {:.1} s / {:.1} s |",
        delivered.len(),
        percentile(&delivered, 0.5),
        percentile(&delivered, 0.99),
        delivered.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "| stored → delivered (p50 / p99, seen by a reader polling the store every 100 ms) | {:.2} s / {:.2} s |",
        percentile(&after_store, 0.5),
        percentile(&after_store, 0.99)
    );
    println!(
        "| `/` | {:.0} KiB in {:.0} ms |",
        dash_bytes as f64 / 1024.0,
        dash_secs * 1000.0
    );
    println!(
        "| `/metrics` | {:.0} KiB in {:.0} ms |",
        metrics_bytes as f64 / 1024.0,
        metrics_secs * 1000.0
    );
    if let Some(f) = &page_figures {
        pages::print(f);
    }
    if let Some(rate) = catch_up {
        println!("| catch-up rate (every source due at once) | {rate:.0} polls/s |");
    }
    Ok(())
}

async fn sqlx_admin(url: &str) -> Result<()> {
    use sqlx::Executor;
    let admin = sqlx::PgPool::connect(url)
        .await
        .context("connecting to PostgreSQL")?;
    admin
        .execute("DROP DATABASE IF EXISTS statuswatch_fleet WITH (FORCE)")
        .await?;
    admin.execute("CREATE DATABASE statuswatch_fleet").await?;
    Ok(())
}

async fn open(db: &str) -> Result<Arc<dyn Store>> {
    Ok(if db.starts_with("postgres") {
        Arc::new(statuswatch_store::postgres::PgStore::connect(db).await?)
    } else {
        Arc::new(statuswatch_store::sqlite::SqliteStore::open(db).await?)
    })
}

async fn add_sources(store: &Arc<dyn Store>, n: usize, port: u16) -> Result<()> {
    use futures::StreamExt;
    let now = chrono::Utc::now();
    let mut adds = futures::stream::iter((0..n).map(|i| {
        let store = store.clone();
        async move {
            store
                .add_source(
                    NewSource {
                        name: format!("vendor-{i}"),
                        url: format!("http://{}:{port}/", vendor::ip_of(i)),
                        platform: "statuspage".into(),
                        provider: None,
                        on_behalf: false,
                    },
                    now,
                )
                .await
        }
    }))
    .buffered(8);
    while let Some(r) = adds.next().await {
        r?;
    }
    Ok(())
}
