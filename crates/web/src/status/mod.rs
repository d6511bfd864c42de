//! `/status/<slug>`: a page of one's own, for people (HTML), for machines in
//! Statuspage's API v2 form (`/status/<slug>/api/v2/*.json`), and as its
//! history feeds (`history.atom`, `history.rss`).

mod cache;
mod html;

pub use cache::{forget_written, Rendered, FRESH};

use crate::error::{html_error, ApiError};
use crate::App;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use sha2::{Digest, Sha256};
use statuswatch_pages::{feeds, Published};
use statuswatch_store::Page;
use std::collections::HashMap;
use std::sync::Arc;

/// Who may read a page: anyone while it is public; while it is private,
/// who gives its key (`?key=`, `Authorization: Bearer`) or holds the cookie
/// the key's form or link set.
pub(crate) enum Gate {
    /// Readable; with the cookie to set when a key was given.
    Open(Page, Option<String>),
    /// Private, and no valid key: whether a key or a cookie was offered.
    Locked(bool),
    /// No such page; whether a key or a cookie was offered (the answer is
    /// a locked page's, so a private page's name cannot be told by it).
    Missing(bool),
}

/// The query of a page's views: its key, for a private page.
pub(crate) type Params = Query<HashMap<String, String>>;

fn cookie_name(slug: &str) -> String {
    format!("statuswatch_page_{slug}")
}

/// What opening private pages needs beyond the store: the installation's
/// secret that signs access cookies (made on first use, kept in the store),
/// and the keys already checked, so a program giving `?key=` at every
/// request pays the slow hash once.
#[derive(Default)]
pub struct Access {
    secret: tokio::sync::OnceCell<Vec<u8>>,
    /// SHA-256 of (slug, stored hash, key) of keys that matched.
    checked: std::sync::Mutex<std::collections::HashSet<[u8; 32]>>,
}

/// Keys remembered as checked at most (then forgotten all at once).
const CHECKED_KEYS: usize = 4096;

impl Access {
    async fn secret(&self, app: &App) -> Result<&[u8], ApiError> {
        self.secret
            .get_or_try_init(|| async {
                let fresh = hex::encode(rand::random::<[u8; 32]>());
                let s = app.store.secret("page_access_cookie", &fresh).await?;
                Ok::<_, ApiError>(s.into_bytes())
            })
            .await
            .map(Vec::as_slice)
    }

    /// Whether `key` opens `page`, whose stored hash is `stored`.
    async fn key_opens(&self, app: &App, page: &Page, stored: &str, key: &str) -> bool {
        let memo: [u8; 32] = Sha256::new()
            .chain_update(page.slug.as_bytes())
            .chain_update(b"\0")
            .chain_update(stored.as_bytes())
            .chain_update(b"\0")
            .chain_update(key.as_bytes())
            .finalize()
            .into();
        if self
            .checked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&memo)
        {
            return true;
        }
        // The hash is slow on purpose: off the async workers.
        let (s, k) = (stored.to_string(), key.to_string());
        let ok =
            tokio::task::spawn_blocking(move || statuswatch_pages::checks::access_matches(&s, &k))
                .await
                .unwrap_or(false);
        if ok {
            // A key stored by an earlier release (unsalted SHA-256) is hashed anew.
            if statuswatch_pages::checks::access_hash_is_outdated(stored) {
                let k = key.to_string();
                if let Ok(new) =
                    tokio::task::spawn_blocking(move || statuswatch_pages::checks::access_hash(&k))
                        .await
                {
                    if let Err(e) = app.store.set_page_access(&page.slug, Some(&new)).await {
                        tracing::warn!(page = %page.slug, error = %e, "could not store the page key's new hash");
                    }
                }
            } else {
                let mut checked = self.checked.lock().unwrap_or_else(|e| e.into_inner());
                if checked.len() >= CHECKED_KEYS {
                    checked.clear();
                }
                checked.insert(memo);
            }
        }
        ok
    }
}

/// The access cookie's value: a MAC, with the installation's secret, of
/// the page and its key's stored hash (salted, so a new key ends every
/// cookie of the old one). Without the secret, which a backup leaves out,
/// a copy of the database cannot make one.
fn cookie_value(secret: &[u8], page: &Page) -> Option<String> {
    use hmac::{Hmac, Mac};
    let hash = page.access_hash.as_deref()?;
    let mut m = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    m.update(b"statuswatch page access\0");
    m.update(page.slug.as_bytes());
    m.update(b"\0");
    m.update(hash.as_bytes());
    Some(hex::encode(m.finalize().into_bytes()))
}

fn access_cookie(headers: &HeaderMap, page: &Page, value: Option<&str>) -> String {
    let secure = if crate::auth::over_tls(headers) {
        "; Secure"
    } else {
        ""
    };
    let name = cookie_name(&page.slug);
    match value {
        Some(v) => format!(
            "{name}={v}; Path=/status/{}; HttpOnly; SameSite=Lax; Max-Age=2592000{secure}",
            page.slug
        ),
        None => format!(
            "{name}=; Path=/status/{}; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
            page.slug
        ),
    }
}

impl Gate {
    /// Whether this request may read `page` (`None`: no page `slug`).
    pub(crate) async fn open(
        app: &App,
        page: Option<Page>,
        slug: &str,
        headers: &HeaderMap,
        query: &HashMap<String, String>,
    ) -> Result<Gate, ApiError> {
        let Some(page) = page else {
            let tried = query.contains_key("key")
                || crate::auth::bearer(headers).is_some()
                || crate::auth::cookie(headers, &cookie_name(slug)).is_some();
            return Ok(Gate::Missing(tried));
        };
        let mut set_cookie = None;
        if let Some(expected) = page.access_hash.clone() {
            let secret = app.access.secret(app).await?;
            let cookie = cookie_value(secret, &page).unwrap_or_default();
            let key = query
                .get("key")
                .map(String::as_str)
                .or_else(|| crate::auth::bearer(headers));
            let held = crate::auth::cookie(headers, &cookie_name(&page.slug));
            let by_cookie = held
                .is_some_and(|v| crate::auth::constant_time_eq(v.as_bytes(), cookie.as_bytes()));
            let by_key = match key {
                Some(k) if !by_cookie => app.access.key_opens(app, &page, &expected, k).await,
                _ => false,
            };
            if by_key {
                // The key's hash may have been renewed: the cookie is of the stored one.
                let page = app.store.page(slug).await?.unwrap_or(page.clone());
                let cookie = cookie_value(secret, &page).unwrap_or_default();
                set_cookie = Some(access_cookie(headers, &page, Some(&cookie)));
            }
            if !by_key && !by_cookie {
                return Ok(Gate::Locked(key.is_some() || held.is_some()));
            }
        }
        Ok(Gate::Open(page, set_cookie))
    }
}

/// `resp`, setting the access cookie when a key opened the page.
fn with_cookie(cookie: Option<String>, resp: impl IntoResponse) -> Response {
    match cookie {
        Some(c) => ([(header::SET_COOKIE, c)], resp).into_response(),
        None => resp.into_response(),
    }
}

/// A 401 answer; one that tried no key is not a failed attempt.
fn refused(tried: bool, resp: Response) -> Response {
    let mut resp = resp;
    if !tried {
        resp.extensions_mut().insert(crate::harden::NoAttempt);
    }
    resp
}

/// 401 for machines: the page is private (or there is none: the answer is
/// the same, so a private page's name cannot be guessed by its answer).
fn locked_json(tried: bool) -> Response {
    refused(tried, (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer")],
        Json(serde_json::json!({
            "error": "this status page is private or does not exist: give its key as ?key=KEY or Authorization: Bearer KEY"
        })),
    )
        .into_response())
}

/// 401 for people: the page is private (or there is none: the answer is
/// the same); a form asks for its key.
fn locked_html(slug: &str, wrong: bool) -> Response {
    refused(
        wrong,
        (
            StatusCode::UNAUTHORIZED,
            Html(html::locked(slug, wrong).into_string()),
        )
            .into_response(),
    )
}

/// The page this request may read, with the access cookie to set when a
/// key opened it; otherwise the answer `refused` gives (told whether a key
/// or a cookie was offered). The one reading of [`Gate`] every view shares.
async fn open_page(
    app: &App,
    slug: &str,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
    refused: impl FnOnce(bool) -> Response,
) -> Result<(Page, Option<String>), Response> {
    let page = app
        .store
        .page(slug)
        .await
        .map_err(|e| ApiError::from(e).into_response())?;
    match Gate::open(app, page, slug, headers, query).await {
        Ok(Gate::Open(page, cookie)) => Ok((page, cookie)),
        Ok(Gate::Locked(tried) | Gate::Missing(tried)) => Err(refused(tried)),
        Err(e) => Err(e.into_response()),
    }
}

/// [`open_page`] on the page as its views show it, rendered ([`Rendered`]).
async fn open_published(
    app: &App,
    slug: &str,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
    refused: impl FnOnce(bool) -> Response,
) -> Result<(Arc<cache::Loaded>, Option<String>), Response> {
    let loaded = app
        .rendered
        .get(app, slug)
        .await
        .map_err(IntoResponse::into_response)?;
    let page = loaded.as_ref().map(|l| l.published.page.clone());
    match (Gate::open(app, page, slug, headers, query).await, loaded) {
        (Ok(Gate::Open(_, cookie)), Some(loaded)) => Ok((loaded, cookie)),
        (Ok(Gate::Locked(tried) | Gate::Missing(tried)), _) => Err(refused(tried)),
        (Ok(Gate::Open(..)), None) => Err(refused(false)),
        (Err(e), _) => Err(e.into_response()),
    }
}

/// The answer `view` of an open page, made by `render` (or as kept).
fn rendered(
    loaded: &cache::Loaded,
    view: &str,
    now: chrono::DateTime<chrono::Utc>,
    headers: &HeaderMap,
    render: impl FnOnce(&Published) -> Option<(&'static str, String)>,
) -> Option<Response> {
    let private = loaded.published.page.private();
    loaded
        .answer(view, now, render)
        .map(|a| a.respond(headers, private))
}

const HTML: &str = "text/html; charset=utf-8";

/// A readable page as its views show it.
async fn load(app: &App, page: Page) -> Result<Published, statuswatch_store::StoreError> {
    let subscribe = app.subscriber_mail.is_some() && app.pages.is_some();
    Published::load(&*app.store, page, app.public_url.as_deref(), subscribe).await
}

fn not_found(slug: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(serde_json::json!({"error": format!("no status page `{slug}`")})),
    )
        .into_response()
}

/// `/status/<slug>`.
pub(crate) async fn page(
    State(app): State<crate::Shared>,
    Path(slug): Path<String>,
    Query(query): Params,
    headers: HeaderMap,
) -> Response {
    let (loaded, cookie) =
        match open_published(&app, &slug, &headers, &query, |t| locked_html(&slug, t)).await {
            Ok(x) => x,
            Err(refused) => return refused,
        };
    let now = app.now();
    let resp = rendered(&loaded, "page", now, &headers, |own| {
        Some((HTML, html::page(own, now).into_string()))
    });
    with_cookie(cookie, resp.expect("a page always renders"))
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct KeyForm {
    #[serde(default)]
    key: String,
}

/// `POST /status/<slug>/access`: the key typed into a private page's form;
/// right, a cookie opens the page; wrong, 401 (counted as a failed attempt).
pub(crate) async fn access(
    State(app): State<crate::Shared>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    axum::Form(f): axum::Form<KeyForm>,
) -> Response {
    let query = HashMap::from([("key".to_string(), f.key)]);
    match open_page(&app, &slug, &headers, &query, |t| locked_html(&slug, t)).await {
        Ok((page, cookie)) => with_cookie(cookie, Redirect::to(&format!("/status/{}", page.slug))),
        Err(refused) => refused,
    }
}

/// `/status/<slug>/incidents/<id>`.
pub(crate) async fn incident(
    State(app): State<crate::Shared>,
    Path((slug, id)): Path<(String, String)>,
    Query(query): Params,
    headers: HeaderMap,
) -> Response {
    let loaded =
        match open_published(&app, &slug, &headers, &query, |t| locked_html(&slug, t)).await {
            Ok((loaded, _)) => loaded,
            Err(refused) => return refused,
        };
    let now = app.now();
    rendered(&loaded, &format!("incidents/{id}"), now, &headers, |own| {
        let s = own.incidents.iter().find(|s| s.incident.vendor_id == id)?;
        Some((HTML, html::incident(own, s, now).into_string()))
    })
    .unwrap_or_else(|| html_error(StatusCode::NOT_FOUND, &format!("Incident {id}")))
}

/// `/status/<slug>/api/v2/<answer>` (and `incidents/…`,
/// `scheduled-maintenances/…`).
pub(crate) async fn api(
    State(app): State<crate::Shared>,
    Path((slug, rest)): Path<(String, String)>,
    Query(query): Params,
    headers: HeaderMap,
) -> Response {
    let loaded = match open_published(&app, &slug, &headers, &query, locked_json).await {
        Ok((loaded, _)) => loaded,
        Err(refused) => return refused,
    };
    let answer = rendered(
        &loaded,
        &format!("api/v2/{rest}"),
        app.now(),
        &headers,
        |own| {
            let answer = own.wire().answer(&rest)?;
            let json = serde_json::to_string(&answer).expect("an API answer serializes");
            Some(("application/json", json))
        },
    );
    match answer {
        Some(resp) => resp,
        None => (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({
                "error": format!("no answer `{rest}` in the API v2 of a status page")
            })),
        )
            .into_response(),
    }
}

/// `/status/<slug>/history.atom`, `history.rss`, `maintenances.ics` and
/// `style.css` (the page's accent).
pub(crate) async fn history(
    State(app): State<crate::Shared>,
    Path((slug, file)): Path<(String, String)>,
    Query(query): Params,
    headers: HeaderMap,
) -> Response {
    let render: fn(&Published) -> (&'static str, String) = match file.as_str() {
        "style.css" => |own| ("text/css; charset=utf-8", html::accent_css(&own.page)),
        "history.atom" => |own| ("application/atom+xml; charset=utf-8", feeds::atom(own)),
        "history.rss" => |own| ("application/rss+xml; charset=utf-8", feeds::rss(own)),
        "maintenances.ics" => |own| ("text/calendar; charset=utf-8", feeds::ics(own)),
        _ => return html_error(StatusCode::NOT_FOUND, &format!("{file} of {slug}")),
    };
    // A private page's colours go only to who may read it (they would
    // tell it exists): refused, its style sheet is not found.
    let refused = |tried| {
        if file == "style.css" {
            not_found(&slug)
        } else {
            locked_json(tried)
        }
    };
    let loaded = match open_published(&app, &slug, &headers, &query, refused).await {
        Ok((loaded, _)) => loaded,
        Err(refused) => return refused,
    };
    rendered(&loaded, &file, app.now(), &headers, |own| Some(render(own)))
        .expect("a feed always renders")
}

/// `POST /status/<slug>/subscribe`: an address (and components) to be told
/// of the page's incidents by email, confirmed by a link mailed to it.
pub(crate) async fn subscribe(
    State(app): State<crate::Shared>,
    Path(slug): Path<String>,
    Query(query): Params,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    body: axum::body::Bytes,
) -> Response {
    let page = match open_page(&app, &slug, &headers, &query, |t| locked_html(&slug, t)).await {
        Ok((page, _)) => page,
        Err(refused) => return refused,
    };
    let (Some(mail), Some(pages)) = (&app.subscriber_mail, &app.pages) else {
        return message(&page, StatusCode::NOT_FOUND, "Email subscription is not offered here", "This server has no mail set up for its pages' subscribers; the page's Atom and RSS feeds carry every update.");
    };
    // Each request may send a mail: a client asks a few times, not a flood.
    let peer = extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0);
    let client = crate::harden::client_address(peer, &headers, &app.trusted_proxies);
    if let Some(wait) = app
        .subscribe_attempts
        .admit(client, std::time::Instant::now())
    {
        let secs = wait.as_secs().max(1);
        let mut resp = message(
            &page,
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests",
            &format!("Too many subscriptions were asked from your address; try again in {secs} s."),
        );
        resp.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        return resp;
    }
    let mut email = String::new();
    let mut components = Vec::new();
    for (k, v) in url::form_urlencoded::parse(&body) {
        match k.as_ref() {
            "email" => email = v.into_owned(),
            "component" => components.push(v.into_owned()),
            _ => {}
        }
    }
    let (subscriber, asked) = match pages.subscribe(&slug, &email, &components).await {
        Ok(x) => x,
        Err(e @ statuswatch_pages::PageError::Store(_)) => {
            return ApiError::from(e).into_response()
        }
        Err(e) => {
            return message(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                "Not subscribed",
                &e.to_string(),
            )
        }
    };
    if asked == statuswatch_pages::Asked::Confirm {
        let confirm = mail.confirm_url(&slug, &subscriber.token);
        let parts = statuswatch_notify::subscriber::confirmation(
            &page.title,
            &confirm,
            &subscriber.components,
        );
        let unsubscribe = mail.unsubscribe_url(&slug, &subscriber.token);
        if let Err(e) = mail.send(&subscriber.email, &parts, &unsubscribe).await {
            tracing::warn!(page = %slug, error = %e, "could not send a subscription's confirmation");
            return message(&page, StatusCode::SERVICE_UNAVAILABLE, "The confirmation could not be sent", "The mail server did not take the confirmation mail. Please try again in a few minutes.");
        }
    }
    // The same answer whether or not the address was known: the form does
    // not tell who is subscribed.
    message(
        &page,
        StatusCode::OK,
        "Check your inbox",
        &format!("If {} is not subscribed yet, a mail with a confirmation link is on its way. Nothing is sent until the link is followed.", subscriber.email),
    )
}

fn message(page: &Page, status: StatusCode, title: &str, text: &str) -> Response {
    (status, Html(html::message(page, title, text).into_string())).into_response()
}

/// The page alone (a subscriber's links need no key: the token is theirs).
async fn page_only(app: &App, slug: &str) -> Result<Page, Response> {
    match app.store.page(slug).await {
        Ok(Some(p)) => Ok(p),
        Ok(None) => Err(html_error(
            StatusCode::NOT_FOUND,
            &format!("Status page {slug}"),
        )),
        Err(e) => Err(ApiError::from(e).into_response()),
    }
}

/// `GET /status/<slug>/subscribers/{confirm,unsubscribe}?token=`: a page
/// with one button (a link opened by a mail scanner changes nothing).
pub(crate) async fn subscriber_page(
    State(app): State<crate::Shared>,
    Path((slug, action)): Path<(String, String)>,
    Query(query): Params,
) -> Response {
    let page = match page_only(&app, &slug).await {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let token = query.get("token").cloned().unwrap_or_default();
    if !matches!(action.as_str(), "confirm" | "unsubscribe") {
        return html_error(StatusCode::NOT_FOUND, &format!("{action} of {slug}"));
    }
    (
        StatusCode::OK,
        Html(html::subscriber_button(&page, &action, &token).into_string()),
    )
        .into_response()
}

/// `POST /status/<slug>/subscribers/{confirm,unsubscribe}?token=`: the
/// button's form, or a mail client's one-click unsubscribe (RFC 8058).
pub(crate) async fn subscriber_action(
    State(app): State<crate::Shared>,
    Path((slug, action)): Path<(String, String)>,
    Query(query): Params,
) -> Response {
    let page = match page_only(&app, &slug).await {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let Some(pages) = &app.pages else {
        return message(
            &page,
            StatusCode::FORBIDDEN,
            "Not available",
            "This server cannot change subscriptions.",
        );
    };
    let token = query.get("token").map(String::as_str).unwrap_or_default();
    let done = match action.as_str() {
        "confirm" => pages.confirm(&slug, token).await,
        "unsubscribe" => pages.unsubscribe(&slug, token).await,
        _ => return html_error(StatusCode::NOT_FOUND, &format!("{action} of {slug}")),
    };
    match done {
        Ok(s) => {
            if action == "confirm" {
                message(&page, StatusCode::OK, "Subscribed", &format!("{} will be told of {}'s incidents and maintenances. Every mail has a link to unsubscribe.", s.email, page.title))
            } else {
                message(
                    &page,
                    StatusCode::OK,
                    "Unsubscribed",
                    &format!("{} will get no more mail from {}.", s.email, page.title),
                )
            }
        }
        Err(statuswatch_pages::PageError::NotFound(_)) => message(
            &page,
            StatusCode::NOT_FOUND,
            "Link not valid",
            "No subscription has this link: it was cancelled, or the link was cut short.",
        ),
        Err(e) => ApiError::from(e).into_response(),
    }
}
