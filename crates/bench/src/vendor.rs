//! The loopback vendor of the benchmark, run as a child process so that the
//! CPU time and memory measured are statuswatch's alone. It serves N sources:
//! even ones as Statuspage APIs, odd ones as Statuspage history feeds, from
//! real captured payloads; `POST /_change/<i>` makes source i publish a new
//! incident.

use axum::body::Body;
use axum::http::{Method, Response, Uri};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const SUMMARY: &[u8] = include_bytes!("../fixtures/cursor__summary_2026-09-25_incident.json");
const INCIDENTS: &[u8] = include_bytes!("../fixtures/github__incidents_2026-08-18.json");
const MAINTENANCES: &[u8] =
    include_bytes!("../fixtures/anthropic-claude__scheduled-maintenances_2026-09-15.json");
const FEED: &[u8] = include_bytes!("../fixtures/github__history_atom_2026-08-22.atom");

#[derive(Default)]
struct Changed {
    versions: HashMap<usize, u32>,
    incidents: HashMap<usize, Arc<Vec<u8>>>,
    feeds: HashMap<usize, Arc<Vec<u8>>>,
}

struct State {
    base_incidents: Value,
    changed: Mutex<Changed>,
}

/// Runs the vendor on `hosts` loopback addresses and prints them as one JSON line.
pub async fn run(hosts: usize) -> anyhow::Result<()> {
    let state = Arc::new(State {
        base_incidents: serde_json::from_slice(INCIDENTS)?,
        changed: Mutex::new(Changed::default()),
    });
    let mut addrs = Vec::new();
    for h in 0..hosts.max(1) {
        let ip = format!("127.0.0.{}", h + 1);
        let listener = tokio::net::TcpListener::bind(format!("{ip}:0")).await?;
        addrs.push(listener.local_addr()?.to_string());
        let s = state.clone();
        let app = axum::Router::new().fallback(move |method: Method, uri: Uri| {
            let s = s.clone();
            async move { answer(&s, &method, uri.path()) }
        });
        tokio::spawn(async move { axum::serve(listener, app).await });
    }
    println!("{}", serde_json::to_string(&addrs)?);
    std::future::pending::<()>().await;
    Ok(())
}

fn ok(body: Arc<Vec<u8>>, ct: &'static str) -> Response<Body> {
    Response::builder()
        .header("content-type", ct)
        .body(Body::from(body.as_ref().clone()))
        .unwrap()
}

fn answer(s: &State, method: &Method, path: &str) -> Response<Body> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let index = |k: usize| parts.get(k).and_then(|p| p.parse::<usize>().ok());
    if method == Method::POST && parts.first() == Some(&"_change") {
        if let Some(i) = index(1) {
            change(s, i);
            return Response::builder().status(204).body(Body::empty()).unwrap();
        }
    }
    let Some(i) = index(1) else {
        return Response::builder().status(404).body(Body::empty()).unwrap();
    };
    let changed = s.changed.lock().unwrap();
    match (
        parts.first().copied(),
        parts.get(4).copied(),
        parts.get(2).copied(),
    ) {
        (Some("s"), Some("summary.json"), _) => ok(Arc::new(SUMMARY.to_vec()), "application/json"),
        (Some("s"), Some("incidents.json"), _) => ok(
            changed
                .incidents
                .get(&i)
                .cloned()
                .unwrap_or_else(|| Arc::new(INCIDENTS.to_vec())),
            "application/json",
        ),
        (Some("s"), Some("scheduled-maintenances.json"), _) => {
            ok(Arc::new(MAINTENANCES.to_vec()), "application/json")
        }
        (Some("f"), _, Some("history.atom")) => ok(
            changed
                .feeds
                .get(&i)
                .cloned()
                .unwrap_or_else(|| Arc::new(FEED.to_vec())),
            "application/atom+xml",
        ),
        _ => Response::builder().status(404).body(Body::empty()).unwrap(),
    }
}

/// Source `i` publishes a new incident.
fn change(s: &State, i: usize) {
    let now = chrono::Utc::now();
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut changed = s.changed.lock().unwrap();
    let v = {
        let v = changed.versions.entry(i).or_insert(0);
        *v += 1;
        *v
    };
    let id = format!("bench{i}v{v}");
    if i.is_multiple_of(2) {
        let mut doc = s.base_incidents.clone();
        let incident = json!({
            "id": id, "name": format!("Elevated errors {i}.{v}"), "status": "investigating",
            "impact": "minor", "created_at": at, "updated_at": at, "started_at": at,
            "monitoring_at": null, "resolved_at": null, "shortlink": null, "page_id": "bench",
            "components": [], "reminder_intervals": null,
            "incident_updates": [{
                "id": format!("{id}u1"), "status": "investigating", "incident_id": id,
                "body": "We are investigating elevated error rates.",
                "created_at": at, "updated_at": at, "display_at": at,
                "affected_components": null, "deliver_notifications": true,
                "custom_tweet": null, "tweet_id": null
            }]
        });
        doc["incidents"].as_array_mut().unwrap().insert(0, incident);
        changed
            .incidents
            .insert(i, Arc::new(serde_json::to_vec(&doc).unwrap()));
    } else {
        let feed = String::from_utf8_lossy(FEED);
        let stamp = now.format("%Y-%m-%dT%H:%M:%SZ");
        let small = now.format("%b &lt;var data-var='date'&gt;%-d&lt;/var&gt;, &lt;var data-var='time'&gt;%H:%M&lt;/var&gt; UTC");
        let entry = format!(
            "  <entry>\n    <id>tag:bench,2005:Incident/{id}</id>\n    <published>{stamp}</published>\n    <updated>{stamp}</updated>\n    <link rel=\"alternate\" type=\"text/html\" href=\"https://bench.example/incidents/{id}\"/>\n    <title>Elevated errors {i}.{v}</title>\n    <content type=\"html\">&lt;p&gt;&lt;small&gt;{small}&lt;/small&gt;&lt;br&gt;&lt;strong&gt;Investigating&lt;/strong&gt; - We are investigating elevated error rates.&lt;/p&gt;</content>\n  </entry>\n"
        );
        let at = feed.find("  <entry>").unwrap_or(feed.len());
        let mut out = String::with_capacity(feed.len() + entry.len());
        out.push_str(&feed[..at]);
        out.push_str(&entry);
        out.push_str(&feed[at..]);
        changed.feeds.insert(i, Arc::new(out.into_bytes()));
    }
}
