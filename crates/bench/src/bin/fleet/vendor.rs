//! The fleet's vendor, run as a child process on one core so that what is
//! measured of `serve` is `serve`'s alone: N Atlassian Statuspage pages, page
//! `i` at its own loopback address (127.x.y.z, every address of 127/8 is the
//! loopback) on one port, told apart by the Host header. Answers carry
//! ETags, so an unchanged poll is a 304. `POST /_change/<i>` makes page `i`
//! open a new incident (and resolve its previous one); `GET /_stats` tells
//! what was asked since `POST /_reset`: requests by endpoint, the share of
//! 304s, and the gaps between two polls of a page's summary.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Response, StatusCode};
use axum::routing::{get, post};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

const SUMMARY: &[u8] = include_bytes!("../../../fixtures/cursor__summary_2026-09-25_incident.json");
const INCIDENTS: &[u8] = include_bytes!("../../../fixtures/github__incidents_2026-08-18.json");
const MAINTENANCES: &[u8] =
    include_bytes!("../../../fixtures/anthropic-claude__scheduled-maintenances_2026-09-15.json");

/// Gap histogram: one bucket per second up to this many.
const GAP_BUCKETS: usize = 600;

/// The address of page `i`.
pub fn ip_of(i: usize) -> String {
    let a = 1 + i / (254 * 256);
    let b = (i / 254) % 256;
    let c = i % 254 + 1;
    format!("127.{a}.{b}.{c}")
}

fn index_of(host: &str) -> Option<usize> {
    let ip = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let mut parts = ip.split('.').map(|p| p.parse::<usize>().ok());
    let (Some(Some(127)), Some(Some(a)), Some(Some(b)), Some(Some(c))) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    (a >= 1 && (1..=254).contains(&c)).then(|| (a - 1) * 254 * 256 + b * 254 + (c - 1))
}

struct Page {
    version: AtomicU32,
    /// Milliseconds since the vendor started when its summary was last asked (0: never).
    last_summary_ms: AtomicU64,
    changed_at_ms: AtomicU64,
}

#[derive(Default)]
struct Counters {
    requests: [AtomicU64; 3],
    not_modified: [AtomicU64; 3],
    gaps: Vec<AtomicU64>,
    max_gap_ms: AtomicU64,
    /// Pages whose summary was asked since the reset.
    polled: AtomicU64,
}

struct Vendor {
    pages: Vec<Page>,
    start: Instant,
    epoch: chrono::DateTime<chrono::Utc>,
    counters: std::sync::RwLock<Arc<Counters>>,
    /// When the counters were last reset, ms since start.
    reset_ms: AtomicU64,
    summary: Value,
    incidents: Value,
    /// How long each `summary.json` after a page's first takes (a real
    /// vendor across the internet).
    latency: std::time::Duration,
    /// Every answer takes `latency`, the first poll's too.
    slow_first: bool,
}

fn counters() -> Counters {
    Counters {
        gaps: (0..=GAP_BUCKETS).map(|_| AtomicU64::new(0)).collect(),
        ..Counters::default()
    }
}

/// Serves `n` pages on `port` of every loopback address, on one core.
pub fn run(n: usize, port: u16, latency_ms: u64, slow_first: bool) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let mut summary: Value = serde_json::from_slice(SUMMARY)?;
        summary["incidents"] = json!([]);
        summary["scheduled_maintenances"] = json!([]);
        let vendor = Arc::new(Vendor {
            pages: (0..n)
                .map(|_| Page {
                    version: AtomicU32::new(0),
                    last_summary_ms: AtomicU64::new(0),
                    changed_at_ms: AtomicU64::new(0),
                })
                .collect(),
            start: Instant::now(),
            epoch: chrono::Utc::now(),
            counters: std::sync::RwLock::new(Arc::new(counters())),
            reset_ms: AtomicU64::new(0),
            summary,
            incidents: serde_json::from_slice(INCIDENTS)?,
            latency: std::time::Duration::from_millis(latency_ms),
            slow_first,
        });
        let app = axum::Router::new()
            .route("/api/v2/{file}", get(answer))
            .route("/_change/{i}", post(change))
            .route("/_reset", post(reset))
            .route("/_stats", get(stats))
            .with_state(vendor);
        let listener = tokio::net::TcpListener::bind(("0.0.0.0", port)).await?;
        println!("{}", listener.local_addr()?.port());
        axum::serve(listener, app).await?;
        anyhow::Ok(())
    })
}

fn incident(v: &Vendor, i: usize, version: u32, open: bool) -> Value {
    let at = v.epoch
        + chrono::Duration::milliseconds(v.pages[i].changed_at_ms.load(Ordering::Relaxed) as i64);
    let at = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let id = format!("fleet{i}v{version}");
    let (status, body) = if open {
        (
            "investigating",
            "We are investigating elevated error rates.",
        )
    } else {
        ("resolved", "This incident has been resolved.")
    };
    json!({
        "id": id, "name": format!("Elevated errors {i}.{version}"), "status": status,
        "impact": "minor", "created_at": at, "updated_at": at, "started_at": at,
        "monitoring_at": null, "resolved_at": if open { Value::Null } else { json!(at) },
        "shortlink": null, "page_id": "fleet", "components": [], "reminder_intervals": null,
        "incident_updates": [{
            "id": format!("{id}u{}", u8::from(!open)), "status": status, "incident_id": id,
            "body": body, "created_at": at, "updated_at": at, "display_at": at,
            "affected_components": null, "deliver_notifications": true,
            "custom_tweet": null, "tweet_id": null
        }]
    })
}

async fn answer(
    State(v): State<Arc<Vendor>>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response<Body> {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let Some(i) = index_of(host).filter(|i| *i < v.pages.len()) else {
        return status(StatusCode::NOT_FOUND);
    };
    // A slow live answer once the page was read once (the first poll of
    // every source, its baseline, is not what is measured).
    if !v.latency.is_zero()
        && (v.slow_first
            || file == "summary.json" && v.pages[i].last_summary_ms.load(Ordering::Relaxed) != 0)
    {
        tokio::time::sleep(v.latency).await;
    }
    let kind = match file.as_str() {
        "summary.json" => 0,
        "incidents.json" => 1,
        "scheduled-maintenances.json" => 2,
        _ => return status(StatusCode::NOT_FOUND),
    };
    let c = v.counters.read().unwrap().clone();
    c.requests[kind].fetch_add(1, Ordering::Relaxed);
    let page = &v.pages[i];
    if kind == 0 {
        let now = v.start.elapsed().as_millis() as u64;
        let last = page.last_summary_ms.swap(now, Ordering::Relaxed);
        if last >= v.reset_ms.load(Ordering::Relaxed) && last > 0 {
            let gap = now - last;
            c.gaps[((gap / 1000) as usize).min(GAP_BUCKETS)].fetch_add(1, Ordering::Relaxed);
            c.max_gap_ms.fetch_max(gap, Ordering::Relaxed);
        } else {
            c.polled.fetch_add(1, Ordering::Relaxed);
        }
    }
    let version = page.version.load(Ordering::Relaxed);
    let etag = format!("\"{kind}-{version}\"");
    if headers
        .get("if-none-match")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|t| t == etag)
    {
        c.not_modified[kind].fetch_add(1, Ordering::Relaxed);
        return Response::builder()
            .status(StatusCode::NOT_MODIFIED)
            .header("etag", etag)
            .body(Body::empty())
            .unwrap();
    }
    let body = match kind {
        0 => {
            let mut s = v.summary.clone();
            if version > 0 {
                s["incidents"] = json!([incident(&v, i, version, true)]);
                s["status"] = json!({"indicator": "minor", "description": "Minor Service Outage"});
            }
            serde_json::to_vec(&s).unwrap()
        }
        1 => {
            let mut doc = v.incidents.clone();
            let list = doc["incidents"].as_array_mut().unwrap();
            if version > 1 {
                list.insert(0, incident(&v, i, version - 1, false));
            }
            if version > 0 {
                list.insert(0, incident(&v, i, version, true));
            }
            serde_json::to_vec(&doc).unwrap()
        }
        _ => MAINTENANCES.to_vec(),
    };
    Response::builder()
        .header("content-type", "application/json")
        .header("etag", etag)
        .body(Body::from(body))
        .unwrap()
}

fn status(s: StatusCode) -> Response<Body> {
    Response::builder().status(s).body(Body::empty()).unwrap()
}

async fn change(State(v): State<Arc<Vendor>>, Path(i): Path<usize>) -> StatusCode {
    let Some(page) = v.pages.get(i) else {
        return StatusCode::NOT_FOUND;
    };
    page.changed_at_ms
        .store(v.start.elapsed().as_millis() as u64, Ordering::Relaxed);
    page.version.fetch_add(1, Ordering::Relaxed);
    StatusCode::NO_CONTENT
}

async fn reset(State(v): State<Arc<Vendor>>) -> StatusCode {
    *v.counters.write().unwrap() = Arc::new(counters());
    v.reset_ms
        .store(v.start.elapsed().as_millis() as u64, Ordering::Relaxed);
    StatusCode::NO_CONTENT
}

async fn stats(State(v): State<Arc<Vendor>>) -> axum::Json<Value> {
    let c = v.counters.read().unwrap().clone();
    let load = |a: &[AtomicU64; 3]| {
        a.iter()
            .map(|x| x.load(Ordering::Relaxed))
            .collect::<Vec<_>>()
    };
    let gaps: Vec<u64> = c.gaps.iter().map(|g| g.load(Ordering::Relaxed)).collect();
    let total: u64 = gaps.iter().sum();
    let pct = |p: f64| -> u64 {
        let want = (total as f64 * p).ceil() as u64;
        let mut seen = 0;
        for (s, n) in gaps.iter().enumerate() {
            seen += n;
            if seen >= want && want > 0 {
                return s as u64 + 1;
            }
        }
        0
    };
    let never = v
        .pages
        .iter()
        .filter(|p| p.last_summary_ms.load(Ordering::Relaxed) < v.reset_ms.load(Ordering::Relaxed))
        .count();
    axum::Json(json!({
        "requests": load(&c.requests),
        "not_modified": load(&c.not_modified),
        "gaps": total,
        "gap_p50_s": pct(0.5),
        "gap_p99_s": pct(0.99),
        "gap_max_ms": c.max_gap_ms.load(Ordering::Relaxed),
        "pages_not_polled": never,
        "seconds": (v.start.elapsed().as_millis() as u64 - v.reset_ms.load(Ordering::Relaxed)) as f64 / 1000.0,
    }))
}
