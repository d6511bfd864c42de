//! `/api/v1/incidents`: the contract's incident model, filtered and paged.

use crate::error::{ApiError, ErrorBody};
use crate::params::{query, IncidentParams};
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use statuswatch_view::IncidentView;

/// Incidents, newest first, filtered and paged.
#[utoipa::path(get, path = "/api/v1/incidents", params(IncidentParams),
    responses((status = 200, description = "Incidents, newest first", body = [IncidentView]),
              (status = 400, description = "A filter is not understood", body = ErrorBody)))]
pub(crate) async fn list(
    State(app): State<crate::Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<IncidentView>>, ApiError> {
    let p: IncidentParams = query(raw)?;
    let rows = app.store.incidents(&p.to_query()?).await?;
    Ok(Json(rows.iter().map(IncidentView::from).collect()))
}

/// One incident.
#[utoipa::path(get, path = "/api/v1/incidents/{id}", params(("id" = String, Path, description = "The incident's id")),
    responses((status = 200, description = "The incident", body = IncidentView),
              (status = 404, description = "No such incident", body = ErrorBody)))]
pub(crate) async fn one(
    State(app): State<crate::Shared>,
    Path(id): Path<String>,
) -> Result<Json<IncidentView>, ApiError> {
    Ok(Json(IncidentView::from(
        &crate::loaders::public_incident(&*app.store, &id).await?,
    )))
}
