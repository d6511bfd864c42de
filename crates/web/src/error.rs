//! The one error answer of the API: a status and the documented [`ErrorBody`].

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use statuswatch_store::StoreError;

/// An error answer's body.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What was wrong.
    pub error: String,
}

/// An error answer: a status and a message, as [`ErrorBody`].
pub(crate) struct ApiError(pub(crate) StatusCode, pub(crate) String);

impl ApiError {
    pub(crate) fn bad_request(msg: impl Into<String>) -> Self {
        ApiError(StatusCode::BAD_REQUEST, msg.into())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match &e {
            StoreError::NotFound(what) => {
                ApiError(StatusCode::NOT_FOUND, format!("{what} not found"))
            }
            StoreError::Busy { why, .. } => {
                tracing::warn!(error = %e, ?why, "the store is busy");
                ApiError(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage busy; try again shortly".into(),
                )
            }
            _ => {
                tracing::error!(error = %e, "storage error while serving");
                ApiError(StatusCode::INTERNAL_SERVER_ERROR, "storage error".into())
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(ErrorBody { error: self.1 })).into_response()
    }
}

/// A page for people saying what went wrong.
pub(crate) fn html_error(status: StatusCode, what: &str) -> Response {
    let page = if status == StatusCode::NOT_FOUND {
        crate::pages::not_found(what)
    } else {
        crate::pages::problem(status.canonical_reason().unwrap_or("Error"), what)
    };
    (status, Html(page.into_string())).into_response()
}
