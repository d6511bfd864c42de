//! `statuswatch-api-bench`: how fast the web app answers over a large store.
//!
//! Seeds a SQLite store (once; reused when the file exists) with `--providers`
//! sources of `--per-provider` incidents each, spread over three years, with
//! components, impacts, two or three updates each and a few incidents still
//! open; then serves the app in-process and loads each page with
//! `--concurrency` clients for `--seconds`: requests per second and latency
//! percentiles per page, and of the Slack slash command (signed POSTs
//! naming a vendor). Client and server share the machine's cores.
// A bench measures real time: it reads the system clock (see clippy.toml).
#![allow(clippy::disallowed_methods)]

use anyhow::{Context, Result};
use chrono::{Duration as Days, Utc};
use clap::Parser;
use rand::{Rng, SeedableRng};
use statuswatch_model::{Component, ComponentState, Impact, Incident, Status, Update};
use statuswatch_store::sqlite::SqliteStore;
use statuswatch_store::{IncidentWrite, NewSource, PollRecord, Store};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Parser)]
#[command(about = "Benchmark statuswatch's pages and API over a large store")]
struct Args {
    /// The SQLite file (seeded when it does not exist).
    #[arg(long, default_value = "/tmp/statuswatch-api-bench.db")]
    db: String,
    /// Providers (sources).
    #[arg(long, default_value_t = 1000)]
    providers: usize,
    /// Incidents per provider.
    #[arg(long, default_value_t = 1000)]
    per_provider: usize,
    /// Concurrent clients.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Seconds of load per page.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Only pages whose name contains this (e.g. `dashboard`).
    #[arg(long)]
    only: Option<String>,
}

fn incident(rng: &mut impl Rng, p: usize, k: usize, open: bool) -> Incident {
    let now = Utc::now();
    let start = now - Days::minutes(rng.random_range(60..3 * 365 * 1440));
    let comps = ["API", "Dashboard", "Webhooks", "Auth", "Storage"];
    let impact = [
        Impact::Minor,
        Impact::Minor,
        Impact::Major,
        Impact::Critical,
        Impact::None,
    ][rng.random_range(0..5)];
    let status = if open {
        Status::Investigating
    } else {
        Status::Resolved
    };
    let mut i = Incident::new(
        format!("p{p}-i{k}"),
        format!("Elevated errors on {} ({p}/{k})", comps[k % 5]),
        status,
    );
    i.impact = Some(impact);
    i.url = Some(format!("https://status.vendor{p}.example/incidents/{k}"));
    i.components.push(Component {
        name: comps[k % 5].into(),
        group: Some("Core".into()),
    });
    let n = rng.random_range(2..=3);
    for u in 0..n {
        let last = u + 1 == n && !open;
        i.updates.push(Update {
            vendor_id: Some(format!("p{p}-i{k}-u{u}")),
            status: if last { Status::Resolved } else if u == 0 { Status::Investigating } else { Status::Identified },
            label: if last { "Resolved".into() } else if u == 0 { "Investigating".into() } else { "Identified".into() },
            at: Some(start + Days::minutes(20 * u as i64 + rng.random_range(0..20))),
            body: format!("Update {u}: we are looking into elevated error rates affecting some customers of {}. Next update in 30 minutes.", comps[k % 5]),
        });
    }
    i.normalize();
    i
}

async fn seed(store: &Arc<dyn Store>, args: &Args) -> Result<()> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let t = Instant::now();
    for p in 0..args.providers {
        let src = store
            .add_source(
                NewSource {
                    name: format!("Vendor {p}"),
                    url: format!("https://status.vendor{p}.example/"),
                    platform: "statuspage".into(),
                    provider: None,
                    on_behalf: false,
                },
                Utc::now(),
            )
            .await?;
        let writes = (0..args.per_provider)
            .map(|k| IncidentWrite {
                existing_id: None,
                incident: incident(&mut rng, p, k, k == 0 && p % 20 == 0),
                events: vec![],
            })
            .collect();
        store
            .apply_poll(PollRecord {
                source_id: src.id,
                at: Utc::now(),
                outcome: statuswatch_store::PollOutcome::Ok,
                provider: Some(format!("Vendor {p}")),
                components: Some(
                    ["API", "Dashboard", "Webhooks", "Auth", "Storage"]
                        .iter()
                        .map(|c| {
                            ComponentState::new(
                                *c,
                                Some("Core".into()),
                                "operational",
                                statuswatch_model::ComponentStatus::Operational,
                            )
                        })
                        .collect(),
                ),
                writes,
                fetch_state: "{}".into(),
                item_count: Some(args.per_provider as i64),
                next_poll_at: Utc::now() + Days::days(365),
                warning: None,
            })
            .await?;
        if (p + 1) % 100 == 0 {
            eprintln!(
                "seeded {} providers, {} incidents ({:.0} s)",
                p + 1,
                (p + 1) * args.per_provider,
                t.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

async fn load(base: &str, name: &str, paths: Arc<Vec<String>>, args: &Args) -> Result<()> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let mut tasks = Vec::new();
    for c in 0..args.concurrency {
        let client = client.clone();
        let paths = paths.clone();
        let base = base.to_string();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0usize;
            let mut k = c;
            while Instant::now() < deadline {
                let req = request(&client, &base, &paths[k % paths.len()]);
                k += args_stride();
                let t = Instant::now();
                match req.send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        lat.push(t.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await?;
        all.extend(l);
        errors += e;
    }
    all.sort();
    let rps = all.len() as f64 / args.seconds as f64;
    println!(
        "| {name} | {rps:.0} | {:.1} | {:.1} | {:.1} | {} |",
        percentile(&all, 0.5).as_secs_f64() * 1e3,
        percentile(&all, 0.99).as_secs_f64() * 1e3,
        all.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        errors
    );
    Ok(())
}

/// The signing secret the bench's app and its Slack requests share.
const SLACK_SECRET: &str = "bench-signing-secret-0123456789ab";

/// A request: a GET of a path, or the slash command asking for a vendor
/// (`slack:<text>`), signed as Slack signs it.
fn request(client: &reqwest::Client, base: &str, path: &str) -> reqwest::RequestBuilder {
    use hmac::{Hmac, Mac};
    let Some(text) = path.strip_prefix("slack:") else {
        return client.get(format!("{base}{path}"));
    };
    let body = format!("command=%2Fstatuswatch&text={}", text.replace(' ', "+"));
    let ts = Utc::now().timestamp();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SLACK_SECRET.as_bytes()).expect("any key");
    mac.update(format!("v0:{ts}:{body}").as_bytes());
    client
        .post(format!("{base}/slack/command"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-slack-request-timestamp", ts.to_string())
        .header(
            "x-slack-signature",
            format!("v0={}", hex::encode(mac.finalize().into_bytes())),
        )
        .body(body)
}

fn args_stride() -> usize {
    7919
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let fresh = !std::path::Path::new(&args.db).exists();
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(&args.db)
            .await
            .context("opening the store")?,
    );
    if fresh {
        seed(&store, &args).await?;
    }
    let sources = store.sources().await?;
    let total = store.counts().await?;
    eprintln!(
        "store: {} providers, {} open incidents",
        sources.len(),
        total.open_incidents
    );
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let mut incident_ids = Vec::new();
    for _ in 0..200 {
        let p = rng.random_range(0..sources.len());
        let k = rng.random_range(0..args.per_provider);
        let rows = store
            .incidents_by_vendor_ids(sources[p].id, &[format!("p{p}-i{k}")])
            .await?;
        incident_ids.extend(rows.into_iter().map(|r| r.id));
    }
    anyhow::ensure!(
        !incident_ids.is_empty(),
        "no incidents found in {}",
        args.db
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = statuswatch_web::app_router(statuswatch_web::App {
        slack_signing_secret: Some(SLACK_SECRET.into()),
        ..statuswatch_web::App::read_only(store.clone())
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    let provider_paths: Vec<String> = sources
        .iter()
        .map(|s| format!("/providers/{}", s.id))
        .collect();
    let pages: Vec<(&str, Vec<String>)> = vec![
        ("dashboard `/`", vec!["/".to_string()]),
        ("provider page `/providers/<id>`", provider_paths.clone()),
        (
            "incident page `/incidents/<id>`",
            incident_ids
                .iter()
                .map(|i| format!("/incidents/{i}"))
                .collect(),
        ),
        (
            "API `/api/v1/incidents?limit=50`",
            vec!["/api/v1/incidents?limit=50".to_string()],
        ),
        (
            "API `/api/v1/providers/<id>`",
            sources
                .iter()
                .map(|s| format!("/api/v1/providers/{}", s.id))
                .collect(),
        ),
        (
            "Slack `/statuswatch <vendor>`",
            sources
                .iter()
                .map(|s| format!("slack:{}", s.name))
                .collect(),
        ),
        (
            "Slack `/statuswatch` (every vendor with something open)",
            vec!["slack:".to_string()],
        ),
    ];
    println!(
        "{} providers, {} incidents; {} clients, {} s per page, client and server on the same machine",
        sources.len(),
        args.providers * args.per_provider,
        args.concurrency,
        args.seconds
    );
    println!("| page | requests/s | p50 ms | p99 ms | max ms | errors |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (name, paths) in pages {
        if args.only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        // Warm up once.
        let _ = request(&reqwest::Client::new(), &base, &paths[0])
            .send()
            .await?
            .bytes()
            .await?;
        load(&base, name, Arc::new(paths), &args).await?;
    }
    Ok(())
}
