//! Platform detection, the fetching half: try the probes of
//! `statuswatch_sources::detect` in order and keep the first that answers in
//! its format.

use chrono::{DateTime, Utc};
use statuswatch_fetch::{FetchError, Fetched, Fetcher, Validators};
use statuswatch_sources::detect::{embedded_probes, looks_like_html, probes, Probe};
use statuswatch_sources::{feed, html, Context, Platform};
use url::Url;

/// What a URL turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    /// The platform.
    pub platform: Platform,
    /// The URL to poll.
    pub url: Url,
    /// The vendor's name, if the page gave one.
    pub provider: Option<String>,
    /// Incidents in the answer.
    pub incidents: usize,
    /// Components in the answer.
    pub components: usize,
}

/// Why detection failed.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    /// Nothing answered.
    #[error("{url} is unreachable: {reason}")]
    Unreachable {
        /// The URL.
        url: String,
        /// The first failure.
        reason: String,
    },
    /// Something answered, but in no format statuswatch reads.
    #[error("{url} is not a status page statuswatch recognises ({platforms}); tried:\n{tried}")]
    Unrecognised {
        /// The URL.
        url: String,
        /// The platforms tried.
        platforms: String,
        /// Each attempt and how it failed, one per line.
        tried: String,
    },
}

/// Finds the platform of `input` (only `only`'s probes when given).
pub async fn detect(
    fetcher: &Fetcher,
    input: &Url,
    only: Option<Platform>,
    now: DateTime<Utc>,
) -> Result<Detected, DetectError> {
    let mut tried: Vec<String> = Vec::new();
    let mut reached_any = false;
    let mut first_error: Option<String> = None;
    let mut queue: Vec<Probe> = probes(input, only);
    // Platforms may probe the same address (Better Stack's and cState's
    // `/index.json`): each address is fetched once, its answer read by each.
    let mut fetched: Vec<(Url, Result<bytes::Bytes, String>)> = Vec::new();
    let mut i = 0;
    while i < queue.len() {
        let probe = queue[i].clone();
        i += 1;
        let answer = match fetched.iter().find(|(u, _)| *u == probe.url) {
            Some((_, a)) => a.clone(),
            None => {
                let a = match fetcher.get(&probe.url, &Validators::default()).await {
                    Ok(Fetched::Body { bytes, .. }) => {
                        reached_any = true;
                        Ok(bytes)
                    }
                    Ok(Fetched::NotModified) => continue,
                    Err(e) => {
                        if !matches!(e, FetchError::Connect(_) | FetchError::Timeout(_)) {
                            reached_any = true;
                        }
                        first_error.get_or_insert_with(|| e.to_string());
                        Err(e.to_string())
                    }
                };
                fetched.push((probe.url.clone(), a.clone()));
                a
            }
        };
        let body = match answer {
            Ok(bytes) => bytes,
            Err(e) => {
                tried.push(format!("  {}: {e}", probe.url));
                continue;
            }
        };
        if probe.role == &feed::FEED && looks_like_html(&body) {
            let (page, url) = (body.clone(), probe.url.clone());
            let found = crate::parsing::off_runtime(move || {
                embedded_probes(&String::from_utf8_lossy(&page), &url)
            })
            .await
            .unwrap_or_default();
            tried.push(format!(
                "  {}: an HTML page{}",
                probe.url,
                if found.is_empty() {
                    " without feed links"
                } else {
                    " announcing feeds or a status.io page"
                }
            ));
            for p in found.into_iter().rev() {
                if !queue.iter().any(|q| q.url == p.url && q.role == p.role) {
                    queue.insert(i, p);
                }
            }
            continue;
        }
        let ctx = Context {
            now,
            ..Context::default()
        };
        let parsed = match crate::parsing::parse_off_runtime(probe.role, body.clone(), ctx).await {
            Ok((parsed, _)) => parsed,
            Err(e) => {
                tried.push(format!("  {}: {e}", probe.url));
                continue;
            }
        };
        match parsed {
            // Any page parses as html; unasked, only one that shows incidents counts.
            Ok(snapshot)
                if probe.role == &html::PAGE
                    && only != Some(html::PLATFORM)
                    && snapshot.incidents.is_empty() =>
            {
                tried.push(format!(
                    "  {}: a web page with no incident timeline statuswatch can read \
                     (add it with --platform html to watch it anyway)",
                    probe.url
                ));
            }
            Ok(snapshot) => {
                return Ok(Detected {
                    platform: probe.platform,
                    url: probe.source_url,
                    provider: snapshot.provider,
                    incidents: snapshot.incidents.len(),
                    components: snapshot.components.len(),
                })
            }
            Err(e) => tried.push(format!("  {}: {e}", probe.url)),
        }
    }
    if !reached_any {
        return Err(DetectError::Unreachable {
            url: input.to_string(),
            reason: first_error.unwrap_or_else(|| "no answer".into()),
        });
    }
    Err(DetectError::Unrecognised {
        url: input.to_string(),
        platforms: only
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(Platform::names),
        tried: tried.join("\n"),
    })
}
