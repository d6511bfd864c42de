//! Loading what the dashboard, provider pages and stats show, once for both
//! the pages and the JSON API, and the API's handlers for them.

use crate::state::{self, Figures, State as PageState, Uptime};
use crate::ui::{HistoryFilter, ProviderPage, ProviderRow};
use crate::{query, ApiError, App};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use statuswatch_model::{Impact, Kind, Status};
use statuswatch_store::{IncidentQuery, Source, SourceId, Store, StoredIncident};
use statuswatch_view::time::{ser as ts, ser_opt as ts_opt};
use std::collections::HashMap;

/// Every source and every open incident or maintenance.
pub(crate) struct Overview {
    pub sources: Vec<Source>,
    pub open: Vec<StoredIncident>,
}

impl Overview {
    pub(crate) async fn load(store: &dyn Store) -> Result<Overview, ApiError> {
        let sources = store.sources().await?;
        let open = store
            .incidents(&IncidentQuery {
                open_only: true,
                limit: Some(5000),
                ..Default::default()
            })
            .await?;
        Ok(Overview { sources, open })
    }

    /// Providers worst first, then by name.
    pub(crate) fn rows(&self, now: DateTime<Utc>) -> Vec<ProviderRow<'_>> {
        let mut by_source: HashMap<SourceId, Vec<&StoredIncident>> = HashMap::new();
        for i in &self.open {
            by_source.entry(i.source_id).or_default().push(i);
        }
        let mut rows: Vec<ProviderRow> = self
            .sources
            .iter()
            .map(|s| {
                let open = by_source.remove(&s.id).unwrap_or_default();
                ProviderRow {
                    state: state::provider_state(s, &open, now),
                    source: s,
                    open,
                }
            })
            .collect();
        rows.sort_by_cached_key(|r| (r.state, r.source.provider_name().to_lowercase()));
        rows
    }

    /// Scheduled maintenances, soonest first.
    pub(crate) fn upcoming(&self) -> Vec<&StoredIncident> {
        let mut m: Vec<&StoredIncident> = self
            .open
            .iter()
            .filter(|i| {
                i.incident.kind == Kind::Maintenance && i.incident.status == Status::Scheduled
            })
            .collect();
        m.sort_by_key(|i| i.incident.scheduled_for);
        m
    }
}

/// A provider's page data.
pub(crate) struct ProviderData {
    pub source: Source,
    pub open: Vec<StoredIncident>,
    pub recent: Vec<StoredIncident>,
    pub history: Vec<StoredIncident>,
    pub since: DateTime<Utc>,
    pub truncated: bool,
    pub now: DateTime<Utc>,
}

const HISTORY_LIMIT: u32 = 1000;

fn date(field: &str, v: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
    crate::parse_time(field, Some(v))
}

impl ProviderData {
    pub(crate) async fn load(
        store: &dyn Store,
        id: SourceId,
        filter: &HistoryFilter,
        now: DateTime<Utc>,
    ) -> Result<ProviderData, ApiError> {
        let source = store.source(id).await?;
        let open = store
            .incidents(&IncidentQuery {
                source_id: Some(id),
                open_only: true,
                limit: Some(1000),
                ..Default::default()
            })
            .await?;
        let recent = store
            .incidents(&IncidentQuery {
                source_id: Some(id),
                since: Some(now - Duration::days(120)),
                limit: Some(10_000),
                ..Default::default()
            })
            .await?;
        let impacts = match filter.impact.trim() {
            "" => Vec::new(),
            w => vec![Impact::parse(w).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "impact `{w}` is not one of none, minor, major, critical"
                ))
            })?],
        };
        let since = date("from", &filter.from)?.unwrap_or(now - Duration::days(365));
        let until = date("to", &filter.to)?.map(|t| t + Duration::days(1));
        let mut history = store
            .incidents(&IncidentQuery {
                source_id: Some(id),
                impacts,
                since: Some(since),
                until,
                limit: Some(HISTORY_LIMIT + 1),
                ..Default::default()
            })
            .await?;
        let truncated = history.len() > HISTORY_LIMIT as usize;
        history.truncate(HISTORY_LIMIT as usize);
        let c = filter.component.trim();
        if !c.is_empty() {
            history.retain(|i| {
                i.incident.components.iter().any(|x| {
                    x.name.eq_ignore_ascii_case(c)
                        || x.group
                            .as_deref()
                            .is_some_and(|g| g.eq_ignore_ascii_case(c))
                })
            });
        }
        Ok(ProviderData {
            source,
            open,
            recent,
            history,
            since,
            truncated,
            now,
        })
    }

    fn state(&self) -> PageState {
        let refs: Vec<&StoredIncident> = self.open.iter().collect();
        state::provider_state(&self.source, &refs, self.now)
    }

    /// Incidents of the last 90 days and the open ones, each once.
    fn window(&self) -> Vec<&statuswatch_model::Incident> {
        let mut seen = std::collections::HashSet::new();
        self.recent
            .iter()
            .chain(&self.open)
            .filter(|i| seen.insert(i.id.as_str()))
            .map(|i| &i.incident)
            .collect()
    }

    fn uptime(&self) -> Uptime {
        state::uptime(self.window(), 90, self.now)
    }

    fn components(&self) -> Vec<(String, Option<String>, PageState, Uptime)> {
        let window = self.window();
        self.source
            .components
            .iter()
            .map(|c| {
                let mine = window.iter().copied().filter(|i| {
                    i.components
                        .iter()
                        .any(|x| x.name == c.name || x.group.as_deref() == Some(&c.name))
                });
                (
                    c.name.clone(),
                    c.group.clone(),
                    state::component_state(c.state),
                    state::uptime(mine, 90, self.now),
                )
            })
            .collect()
    }

    fn figures(&self) -> Figures {
        state::figures(
            self.history.iter().map(|i| &i.incident),
            self.since,
            self.now,
        )
    }

    pub(crate) fn page(&self, filter: HistoryFilter) -> ProviderPage<'_> {
        let mut names: Vec<String> = self
            .source
            .components
            .iter()
            .map(|c| c.name.clone())
            .collect();
        for i in &self.history {
            for c in &i.incident.components {
                if !names.contains(&c.name) {
                    names.push(c.name.clone());
                }
            }
        }
        ProviderPage {
            source: &self.source,
            state: self.state(),
            uptime: self.uptime(),
            components: self.components(),
            history: self.history.iter().collect(),
            figures: self.figures(),
            filter,
            component_names: names,
            truncated: self.truncated,
        }
    }
}

/// Figures across providers over the last days.
pub(crate) struct Stats {
    pub figures: Figures,
    pub per_provider: Vec<ProviderFigures>,
    pub since: DateTime<Utc>,
    pub providers: usize,
}

impl Stats {
    pub(crate) async fn load(
        store: &dyn Store,
        days: i64,
        now: DateTime<Utc>,
    ) -> Result<Stats, ApiError> {
        let since = now - Duration::days(days);
        let sources = store.sources().await?;
        let rows = store
            .incidents(&IncidentQuery {
                since: Some(since),
                kind: Some(Kind::Incident),
                limit: Some(100_000),
                ..Default::default()
            })
            .await?;
        let figures = state::figures(rows.iter().map(|i| &i.incident), since, now);
        let mut by: HashMap<SourceId, (String, Vec<&statuswatch_model::Incident>)> = HashMap::new();
        for r in &rows {
            by.entry(r.source_id)
                .or_insert_with(|| (r.provider.clone(), Vec::new()))
                .1
                .push(&r.incident);
        }
        let mut per_provider: Vec<ProviderFigures> = by
            .into_iter()
            .map(|(id, (name, list))| {
                let f = state::figures(list, since, now);
                ProviderFigures {
                    source_id: id,
                    provider: name,
                    incidents: f.incidents,
                    impacted_minutes: f.impacted_minutes,
                    mean_time_to_resolve_minutes: f.mean_time_to_resolve_minutes,
                }
            })
            .collect();
        per_provider.sort_by(|a, b| {
            b.mean_time_to_resolve_minutes
                .cmp(&a.mean_time_to_resolve_minutes)
                .then_with(|| a.provider.cmp(&b.provider))
        });
        Ok(Stats {
            figures,
            per_provider,
            since,
            providers: sources.len(),
        })
    }

    /// The 20 slowest providers to resolve, for the chart.
    pub(crate) fn mttr_rows(&self) -> Vec<(String, f64, String)> {
        self.per_provider
            .iter()
            .filter_map(|p| {
                let m = p.mean_time_to_resolve_minutes?;
                Some((
                    p.provider.clone(),
                    m as f64,
                    statuswatch_view::words::format_duration(Duration::minutes(m)),
                ))
            })
            .take(20)
            .collect()
    }
}

// --- JSON shapes ----------------------------------------------------------

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

fn provider_view(s: &Source, st: PageState, open: usize) -> ProviderView {
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

fn figures_view(f: &Figures, since: DateTime<Utc>) -> FiguresView {
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

// --- Handlers -------------------------------------------------------------

/// Every watched provider with its state, worst first.
#[utoipa::path(get, path = "/api/v1/providers",
    responses((status = 200, description = "Providers, worst state first", body = [ProviderView])))]
pub(crate) async fn providers(State(app): State<App>) -> Result<Json<Vec<ProviderView>>, ApiError> {
    let now = Utc::now();
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
              (status = 404, description = "No such provider", body = crate::openapi::ErrorBody)))]
pub(crate) async fn provider(
    State(app): State<App>,
    Path(id): Path<String>,
) -> Result<Json<ProviderDetail>, ApiError> {
    let id: SourceId = id
        .parse()
        .map_err(|_| ApiError(StatusCode::NOT_FOUND, format!("provider {id} not found")))?;
    let now = Utc::now();
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
            .components()
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
              (status = 400, description = "A parameter is not understood", body = crate::openapi::ErrorBody)))]
pub(crate) async fn events(
    State(app): State<App>,
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
              (status = 400, description = "A parameter is not understood", body = crate::openapi::ErrorBody)))]
pub(crate) async fn stats(
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> Result<Json<StatsView>, ApiError> {
    let p: StatsParams = query(raw)?;
    let days = p.days.unwrap_or(90);
    if !(1..=366).contains(&days) {
        return Err(ApiError::bad_request("`days` must be between 1 and 366"));
    }
    let s = Stats::load(&*app.store, days, Utc::now()).await?;
    Ok(Json(StatsView {
        providers: s.providers,
        figures: figures_view(&s.figures, s.since),
        per_provider: s.per_provider,
    }))
}
