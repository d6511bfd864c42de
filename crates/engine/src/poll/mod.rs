//! One poll of one source: fetch every endpoint of its platform, parse what
//! changed, merge into what is stored, and apply state and events in one
//! transaction. A failed, garbled or suspiciously empty answer changes no
//! stored incident; it is recorded on the source's health only.

use crate::backoff::{early, exponential};
use crate::state::{body_hash, EndpointState, FetchState};
use crate::{Clock, EngineConfig, Router};
use chrono::{DateTime, Utc};
use statuswatch_fetch::{FetchError, Fetched, Fetcher};
use statuswatch_model::merge::{merge, Mode};
use statuswatch_model::Snapshot;
use statuswatch_notify::Subscription;
use statuswatch_sources::{combine, Context, Endpoint, Platform, Refresh};
use statuswatch_store::{
    Busy, FailureRecord, IncidentWrite, NewEvent, PollOutcome, PollRecord, Source, SourceId, Store,
    StoreError, StoredIncident,
};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;

mod merging;

/// How a poll went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The answer changed what is stored.
    Changed {
        /// Incidents seen for the first time.
        inserted: usize,
        /// Stored incidents that changed.
        updated: usize,
        /// Events recorded.
        events: usize,
    },
    /// The source answered well and nothing changed.
    Unchanged,
    /// The source failed (HTTP error, timeout, garbled answer).
    Failed(String),
    /// The answer was suddenly empty; held, not applied.
    Suspect(String),
}

impl Outcome {
    /// Whether the source answered well.
    pub fn is_ok(&self) -> bool {
        matches!(self, Outcome::Changed { .. } | Outcome::Unchanged)
    }
}

/// The result of one poll, for people and logs.
#[derive(Debug, Clone)]
pub struct PollReport {
    /// The source's id.
    pub source_id: SourceId,
    /// The source's name.
    pub source: String,
    /// How it went.
    pub outcome: Outcome,
    /// How long it took.
    pub elapsed: Duration,
}

impl fmt::Display for PollReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.elapsed.as_millis();
        match &self.outcome {
            Outcome::Changed {
                inserted,
                updated,
                events,
            } => write!(
                f,
                "{}: ok, {inserted} new, {updated} updated, {events} events ({ms} ms)",
                self.source
            ),
            Outcome::Unchanged => write!(f, "{}: ok, unchanged ({ms} ms)", self.source),
            Outcome::Failed(e) => write!(f, "{}: error: {e} ({ms} ms)", self.source),
            Outcome::Suspect(e) => write!(
                f,
                "{}: error: suspect answer held: {e} ({ms} ms)",
                self.source
            ),
        }
    }
}

struct Failure {
    suspect: bool,
    message: String,
    retry_after: Option<Duration>,
    /// The store itself is busy (held locked by another process, or its
    /// disk full): recording the failure would wait out the same state
    /// again, so it is only logged.
    store_busy: Option<Busy>,
}

impl Failure {
    fn error(message: String) -> Self {
        Failure {
            suspect: false,
            message,
            retry_after: None,
            store_busy: None,
        }
    }
}

/// More channels for an event of an incident, beside the routed ones.
pub type ExtraChannels<'a> = dyn Fn(statuswatch_model::EventKind, &statuswatch_model::Incident) -> Vec<String>
    + Send
    + Sync
    + 'a;

/// Polls sources. Cheap to share behind an `Arc`.
pub struct Poller {
    store: Arc<dyn Store>,
    fetcher: Arc<Fetcher>,
    clock: Arc<dyn Clock>,
    config: EngineConfig,
    router: Router,
    stats: Arc<crate::PollStats>,
    /// The same fetcher's handle for sources added on someone else's behalf:
    /// it refuses internal addresses, and shares the host pool.
    guarded: Fetcher,
    /// Polls that changed no incident, waiting to be written together
    /// (`None`: each is written at once).
    quiet: Option<std::sync::Mutex<Vec<PollRecord>>>,
}

/// The URL to request for `endpoint`: with the source's credentials when
/// it is on the source's own host and port (never sent to another), as
/// written otherwise. Messages name `endpoint`, which carries none.
fn with_credentials(
    endpoint: &Url,
    source: &Url,
    auth: Option<&statuswatch_store::Credentials>,
) -> Url {
    let mut out = endpoint.clone();
    let Some(auth) = auth else { return out };
    if endpoint.host_str() != source.host_str()
        || endpoint.port_or_known_default() != source.port_or_known_default()
    {
        return out;
    }
    let (user, pass) = match auth.0.split_once(':') {
        Some((u, p)) => (u, Some(p)),
        None => (auth.0.as_str(), None),
    };
    if out.set_username(user).is_err() || out.set_password(pass).is_err() {
        return endpoint.clone();
    }
    out
}

/// Warnings of one poll kept on the source's health.
const HEALTH_WARNINGS: usize = 5;

/// Quiet polls written in one transaction at most.
const QUIET_BATCH: usize = 512;

impl Poller {
    /// A poller over these dependencies.
    pub fn new(
        store: Arc<dyn Store>,
        fetcher: Arc<Fetcher>,
        clock: Arc<dyn Clock>,
        config: EngineConfig,
    ) -> Self {
        let guarded = fetcher.guarded();
        Poller {
            store,
            guarded,
            fetcher,
            clock,
            config,
            router: Router::default(),
            stats: Arc::default(),
            quiet: None,
        }
    }

    /// Writes the polls that changed no incident in batches, one transaction
    /// for many (the scheduler's mode: a quiet source then costs a row
    /// update, not a commit). Batches are written when full and at every
    /// [`Poller::flush`]; polls that changed an incident are written at once.
    pub fn batching_quiet_polls(mut self) -> Self {
        self.quiet = Some(std::sync::Mutex::new(Vec::new()));
        self
    }

    /// Writes the quiet polls waiting in the batch.
    pub async fn flush(&self) {
        let Some(quiet) = &self.quiet else { return };
        let batch = std::mem::take(&mut *quiet.lock().expect("quiet polls poisoned"));
        self.write_quiet(batch).await;
    }

    async fn write_quiet(&self, batch: Vec<PollRecord>) {
        if batch.is_empty() {
            return;
        }
        let n = batch.len();
        // A batch that cannot be written loses nothing that matters: its
        // sources stay leased and are polled again when the lease ends.
        if let Err(e) = self.store.apply_polls(batch).await {
            tracing::error!(polls = n, error = %e, "could not store a batch of unchanged polls");
        }
    }

    /// The memory one poll of this source is expected to take, in KiB: a
    /// base for the request and the task, and four times the bodies it
    /// should read (the body and what is parsed from it); a source never
    /// polled is assumed large.
    pub fn expected_kib(&self, source: &Source) -> u32 {
        const BASE: usize = 48 * 1024;
        let state = FetchState::load(&source.fetch_state);
        if !source.baselined || state.endpoints.is_empty() {
            return 2048;
        }
        let Ok(platform) = source.platform.parse::<Platform>() else {
            return (BASE / 1024) as u32;
        };
        let Ok(url) = Url::parse(&source.url) else {
            return (BASE / 1024) as u32;
        };
        let now = self.clock.now();
        let history_due = state
            .history_at
            .is_none_or(|at| now - at >= self.history_every(source));
        let bytes: usize = platform
            .endpoints(&url)
            .iter()
            .filter(|e| e.refresh == Refresh::EveryPoll || history_due)
            .map(|e| state.endpoints.get(e.url.as_str()).map_or(0, |s| s.bytes))
            .sum();
        ((BASE + 4 * bytes) / 1024) as u32
    }

    /// Routes every recorded event to the channels of these subscriptions: the
    /// outbox rows are written in the poll's transaction.
    pub fn with_subscriptions(mut self, subscriptions: Vec<Subscription>) -> Self {
        self.router = Router::new(subscriptions);
        self
    }

    /// The routing in use.
    pub fn router(&self) -> &Router {
        &self.router
    }

    /// The settings in use.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// The clock in use.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// This process's poll counters (for `/metrics`).
    pub fn stats(&self) -> Arc<crate::PollStats> {
        self.stats.clone()
    }

    /// The store in use.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Polls one source and records the result.
    pub async fn poll(&self, source: &Source) -> PollReport {
        let started = Instant::now();
        self.stats.start();
        let now = self.clock.now();
        let outcome = match self.poll_inner(source, now).await {
            Ok(o) => o,
            Err(f) => {
                let next = now + self.backoff(source.health.consecutive_failures, f.retry_after);
                let record = FailureRecord {
                    source_id: source.id,
                    at: now,
                    outcome: if f.suspect {
                        PollOutcome::Suspect
                    } else {
                        PollOutcome::Error
                    },
                    error: f.message.clone(),
                    next_poll_at: next,
                };
                if let Some(busy) = f.store_busy {
                    tracing::error!(source = %source.name, ?busy, "the store is busy (locked by another process, or full); this failure is not recorded on the source");
                } else if let Err(e) = self.store.record_failure(record).await {
                    tracing::error!(source = %source.name, error = %e, "could not record a failed poll");
                }
                if f.suspect {
                    Outcome::Suspect(f.message)
                } else {
                    Outcome::Failed(f.message)
                }
            }
        };
        match &outcome {
            Outcome::Failed(e) | Outcome::Suspect(e) => {
                tracing::warn!(source = %source.name, error = %e, "poll failed")
            }
            o => tracing::debug!(source = %source.name, outcome = ?o, "polled"),
        }
        let elapsed = started.elapsed();
        self.stats.end();
        self.stats.record(&outcome, elapsed);
        PollReport {
            source_id: source.id,
            source: source.name.clone(),
            outcome,
            elapsed,
        }
    }

    async fn poll_inner(&self, source: &Source, now: DateTime<Utc>) -> Result<Outcome, Failure> {
        let platform: Platform = source
            .platform
            .parse()
            .map_err(|e: statuswatch_sources::UnknownPlatform| Failure::error(e.to_string()))?;
        let url = Url::parse(&source.url)
            .map_err(|e| Failure::error(format!("bad source URL {}: {e}", source.url)))?;
        let mut state = FetchState::load(&source.fetch_state);
        let mut ctx = Context {
            now,
            groups: std::mem::take(&mut state.groups),
            chains: std::mem::take(&mut state.chains),
            zone: statuswatch_sources::zone_of(&url),
            names: std::mem::take(&mut state.names),
        };
        let fetcher: &Fetcher = if source.on_behalf {
            &self.guarded
        } else {
            &self.fetcher
        };
        let mut parts: Vec<Snapshot> = Vec::new();
        let mut warnings: Vec<String> = Vec::new();
        let mut visit = fetcher.visit();
        // Live answers first; a history only when one of them changed, on
        // the first poll, or when it is due for late edits and postmortems.
        let (live, history): (Vec<Endpoint>, Vec<Endpoint>) = platform
            .endpoints(&url)
            .into_iter()
            .partition(|e| e.refresh == Refresh::EveryPoll);
        let history_due = !source.baselined
            || state
                .history_at
                .is_none_or(|at| now - at >= self.history_every(source));
        let mut live_changed = false;
        for (endpoint, is_history) in live
            .iter()
            .map(|e| (e, false))
            .chain(history.iter().map(|e| (e, true)))
        {
            if is_history && !(live_changed || history_due) {
                continue;
            }
            if let Some(gap) = statuswatch_sources::min_request_interval(&endpoint.url, platform) {
                fetcher.set_min_interval(&endpoint.url, gap);
            }
            let key = endpoint.url.to_string();
            let prev = state.endpoints.get(&key).cloned().unwrap_or_default();
            let request_url = with_credentials(&endpoint.url, &url, source.auth.as_ref());
            let fetched = match visit.get(&request_url, &prev.validators()).await {
                Ok(f) => f,
                // A secondary endpoint that is gone (no history feed on this
                // page): a warning; what the others answer is stored, and the
                // next poll asks again.
                Err(FetchError::Status {
                    status: status @ (404 | 410),
                    ..
                }) if !endpoint.required => {
                    warnings.push(format!(
                        "{} answered {status}: this page has no {} (the rest is read)",
                        endpoint.url, endpoint.role.name
                    ));
                    continue;
                }
                Err(e) => {
                    return Err(Failure {
                        retry_after: e.retry_after(),
                        ..Failure::error(format!("{}: {e}", endpoint.url))
                    })
                }
            };
            let Fetched::Body {
                bytes, validators, ..
            } = fetched
            else {
                continue; // 304: nothing to parse
            };
            let hash = body_hash(&bytes);
            let mut next = EndpointState {
                etag: validators.etag,
                last_modified: validators.last_modified,
                hash: Some(hash),
                items: prev.items,
                bytes: bytes.len(),
            };
            if prev.hash == Some(hash) && source.baselined {
                state.endpoints.insert(key, next);
                continue;
            }
            if !is_history {
                live_changed = true;
            }
            let (parsed, back) = crate::parsing::parse_off_runtime(endpoint.role, bytes, ctx)
                .await
                .map_err(|e| Failure::error(format!("{}: {e}", endpoint.url)))?;
            ctx = back;
            let snapshot = parsed.map_err(|e| Failure::error(format!("{}: {e}", endpoint.url)))?;
            let items = snapshot.item_count();
            if items == 0 && prev.items > 0 && !self.empty_confirmed(source) {
                return Err(Failure {
                    suspect: true,
                    ..Failure::error(format!(
                        "{}: empty answer where the last one listed {} items",
                        endpoint.url, prev.items
                    ))
                });
            }
            for w in &snapshot.warnings {
                tracing::info!(source = %source.name, endpoint = %endpoint.url, warning = %w, "partly understood answer");
            }
            // What the answer held that was not read goes on the source's
            // health too, the first few of them.
            for w in snapshot.warnings.iter().take(HEALTH_WARNINGS) {
                let w: String = w.to_string().chars().take(300).collect();
                if warnings.len() < HEALTH_WARNINGS && !warnings.contains(&w) {
                    warnings.push(w);
                }
            }
            next.items = items;
            state.endpoints.insert(key, next);
            parts.push(snapshot);
        }
        drop(visit);
        if !history.is_empty() && (live_changed || history_due) {
            state.history_at = Some(now);
        }
        state.groups = ctx.groups;
        state.names = ctx.names;
        state.chains = ctx.chains;
        let parsed_any = !parts.is_empty();
        let snapshot = combine(parts);
        // An open incident's next update is awaited: sooner polls while the
        // answers read show one (an answer not read again keeps the flag).
        if parsed_any {
            state.open = snapshot
                .incidents
                .iter()
                .any(|i| i.kind == statuswatch_model::Kind::Incident && !i.status.is_terminal());
        }
        let next_in = if state.open {
            self.open_next_in()
        } else {
            self.next_in()
        };
        let writes = self
            .merge_all(source, &snapshot, now, &|_, _| Vec::new())
            .await
            .map_err(|e| Failure {
                store_busy: e.busy(),
                ..Failure::error(format!("could not read stored incidents: {e}"))
            })?;
        let (inserted, updated) = writes.iter().fold((0, 0), |(i, u), w| {
            if w.existing_id.is_some() {
                (i, u + 1)
            } else {
                (i + 1, u)
            }
        });
        let changed = !writes.is_empty();
        let record = PollRecord {
            source_id: source.id,
            at: now,
            outcome: if parsed_any {
                PollOutcome::Ok
            } else {
                PollOutcome::NotModified
            },
            provider: snapshot.provider,
            components: (!snapshot.components.is_empty()).then_some(snapshot.components),
            writes,
            item_count: Some(state.endpoints.values().map(|e| e.items as i64).sum()),
            fetch_state: state.save(),
            next_poll_at: now + next_in,
            warning: (!warnings.is_empty()).then(|| warnings.join("; ")),
        };
        if !changed {
            if let Some(quiet) = &self.quiet {
                let full = {
                    let mut q = quiet.lock().expect("quiet polls poisoned");
                    q.push(record);
                    (q.len() >= QUIET_BATCH).then(|| std::mem::take(&mut *q))
                };
                if let Some(batch) = full {
                    self.write_quiet(batch).await;
                }
                return Ok(Outcome::Unchanged);
            }
        }
        let applied = self.store.apply_poll(record).await.map_err(|e| Failure {
            store_busy: e.busy(),
            ..Failure::error(format!("could not store the poll: {e}"))
        })?;
        Ok(if changed {
            Outcome::Changed {
                inserted,
                updated,
                events: applied.events,
            }
        } else {
            Outcome::Unchanged
        })
    }

    /// How long a source's history may go unread while its live answer
    /// stays the same: [`EngineConfig::history_every`], less up to `jitter` of it, set by the
    /// source's id so that sources read their histories at different polls.
    fn history_every(&self, source: &Source) -> chrono::Duration {
        let base = self.config.history_every().as_millis() as f64;
        let spread = (source.id.unsigned_abs() % 1000) as f64 / 1000.0;
        let ms = base * (1.0 - self.config.jitter.clamp(0.0, 0.5) * spread);
        chrono::Duration::milliseconds(ms as i64)
    }

    /// Whether a suddenly empty answer has now been seen often enough in a row
    /// to be the page's real state.
    fn empty_confirmed(&self, source: &Source) -> bool {
        source.health.last_outcome == Some(PollOutcome::Suspect)
            && source.health.consecutive_failures + 1 >= self.config.empty_confirmations
    }

    /// The time to the next poll: the interval less up to `jitter` of it,
    /// so sources spread instead of aligning and no gap between two polls of a
    /// source exceeds the interval (but for the node's lag).
    fn next_in(&self) -> chrono::Duration {
        chrono::Duration::from_std(early(self.config.interval, self.config.jitter))
            .unwrap_or(chrono::Duration::seconds(60))
    }

    /// The time to the next poll of a source with an open incident:
    /// `open_interval` (at most `interval`), jittered the same way.
    fn open_next_in(&self) -> chrono::Duration {
        let every = self.config.open_interval.min(self.config.interval);
        chrono::Duration::from_std(early(every, self.config.jitter))
            .unwrap_or(chrono::Duration::seconds(15))
    }

    /// Exponential backoff with jitter after `failures` failures in a row,
    /// never shorter than what the server asked for.
    fn backoff(&self, failures: i64, retry_after: Option<Duration>) -> chrono::Duration {
        let wait = exponential(
            self.config.interval,
            failures,
            self.config.max_backoff,
            self.config.jitter,
        )
        .max(retry_after.unwrap_or_default());
        chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::seconds(60))
    }
}
