//! A loopback vendor whose answers a test sets path by path, and helpers to
//! build an engine over a temporary SQLite store.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Response, StatusCode, Uri};
use chrono::{DateTime, TimeZone, Utc};
use statuswatch_engine::{Clock, EngineConfig, Poller};
use statuswatch_fetch::{FetchConfig, Fetcher};
use statuswatch_store::sqlite::SqliteStore;
use statuswatch_store::{NewSource, Source, Store};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the vendor answers on one path.
#[derive(Clone, Debug)]
pub enum Reply {
    /// 200 with this body and content type; an ETag derived from the body,
    /// honoured with 304 when `etag` is set.
    Body {
        body: Vec<u8>,
        content_type: &'static str,
        etag: bool,
    },
    /// This status, with a Retry-After when given.
    Status(u16, Option<u64>),
    /// 200, after this delay.
    Slow(Duration),
}

impl Reply {
    pub fn json(v: &serde_json::Value) -> Reply {
        Reply::Body {
            body: serde_json::to_vec(v).unwrap(),
            content_type: "application/json",
            etag: false,
        }
    }
    pub fn bytes(body: impl Into<Vec<u8>>, content_type: &'static str) -> Reply {
        Reply::Body {
            body: body.into(),
            content_type,
            etag: false,
        }
    }
    pub fn with_etag(self) -> Reply {
        match self {
            Reply::Body {
                body, content_type, ..
            } => Reply::Body {
                body,
                content_type,
                etag: true,
            },
            other => other,
        }
    }
}

#[derive(Default)]
struct State {
    replies: HashMap<String, Reply>,
    hits: HashMap<String, usize>,
}

/// The loopback vendor.
#[derive(Clone)]
pub struct Vendor {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl Vendor {
    pub async fn start() -> Vendor {
        let state = Arc::new(Mutex::new(State::default()));
        let s = state.clone();
        let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
            let s = s.clone();
            async move { answer(&s, uri.path(), &headers).await }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Vendor { addr, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn set(&self, path: &str, reply: Reply) {
        self.state
            .lock()
            .unwrap()
            .replies
            .insert(path.to_string(), reply);
    }

    pub fn hits(&self, path: &str) -> usize {
        self.state
            .lock()
            .unwrap()
            .hits
            .get(path)
            .copied()
            .unwrap_or(0)
    }
}

async fn answer(state: &Mutex<State>, path: &str, headers: &HeaderMap) -> Response<Body> {
    let reply = {
        let mut s = state.lock().unwrap();
        *s.hits.entry(path.to_string()).or_default() += 1;
        s.replies.get(path).cloned()
    };
    let Some(reply) = reply else {
        return Response::builder()
            .status(404)
            .body(Body::from("not found"))
            .unwrap();
    };
    match reply {
        Reply::Body {
            body,
            content_type,
            etag,
        } => {
            let tag = format!(
                "\"{:x}\"",
                body.len() as u64 * 31 + body.iter().map(|b| *b as u64).sum::<u64>()
            );
            if etag
                && headers.get("if-none-match").and_then(|v| v.to_str().ok()) == Some(tag.as_str())
            {
                return Response::builder().status(304).body(Body::empty()).unwrap();
            }
            let mut b = Response::builder()
                .status(200)
                .header("content-type", content_type);
            if etag {
                b = b.header("etag", tag);
            }
            b.body(Body::from(body)).unwrap()
        }
        Reply::Status(code, retry) => {
            let mut b = Response::builder().status(StatusCode::from_u16(code).unwrap());
            if let Some(r) = retry {
                b = b.header("retry-after", r.to_string());
            }
            b.body(Body::from("<html><body>error</body></html>"))
                .unwrap()
        }
        Reply::Slow(d) => {
            tokio::time::sleep(d).await;
            Response::builder()
                .status(200)
                .body(Body::from("{}"))
                .unwrap()
        }
    }
}

/// A clock the test moves.
#[derive(Clone)]
pub struct TestClock(pub Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    pub fn new() -> TestClock {
        TestClock(Arc::new(Mutex::new(
            Utc.with_ymd_and_hms(2026, 9, 26, 0, 0, 0).unwrap(),
        )))
    }
    pub fn advance(&self, secs: i64) {
        *self.0.lock().unwrap() += chrono::Duration::seconds(secs);
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

pub fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_slice(&fixture(name)).unwrap()
}

/// An engine over a fresh SQLite store, with a fetcher sized for tests.
pub struct Harness {
    pub _dir: tempfile::TempDir,
    pub store: Arc<dyn Store>,
    pub poller: Poller,
    pub clock: TestClock,
}

impl Harness {
    pub async fn new() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(
            SqliteStore::open(dir.path().join("t.db").to_str().unwrap())
                .await
                .unwrap(),
        );
        let fetcher = Arc::new(
            Fetcher::new(FetchConfig {
                total_timeout: Duration::from_millis(700),
                max_body_bytes: 256 * 1024,
                per_host_interval: Duration::ZERO,
                ..FetchConfig::default()
            })
            .unwrap(),
        );
        let clock = TestClock::new();
        let poller = Poller::new(
            store.clone(),
            fetcher,
            Arc::new(clock.clone()),
            EngineConfig::default(),
        );
        Harness {
            _dir: dir,
            store,
            poller,
            clock,
        }
    }

    pub async fn add(&self, name: &str, url: &str, platform: &str) -> Source {
        self.store
            .add_source(
                NewSource {
                    name: name.into(),
                    url: url.into(),
                    platform: platform.into(),
                    provider: None,
                },
                self.clock.now(),
            )
            .await
            .unwrap()
    }

    /// Polls the source as it is stored now.
    pub async fn poll(&self, source: &Source) -> statuswatch_engine::Outcome {
        self.clock.advance(60);
        let fresh = self.store.source(source.id).await.unwrap();
        self.poller.poll(&fresh).await.outcome
    }
}
