//! Liveness and readiness.

use crate::error::ApiError;
use axum::extract::State;
use axum::Json;

/// Liveness: the process answers.
pub(crate) async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Readiness: the store answers.
pub(crate) async fn readyz(
    State(app): State<crate::Shared>,
) -> Result<Json<serde_json::Value>, ApiError> {
    app.store.counts().await?;
    Ok(Json(serde_json::json!({ "status": "ready" })))
}
