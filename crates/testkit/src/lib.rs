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
    /// This answer, after this delay.
    Delayed(Duration, Box<Reply>),
    /// 200 whose body arrives one byte every `Duration` (a vendor that
    /// trickles; a slow-loris answer).
    Trickle(Duration, Vec<u8>),
    /// 200 with `Content-Encoding: gzip`: these bytes, already compressed.
    /// A few kilobytes that inflate past any cap make a gzip bomb
    /// ([`Reply::gzip_bomb`]).
    Gzip(Vec<u8>, &'static str),
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
            Reply::Delayed(d, r) => Reply::Delayed(d, Box::new(r.with_etag())),
            other => other,
        }
    }

    /// `inflated` bytes of JSON-looking padding, gzip-compressed (about a
    /// thousandth of the size on the wire). Compressed once per size.
    pub fn gzip_bomb(inflated: usize) -> Reply {
        static BOMBS: Mutex<Vec<(usize, Vec<u8>)>> = Mutex::new(Vec::new());
        let mut bombs = BOMBS.lock().unwrap();
        if let Some((_, z)) = bombs.iter().find(|(n, _)| *n == inflated) {
            return Reply::Gzip(z.clone(), "application/json");
        }
        let mut body = Vec::with_capacity(inflated);
        body.extend_from_slice(b"{\"pad\": \"");
        body.resize(inflated.saturating_sub(2), b' ');
        body.extend_from_slice(b"\"}");
        let z = gzip(&body);
        bombs.push((inflated, z.clone()));
        Reply::Gzip(z, "application/json")
    }

    /// 200 with these bytes, gzip-compressed on the wire.
    pub fn gzipped(body: &[u8], content_type: &'static str) -> Reply {
        Reply::Gzip(gzip(body), content_type)
    }

    /// The same answer, sent after `d`.
    pub fn after(self, d: Duration) -> Reply {
        Reply::Delayed(d, Box::new(self))
    }
}

#[derive(Default)]
struct State {
    replies: HashMap<String, Reply>,
    hits: HashMap<String, usize>,
    times: HashMap<String, Vec<std::time::Instant>>,
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

    /// When each request to any path arrived, in order.
    pub fn all_hit_times(&self) -> Vec<std::time::Instant> {
        let mut all: Vec<_> = self
            .state
            .lock()
            .unwrap()
            .times
            .values()
            .flatten()
            .copied()
            .collect();
        all.sort();
        all
    }

    /// When each request to a path arrived, in order.
    pub fn hit_times(&self, path: &str) -> Vec<std::time::Instant> {
        self.state
            .lock()
            .unwrap()
            .times
            .get(path)
            .cloned()
            .unwrap_or_default()
    }
}

async fn answer(state: &Mutex<State>, path: &str, headers: &HeaderMap) -> Response<Body> {
    let reply = {
        let mut s = state.lock().unwrap();
        *s.hits.entry(path.to_string()).or_default() += 1;
        s.times
            .entry(path.to_string())
            .or_default()
            .push(std::time::Instant::now());
        s.replies.get(path).cloned()
    };
    let Some(mut reply) = reply else {
        return Response::builder()
            .status(404)
            .body(Body::from("not found"))
            .unwrap();
    };
    while let Reply::Delayed(d, inner) = reply {
        tokio::time::sleep(d).await;
        reply = *inner;
    }
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
        Reply::Trickle(every, body) => {
            let bytes = futures::stream::unfold((body, 0usize), move |(body, i)| async move {
                if i >= body.len() {
                    return None;
                }
                tokio::time::sleep(every).await;
                let chunk = axum::body::Bytes::copy_from_slice(&body[i..i + 1]);
                Some((Ok::<_, std::io::Error>(chunk), (body, i + 1)))
            });
            Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(Body::from_stream(bytes))
                .unwrap()
        }
        Reply::Gzip(compressed, content_type) => Response::builder()
            .status(200)
            .header("content-type", content_type)
            .header("content-encoding", "gzip")
            .body(Body::from(compressed))
            .unwrap(),
        Reply::Delayed(..) => unreachable!("delays are waited out above"),
    }
}

fn gzip(body: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(body).unwrap();
    z.finish().unwrap()
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

/// A mail as an [`SmtpSink`] received it.
#[derive(Clone, Debug, Default)]
pub struct Mail {
    /// `MAIL FROM`.
    pub from: String,
    /// `RCPT TO`, each.
    pub to: Vec<String>,
    /// The message as sent (headers and body, dot-unstuffed).
    pub data: String,
    /// Whether the client authenticated (`AUTH PLAIN`/`LOGIN`), and as whom.
    pub auth: Option<String>,
}

/// A small SMTP server on loopback that accepts every mail and keeps it. It
/// speaks enough of RFC 5321 (EHLO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, QUIT)
/// for a real client such as lettre.
#[derive(Clone)]
pub struct SmtpSink {
    /// Where it listens.
    pub addr: SocketAddr,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSink {
    /// Starts it on a free loopback port (inside a Tokio runtime).
    pub async fn start() -> SmtpSink {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mails: Arc<Mutex<Vec<Mail>>> = Arc::default();
        let store = mails.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let (r, mut w) = sock.into_split();
                    let mut lines = BufReader::new(r).lines();
                    let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                    let mut mail = Mail::default();
                    while let Ok(Some(line)) = lines.next_line().await {
                        let upper = line.to_ascii_uppercase();
                        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO")
                        {
                            b"250-sink\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
                        } else if upper.starts_with("AUTH PLAIN") {
                            let b64 = line.split_whitespace().nth(2).unwrap_or("");
                            mail.auth = Some(b64.to_string());
                            b"235 2.7.0 ok\r\n"
                        } else if upper.starts_with("MAIL FROM:") {
                            mail.from = line[10..].trim().trim_matches(['<', '>']).to_string();
                            b"250 ok\r\n"
                        } else if upper.starts_with("RCPT TO:") {
                            mail.to
                                .push(line[8..].trim().trim_matches(['<', '>']).to_string());
                            b"250 ok\r\n"
                        } else if upper == "DATA" {
                            let _ = w.write_all(b"354 go on\r\n").await;
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(l.strip_prefix('.').unwrap_or(&l));
                                data.push('\n');
                            }
                            mail.data = data;
                            store.lock().unwrap().push(std::mem::take(&mut mail));
                            b"250 queued\r\n"
                        } else if upper == "QUIT" {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            break;
                        } else {
                            b"250 ok\r\n"
                        };
                        if w.write_all(reply).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        SmtpSink { addr, mails }
    }

    /// Every mail so far.
    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

/// The bytes of a fixture of the calling crate (`tests/fixtures/<name>`).
#[macro_export]
macro_rules! fixture {
    ($name:expr) => {
        $crate::read_fixture(env!("CARGO_MANIFEST_DIR"), $name)
    };
}

/// The bytes of `<crate_dir>/tests/fixtures/<name>`; a missing one panics naming it.
pub fn read_fixture(crate_dir: &str, name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(crate_dir)
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// Says that the calling test skipped and why: on standard error (shown with
/// a failure or `--nocapture`), and as a line in the file
/// `$STATUSWATCH_SKIPPED_LOG` names, if any, so `scripts/test` counts the
/// test as skipped rather than passed. The test then returns.
pub fn skip(why: &str) {
    eprintln!("skipped: {why}");
    if let Some(path) = std::env::var_os("STATUSWATCH_SKIPPED_LOG") {
        use std::io::Write;
        let binary = std::env::current_exe()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default();
        let test = format!(
            "{binary} {}",
            std::thread::current().name().unwrap_or("a test")
        );
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            // One write of the whole line: tests skip concurrently.
            let _ = f.write_all(format!("{test}\t{why}\n").as_bytes());
        }
    }
}
