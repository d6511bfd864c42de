//! `/api/v1/events`: recorded changes in order, from a sequence number on.

use crate::error::{ApiError, ErrorBody};
use crate::params::query;
use axum::extract::{RawQuery, State};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use statuswatch_view::time::ser as ts;

/// A recorded change.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EventView {
    /// Order of recording; pass the last one as `after` to read on.
    pub seq: i64,
    /// Stable id (the idempotency key of alerts).
    pub id: String,
    /// The incident.
    pub incident_id: String,
    /// The source.
    pub source_id: i64,
    /// `incident.opened`, `incident.updated`, `incident.resolved`, `maintenance.*`.
    pub kind: String,
    /// When it happened.
    #[serde(serialize_with = "ts")]
    pub occurred_at: DateTime<Utc>,
}

/// Paging of `/api/v1/events`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventParams {
    /// Only events recorded after this sequence number.
    pub after: Option<i64>,
    /// At most this many (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// Recorded changes, oldest first, from a sequence number on.
#[utoipa::path(get, path = "/api/v1/events", params(EventParams),
    responses((status = 200, description = "Events in order of recording", body = [EventView]),
              (status = 400, description = "A parameter is not understood", body = ErrorBody)))]
pub(crate) async fn list(
    State(app): State<crate::Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<EventView>>, ApiError> {
    let p: EventParams = query(raw)?;
    let limit = p.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::bad_request("`limit` must be between 1 and 1000"));
    }
    let rows = app.store.events_after(p.after.unwrap_or(0), limit).await?;
    Ok(Json(
        rows.iter()
            .map(|e| EventView {
                seq: e.seq,
                id: e.id.clone(),
                incident_id: e.incident_id.clone(),
                source_id: e.source_id,
                kind: e.kind.as_str().to_string(),
                occurred_at: e.occurred_at,
            })
            .collect(),
    ))
}
