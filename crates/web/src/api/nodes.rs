//! `/api/v1/nodes`: every `serve` node sharing this store, from their
//! heartbeats: whether each is up, how many polls it made, its lag.

use crate::error::ApiError;
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;
use statuswatch_view::time::ser as ts;

/// One node.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NodeView {
    /// Its id (host, process and start time).
    pub id: String,
    /// Its host.
    pub host: String,
    /// Its process id.
    pub pid: i64,
    /// Its statuswatch version.
    pub version: String,
    /// Whether its heartbeat is fresh (seen within three beats).
    pub up: bool,
    /// When it started.
    #[serde(serialize_with = "ts")]
    pub started_at: DateTime<Utc>,
    /// When it was last seen.
    #[serde(serialize_with = "ts")]
    pub seen_at: DateTime<Utc>,
    /// Polls it made since it started.
    pub polls: i64,
    /// Failed polls among them.
    pub failures: i64,
    /// Its largest poll lag of the last minute, in seconds.
    pub lag_seconds: f64,
    /// Its poll interval, in seconds.
    pub interval_seconds: f64,
    /// Whether it falls behind (its lag is over a quarter of its interval).
    pub behind: bool,
    /// Polls in flight at its last heartbeat.
    pub in_flight: i64,
}

/// Every node seen in the last day, most recently seen first.
#[utoipa::path(get, path = "/api/v1/nodes",
    responses((status = 200, description = "Nodes, most recently seen first", body = [NodeView])))]
pub(crate) async fn list(
    State(app): State<crate::Shared>,
) -> Result<Json<Vec<NodeView>>, ApiError> {
    let now = app.now();
    let nodes = app.store.nodes().await?;
    Ok(Json(
        nodes
            .into_iter()
            .map(|n| {
                let up = statuswatch_engine::is_up(n.seen_at, now);
                NodeView {
                    up,
                    behind: up && n.interval_ms > 0 && n.lag_ms > n.interval_ms / 4,
                    lag_seconds: n.lag_ms as f64 / 1000.0,
                    interval_seconds: n.interval_ms as f64 / 1000.0,
                    id: n.id,
                    host: n.host,
                    pid: n.pid,
                    version: n.version,
                    started_at: n.started_at,
                    seen_at: n.seen_at,
                    polls: n.polls,
                    failures: n.failures,
                    in_flight: n.in_flight,
                }
            })
            .collect(),
    ))
}
