//! `statuswatch show ID`: one stored incident for people.

use crate::db;
use anyhow::Result;
use chrono::{DateTime, Utc};
use statuswatch_store::{StoreError, StoredIncident};
use statuswatch_view::words::{detection_note, duration_of, format_duration, summary};
use statuswatch_view::IncidentView;
use std::process::ExitCode;

/// Arguments of `show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The incident's id (see `statuswatch incidents`).
    pub id: String,
    /// Print the incident model as JSON.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(settings: &crate::config::Settings, args: Args) -> Result<ExitCode> {
    let store = db::open(settings.db.clone()).await?;
    let s = match store.incident(&args.id).await {
        Ok(s) => s,
        Err(StoreError::NotFound(_)) => {
            anyhow::bail!(
                "no incident with id `{}` (see `statuswatch incidents`)",
                args.id
            )
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        crate::out::outln!("{}", serde_json::to_string_pretty(&IncidentView::from(&s))?);
    } else {
        crate::out::outln!("{}", render(&s, super::now(), true));
    }
    Ok(ExitCode::SUCCESS)
}

/// The terminal view: title, provider, impact and status, the summary, times,
/// components and the timeline. `detected` adds when statuswatch saw it.
pub fn render(s: &StoredIncident, now: DateTime<Utc>, detected: bool) -> String {
    let v = IncidentView::from(s);
    let i = &s.incident;
    let fmt = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    let mut out = vec![
        v.title.clone(),
        format!(
            "{} · {} · {}",
            if v.provider.is_empty() {
                "(provider not stated)"
            } else {
                &v.provider
            },
            v.impact.map(|x| x.as_str()).unwrap_or("impact not stated"),
            v.status
        ),
        String::new(),
        summary(&v.provider, i, now),
        String::new(),
        format!(
            "started:   {}",
            v.started_at
                .map_or_else(|| "not stated by the vendor".into(), fmt)
        ),
    ];
    if let Some(r) = v.resolved_at {
        out.push(format!("resolved:  {}", fmt(r)));
    }
    if let Some(d) = duration_of(i, now) {
        let word = if v.resolved_at.is_some() {
            "duration: "
        } else {
            "ongoing:  "
        };
        out.push(format!("{word} {}", format_duration(d)));
    }
    if let (Some(a), Some(b)) = (v.scheduled_for, v.scheduled_until) {
        out.push(format!("window:    {} to {}", fmt(a), fmt(b)));
    }
    if detected {
        out.push(format!("detected:  {}", detection_note(i, s.detected_at)));
    }
    if let Some(u) = &v.url {
        out.push(format!("vendor:    {u}"));
    }
    if !v.components.is_empty() {
        let names: Vec<String> = v
            .components
            .iter()
            .map(|c| match &c.group {
                Some(g) => format!("{} ({g})", c.name),
                None => c.name.clone(),
            })
            .collect();
        out.push(format!("affects:   {}", names.join(", ")));
    }
    for u in &v.updates {
        out.push(String::new());
        out.push(format!(
            "{} — {}",
            u.label,
            u.at.map(fmt).unwrap_or_else(|| "undated".into())
        ));
        out.push(u.body.clone());
    }
    out.join("\n")
}
