//! `/api/v1/stats`: figures across providers over the last days.

use crate::api::providers::{figures_view, FiguresView};
use crate::error::{ApiError, ErrorBody};
use crate::loaders::Stats;
use crate::params::query;
use axum::extract::{RawQuery, State};
use axum::Json;
use serde::{Deserialize, Serialize};

/// Figures of one provider over the period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProviderFigures {
    /// The source's id.
    pub source_id: i64,
    /// The vendor's name.
    pub provider: String,
    /// Incidents in the period.
    pub incidents: usize,
    /// Minutes with at least one incident.
    pub impacted_minutes: i64,
    /// Mean minutes to resolve.
    pub mean_time_to_resolve_minutes: Option<i64>,
}

/// Figures across providers.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatsView {
    /// Providers watched.
    pub providers: usize,
    /// Figures of every incident in the period.
    pub figures: FiguresView,
    /// Per provider, slowest to resolve first.
    pub per_provider: Vec<ProviderFigures>,
}

/// The period of `/api/v1/stats`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    /// Days back from now (default 90).
    #[param(minimum = 1, maximum = 366)]
    pub days: Option<i64>,
}

/// Figures across providers over the last days.
#[utoipa::path(get, path = "/api/v1/stats", params(StatsParams),
    responses((status = 200, description = "Figures", body = StatsView),
              (status = 400, description = "A parameter is not understood", body = ErrorBody)))]
pub(crate) async fn figures(
    State(app): State<crate::Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Json<StatsView>, ApiError> {
    let p: StatsParams = query(raw)?;
    let days = p.days.unwrap_or(90);
    if !(1..=366).contains(&days) {
        return Err(ApiError::bad_request("`days` must be between 1 and 366"));
    }
    let s = Stats::load(&*app.store, days, app.now()).await?;
    Ok(Json(StatsView {
        providers: s.providers,
        figures: figures_view(&s.figures, s.since),
        per_provider: s.per_provider,
    }))
}
