//! The admin token: checked in constant time, from a bearer header or a form.

use crate::error::ApiError;
use crate::App;
use axum::http::{header, HeaderMap, StatusCode};

pub(crate) fn token_ok(app: &App, given: Option<&str>) -> Result<(), ApiError> {
    let Some(expected) = app.admin_token.as_deref().filter(|t| !t.is_empty()) else {
        return Err(ApiError(
            StatusCode::FORBIDDEN,
            "managing sources is off: no admin token is configured".into(),
        ));
    };
    match given {
        Some(g) if constant_time_eq(g.as_bytes(), expected.as_bytes()) => Ok(()),
        _ => Err(ApiError(
            StatusCode::UNAUTHORIZED,
            "a valid admin token is required".into(),
        )),
    }
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
