//! Status badges for READMEs and wikis: a provider's state, or a component's.

use crate::error::ApiError;
use crate::{charts, state};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use statuswatch_store::{IncidentQuery, Source, Store};

pub(crate) async fn find_source(store: &dyn Store, name: &str) -> Result<Option<Source>, ApiError> {
    Ok(store.source_by_name(name).await?)
}

pub(crate) fn svg(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "max-age=60"),
        ],
        body,
    )
        .into_response()
}

pub(crate) async fn provider(
    State(app): State<crate::Shared>,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let name = name.strip_suffix(".svg").unwrap_or(&name);
    let Some(source) = find_source(&*app.store, name).await? else {
        return Ok((
            StatusCode::NOT_FOUND,
            svg(charts::badge(name, state::State::Unknown)),
        )
            .into_response());
    };
    let now = app.now();
    let open = app
        .store
        .incidents(&IncidentQuery {
            source_id: Some(source.id),
            open_only: true,
            limit: Some(500),
            ..Default::default()
        })
        .await?;
    let refs: Vec<_> = open.iter().collect();
    let st = state::provider_state(&source, &refs, now);
    Ok(svg(charts::badge(source.provider_name(), st)))
}

pub(crate) async fn component(
    State(app): State<crate::Shared>,
    Path((name, component)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let component = component.strip_suffix(".svg").unwrap_or(&component);
    let Some(source) = find_source(&*app.store, &name).await? else {
        return Ok((
            StatusCode::NOT_FOUND,
            svg(charts::badge(component, state::State::Unknown)),
        )
            .into_response());
    };
    let Some(c) = source
        .components
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(component))
    else {
        return Ok((
            StatusCode::NOT_FOUND,
            svg(charts::badge(component, state::State::Unknown)),
        )
            .into_response());
    };
    Ok(svg(charts::badge(&c.name, state::component_state(c.state))))
}
