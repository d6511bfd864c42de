//! What every answer carries and every client is held to: security headers
//! (a content security policy with no inline script or style, no framing, no
//! sniffing, no referrer) and a limit on failed token attempts per client
//! address (429 after [`MAX_FAILURES`] in [`WINDOW`]).

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The policy of every answer: only this origin's resources (the style sheet
/// is `/assets/style.css`), images also as data or from https (a page's
/// logo), no script at all, never in a frame.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data: https:; \
script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Sets the security headers on an answer that has not set its own.
pub(crate) async fn security_headers(req: Request, next: Next) -> Response {
    // Checked once, when compiled, not at every answer.
    const SECURITY: [(header::HeaderName, HeaderValue); 4] = [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ),
    ];
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    for (name, value) in SECURITY {
        h.entry(name).or_insert(value);
    }
    resp
}

/// A status page's answer to a request giving a key (`?key=`, a bearer, an
/// access cookie) is one person's, never a shared cache's: a private
/// page's answers are only ever such answers.
pub(crate) async fn keyed_answers_are_private(req: Request, next: Next) -> Response {
    let keyed = req.uri().path().starts_with("/status/") && offers_credentials(&req);
    let mut resp = next.run(req).await;
    if keyed {
        let h = resp.headers_mut();
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        h.insert(
            header::VARY,
            HeaderValue::from_static("Cookie, Authorization"),
        );
    }
    resp
}

/// Failed attempts a client may make in [`WINDOW`] before it is refused.
pub const MAX_FAILURES: usize = 10;
/// The window of [`MAX_FAILURES`].
pub const WINDOW: Duration = Duration::from_secs(60);
/// Clients tracked at once; beyond, the stalest are forgotten first (the
/// table's memory is bounded whatever the number of addresses trying).
const MAX_CLIENTS: usize = 10_000;

/// Attempts by client address over a window: failed token attempts (at
/// most [`MAX_FAILURES`] in [`WINDOW`], the default), or requests to
/// subscribe by email ([`Attempts::subscriptions`]).
pub struct Attempts {
    by_client: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
    max: usize,
    window: Duration,
}

impl Default for Attempts {
    fn default() -> Self {
        Attempts::new(MAX_FAILURES, WINDOW)
    }
}

impl Attempts {
    /// At most `max` attempts per client in `window`.
    pub fn new(max: usize, window: Duration) -> Self {
        Attempts {
            by_client: Mutex::default(),
            max: max.max(1),
            window,
        }
    }

    /// Requests to subscribe by email: each may send a confirmation mail,
    /// so a client may ask 5 times in 10 minutes.
    pub fn subscriptions() -> Self {
        Attempts::new(5, Duration::from_secs(600))
    }

    /// Counts an attempt of `client` now, unless it must wait: then how long.
    pub(crate) fn admit(&self, client: IpAddr, now: Instant) -> Option<Duration> {
        if let Some(wait) = self.refused_for(client, now) {
            return Some(wait);
        }
        self.failed(client, now);
        None
    }

    /// How long `client` must wait before trying again, if it is refused now.
    fn refused_for(&self, client: IpAddr, now: Instant) -> Option<Duration> {
        let mut map = self.by_client.lock().unwrap_or_else(|e| e.into_inner());
        let q = map.get_mut(&client)?;
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            q.pop_front();
        }
        if q.is_empty() {
            map.remove(&client);
            return None;
        }
        (q.len() >= self.max).then(|| self.window - now.duration_since(q[0]))
    }

    fn failed(&self, client: IpAddr, now: Instant) {
        let mut map = self.by_client.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_CLIENTS && !map.contains_key(&client) {
            map.retain(|_, q| {
                q.back()
                    .is_some_and(|t| now.duration_since(*t) < self.window)
            });
            if map.len() >= MAX_CLIENTS {
                // Still full of recent failures: forget the stalest client.
                if let Some(stalest) = map
                    .iter()
                    .min_by_key(|(_, q)| q.back().copied())
                    .map(|(ip, _)| *ip)
                {
                    map.remove(&stalest);
                }
            }
        }
        let q = map.entry(client).or_default();
        q.push_back(now);
        while q.len() > self.max {
            q.pop_front();
        }
    }
}

/// The client's address: the peer's, unless the peer is a proxy this server
/// trusts (`[web] trusted_proxies`); then the address `X-Forwarded-For`
/// names last before the trusted proxies (each proxy appends the address
/// it was reached from, so what a client writes itself is further left and
/// never believed).
pub(crate) fn client_address(
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
    trusted: &[ipnet::IpNet],
) -> IpAddr {
    let unspecified = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    let Some(peer) = peer.map(|p| p.ip()) else {
        return unspecified;
    };
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            // A hop that is no address: what lies left of it is not believed.
            Err(_) => break,
        }
    }
    client
}

/// Whether a request offers a credential that can be wrong: a bearer
/// token, a cookie, a `key` in its query, or a form (the admin sign-in, a
/// private page's key). One that offers none is refused (401) but is no
/// attempt at guessing, and is not counted.
fn offers_credentials(req: &Request) -> bool {
    let h = req.headers();
    h.contains_key(header::AUTHORIZATION)
        || h.contains_key(header::COOKIE)
        || req
            .uri()
            .query()
            .is_some_and(|q| q.split('&').any(|kv| kv.starts_with("key=")))
        || h.get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// Marks a 401 answer that refused no attempt (a private page opened with
/// no key at all): it is not counted as a failure.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NoAttempt;

/// Refuses a client with too many recent failures (429, `Retry-After`) when
/// it offers a credential again, and
/// counts every 401 answer as a failure of the client that asked (but those
/// marked [`NoAttempt`]).
pub(crate) async fn limit_failures(
    State(app): State<crate::Shared>,
    req: Request,
    next: Next,
) -> Response {
    let attempts = &app.attempts;
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let client = client_address(peer, req.headers(), &app.trusted_proxies);
    let tried = offers_credentials(&req);
    // Only what offers a credential is refused: guessing stops, reading
    // what is public (or being told a token is needed) does not.
    if let Some(wait) = tried
        .then(|| attempts.refused_for(client, Instant::now()))
        .flatten()
    {
        let secs = wait.as_secs().max(1);
        tracing::warn!(%client, "refused: too many failed token attempts");
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, secs.to_string())],
            axum::Json(crate::ErrorBody {
                error: format!("too many failed attempts from {client}; try again in {secs} s"),
            }),
        )
            .into_response();
    }
    let resp = next.run(req).await;
    if resp.status() == StatusCode::UNAUTHORIZED
        && tried
        && resp.extensions().get::<NoAttempt>().is_none()
    {
        attempts.failed(client, Instant::now());
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_failures_a_minute_then_refused_until_the_first_ages_out() {
        let a = Attempts::default();
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        let other: IpAddr = "192.0.2.8".parse().unwrap();
        let t0 = Instant::now();
        for i in 0..MAX_FAILURES {
            assert_eq!(a.refused_for(ip, t0), None, "attempt {i}");
            a.failed(ip, t0 + Duration::from_secs(i as u64));
        }
        let wait = a.refused_for(ip, t0 + Duration::from_secs(10)).unwrap();
        assert_eq!(wait, Duration::from_secs(50));
        assert_eq!(a.refused_for(other, t0), None, "per client");
        assert_eq!(a.refused_for(ip, t0 + WINDOW), None, "the first aged out");
    }

    #[test]
    fn the_table_stays_bounded() {
        let a = Attempts::default();
        let t0 = Instant::now();
        for i in 0..(MAX_CLIENTS as u32 + 500) {
            a.failed(IpAddr::V4(Ipv4Addr::from(i)), t0);
        }
        assert!(a.by_client.lock().unwrap().len() <= MAX_CLIENTS);
    }

    #[test]
    fn only_a_trusted_proxy_names_the_client() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "198.51.100.1, 203.0.113.9, 10.0.0.2".parse().unwrap(),
        );
        let proxy: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let remote: SocketAddr = "192.0.2.1:5000".parse().unwrap();
        let trusted: Vec<ipnet::IpNet> = vec![
            "127.0.0.1/32".parse().unwrap(),
            "10.0.0.0/8".parse().unwrap(),
        ];
        // Through the trusted proxies (127.0.0.1, then 10.0.0.2): the address
        // before them; what the client wrote further left is not believed.
        assert_eq!(
            client_address(Some(proxy), &h, &trusted),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        // Nobody trusted (the default): the peer, even on this machine.
        assert_eq!(client_address(Some(proxy), &h, &[]), proxy.ip());
        // A remote peer cannot choose its own address.
        assert_eq!(client_address(Some(remote), &h, &trusted), remote.ip());
        // A garbled hop ends what is believed.
        h.insert("x-forwarded-for", "203.0.113.9, junk".parse().unwrap());
        assert_eq!(client_address(Some(proxy), &h, &trusted), proxy.ip());
    }
}
