//! `/stats`: the last 90 days across providers.

use crate::charts::{bar_list, column_chart};
use crate::error::ApiError;
use crate::loaders::Stats;
use crate::pages::layout;
use crate::state::Figures;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use chrono::Duration;
use maud::{html, Markup};
use statuswatch_view::words::format_duration;

pub(crate) async fn page(State(app): State<crate::Shared>) -> Result<Response, ApiError> {
    let now = app.now();
    let s = Stats::load(&*app.store, 90, now).await?;
    Ok(Html(stats(&s.figures, &s.mttr_rows(), 90).into_string()).into_response())
}

/// Stats across providers.
pub fn stats(f: &Figures, mttr: &[(String, f64, String)], days: i64) -> Markup {
    layout(
        "Stats",
        html! {
            h1 { "Last " (days) " days" }
            div.figs {
                div { b { (f.incidents) } "incidents" }
                div { b { (format_duration(Duration::minutes(f.impacted_minutes))) } "with at least one incident" }
                div { b { (f.mean_time_to_resolve_minutes.map(|m| format_duration(Duration::minutes(m))).unwrap_or_else(|| "-".into())) } "mean time to resolve" }
            }
            h2 { "Incidents per month" }
            (column_chart(&f.per_month, "Incidents per month"))
            h2 { "Mean time to resolve per provider" }
            @if mttr.is_empty() { p.muted { "No resolved incident in this period." } }
            @else { (bar_list(mttr, "Mean time to resolve per provider")) }
        },
    )
}
