//! Loading what the dashboard, provider pages and stats show, once for both
//! the pages and the JSON API.

use crate::api::stats::ProviderFigures;
use crate::error::ApiError;
use crate::pages::provider::{HistoryFilter, ProviderPage};
use crate::pages::ProviderRow;
use crate::state::{self, Figures, State as PageState, Uptime};
use chrono::{DateTime, Duration, Utc};
use statuswatch_model::{Impact, Kind, Status};
use statuswatch_store::{IncidentQuery, Source, SourceId, SourceQuery, Store, StoredIncident};
use std::collections::HashMap;

/// Every source but those behind private pages (which only their
/// `/status/<slug>` serves, to who holds the key).
pub(crate) async fn public_sources(store: &dyn Store) -> Result<Vec<Source>, ApiError> {
    let private = store.private_sources().await?;
    let mut sources = store.sources().await?;
    if !private.is_empty() {
        sources.retain(|s| !private.contains(&s.id));
    }
    Ok(sources)
}

/// One source, unless it is behind a private page (then: not found).
pub(crate) async fn public_source(store: &dyn Store, id: SourceId) -> Result<Source, ApiError> {
    if store.private_sources().await?.contains(&id) {
        return Err(statuswatch_store::StoreError::NotFound(format!("source {id}")).into());
    }
    Ok(store.source(id).await?)
}

/// One incident, unless it is on a private page (then: not found).
pub(crate) async fn public_incident(
    store: &dyn Store,
    id: &str,
) -> Result<StoredIncident, statuswatch_store::StoreError> {
    let s = store.incident(id).await?;
    if store.private_sources().await?.contains(&s.source_id) {
        return Err(statuswatch_store::StoreError::NotFound(format!(
            "incident {id}"
        )));
    }
    Ok(s)
}

/// Every source and every open incident or maintenance.
pub(crate) struct Overview {
    pub sources: Vec<Source>,
    pub open: Vec<StoredIncident>,
}

impl Overview {
    pub(crate) async fn load(store: &dyn Store) -> Result<Overview, ApiError> {
        let sources = public_sources(store).await?;
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
}

/// Providers listed on one page of the dashboard.
pub(crate) const PAGE: u32 = 100;
/// Sources needing attention read for the dashboard at most.
const ATTENTION: u32 = 5000;

/// What the dashboard shows, read in a few bounded queries whatever the
/// number of sources: counts by state from [`Store::source_groups`], the
/// sources needing attention (open incidents, components not operational,
/// failing or warned), the open incidents, one page of providers, the nodes.
pub(crate) struct Dashboard {
    /// Sources in all.
    pub total: i64,
    /// Sources by state: outage, degraded, maintenance, operational, unknown.
    pub counts: HashMap<PageState, i64>,
    /// Sources whose last poll failed.
    pub failing: i64,
    /// Sources whose last good poll left a warning.
    pub warned: i64,
    /// Sources needing attention (at most 5,000).
    pub attention: Vec<Source>,
    /// Open incidents and maintenances.
    pub open: Vec<StoredIncident>,
    /// One page of providers by name (all of them when they fit on one).
    pub listing: Vec<Source>,
    /// How many match the listing's search.
    pub listed: i64,
    /// The page shown (from 0).
    pub page: u32,
    /// The listing's search.
    pub search: String,
    /// The nodes seen lately.
    pub nodes: Vec<statuswatch_store::NodeBeat>,
}

impl Dashboard {
    pub(crate) async fn load(
        store: &dyn Store,
        page: u32,
        search: &str,
        now: DateTime<Utc>,
    ) -> Result<Dashboard, ApiError> {
        let groups = store.source_groups().await?;
        let (attention, _) = store
            .find_sources(&SourceQuery {
                attention: true,
                limit: ATTENTION,
                ..Default::default()
            })
            .await?;
        let open = store
            .incidents(&IncidentQuery {
                open_only: true,
                limit: Some(5000),
                ..Default::default()
            })
            .await?;
        let (listing, listed) = store
            .find_sources(&SourceQuery {
                search: Some(search.to_string()).filter(|s| !s.trim().is_empty()),
                offset: page.saturating_mul(PAGE),
                limit: PAGE,
                ..Default::default()
            })
            .await?;
        let nodes = store.nodes().await?;
        let mut d = Dashboard {
            total: groups.iter().map(|g| g.count).sum(),
            counts: HashMap::new(),
            failing: groups.iter().filter(|g| g.failing).map(|g| g.count).sum(),
            warned: groups.iter().filter(|g| g.warned).map(|g| g.count).sum(),
            attention,
            open,
            listing,
            listed,
            page,
            search: search.to_string(),
            nodes,
        };
        // Sources with something open: their exact state, from their rows.
        let open_ids: std::collections::HashSet<SourceId> =
            d.open.iter().map(|i| i.source_id).collect();
        let mut counts: HashMap<PageState, i64> = HashMap::new();
        let by_source = d.open_by_source();
        for s in d.attention.iter().filter(|s| open_ids.contains(&s.id)) {
            let st = state::provider_state(s, by_source.get(&s.id).map_or(&[][..], |v| v), now);
            *counts.entry(st).or_default() += 1;
        }
        drop(by_source);
        d.counts = counts;
        // The rest: their components' worst state, counted by the store.
        for g in groups.iter().filter(|g| !g.open) {
            let st = if !g.known {
                PageState::Unknown
            } else {
                match g.component_state.map(state::component_state) {
                    Some(PageState::Unknown) | None => PageState::Operational,
                    Some(st) => st,
                }
            };
            *d.counts.entry(st).or_default() += g.count;
        }
        Ok(d)
    }

    /// Open incidents and maintenances by source.
    pub(crate) fn open_by_source(&self) -> HashMap<SourceId, Vec<&StoredIncident>> {
        let mut by: HashMap<SourceId, Vec<&StoredIncident>> = HashMap::new();
        for i in &self.open {
            by.entry(i.source_id).or_default().push(i);
        }
        by
    }

    /// Rows for these sources, worst first, then by name.
    pub(crate) fn rows<'a>(
        &'a self,
        sources: &'a [Source],
        now: DateTime<Utc>,
    ) -> Vec<ProviderRow<'a>> {
        let mut rows = self.rows_in_order(sources, now);
        rows.sort_by_cached_key(|r| (r.state, r.source.provider_name().to_lowercase()));
        rows
    }

    /// Rows in the order of `sources` (the store lists them by name).
    pub(crate) fn rows_in_order<'a>(
        &'a self,
        sources: &'a [Source],
        now: DateTime<Utc>,
    ) -> Vec<ProviderRow<'a>> {
        let by = self.open_by_source();
        sources
            .iter()
            .map(|s| {
                let open = by.get(&s.id).cloned().unwrap_or_default();
                ProviderRow {
                    state: state::provider_state(s, &open, now),
                    source: s,
                    open,
                }
            })
            .collect()
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

/// Components a provider's page shows with their 90 days at once; the rest
/// are on its next pages (`?components_page=2`).
pub(crate) const COMPONENTS_PER_PAGE: usize = 100;

pub(crate) fn date(field: &str, v: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
    crate::params::parse_time(field, Some(v))
}

impl ProviderData {
    pub(crate) async fn load(
        store: &dyn Store,
        id: SourceId,
        filter: &HistoryFilter,
        now: DateTime<Utc>,
    ) -> Result<ProviderData, ApiError> {
        let source = public_source(store, id).await?;
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

    pub(crate) fn state(&self) -> PageState {
        let refs: Vec<&StoredIncident> = self.open.iter().collect();
        state::provider_state(&self.source, &refs, self.now)
    }

    /// Incidents of the last 90 days and the open ones, each once.
    pub(crate) fn window(&self) -> Vec<&statuswatch_model::Incident> {
        let mut seen = std::collections::HashSet::new();
        self.recent
            .iter()
            .chain(&self.open)
            .filter(|i| seen.insert(i.id.as_str()))
            .map(|i| &i.incident)
            .collect()
    }

    pub(crate) fn uptime(&self) -> Uptime {
        state::uptime(self.window(), 90, self.now)
    }

    /// The components in `range` of the source's list, each with its state
    /// and 90 days. The incidents naming each are found through one index of
    /// the window (by component and by group), so the cost is the page's
    /// components and the window's incidents, not their product.
    pub(crate) fn components(
        &self,
        range: std::ops::Range<usize>,
    ) -> Vec<(String, Option<String>, PageState, Uptime)> {
        let window = self.window();
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (k, i) in window.iter().enumerate() {
            for x in &i.components {
                by_name.entry(x.name.as_str()).or_default().push(k);
                if let Some(g) = x.group.as_deref() {
                    by_name.entry(g).or_default().push(k);
                }
            }
        }
        let all = &self.source.components;
        let range = range.start.min(all.len())..range.end.min(all.len());
        all[range]
            .iter()
            .map(|c| {
                let mut mine: Vec<usize> =
                    by_name.get(c.name.as_str()).cloned().unwrap_or_default();
                mine.sort_unstable();
                mine.dedup();
                (
                    c.name.clone(),
                    c.group.clone(),
                    state::component_state(c.state),
                    state::uptime(mine.iter().map(|&k| window[k]), 90, self.now),
                )
            })
            .collect()
    }

    pub(crate) fn figures(&self) -> Figures {
        state::figures(
            self.history.iter().map(|i| &i.incident),
            self.since,
            self.now,
        )
    }

    pub(crate) fn page(&self, filter: HistoryFilter) -> ProviderPage<'_> {
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let names: Vec<String> = self
            .source
            .components
            .iter()
            .map(|c| c.name.as_str())
            .chain(
                self.history
                    .iter()
                    .flat_map(|i| i.incident.components.iter().map(|c| c.name.as_str())),
            )
            .filter(|n| seen.insert(n))
            .map(str::to_string)
            .collect();
        let pages = self
            .source
            .components
            .len()
            .div_ceil(COMPONENTS_PER_PAGE)
            .max(1);
        let components_page = filter.components_page.clamp(1, pages);
        let from = (components_page - 1) * COMPONENTS_PER_PAGE;
        ProviderPage {
            source: &self.source,
            state: self.state(),
            uptime: self.uptime(),
            components: self.components(from..from + COMPONENTS_PER_PAGE),
            components_page,
            components_pages: pages,
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
        let sources = public_sources(store).await?;
        let rows = store.incident_spans(since, 100_000).await?;
        let figures = state::figures(&rows, since, now);
        let mut by: HashMap<SourceId, (String, Vec<&statuswatch_store::IncidentSpan>)> =
            HashMap::new();
        for r in &rows {
            by.entry(r.source_id)
                .or_insert_with(|| (r.provider.clone(), Vec::new()))
                .1
                .push(r);
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
