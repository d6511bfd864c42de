//! The admin token, checked in constant time from a bearer header (the API)
//! or once at the admin login (the web UI), and the admin session that login
//! opens: a signed cookie (`HttpOnly`, `SameSite=Strict`, `Secure` behind
//! TLS) and a CSRF token derived from it that every admin form carries.
//!
//! Sessions are stateless: the cookie is its expiry and a nonce, signed with
//! a key derived from the admin token, so every node sharing the token
//! accepts it and changing the token ends every session.

use crate::error::ApiError;
use crate::App;
use axum::http::{header, HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The session cookie's name.
pub(crate) const COOKIE: &str = "statuswatch_session";
/// How long a session lasts.
pub(crate) const SESSION_SECS: i64 = 12 * 3600;

pub(crate) fn token_ok(app: &App, given: Option<&str>) -> Result<(), ApiError> {
    let expected = configured(app)?;
    match given {
        Some(g) if constant_time_eq(g.as_bytes(), expected.as_bytes()) => Ok(()),
        _ => Err(ApiError(
            StatusCode::UNAUTHORIZED,
            "a valid admin token is required".into(),
        )),
    }
}

fn configured(app: &App) -> Result<&str, ApiError> {
    app.admin_token
        .as_deref()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError(
                StatusCode::FORBIDDEN,
                "managing sources is off: no admin token is configured".into(),
            )
        })
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn mac(token: &str, message: &str) -> String {
    let key = Sha256::new()
        .chain_update(b"statuswatch admin session\0")
        .chain_update(token.as_bytes())
        .finalize();
    let mut m = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes any key length");
    m.update(message.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

/// A new session's cookie value: `v1.<expiry>.<nonce>.<signature>`.
pub(crate) fn mint(token: &str, now: DateTime<Utc>) -> String {
    let nonce = hex::encode(rand::random::<[u8; 16]>());
    let body = format!("v1.{}.{nonce}", now.timestamp() + SESSION_SECS);
    let sig = mac(token, &body);
    format!("{body}.{sig}")
}

/// A session this token signed that has not expired: its nonce and expiry.
fn session_valid(token: &str, value: &str, now: DateTime<Utc>) -> Option<(String, DateTime<Utc>)> {
    let (body, sig) = value.rsplit_once('.')?;
    let mut parts = body.split('.');
    let (Some("v1"), Some(exp), Some(nonce), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let exp = exp.parse::<i64>().ok()?;
    (constant_time_eq(sig.as_bytes(), mac(token, body).as_bytes()) && now.timestamp() < exp).then(
        || {
            (
                nonce.to_string(),
                DateTime::from_timestamp(exp, 0).unwrap_or(now),
            )
        },
    )
}

/// The CSRF token of a session: what its forms must send back.
pub(crate) fn csrf_of(token: &str, session: &str) -> String {
    mac(token, &format!("csrf.{session}"))
}

pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The signed-in admin's session (its cookie value), if the request has
/// one that is signed, unexpired and not signed out of.
pub(crate) async fn session(app: &App, headers: &HeaderMap) -> Option<String> {
    let token = configured(app).ok()?;
    let value = cookie(headers, COOKIE)?;
    let (nonce, _) = session_valid(token, value, app.now())?;
    match app.store.session_revoked(&nonce).await {
        Ok(false) => Some(value.to_string()),
        Ok(true) => None,
        Err(e) => {
            // Whether it was ended cannot be told: it is not let in.
            tracing::warn!(error = %e, "cannot check whether an admin session was ended");
            None
        }
    }
}

/// Ends the request's session for good (on every node, until it would
/// have expired): signing out.
pub(crate) async fn end_session(app: &App, headers: &HeaderMap) -> Result<(), ApiError> {
    let Ok(token) = configured(app) else {
        return Ok(());
    };
    let Some(value) = cookie(headers, COOKIE) else {
        return Ok(());
    };
    if let Some((nonce, expires)) = session_valid(token, value, app.now()) {
        app.store.revoke_session(&nonce, expires, app.now()).await?;
    }
    Ok(())
}

/// The CSRF token for the request's session, to put in the page's forms.
pub(crate) async fn csrf_for(app: &App, headers: &HeaderMap) -> Option<String> {
    let token = configured(app).ok()?;
    session(app, headers).await.map(|s| csrf_of(token, &s))
}

/// An admin form may act: a valid session, and the form's CSRF token is the
/// session's. 401 without a session (sign in), 403 for a forged or stale form.
pub(crate) async fn form_ok(app: &App, headers: &HeaderMap, csrf: &str) -> Result<(), ApiError> {
    let token = configured(app)?;
    let Some(s) = session(app, headers).await else {
        return Err(ApiError(
            StatusCode::UNAUTHORIZED,
            "sign in with the admin token first (no valid session)".into(),
        ));
    };
    if constant_time_eq(csrf.as_bytes(), csrf_of(token, &s).as_bytes()) {
        Ok(())
    } else {
        Err(ApiError(
            StatusCode::FORBIDDEN,
            "this form is stale or was not made by this site (CSRF token mismatch); reload the page"
                .into(),
        ))
    }
}

/// Whether the client reached us over TLS (a proxy in front says so).
pub(crate) fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
        || headers
            .get(header::FORWARDED)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("proto=https"))
}

/// The `Set-Cookie` value opening a session (`value`) or, with `None`,
/// ending it.
pub(crate) fn set_cookie(headers: &HeaderMap, value: Option<&str>) -> String {
    let secure = if over_tls(headers) { "; Secure" } else { "" };
    match value {
        Some(v) => format!(
            "{COOKIE}={v}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_SECS}{secure}"
        ),
        None => format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_session_is_valid_for_its_token_until_it_expires() {
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap();
        let s = mint("token-a", now);
        assert!(session_valid("token-a", &s, now).is_some());
        assert!(session_valid(
            "token-a",
            &s,
            now + chrono::Duration::seconds(SESSION_SECS - 1)
        )
        .is_some());
        assert!(
            session_valid("token-a", &s, now + chrono::Duration::seconds(SESSION_SECS)).is_none()
        );
        assert!(
            session_valid("token-b", &s, now).is_none(),
            "another token's"
        );
        // A changed expiry breaks the signature.
        let (body, sig) = s.rsplit_once('.').unwrap();
        let forged = body.replacen(
            &(now.timestamp() + SESSION_SECS).to_string(),
            "99999999999",
            1,
        );
        assert!(session_valid("token-a", &format!("{forged}.{sig}"), now).is_none());
        assert!(session_valid("token-a", "v1.1.2", now).is_none());
        assert_ne!(mint("token-a", now), s, "each session its own nonce");
        assert_ne!(
            csrf_of("token-a", &s),
            csrf_of("token-a", &mint("token-a", now))
        );
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_behind_tls() {
        let plain = set_cookie(&HeaderMap::new(), Some("v"));
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Strict"));
        assert!(!plain.contains("Secure"));
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-proto", "https".parse().unwrap());
        assert!(set_cookie(&h, Some("v")).ends_with("; Secure"));
        assert!(set_cookie(&h, None).contains("Max-Age=0"));
    }
}
