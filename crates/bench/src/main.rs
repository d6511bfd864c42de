//! `statuswatch-bench`: how fast and how lean polling is.
//!
//! Serves N sources (half Statuspage APIs, half Statuspage history feeds, from
//! real captured payloads) from a loopback vendor in a child process, then:
//! 1. polls every source once (the baseline: history stored, no events);
//! 2. for each round, makes a few percent of the sources publish a new
//!    incident and polls every source: polls per second, CPU seconds per
//!    1,000 polls, and a check that every change became an event;
//! 3. runs the real scheduler at `--interval` while changes keep coming, and
//!    measures the time from a payload change to its stored event.
//!
//! Peak RSS and RSS per source are read from /proc.
// A bench measures real time: it reads the system clock (see clippy.toml).
#![allow(clippy::disallowed_methods)]

mod vendor;

use anyhow::{bail, Context, Result};
use clap::Parser;
use futures::StreamExt;
use rand::seq::SliceRandom;
use statuswatch_engine::{
    DispatchConfig, Dispatcher, EngineConfig, Outcome, Poller, Scheduler, SystemClock,
};
use statuswatch_fetch::{FetchConfig, Fetcher};
use statuswatch_store::sqlite::SqliteStore;
use statuswatch_store::{NewSource, SourceId, Store};
use std::collections::HashMap;
use std::io::BufRead;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Parser)]
#[command(about = "Benchmark statuswatch's polling against a loopback vendor")]
struct Args {
    /// Run as the loopback vendor (used by the benchmark itself).
    #[arg(long, hide = true)]
    vendor: bool,
    /// Sources to watch.
    #[arg(long, default_value_t = 1000)]
    sources: usize,
    /// Rounds of "some sources change, every source is polled".
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Percent of sources that publish a new incident each round.
    #[arg(long, default_value_t = 3.0)]
    change_percent: f64,
    /// Polls in flight at once.
    #[arg(long, default_value_t = 128)]
    concurrency: usize,
    /// Loopback addresses the vendor listens on (sources spread over them).
    #[arg(long, default_value_t = 16)]
    hosts: usize,
    /// Poll interval of the latency phase.
    #[arg(long, default_value = "10s", value_parser = humantime_secs)]
    interval: Duration,
    /// Length of the latency phase.
    #[arg(long, default_value = "30s", value_parser = humantime_secs)]
    latency_phase: Duration,
    /// Run the rounds of "change, poll everything" before the latency phase.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    throughput: bool,
    /// Also deliver every event as a signed webhook to a loopback receiver and
    /// measure the time from a change to the delivered webhook.
    #[arg(long)]
    webhook: bool,
}

fn humantime_secs(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    if let Some(ms) = t.strip_suffix("ms") {
        return ms
            .parse()
            .map(Duration::from_millis)
            .map_err(|e| e.to_string());
    }
    let secs = t.strip_suffix('s').unwrap_or(t);
    secs.parse()
        .map(Duration::from_secs_f64)
        .map_err(|e| format!("`{s}`: {e}"))
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    if args.vendor {
        return vendor::run(args.hosts).await;
    }
    bench(args).await
}

/// User + system CPU seconds of this process.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    ticks / clock_ticks()
}

fn clock_ticks() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// A field of /proc/self/status in KiB (`VmRSS`, `VmHWM`).
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn bench(args: Args) -> Result<()> {
    let exe = std::env::current_exe()?;
    let mut child = std::process::Command::new(exe)
        .args(["--vendor", "--hosts", &args.hosts.to_string()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("starting the vendor process")?;
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().context("vendor stdout")?).read_line(&mut line)?;
    let hosts: Vec<String> = serde_json::from_str(&line).context("vendor addresses")?;
    let result = run(&args, &hosts).await;
    let _ = child.kill();
    result
}

async fn run(args: &Args, hosts: &[String]) -> Result<()> {
    let rss_start = status_kib("VmRSS");
    let dir = tempfile::tempdir()?;
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(dir.path().join("bench.db").to_str().context("path")?).await?);
    let fetch = FetchConfig {
        per_host_concurrency: args.concurrency,
        per_host_interval: Duration::ZERO,
        ..FetchConfig::default()
    };
    let fetcher = Arc::new(Fetcher::new(fetch)?);
    let engine = EngineConfig {
        interval: args.interval,
        concurrency: args.concurrency,
        ..EngineConfig::default()
    };
    let receiver = statuswatch_testkit::Receiver::start().await;
    let subscriptions = if args.webhook {
        vec![serde_json::from_str::<statuswatch_notify::Subscription>(
            r#"{"channel": "bench"}"#,
        )?]
    } else {
        Vec::new()
    };
    let poller = Arc::new(
        Poller::new(store.clone(), fetcher, Arc::new(SystemClock), engine)
            .with_subscriptions(subscriptions),
    );

    let mut index_of: HashMap<SourceId, usize> = HashMap::new();
    for i in 0..args.sources {
        let host = &hosts[i % hosts.len()];
        let (url, platform) = if i.is_multiple_of(2) {
            (format!("http://{host}/s/{i}/"), "statuspage")
        } else {
            (format!("http://{host}/f/{i}/history.atom"), "feed")
        };
        let s = store
            .add_source(
                NewSource {
                    name: format!("vendor-{i}"),
                    url,
                    platform: platform.into(),
                    provider: None,
                    on_behalf: false,
                },
                chrono::Utc::now(),
            )
            .await?;
        index_of.insert(s.id, i);
    }
    let control = reqwest::Client::new();
    let change = |i: usize| {
        let url = format!("http://{}/_change/{i}", hosts[i % hosts.len()]);
        let control = control.clone();
        async move { control.post(url).send().await.map(|_| ()) }
    };

    println!("statuswatch-bench: {} sources ({} Statuspage, {} feeds) on {} loopback hosts, concurrency {}",
        args.sources, args.sources.div_ceil(2), args.sources / 2, hosts.len(), args.concurrency);

    // 1. Baseline.
    let (base_wall, base_cpu, base) = poll_all(&poller, &store, args.concurrency).await?;
    let failed = base.iter().filter(|o| !o.is_ok()).count();
    if failed > 0 {
        bail!(
            "{failed} sources failed the baseline poll: {:?}",
            base.iter().find(|o| !o.is_ok())
        );
    }
    let rss_after_baseline = status_kib("VmRSS");
    println!(
        "baseline: {} polls in {:.2} s = {:.0} polls/s, {:.2} CPU s per 1,000 polls",
        base.len(),
        base_wall,
        base.len() as f64 / base_wall,
        base_cpu / base.len() as f64 * 1000.0
    );

    // 2. Rounds.
    let mut rng = rand::rng();
    let rounds = if args.throughput { args.rounds } else { 0 };
    let per_round = ((args.sources as f64 * args.change_percent / 100.0).round() as usize).max(1);
    let (mut polls, mut wall, mut cpu, mut changes, mut detected) =
        (0usize, 0f64, 0f64, 0usize, 0usize);
    for round in 1..=rounds {
        let mut picks: Vec<usize> = (0..args.sources).collect();
        picks.shuffle(&mut rng);
        picks.truncate(per_round);
        for &i in &picks {
            change(i).await?;
        }
        let (w, c, outcomes) = poll_all(&poller, &store, args.concurrency).await?;
        let changed = outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Changed { events, .. } if *events > 0))
            .count();
        let failed = outcomes.iter().filter(|o| !o.is_ok()).count();
        println!(
            "round {round}: {} polls in {w:.2} s = {:.0} polls/s, {:.2} CPU s per 1,000 polls; {} of {} changes became events; {failed} failed",
            outcomes.len(), outcomes.len() as f64 / w, c / outcomes.len() as f64 * 1000.0, changed, picks.len()
        );
        polls += outcomes.len();
        wall += w;
        cpu += c;
        changes += picks.len();
        detected += changed;
    }

    // 3. Latency under the real scheduler.
    let last_seq = store
        .events_after(0, u32::MAX)
        .await?
        .last()
        .map(|e| e.seq)
        .unwrap_or(0);
    store
        .cap_next_polls(chrono::Utc::now(), args.interval.as_millis() as i64)
        .await?;
    let pending: Arc<Mutex<HashMap<usize, Instant>>> = Arc::default();
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|s| *s).await;
    };
    let sched = tokio::spawn(
        Scheduler::new(poller.clone(), Duration::from_millis(100))
            .run(stopped(stop_rx.clone()), None),
    );
    let channel: statuswatch_notify::ChannelConfig = serde_json::from_str(&format!(
        r#"{{"name": "bench", "kind": "webhook", "url": "{}", "secret": "s"}}"#,
        receiver.url()
    ))?;
    let dispatcher = Dispatcher::new(
        store.clone(),
        vec![channel],
        Arc::new(SystemClock),
        DispatchConfig::default(),
    )?;
    let alerts = tokio::spawn(dispatcher.run(stopped(stop_rx)));
    let webhook_pending: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let mut versions: HashMap<usize, u32> = HashMap::new();
    let watcher = {
        let store = store.clone();
        let pending = pending.clone();
        let index_of = index_of.clone();
        let stop = stop_tx.subscribe();
        tokio::spawn(async move {
            let mut seq = last_seq;
            let mut latencies = Vec::new();
            while !*stop.borrow() {
                if let Ok(events) = store.events_after(seq, 10_000).await {
                    for e in events {
                        seq = e.seq;
                        let i = index_of[&e.source_id];
                        if let Some(t) = pending.lock().unwrap().remove(&i) {
                            latencies.push(t.elapsed().as_secs_f64());
                        }
                    }
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            latencies
        })
    };
    let phase_start = Instant::now();
    let mut made = 0;
    // Changes stop one interval before the end so each can be seen.
    while phase_start.elapsed() + args.interval.mul_f64(1.2) < args.latency_phase {
        let i = rand::random_range(0..args.sources);
        if pending.lock().unwrap().contains_key(&i) {
            continue;
        }
        change(i).await?;
        let t = Instant::now();
        pending.lock().unwrap().insert(i, t);
        let v = versions.entry(i).or_insert(0);
        *v += 1;
        webhook_pending
            .lock()
            .unwrap()
            .insert(format!("Elevated errors {i}.{v}"), t);
        made += 1;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    while phase_start.elapsed() < args.latency_phase {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = stop_tx.send(true);
    let _ = sched.await;
    let _ = alerts.await;
    let mut lat = watcher.await?;
    lat.sort_by(|a, b| a.total_cmp(b));

    // Webhook arrivals: each change's opening event names it by title.
    let mut hooks: Vec<f64> = Vec::new();
    if args.webhook {
        let changed_at = webhook_pending.lock().unwrap().clone();
        for r in receiver.received() {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
            if body["type"] != "incident.opened" {
                continue;
            }
            let title = body["incident"]["title"].as_str().unwrap_or("");
            if let Some(t) = changed_at.get(title) {
                hooks.push(r.at.duration_since(*t).as_secs_f64());
            }
        }
        hooks.sort_by(|a, b| a.total_cmp(b));
    }
    let peak = status_kib("VmHWM");
    println!();
    println!("| figure | value |");
    println!("| --- | --- |");
    println!("| sources | {} |", args.sources);
    if polls > 0 {
        println!(
            "| polls per second (change rounds) | {:.0} |",
            polls as f64 / wall
        );
        println!(
            "| CPU seconds per 1,000 polls (change rounds) | {:.2} |",
            cpu / polls as f64 * 1000.0
        );
        println!("| changes that became events (rounds) | {detected}/{changes} |");
    }
    println!(
        "| RSS after baseline, per source | {:.1} KiB |",
        (rss_after_baseline.saturating_sub(rss_start)) as f64 / args.sources as f64
    );
    println!("| peak RSS | {:.1} MiB |", peak as f64 / 1024.0);
    if args.webhook {
        println!(
            "| change → delivered webhook at a {:?} interval (p50 / p95 / max, n={} of {made}) | {:.2} s / {:.2} s / {:.2} s |",
            args.interval, hooks.len(), percentile(&hooks, 0.5), percentile(&hooks, 0.95), hooks.last().copied().unwrap_or(f64::NAN)
        );
    }
    println!(
        "| change → stored event at a {:?} interval (p50 / p95 / max, n={} of {made}) | {:.2} s / {:.2} s / {:.2} s |",
        args.interval, lat.len(), percentile(&lat, 0.5), percentile(&lat, 0.95), lat.last().copied().unwrap_or(f64::NAN)
    );
    Ok(())
}

/// Polls every source once with bounded concurrency: wall seconds, CPU seconds, outcomes.
async fn poll_all(
    poller: &Arc<Poller>,
    store: &Arc<dyn Store>,
    concurrency: usize,
) -> Result<(f64, f64, Vec<Outcome>)> {
    let sources = store.sources().await?;
    let cpu0 = cpu_seconds();
    let t = Instant::now();
    let outcomes: Vec<Outcome> = futures::stream::iter(sources.into_iter().map(|s| {
        let p = poller.clone();
        async move { p.poll(&s).await.outcome }
    }))
    .buffer_unordered(concurrency)
    .collect()
    .await;
    Ok((t.elapsed().as_secs_f64(), cpu_seconds() - cpu0, outcomes))
}
