//! `/metrics` in the Prometheus text format, read from the store at scrape time.

use crate::error::ApiError;
use crate::App;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use statuswatch_store::{Counts, DeliveryStatus, Source};
use std::fmt::Write;

fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn family(out: &mut String, name: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
}

/// The exposition text for these sources and counts.
pub fn render(sources: &[Source], counts: &Counts) -> String {
    let mut out = String::new();
    family(&mut out, "statuswatch_sources", "Watched sources.");
    let _ = writeln!(out, "statuswatch_sources {}", sources.len());
    family(
        &mut out,
        "statuswatch_sources_with_warnings",
        "Sources whose last good poll could not read a secondary endpoint (it answered 404 or 410).",
    );
    let _ = writeln!(
        out,
        "statuswatch_sources_with_warnings {}",
        sources
            .iter()
            .filter(|s| s.health.warning.is_some())
            .count()
    );
    family(
        &mut out,
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
        &mut out,
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
        &mut out,
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
    family(
        &mut out,
        "statuswatch_incidents",
        "Incidents and maintenances stored.",
    );
    let _ = writeln!(out, "statuswatch_incidents {}", counts.incidents);
    family(
        &mut out,
        "statuswatch_incidents_open",
        "Incidents and maintenances not over.",
    );
    let _ = writeln!(out, "statuswatch_incidents_open {}", counts.open_incidents);
    family(
        &mut out,
        "statuswatch_outbox_deliveries",
        "Alert deliveries by status (pending is the outbox depth).",
    );
    for status in DeliveryStatus::ALL {
        let n = counts
            .deliveries
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n);
        let _ = writeln!(
            out,
            "statuswatch_outbox_deliveries{{status=\"{status}\"}} {n}"
        );
    }
    out
}

pub(crate) async fn handler(State(app): State<App>) -> Result<Response, ApiError> {
    let sources = app.store.sources().await?;
    let counts = app.store.counts().await?;
    let mut text = render(&sources, &counts);
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
