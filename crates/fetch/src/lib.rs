//! The one HTTP fetcher every poll goes through.
//!
//! It owns what vendors and users must be able to trust: a descriptive
//! User-Agent, connect and total timeouts, a cap on body size (counted after
//! decompression), conditional GET, and per-host politeness: a bound on
//! concurrent requests and a minimum spacing per host, and a host that
//! answered 429 or 503 with `Retry-After` is not asked again before then.

pub mod guard;
mod hosts;

use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use hosts::HostPool;
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::StatusCode;
use std::time::Duration;
use url::Url;

/// The User-Agent sent with every request.
pub const USER_AGENT: &str = concat!(
    "statuswatch/",
    env!("CARGO_PKG_VERSION"),
    " (status page aggregator; +https://github.com/statuswatch/statuswatch)"
);

/// Limits and politeness settings.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Time allowed to connect.
    pub connect_timeout: Duration,
    /// Time allowed for the whole request, body included.
    pub total_timeout: Duration,
    /// Largest body accepted, after decompression.
    pub max_body_bytes: usize,
    /// Requests in flight to one host at most.
    pub per_host_concurrency: usize,
    /// Minimum time between the starts of two requests to one host.
    pub per_host_interval: Duration,
    /// How long an idle connection is kept for the next request to its host.
    /// Short: a poll's requests to one host follow each other at once, and
    /// with thousands of hosts, connections kept for minutes would hold
    /// thousands of sockets and their buffers.
    pub idle_timeout: Duration,
    /// Longest `Retry-After` honoured (a longer one is capped to this).
    pub max_retry_after: Duration,
    /// Refuse loopback, private and link-local addresses, after DNS
    /// resolution and on every redirect: for requests made on someone else's
    /// behalf (a URL added through the web or the API).
    pub refuse_internal: bool,
    /// Internal `host:port`s allowed despite `refuse_internal` (a status page
    /// on the company's own network, by configuration).
    pub allow_internal: Vec<String>,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_body_bytes: 8 * 1024 * 1024,
            per_host_concurrency: 2,
            per_host_interval: Duration::from_millis(250),
            idle_timeout: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(3600),
            refuse_internal: false,
            allow_internal: Vec::new(),
        }
    }
}

/// Validators from an earlier answer, for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
}

impl Validators {
    /// Whether there is anything to send.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// A successful answer.
#[derive(Debug, Clone)]
pub enum Fetched {
    /// 304: nothing changed since the validators were issued.
    NotModified,
    /// 2xx with a body.
    Body {
        /// The body, decompressed.
        bytes: Bytes,
        /// Validators for the next conditional GET.
        validators: Validators,
        /// The `Content-Type` header.
        content_type: Option<String>,
        /// The URL after redirects.
        final_url: Url,
    },
}

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The total or connect timeout elapsed.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// No connection could be made.
    #[error("could not connect: {0}")]
    Connect(String),
    /// The server answered with a non-success status.
    #[error("HTTP {status}{}", retry_after.map(|d| format!(" (retry after {}s)", d.as_secs())).unwrap_or_default())]
    Status {
        /// The status code.
        status: u16,
        /// How long the server asked us to wait, if it did.
        retry_after: Option<Duration>,
    },
    /// The body was larger than the cap.
    #[error("answer larger than the {limit}-byte cap")]
    TooLarge {
        /// The cap.
        limit: usize,
    },
    /// The host asked us to wait (Retry-After) and that time has not come.
    #[error("host {host} asked to wait another {}s", wait.as_secs())]
    HostBackoff {
        /// The host.
        host: String,
        /// How much longer.
        wait: Duration,
    },
    /// The address is internal and this fetcher refuses those.
    #[error("refused: {0}")]
    Refused(String),
    /// Anything else (TLS, protocol, bad URL).
    #[error("{0}")]
    Other(String),
}

impl FetchError {
    /// How long the server or host asked us to wait, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            FetchError::HostBackoff { wait, .. } => Some(*wait),
            _ => None,
        }
    }
}

/// Whose behalf a request is made on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The operator's own sources: any address.
    Open,
    /// Someone else's (a source added through the web or the API): internal
    /// addresses are refused after DNS resolution and on every redirect.
    OnBehalf,
}

#[derive(Debug)]
struct Inner {
    open: reqwest::Client,
    guarded: reqwest::Client,
    hosts: HostPool,
    allowed: guard::AllowList,
    config: FetchConfig,
}

/// The HTTP client with per-host politeness. Cheap to clone: every clone, and
/// the handle [`Fetcher::guarded`] returns, shares one host pool, so a host
/// asked by an operator's source and by a web-added one gets one spacing, one
/// concurrency bound and one `Retry-After`.
#[derive(Debug, Clone)]
pub struct Fetcher {
    inner: std::sync::Arc<Inner>,
    access: Access,
}

fn client(config: &FetchConfig, refuse: bool) -> Result<reqwest::Client, FetchError> {
    let allowed = guard::AllowList::new(&config.allow_internal);
    let policy = allowed.clone();
    let redirects = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= 5 {
            attempt.error("more than 5 redirects")
        } else if let Some(why) = refuse.then(|| policy.refusal(attempt.url())).flatten() {
            attempt.error(format!("redirect to an internal address refused: {why}"))
        } else {
            attempt.follow()
        }
    });
    let mut builder = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(config.connect_timeout)
        .timeout(config.total_timeout)
        .gzip(true)
        .redirect(redirects)
        .pool_max_idle_per_host(config.per_host_concurrency.max(1))
        .pool_idle_timeout(config.idle_timeout);
    if refuse {
        builder = builder
            .dns_resolver(std::sync::Arc::new(guard::PublicOnly { allowed }))
            .no_proxy();
    }
    builder
        .build()
        .map_err(|e| FetchError::Other(format!("cannot build the HTTP client: {e}")))
}

impl Fetcher {
    /// A fetcher with these settings; its own requests are [`Access::OnBehalf`]
    /// when `refuse_internal` is set, [`Access::Open`] otherwise. Both clients
    /// are built here, so a guarded client that cannot be built is an error now,
    /// never a silent fallback later.
    pub fn new(config: FetchConfig) -> Result<Self, FetchError> {
        for a in &config.allow_internal {
            let ok = a
                .rsplit_once(':')
                .is_some_and(|(h, p)| !h.is_empty() && p.parse::<u16>().is_ok());
            if !ok {
                return Err(FetchError::Other(format!(
                    "allow_internal: `{a}` is not a host:port"
                )));
            }
        }
        let access = if config.refuse_internal {
            Access::OnBehalf
        } else {
            Access::Open
        };
        Ok(Fetcher {
            inner: std::sync::Arc::new(Inner {
                open: client(&config, false)?,
                guarded: client(&config, true)?,
                hosts: HostPool::new(config.per_host_concurrency, config.per_host_interval),
                allowed: guard::AllowList::new(&config.allow_internal),
                config,
            }),
            access,
        })
    }

    /// A handle on the same clients and host pool whose requests are made on
    /// someone else's behalf.
    pub fn guarded(&self) -> Fetcher {
        Fetcher {
            inner: self.inner.clone(),
            access: Access::OnBehalf,
        }
    }

    /// Whose behalf this handle's requests are made on.
    pub fn access(&self) -> Access {
        self.access
    }

    /// The settings in use.
    pub fn config(&self) -> &FetchConfig {
        &self.inner.config
    }

    /// Spaces requests to `url`'s host at least `interval` apart (a documented
    /// rate limit); the longest interval asked for a host wins.
    pub fn set_min_interval(&self, url: &Url, interval: Duration) {
        self.inner.hosts.set_min_interval(&host_key(url), interval);
    }

    /// GET `url`, conditionally when `validators` are given: one visit of
    /// one request.
    pub async fn get(&self, url: &Url, validators: &Validators) -> Result<Fetched, FetchError> {
        self.visit().get(url, validators).await
    }

    /// A visit: the requests one poll makes. The first request to a host
    /// waits for the host's turn (a concurrency slot, the spacing since the
    /// last visit, any `Retry-After`); the visit's next requests to the same
    /// host follow at once in that slot, so a source's own three requests are
    /// not spaced as if they were three sources'.
    pub fn visit(&self) -> Visit<'_> {
        Visit {
            fetcher: self,
            held: None,
        }
    }

    fn refuse(&self, url: &Url) -> Result<(), FetchError> {
        if self.access == Access::OnBehalf {
            if let Some(why) = self.inner.allowed.refusal(url) {
                return Err(FetchError::Refused(why));
            }
        }
        Ok(())
    }

    /// The request itself, once the host's turn has come.
    async fn request(
        &self,
        url: &Url,
        host: &str,
        validators: &Validators,
    ) -> Result<Fetched, FetchError> {
        let config = &self.inner.config;
        let guarded = self.access == Access::OnBehalf;
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_static(
                "application/json, application/atom+xml, application/rss+xml, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5",
            ),
        );
        if let Some(v) = validators
            .etag
            .as_deref()
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            headers.insert(header::IF_NONE_MATCH, v);
        }
        if let Some(v) = validators
            .last_modified
            .as_deref()
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            headers.insert(header::IF_MODIFIED_SINCE, v);
        }
        let client = if guarded {
            &self.inner.guarded
        } else {
            &self.inner.open
        };
        let resp = client
            .get(url.clone())
            .headers(headers)
            .send()
            .await
            .map_err(|e| self.classify(e))?;
        let status = resp.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            let retry_after = retry_after(resp.headers()).map(|d| d.min(config.max_retry_after));
            if matches!(status.as_u16(), 429 | 503) {
                if let Some(wait) = retry_after {
                    self.inner.hosts.block(host, wait);
                }
            }
            return Err(FetchError::Status {
                status: status.as_u16(),
                retry_after,
            });
        }
        let limit = config.max_body_bytes;
        if resp.content_length().is_some_and(|n| n as usize > limit) {
            return Err(FetchError::TooLarge { limit });
        }
        let validators = Validators {
            etag: header_str(resp.headers(), header::ETAG),
            last_modified: header_str(resp.headers(), header::LAST_MODIFIED),
        };
        let content_type = header_str(resp.headers(), header::CONTENT_TYPE);
        let final_url = resp.url().clone();
        let mut body = BytesMut::new();
        let mut stream = resp.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| self.classify(e))?;
            if body.len() + chunk.len() > limit {
                return Err(FetchError::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched::Body {
            bytes: body.freeze(),
            validators,
            content_type,
            final_url,
        })
    }

    fn classify(&self, e: reqwest::Error) -> FetchError {
        if e.is_timeout() {
            FetchError::Timeout(self.inner.config.total_timeout)
        } else if e.is_connect() {
            FetchError::Connect(root_cause(&e))
        } else {
            FetchError::Other(root_cause(&e))
        }
    }
}

/// The requests of one poll (see [`Fetcher::visit`]).
pub struct Visit<'a> {
    fetcher: &'a Fetcher,
    held: Option<(String, hosts::Turn)>,
}

impl Visit<'_> {
    /// GET `url`, conditionally when `validators` are given.
    pub async fn get(&mut self, url: &Url, validators: &Validators) -> Result<Fetched, FetchError> {
        self.fetcher.refuse(url)?;
        let host = host_key(url);
        let same = self.held.as_ref().is_some_and(|(h, _)| *h == host);
        if !same {
            // Give back the other host's slot before waiting for this one.
            self.held = None;
            let turn = self.fetcher.inner.hosts.acquire(&host).await?;
            self.held = Some((host.clone(), turn));
        } else {
            self.fetcher.inner.hosts.check_blocked(&host)?;
        }
        self.fetcher.request(url, &host, validators).await
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut msg = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        msg = format!("{msg}: {s}");
        cur = s.source();
    }
    msg
}

fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

fn header_str(h: &HeaderMap, name: header::HeaderName) -> Option<String> {
    h.get(name)?.to_str().ok().map(str::to_string)
}

/// `Retry-After` as seconds or as an HTTP date. A date is read against the
/// answer's own `Date` (the server's clock, so a skewed clock on either side
/// does not stretch the wait), or against ours when the answer has none.
fn retry_after(h: &HeaderMap) -> Option<Duration> {
    let v = h.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let sent = header_str(h, header::DATE)
        .and_then(|d| chrono::DateTime::parse_from_rfc2822(d.trim()).ok())
        .map(|d| d.with_timezone(&chrono::Utc));
    // The fetcher is I/O: without the server's date, our clock it is.
    #[allow(clippy::disallowed_methods)]
    let sent = sent.unwrap_or_else(chrono::Utc::now);
    let wait = when.with_timezone(&chrono::Utc) - sent;
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}
