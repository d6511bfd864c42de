//! `/search?q=`: incidents whose title or update text holds every word.

use crate::error::ApiError;
use crate::pages::{incident_rows, layout};
use crate::params::query;
use axum::extract::{RawQuery, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use serde::Deserialize;
use statuswatch_store::{IncidentQuery, StoredIncident};

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SearchParams {
    #[serde(default)]
    q: String,
}

pub(crate) async fn page(
    State(app): State<crate::Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p: SearchParams = query(raw).unwrap_or_default();
    if let Err(e) = crate::params::check_search(&p.q) {
        return Ok(crate::error::html_error(e.0, &e.1));
    }
    let hits = if p.q.trim().is_empty() {
        Vec::new()
    } else {
        app.store
            .incidents(&IncidentQuery {
                text: Some(p.q.clone()),
                limit: Some(200),
                ..Default::default()
            })
            .await?
    };
    let refs: Vec<_> = hits.iter().collect();
    Ok(Html(search(&p.q, &refs, app.now()).into_string()).into_response())
}

/// Search results.
pub fn search(q: &str, hits: &[&StoredIncident], now: DateTime<Utc>) -> Markup {
    layout(
        "Search",
        html! {
            h1 { "Search" }
            form.filters method="get" action="/search" {
                label { "Words in titles and updates" input type="search" name="q" value=(q) autofocus; }
                button type="submit" { "Search" }
            }
            @if !q.trim().is_empty() {
                p.muted.result-count { (hits.len()) " incidents match" }
                (incident_rows(hits, now))
            }
        },
    )
}
