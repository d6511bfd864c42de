//! A loopback vendor for tests and benchmarks: an HTTP server on 127.0.0.1
//! whose answer on each path a test sets and changes at will, with ETags,
//! errors, Retry-After and slow answers on demand.

use axum::body::Body;
use axum::http::{HeaderMap, Response, StatusCode, Uri};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the vendor answers on one path.
#[derive(Clone, Debug)]
#[allow(missing_docs)]
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
    /// 200 with this JSON.
    pub fn json(v: &serde_json::Value) -> Reply {
        Reply::Body {
            body: serde_json::to_vec(v).unwrap(),
            content_type: "application/json",
            etag: false,
        }
    }
    /// 200 with these bytes.
    pub fn bytes(body: impl Into<Vec<u8>>, content_type: &'static str) -> Reply {
        Reply::Body {
            body: body.into(),
            content_type,
            etag: false,
        }
    }
    /// The same answer, with an ETag honoured by 304.
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
    /// Where it listens.
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl Vendor {
    /// Starts it on a free loopback port (inside a Tokio runtime).
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

    /// The URL of a path on it.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sets the answer on a path.
    pub fn set(&self, path: &str, reply: Reply) {
        self.state
            .lock()
            .unwrap()
            .replies
            .insert(path.to_string(), reply);
    }

    /// How many requests a path received.
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

/// One request a [`Receiver`] got.
#[derive(Clone, Debug)]
pub struct Received {
    /// The status it was answered with.
    pub answered: u16,
    /// The request's headers, names in lower case.
    pub headers: HashMap<String, String>,
    /// The body.
    pub body: Vec<u8>,
    /// When it arrived.
    pub at: std::time::Instant,
}

/// A loopback webhook receiver that records every POST and answers with the
/// status a test sets (200 by default; 503 to play "down").
#[derive(Clone)]
pub struct Receiver {
    /// Where it listens.
    pub addr: SocketAddr,
    state: Arc<Mutex<(u16, Vec<Received>)>>,
}

impl Receiver {
    /// Starts it on a free loopback port (inside a Tokio runtime).
    pub async fn start() -> Receiver {
        let state = Arc::new(Mutex::new((200u16, Vec::new())));
        let s = state.clone();
        let app =
            axum::Router::new().fallback(move |headers: HeaderMap, body: axum::body::Bytes| {
                let s = s.clone();
                async move {
                    let mut st = s.lock().unwrap();
                    let answered = st.0;
                    st.1.push(Received {
                        answered,
                        headers: headers
                            .iter()
                            .map(|(k, v)| {
                                (k.as_str().to_string(), v.to_str().unwrap_or("").to_string())
                            })
                            .collect(),
                        body: body.to_vec(),
                        at: std::time::Instant::now(),
                    });
                    Response::builder()
                        .status(StatusCode::from_u16(answered).unwrap())
                        .body(Body::empty())
                        .unwrap()
                }
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { addr, state }
    }

    /// Its URL.
    pub fn url(&self) -> String {
        format!("http://{}/hook", self.addr)
    }

    /// Answers every request with this status from now on.
    pub fn answer_with(&self, status: u16) {
        self.state.lock().unwrap().0 = status;
    }

    /// Every request so far.
    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().1.clone()
    }
}
