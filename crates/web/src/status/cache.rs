//! Pages of one's own served from what was rendered. A page is read
//! hardest during its owner's outage: each answer (the page, an incident,
//! an API v2 answer, a feed) is made once per change of what it shows and
//! served as bytes until the next. Whether it changed is the page's
//! [`PageRevision`], raised by the store whoever writes (this server, the
//! CLI, another node) and asked at most once per [`FRESH`] per page: a
//! publish is visible within a second, and thousands of readers cost the
//! store one small query a second. Answers that tell time ("ongoing for
//! 12 min", the uptime bars) are made again each minute.
//!
//! Every answer carries an `ETag` and a `Last-Modified` (a conditional
//! request is answered 304) and, for a public page, a `Cache-Control` a CDN
//! can follow (`s-maxage=1`, and `stale-if-error` so the CDN keeps showing
//! the page if this server falls). A private page's answers are `private,
//! no-store`; they are kept here, but handed out only past its gate.

use super::load;
use crate::error::ApiError;
use crate::App;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use statuswatch_pages::Published;
use statuswatch_store::{PageRevision, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// How long a page's revision is believed before the store is asked again:
/// the most a publish waits to be seen.
pub const FRESH: Duration = Duration::from_secs(1);

/// Answers kept per page at most (its incidents' pages are many); beyond,
/// all are forgotten and made again as asked.
const VIEWS: usize = 256;

/// `Cache-Control` of a public page's answers: any cache may keep them a
/// second (what this server's own freshness is), a browser asks again
/// each time (a 304 when unchanged), and a CDN shows the last page while
/// this server does not answer.
const PUBLIC: &str = "public, max-age=0, s-maxage=1, stale-if-error=86400";

/// `Cache-Control` of a private page's answers (one reader's, never a
/// shared cache's).
const PRIVATE: &str = "private, no-store";

/// The rendered pages of one's own, by slug.
#[derive(Default)]
pub struct Rendered {
    slots: RwLock<HashMap<String, Arc<Slot>>>,
}

#[derive(Default)]
struct Slot {
    /// When the revision was last asked, and the page as it then stood.
    loaded: RwLock<Option<(Instant, Arc<Loaded>)>>,
    /// Held by the one request asking the store; the others wait for it.
    refresh: tokio::sync::Mutex<()>,
}

/// A page as its views show it, at one revision, with the answers made of it.
pub(crate) struct Loaded {
    revision: PageRevision,
    pub(crate) published: Published,
    answers: Mutex<HashMap<String, Arc<Answer>>>,
}

/// One answer's bytes and what conditional requests compare.
pub(crate) struct Answer {
    /// The minute it was made in (answers that tell time are made again).
    minute: i64,
    content_type: &'static str,
    body: axum::body::Bytes,
    etag: HeaderValue,
    last_modified: DateTime<Utc>,
    /// `last_modified` as the header says it, made once.
    last_modified_header: HeaderValue,
}

impl Slot {
    fn fresh(&self) -> Option<Arc<Loaded>> {
        let loaded = self.loaded.read().unwrap_or_else(PoisonError::into_inner);
        match &*loaded {
            Some((at, l)) if at.elapsed() < FRESH => Some(l.clone()),
            _ => None,
        }
    }

    fn last(&self) -> Option<Arc<Loaded>> {
        let loaded = self.loaded.read().unwrap_or_else(PoisonError::into_inner);
        loaded.as_ref().map(|(_, l)| l.clone())
    }

    fn keep(&self, l: Arc<Loaded>) {
        *self.loaded.write().unwrap_or_else(PoisonError::into_inner) = Some((Instant::now(), l));
    }
}

impl Rendered {
    /// The page `slug` as its views show it (`None`: no such page), read
    /// from the store only when its revision moved.
    pub(crate) async fn get(&self, app: &App, slug: &str) -> Result<Option<Arc<Loaded>>, ApiError> {
        let slot = {
            let slots = self.slots.read().unwrap_or_else(PoisonError::into_inner);
            slots.get(slug).cloned()
        };
        let slot = match slot {
            Some(s) => s,
            None => self
                .slots
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(slug.to_string())
                .or_default()
                .clone(),
        };
        if let Some(l) = slot.fresh() {
            return Ok(Some(l));
        }
        let _one = slot.refresh.lock().await;
        if let Some(l) = slot.fresh() {
            return Ok(Some(l));
        }
        match self.refresh(app, slug, &slot).await {
            Ok(found) => Ok(found),
            Err(e) => match slot.last() {
                // The store does not answer: a public page stays as it
                // was last read (its readers need it most now); a private
                // one is not opened on what may be a revoked key's word.
                Some(l) if !l.published.page.private() => {
                    tracing::warn!(page = slug, error = %e, "serving the page as last read: the store did not answer");
                    slot.keep(l.clone());
                    Ok(Some(l))
                }
                Some(_) => Err(e.into()),
                None => {
                    // Nothing to keep: the slot goes, or a flood of unknown
                    // slugs while the store is down would grow the map.
                    self.forget(slug);
                    Err(e.into())
                }
            },
        }
    }

    async fn refresh(
        &self,
        app: &App,
        slug: &str,
        slot: &Slot,
    ) -> Result<Option<Arc<Loaded>>, StoreError> {
        // The revision first, then what it covers: a change in between is
        // read now and seen again as a new revision next time, never lost.
        let Some(revision) = app.store.page_revision(slug).await? else {
            self.forget(slug);
            return Ok(None);
        };
        if let Some(l) = slot.last().filter(|l| l.revision == revision) {
            slot.keep(l.clone());
            return Ok(Some(l));
        }
        let Some(page) = app.store.page(slug).await? else {
            self.forget(slug);
            return Ok(None);
        };
        let loaded = Arc::new(Loaded {
            revision,
            published: load(app, page).await?,
            answers: Mutex::default(),
        });
        slot.keep(loaded.clone());
        Ok(Some(loaded))
    }

    /// Forgets a page (gone, or changed by this server: seen at once).
    pub(crate) fn forget(&self, slug: &str) {
        self.slots
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(slug);
    }
}

impl Loaded {
    /// The answer `view` of this page, made by `render` unless made in
    /// this minute already; `None` when `render` finds nothing (not kept).
    pub(crate) fn answer(
        &self,
        view: &str,
        now: DateTime<Utc>,
        render: impl FnOnce(&Published) -> Option<(&'static str, String)>,
    ) -> Option<Arc<Answer>> {
        let minute = now.timestamp().div_euclid(60);
        let before = self.answers().get(view).cloned();
        if let Some(a) = before.as_ref().filter(|a| a.minute == minute) {
            return Some(a.clone());
        }
        let (content_type, body) = render(&self.published)?;
        let digest = Sha256::digest(body.as_bytes());
        let etag = HeaderValue::try_from(format!("\"{}\"", hex::encode(&digest[..12])))
            .expect("hex is a valid header value");
        // Made again with the same bytes (a new minute, a change another
        // answer shows): it was last modified when its bytes last changed.
        let last_modified = match before {
            Some(b) if b.etag == etag => b.last_modified,
            _ => now,
        };
        let answer = Arc::new(Answer {
            minute,
            content_type,
            body: body.into(),
            etag,
            last_modified,
            last_modified_header: http_date(last_modified),
        });
        let mut answers = self.answers();
        if answers.len() >= VIEWS && !answers.contains_key(view) {
            answers.clear();
        }
        answers.insert(view.to_string(), answer.clone());
        Some(answer)
    }

    fn answers(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Answer>>> {
        self.answers.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A time as HTTP writes it (`Sun, 01 Mar 2026 12:00:00 GMT`).
fn http_date(t: DateTime<Utc>) -> HeaderValue {
    HeaderValue::try_from(t.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
        .expect("a date is a valid header value")
}

impl Answer {
    /// The answer to a request with these headers: 304 when the client
    /// holds these bytes already.
    pub(crate) fn respond(&self, request: &HeaderMap, private: bool) -> Response {
        let headers = [
            (header::ETAG, self.etag.clone()),
            (header::LAST_MODIFIED, self.last_modified_header.clone()),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(if private { PRIVATE } else { PUBLIC }),
            ),
        ];
        if self.held_by(request) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        (
            headers,
            [(header::CONTENT_TYPE, self.content_type)],
            self.body.clone(),
        )
            .into_response()
    }

    /// Whether the request's `If-None-Match` names this answer (or, without
    /// one, its `If-Modified-Since` is not older than it).
    fn held_by(&self, request: &HeaderMap) -> bool {
        if let Some(tags) = request.get(header::IF_NONE_MATCH) {
            let ours = self.etag.as_bytes();
            return tags.to_str().is_ok_and(|tags| {
                tags.split(',')
                    .map(str::trim)
                    .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t).as_bytes() == ours)
            });
        }
        request
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| DateTime::parse_from_rfc2822(v).ok())
            .is_some_and(|since| self.last_modified.timestamp() <= since.timestamp())
    }
}

/// After a write to a page through this server (`/api/v1/pages/<slug>…`,
/// `/admin/pages/<slug>…`, anything but GET), its rendered answers are
/// forgotten: whoever published sees it at once, not within [`FRESH`].
pub async fn forget_written(
    axum::extract::State(app): axum::extract::State<crate::Shared>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let written = (req.method() != axum::http::Method::GET)
        .then(|| {
            let path = req.uri().path();
            path.strip_prefix("/api/v1/pages/")
                .or_else(|| path.strip_prefix("/admin/pages/"))
                .and_then(|rest| rest.split('/').next())
                .filter(|slug| !slug.is_empty())
                .map(str::to_string)
        })
        .flatten();
    let resp = next.run(req).await;
    if let Some(slug) = written {
        app.rendered.forget(&slug);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &str) -> Answer {
        let at = DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        Answer {
            minute: 0,
            content_type: "text/plain",
            body: body.to_string().into(),
            etag: HeaderValue::from_static("\"abc\""),
            last_modified: at,
            last_modified_header: http_date(at),
        }
    }

    fn with(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn a_client_holding_the_bytes_is_answered_304() {
        let a = answer("x");
        assert!(a.held_by(&with(header::IF_NONE_MATCH, "\"abc\"")));
        assert!(a.held_by(&with(header::IF_NONE_MATCH, "\"zzz\", W/\"abc\"")));
        assert!(a.held_by(&with(header::IF_NONE_MATCH, "*")));
        assert!(!a.held_by(&with(header::IF_NONE_MATCH, "\"abd\"")));
        assert!(!a.held_by(&HeaderMap::new()));
        assert!(a.held_by(&with(
            header::IF_MODIFIED_SINCE,
            "Sun, 01 Mar 2026 12:00:00 GMT"
        )));
        assert!(!a.held_by(&with(
            header::IF_MODIFIED_SINCE,
            "Sun, 01 Mar 2026 11:59:59 GMT"
        )));
        // An ETag that does not match wins over a date that would.
        let mut h = with(header::IF_NONE_MATCH, "\"old\"");
        h.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_static("Sun, 01 Mar 2026 13:00:00 GMT"),
        );
        assert!(!a.held_by(&h));
        assert_eq!(
            a.respond(&with(header::IF_NONE_MATCH, "\"abc\""), false)
                .status(),
            StatusCode::NOT_MODIFIED
        );
        let ok = a.respond(&HeaderMap::new(), true);
        assert_eq!(ok.status(), StatusCode::OK);
        assert_eq!(ok.headers()[header::CACHE_CONTROL], PRIVATE);
        assert_eq!(
            ok.headers()[header::LAST_MODIFIED],
            "Sun, 01 Mar 2026 12:00:00 GMT"
        );
    }
}
