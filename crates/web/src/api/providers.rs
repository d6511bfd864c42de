//! `/api/v1/providers`: every provider's state, and one provider's 90 days.

use crate::error::{ApiError, ErrorBody};
use crate::loaders::{Overview, ProviderData};
use crate::pages::provider::HistoryFilter;
use crate::state::{self, Figures, State as PageState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;
use statuswatch_model::Kind;
use statuswatch_store::{Source, SourceId};
use statuswatch_view::time::{ser as ts, ser_opt as ts_opt};

/// A component's current state.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComponentStateView {
    /// Its name.
    pub name: String,
    /// Its group.
    pub group: Option<String>,
    /// The platform's own word.
    pub status: String,
    /// `outage`, `degraded`, `maintenance`, `operational` or `unknown`.
    #[schema(value_type = String)]
    pub state: PageState,
}

/// A watched provider and its state now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProviderView {
    /// The source's id (the provider's id in URLs).
    pub id: i64,
    /// The source's name.
    pub name: String,
    /// The vendor's name.
    pub provider: String,
    /// The platform.
    pub platform: String,
    /// The URL polled.
    pub url: String,
    /// `outage`, `degraded`, `maintenance`, `operational` or `unknown`.
    #[schema(value_type = String)]
    pub state: PageState,
    /// Open incidents (maintenance excluded).
    pub open_incidents: usize,
    /// Whether polling is paused.
    pub paused: bool,
    /// When it was last polled.
    #[serde(serialize_with = "ts_opt")]
    pub last_poll_at: Option<DateTime<Utc>>,
    /// Failed polls in a row.
    pub consecutive_failures: i64,
    /// Its components now.
    pub components: Vec<ComponentStateView>,
}

pub(crate) fn provider_view(s: &Source, st: PageState, open: usize) -> ProviderView {
    ProviderView {
        id: s.id,
        name: s.name.clone(),
        provider: s.provider_name().to_string(),
        platform: s.platform.clone(),
        url: s.url.clone(),
        state: st,
        open_incidents: open,
        paused: s.paused,
        last_poll_at: s.health.last_poll_at,
        consecutive_failures: s.health.consecutive_failures,
        components: s
            .components
            .iter()
            .map(|c| ComponentStateView {
                name: c.name.clone(),
                group: c.group.clone(),
                status: c.status.clone(),
                state: state::component_state(c.state),
            })
            .collect(),
    }
}

/// One day of uptime.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DayView {
    /// `YYYY-MM-DD` (UTC).
    pub date: String,
    /// The worst state that day.
    #[schema(value_type = String)]
    pub state: PageState,
    /// Minutes of major or critical incidents.
    pub outage_minutes: i64,
    /// Minutes of other incidents.
    pub degraded_minutes: i64,
}

/// A component's 90 days.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComponentUptimeView {
    /// Its name.
    pub name: String,
    /// Its group.
    pub group: Option<String>,
    /// Its state now.
    #[schema(value_type = String)]
    pub state: PageState,
    /// Percent of the 90 days without a major or critical incident naming it.
    pub uptime_percent: f64,
}

/// Figures of a provider's history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FiguresView {
    /// From when (the history's start).
    #[serde(serialize_with = "ts")]
    pub since: DateTime<Utc>,
    /// Incidents counted (maintenance excluded).
    pub incidents: usize,
    /// Minutes with at least one incident.
    pub impacted_minutes: i64,
    /// Mean minutes from start to resolution.
    pub mean_time_to_resolve_minutes: Option<i64>,
    /// Incidents per month, oldest first.
    pub per_month: Vec<MonthCount>,
}

/// Incidents in one month.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    /// How many started that month.
    pub incidents: usize,
}

pub(crate) fn figures_view(f: &Figures, since: DateTime<Utc>) -> FiguresView {
    FiguresView {
        since,
        incidents: f.incidents,
        impacted_minutes: f.impacted_minutes,
        mean_time_to_resolve_minutes: f.mean_time_to_resolve_minutes,
        per_month: f
            .per_month
            .iter()
            .map(|(m, n)| MonthCount {
                month: m.clone(),
                incidents: *n,
            })
            .collect(),
    }
}

/// A provider with 90 days of uptime and the figures of its last year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProviderDetail {
    /// The provider now.
    pub provider: ProviderView,
    /// Percent of the last 90 days without a major or critical incident.
    pub uptime_percent_90d: f64,
    /// The last 90 days, oldest first.
    pub days: Vec<DayView>,
    /// Each component's 90 days.
    pub components: Vec<ComponentUptimeView>,
    /// Figures of the last 365 days.
    pub figures: FiguresView,
}

/// Every watched provider with its state, worst first.
#[utoipa::path(get, path = "/api/v1/providers",
    responses((status = 200, description = "Providers, worst state first", body = [ProviderView])))]
pub(crate) async fn list(
    State(app): State<crate::Shared>,
) -> Result<Json<Vec<ProviderView>>, ApiError> {
    let now = app.now();
    let o = Overview::load(&*app.store).await?;
    Ok(Json(
        o.rows(now)
            .iter()
            .map(|r| {
                provider_view(
                    r.source,
                    r.state,
                    r.open
                        .iter()
                        .filter(|i| i.incident.kind == Kind::Incident)
                        .count(),
                )
            })
            .collect(),
    ))
}

/// One provider: its state, components, 90 days of uptime, a year's figures.
#[utoipa::path(get, path = "/api/v1/providers/{id}", params(("id" = String, Path, description = "The provider's (source's) id")),
    responses((status = 200, description = "The provider", body = ProviderDetail),
              (status = 404, description = "No such provider", body = ErrorBody)))]
pub(crate) async fn one(
    State(app): State<crate::Shared>,
    Path(id): Path<String>,
) -> Result<Json<ProviderDetail>, ApiError> {
    let id: SourceId = id
        .parse()
        .map_err(|_| ApiError(StatusCode::NOT_FOUND, format!("provider {id} not found")))?;
    let now = app.now();
    let d = ProviderData::load(&*app.store, id, &HistoryFilter::default(), now).await?;
    let up = d.uptime();
    let open = d
        .open
        .iter()
        .filter(|i| i.incident.kind == Kind::Incident)
        .count();
    Ok(Json(ProviderDetail {
        provider: provider_view(&d.source, d.state(), open),
        uptime_percent_90d: up.percent,
        days: up
            .days
            .iter()
            .map(|x| DayView {
                date: x.date.to_string(),
                state: x.state,
                outage_minutes: x.outage_minutes,
                degraded_minutes: x.degraded_minutes,
            })
            .collect(),
        components: d
            .components(0..usize::MAX)
            .into_iter()
            .map(|(name, group, st, u)| ComponentUptimeView {
                name,
                group,
                state: st,
                uptime_percent: u.percent,
            })
            .collect(),
        figures: figures_view(&d.figures(), d.since),
    }))
}
