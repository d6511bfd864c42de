//! `/metrics` in the Prometheus text format, read from the store at scrape
//! time. Sources are aggregated (by platform, by component state, failing,
//! warned, never read) whatever their number; the per-source series
//! (`statuswatch_source_up`, ...) come only while there are at most
//! [`App::metrics_per_source`] sources, or when asked with `?per_source=true`.
//! Every node's heartbeat is a series too, so any node's `/metrics` shows
//! the fleet.

use crate::error::ApiError;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use statuswatch_store::{Counts, DeliveryStatus, NodeBeat, Source, SourceGroup};
use std::collections::BTreeMap;
use std::fmt::Write;

fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn family(out: &mut String, name: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
}

/// What one scrape shows.
pub struct Scrape<'a> {
    /// Sources counted by group.
    pub groups: &'a [SourceGroup],
    /// Every source, when per-source series are shown.
    pub sources: Option<&'a [Source]>,
    /// Incident and outbox counts.
    pub counts: &'a Counts,
    /// The nodes seen lately.
    pub nodes: &'a [NodeBeat],
    /// Now.
    pub now: chrono::DateTime<chrono::Utc>,
}

/// The exposition text.
pub fn render(s: &Scrape) -> String {
    let mut out = String::new();
    let sum = |f: &dyn Fn(&SourceGroup) -> bool| -> i64 {
        s.groups.iter().filter(|g| f(g)).map(|g| g.count).sum()
    };
    family(&mut out, "statuswatch_sources", "Watched sources.");
    let _ = writeln!(out, "statuswatch_sources {}", sum(&|_| true));
    let mut platforms: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for g in s.groups {
        let e = platforms.entry(g.platform.as_str()).or_default();
        e.0 += g.count;
        if g.failing {
            e.1 += g.count;
        }
    }
    family(
        &mut out,
        "statuswatch_sources_by_platform",
        "Watched sources by platform.",
    );
    for (p, (n, _)) in &platforms {
        let _ = writeln!(
            out,
            "statuswatch_sources_by_platform{{platform=\"{}\"}} {n}",
            label(p)
        );
    }
    family(
        &mut out,
        "statuswatch_sources_failing",
        "Sources whose last poll failed or was held as suspect, by platform.",
    );
    for (p, (_, f)) in &platforms {
        let _ = writeln!(
            out,
            "statuswatch_sources_failing{{platform=\"{}\"}} {f}",
            label(p)
        );
    }
    family(
        &mut out,
        "statuswatch_sources_with_warnings",
        "Sources whose last good poll could not read a secondary endpoint (it answered 404 or 410).",
    );
    let _ = writeln!(
        out,
        "statuswatch_sources_with_warnings {}",
        sum(&|g| g.warned)
    );
    family(
        &mut out,
        "statuswatch_sources_unread",
        "Sources never read successfully yet.",
    );
    let _ = writeln!(out, "statuswatch_sources_unread {}", sum(&|g| !g.known));
    family(&mut out, "statuswatch_sources_paused", "Sources paused.");
    let _ = writeln!(out, "statuswatch_sources_paused {}", sum(&|g| g.paused));
    family(
        &mut out,
        "statuswatch_sources_with_open_incidents",
        "Sources with an incident or maintenance not over.",
    );
    let _ = writeln!(
        out,
        "statuswatch_sources_with_open_incidents {}",
        sum(&|g| g.open)
    );
    family(
        &mut out,
        "statuswatch_sources_by_component_state",
        "Sources by the worst known state of their components (none: they list none).",
    );
    let mut by_state: BTreeMap<&str, i64> = BTreeMap::new();
    for g in s.groups {
        *by_state
            .entry(g.component_state.map_or("none", |c| c.as_str()))
            .or_default() += g.count;
    }
    for (st, n) in &by_state {
        let _ = writeln!(
            out,
            "statuswatch_sources_by_component_state{{state=\"{st}\"}} {n}"
        );
    }
    if let Some(sources) = s.sources {
        per_source(&mut out, sources);
    }
    family(
        &mut out,
        "statuswatch_incidents",
        "Incidents and maintenances stored.",
    );
    let _ = writeln!(out, "statuswatch_incidents {}", s.counts.incidents);
    family(
        &mut out,
        "statuswatch_incidents_open",
        "Incidents and maintenances not over.",
    );
    let _ = writeln!(
        out,
        "statuswatch_incidents_open {}",
        s.counts.open_incidents
    );
    family(
        &mut out,
        "statuswatch_outbox_deliveries",
        "Alert deliveries by status (pending is the outbox depth).",
    );
    for status in DeliveryStatus::ALL {
        let n = s
            .counts
            .deliveries
            .iter()
            .find(|(st, _)| *st == status)
            .map_or(0, |(_, n)| *n);
        let _ = writeln!(
            out,
            "statuswatch_outbox_deliveries{{status=\"{status}\"}} {n}"
        );
    }
    nodes(&mut out, s.nodes, s.now);
    out
}

fn per_source(out: &mut String, sources: &[Source]) {
    family(
        out,
        "statuswatch_source_up",
        "1 when the source's last poll answered well, 0 when it failed or was held as suspect.",
    );
    for s in sources {
        let up = s.health.last_outcome.is_some_and(|o| o.is_up());
        let _ = writeln!(
            out,
            "statuswatch_source_up{{source=\"{}\",platform=\"{}\"}} {}",
            label(&s.name),
            label(&s.platform),
            u8::from(up)
        );
    }
    family(
        out,
        "statuswatch_source_consecutive_failures",
        "Failed or suspect polls in a row.",
    );
    for s in sources {
        let _ = writeln!(
            out,
            "statuswatch_source_consecutive_failures{{source=\"{}\"}} {}",
            label(&s.name),
            s.health.consecutive_failures
        );
    }
    family(
        out,
        "statuswatch_source_last_poll_timestamp_seconds",
        "When the source was last polled.",
    );
    for s in sources {
        if let Some(t) = s.health.last_poll_at {
            let _ = writeln!(
                out,
                "statuswatch_source_last_poll_timestamp_seconds{{source=\"{}\"}} {}",
                label(&s.name),
                t.timestamp()
            );
        }
    }
}

fn nodes(out: &mut String, nodes: &[NodeBeat], now: chrono::DateTime<chrono::Utc>) {
    family(
        out,
        "statuswatch_node_up",
        "1 while a serve node's heartbeat is fresh (three beats), 0 after.",
    );
    for n in nodes {
        let _ = writeln!(
            out,
            "statuswatch_node_up{{node=\"{}\",host=\"{}\"}} {}",
            label(&n.id),
            label(&n.host),
            u8::from(statuswatch_engine::is_up(n.seen_at, now))
        );
    }
    family(
        out,
        "statuswatch_node_polls",
        "Polls a node made since it started, as of its last heartbeat.",
    );
    for n in nodes {
        let _ = writeln!(
            out,
            "statuswatch_node_polls{{node=\"{}\"}} {}",
            label(&n.id),
            n.polls
        );
    }
    family(
        out,
        "statuswatch_node_poll_lag_seconds",
        "A node's largest poll lag of the last minute, as of its last heartbeat.",
    );
    for n in nodes {
        let _ = writeln!(
            out,
            "statuswatch_node_poll_lag_seconds{{node=\"{}\"}} {}",
            label(&n.id),
            n.lag_ms as f64 / 1000.0
        );
    }
}

#[derive(Debug, Default, Deserialize)]
struct Params {
    #[serde(default)]
    per_source: bool,
}

pub(crate) async fn handler(
    State(app): State<crate::Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let p: Params = crate::params::query(raw)?;
    let groups = app.store.source_groups().await?;
    let total: i64 = groups.iter().map(|g| g.count).sum();
    let sources = if p.per_source || total <= app.metrics_per_source as i64 {
        Some(crate::loaders::public_sources(&*app.store).await?)
    } else {
        None
    };
    let counts = app.store.counts().await?;
    let nodes = app.store.nodes().await?;
    let mut text = render(&Scrape {
        groups: &groups,
        sources: sources.as_deref(),
        counts: &counts,
        nodes: &nodes,
        now: app.now(),
    });
    if let Some(more) = &app.extra_metrics {
        text.push_str(&more());
    }
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}
