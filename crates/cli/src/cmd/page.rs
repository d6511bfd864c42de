//! `statuswatch page …`: status pages of one's own (CONTRACT.md, "Your own
//! status pages"). Every change is written by the engine like a vendor's
//! answer, so its events reach the outbox and the configured channels.

use crate::{db, table};
use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use statuswatch_engine::page as own;
use statuswatch_engine::{Poller, SystemClock};
use statuswatch_model::{
    Component, ComponentState, ComponentStatus, Impact, Incident, Kind, Snapshot, Status,
};
use statuswatch_store::{IncidentQuery, Page, Source, Store};
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `page`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Cmd,
}

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// Make a page, served at /status/<slug>.
    Add {
        /// Its address: lower-case letters, digits and dashes.
        slug: String,
        /// Its title (the provider name of its incidents).
        #[arg(long)]
        title: String,
    },
    /// Rename a page (its incidents carry the new name from then on).
    Set {
        slug: String,
        /// Its new title.
        #[arg(long)]
        title: String,
    },
    /// Delete a page with its components, incidents and their alerts.
    Remove {
        slug: String,
        /// Yes, delete it and its history.
        #[arg(long)]
        yes: bool,
    },
    /// The pages, with their components and open incidents.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// A page's components.
    Component {
        #[command(subcommand)]
        command: ComponentCmd,
    },
    /// A page's incidents.
    Incident {
        #[command(subcommand)]
        command: IncidentCmd,
    },
    /// A page's scheduled maintenances.
    Maintenance {
        #[command(subcommand)]
        command: MaintenanceCmd,
    },
    /// Watched vendors shown on a page, their state and incidents read live.
    External {
        #[command(subcommand)]
        command: ExternalCmd,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum ExternalCmd {
    /// Show a watched source on the page, whole or one of its components
    /// (`statuswatch components SOURCE` lists them).
    Add {
        slug: String,
        /// The watched source: its name or its vendor's.
        source: String,
        /// One of its components (default: the vendor as a whole).
        #[arg(long)]
        component: Option<String>,
        /// The name the page shows (default: "Vendor Component" or the vendor's name).
        #[arg(long)]
        label: Option<String>,
    },
    /// Take a watched vendor off the page, by the name it shows.
    Remove { slug: String, label: String },
}

#[derive(Debug, clap::Subcommand)]
pub enum ComponentCmd {
    /// Add a component (operational until an incident says otherwise).
    Add {
        slug: String,
        name: String,
        /// The group it is shown in.
        #[arg(long)]
        group: Option<String>,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum IncidentCmd {
    /// Open an incident; prints its id on the last line.
    Open {
        slug: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        message: String,
        /// investigating, identified or monitoring.
        #[arg(long, default_value = "investigating")]
        status: String,
        /// none, minor, major or critical.
        #[arg(long, default_value = "minor")]
        impact: String,
        /// An affected component (repeat for more).
        #[arg(long = "component")]
        components: Vec<String>,
    },
    /// Post an update: a new status, a message, a new impact.
    Update {
        slug: String,
        id: String,
        #[arg(long)]
        status: String,
        #[arg(long, default_value = "")]
        message: String,
        #[arg(long)]
        impact: Option<String>,
    },
    /// Publish the postmortem of a resolved incident.
    Postmortem {
        slug: String,
        id: String,
        #[arg(long)]
        message: String,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum MaintenanceCmd {
    /// Schedule a maintenance; prints its id on the last line.
    Add {
        slug: String,
        #[arg(long)]
        title: String,
        /// Start of the window (RFC 3339).
        #[arg(long)]
        from: String,
        /// End of the window (RFC 3339).
        #[arg(long)]
        until: String,
        #[arg(long, default_value = "")]
        message: String,
        /// An affected component (repeat for more).
        #[arg(long = "component")]
        components: Vec<String>,
    },
    /// Move a maintenance on: in_progress, verifying or completed.
    Update {
        slug: String,
        id: String,
        #[arg(long)]
        status: String,
        #[arg(long, default_value = "")]
        message: String,
    },
}

struct Ctx {
    store: Arc<dyn Store>,
    poller: Poller,
}

impl Ctx {
    async fn page(&self, slug: &str) -> Result<(Page, Source)> {
        let Some(page) = self.store.page(slug).await? else {
            let known: Vec<String> = self
                .store
                .pages()
                .await?
                .into_iter()
                .map(|p| p.slug)
                .collect();
            if known.is_empty() {
                bail!(
                    "no page `{slug}`; make one with `statuswatch page add {slug} --title TITLE`"
                );
            }
            bail!("no page `{slug}`; pages: {}", known.join(", "));
        };
        let source = self.store.source(page.source_id).await?;
        Ok((page, source))
    }

    async fn open_incidents(&self, source: &Source) -> Result<Vec<Incident>> {
        Ok(self
            .store
            .incidents(&IncidentQuery {
                source_id: Some(source.id),
                open_only: true,
                ..Default::default()
            })
            .await?
            .into_iter()
            .map(|s| s.incident)
            .collect())
    }

    async fn stored(&self, source: &Source, id: &str) -> Result<Incident> {
        self.store
            .incidents_by_vendor_ids(source.id, &[id.to_string()])
            .await?
            .into_iter()
            .next()
            .map(|s| s.incident)
            .with_context(|| format!("no incident or maintenance `{id}` on this page"))
    }

    /// Writes `changed` and the components as the open incidents leave them.
    async fn publish(&self, source: &Source, changed: Vec<Incident>) -> Result<()> {
        let mut open = self.open_incidents(source).await?;
        for c in &changed {
            open.retain(|o| o.vendor_id != c.vendor_id);
            if !c.status.is_terminal() {
                open.push(c.clone());
            }
        }
        let now = self.poller.clock().now();
        let components = own::component_states(&source.components, &open, now);
        let applied = self
            .poller
            .publish(
                source,
                Snapshot {
                    provider: source.provider.clone(),
                    components,
                    incidents: changed,
                    warnings: Vec::new(),
                },
            )
            .await
            .map_err(anyhow::Error::msg)?;
        if applied.events > 0 {
            eprintln!(
                "{} event(s) recorded, {} alert(s) queued",
                applied.events, applied.deliveries
            );
        }
        Ok(())
    }
}

/// The page's components named by `names` (by name, or `Group/Name`).
fn resolve(source: &Source, names: &[String]) -> Result<Vec<Component>> {
    names
        .iter()
        .map(|n| {
            let matches: Vec<&ComponentState> = source
                .components
                .iter()
                .filter(|c| {
                    c.name == *n
                        || c.group
                            .as_deref()
                            .is_some_and(|g| format!("{g}/{}", c.name) == *n)
                })
                .collect();
            match matches.as_slice() {
                [one] => Ok(Component {
                    name: one.name.clone(),
                    group: one.group.clone(),
                }),
                [] => {
                    let all: Vec<&str> = source.components.iter().map(|c| c.name.as_str()).collect();
                    if all.is_empty() {
                        bail!("no component `{n}`: the page has none yet (`statuswatch page component add`)")
                    }
                    bail!("no component `{n}`; the page's components: {}", all.join(", "))
                }
                _ => bail!("`{n}` names components in several groups; write it as Group/{n}"),
            }
        })
        .collect()
}

fn status(word: &str, allowed: &[Status]) -> Result<Status> {
    let words: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
    match Status::parse(word) {
        Some(s) if allowed.contains(&s) => Ok(s),
        _ => bail!("--status `{word}`: one of {}", words.join(", ")),
    }
}

fn impact(word: &str) -> Result<Impact> {
    match Impact::parse(word) {
        Some(i) if i != Impact::Maintenance => Ok(i),
        _ => bail!("--impact `{word}`: one of none, minor, major, critical"),
    }
}

fn time(flag: &str, s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .with_context(|| format!("--{flag} `{s}` is not an RFC 3339 time (2026-12-24T02:00:00Z)"))
}

pub async fn run(settings: &crate::config::Settings, args: Args) -> Result<ExitCode> {
    let store = db::open(settings.db.clone()).await?;
    let poller = Poller::new(
        store.clone(),
        super::fetcher(settings.fetch.clone())?,
        Arc::new(SystemClock),
        settings.engine.clone(),
    )
    .with_subscriptions(settings.subscriptions.clone());
    let ctx = Ctx { store, poller };
    // Milliseconds, as the page's API writes times: what is read back is
    // what was stored.
    let now = ctx.poller.clock().now();
    let now = DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now);
    match args.command {
        Cmd::Add { slug, title } => {
            if !own::valid_slug(&slug) {
                bail!("page slug `{slug}`: 1 to 64 lower-case letters, digits and dashes");
            }
            let title = title.trim();
            if title.is_empty() {
                bail!("--title is empty");
            }
            let page = ctx
                .store
                .add_page(&slug, title, now)
                .await
                .map_err(|e| match e {
                    statuswatch_store::StoreError::Conflict(_) => {
                        anyhow::anyhow!("page `{slug}` or a source named `{title}` exists already")
                    }
                    e => e.into(),
                })?;
            crate::out::outln!(
                "Added page {} (`{}`), served at /status/{}",
                page.title,
                page.slug,
                page.slug
            );
        }
        Cmd::Set { slug, title } => {
            let title = title.trim();
            if title.is_empty() {
                bail!("--title is empty");
            }
            ctx.store
                .rename_page(&slug, title)
                .await
                .map_err(|e| match e {
                    statuswatch_store::StoreError::NotFound(_) => {
                        anyhow::anyhow!("no page `{slug}` (statuswatch page list shows them)")
                    }
                    statuswatch_store::StoreError::Conflict(m) => anyhow::anyhow!(m),
                    e => e.into(),
                })?;
            crate::out::outln!("Renamed {slug} to {title}");
        }
        Cmd::Remove { slug, yes } => {
            let (page, source) = ctx.page(&slug).await?;
            let n = ctx
                .store
                .incidents(&IncidentQuery {
                    source_id: Some(source.id),
                    limit: Some(100_000),
                    ..Default::default()
                })
                .await?
                .len();
            if !yes {
                bail!(
                    "this deletes the page `{slug}` ({}) with its {} components and {n} incidents and maintenances; add --yes to do it",
                    page.title,
                    source.components.len()
                );
            }
            ctx.store.remove_source(source.id).await?;
            crate::out::outln!("Removed page {slug} and its {n} incidents and maintenances");
        }
        Cmd::External {
            command: ExternalCmd::Remove { slug, label },
        } => {
            ctx.page(&slug).await?;
            ctx.store
                .remove_page_external(&slug, &label)
                .await
                .map_err(|e| match e {
                    statuswatch_store::StoreError::NotFound(m) => anyhow::anyhow!(m),
                    e => e.into(),
                })?;
            crate::out::outln!("Took {label} off {slug}");
        }
        Cmd::List { json } => {
            let mut rows = Vec::new();
            for p in ctx.store.pages().await? {
                let source = ctx.store.source(p.source_id).await?;
                let open = ctx.open_incidents(&source).await?;
                let externals = ctx.store.page_externals(&p.slug).await?;
                rows.push((p, source, open, externals));
            }
            if json {
                let v: Vec<serde_json::Value> = rows
                    .iter()
                    .map(|(p, s, open, externals)| {
                        serde_json::json!({
                            "slug": p.slug,
                            "title": p.title,
                            "path": format!("/status/{}", p.slug),
                            "components": s.components.iter().map(|c| serde_json::json!({
                                "name": c.name, "group": c.group, "status": c.status,
                            })).collect::<Vec<_>>(),
                            "open": open.iter().map(|i| serde_json::json!({
                                "id": i.vendor_id, "title": i.title, "kind": i.kind.as_str(), "status": i.status.as_str(),
                            })).collect::<Vec<_>>(),
                            "externals": externals.iter().map(|e| serde_json::json!({
                                "label": e.label, "source_id": e.source_id, "component": e.component,
                            })).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                crate::out::outln!("{}", serde_json::to_string_pretty(&v)?);
            } else if rows.is_empty() {
                crate::out::outln!(
                    "No pages yet. Make one with `statuswatch page add <slug> --title TITLE`."
                );
            } else {
                let lines: Vec<Vec<String>> = rows
                    .iter()
                    .map(|(p, s, open, externals)| {
                        vec![
                            p.slug.clone(),
                            p.title.clone(),
                            s.components.len().to_string(),
                            externals.len().to_string(),
                            open.len().to_string(),
                            format!("/status/{}", p.slug),
                        ]
                    })
                    .collect();
                table::print(
                    &["SLUG", "TITLE", "COMPONENTS", "VENDORS", "OPEN", "PATH"],
                    &lines,
                );
            }
        }
        Cmd::Component {
            command: ComponentCmd::Add { slug, name, group },
        } => {
            let (_, mut source) = ctx.page(&slug).await?;
            let name = name.trim().to_string();
            let group = group
                .map(|g| g.trim().to_string())
                .filter(|g| !g.is_empty());
            if name.is_empty() {
                bail!("the component's name is empty");
            }
            if source
                .components
                .iter()
                .any(|c| c.name == name && c.group == group)
            {
                bail!("the page has a component `{name}` already");
            }
            source.components.push(ComponentState::new(
                name.clone(),
                group,
                "operational",
                ComponentStatus::Operational,
            ));
            ctx.publish(&source, Vec::new()).await?;
            crate::out::outln!("Added component {name} to {slug}");
        }
        Cmd::External {
            command:
                ExternalCmd::Add {
                    slug,
                    source,
                    component,
                    label,
                },
        } => {
            let (page, _) = ctx.page(&slug).await?;
            let sources = ctx.store.sources().await?;
            let q = source.trim();
            let hits: Vec<&Source> = sources
                .iter()
                .filter(|s| s.platform != statuswatch_store::PAGE_PLATFORM)
                .filter(|s| {
                    s.name.eq_ignore_ascii_case(q) || s.provider_name().eq_ignore_ascii_case(q)
                })
                .collect();
            let watched = match hits.as_slice() {
                [one] => *one,
                [] => bail!(
                    "no watched source named `{q}`; watched: {}",
                    sources
                        .iter()
                        .filter(|s| s.platform != statuswatch_store::PAGE_PLATFORM)
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => bail!("`{q}` names several sources; use the source's own name"),
            };
            let component = component
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty());
            if let Some(c) = &component {
                if !watched.components.iter().any(|k| &k.name == c) {
                    bail!(
                        "{} lists no component `{c}`; it lists: {}",
                        watched.name,
                        watched
                            .components
                            .iter()
                            .map(|k| k.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
            }
            let label = label
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| match &component {
                    Some(c) => format!("{} {c}", watched.provider_name()),
                    None => watched.provider_name().to_string(),
                });
            ctx.store
                .add_page_external(
                    &page.slug,
                    &statuswatch_store::PageExternal {
                        source_id: watched.id,
                        component,
                        label: label.clone(),
                    },
                )
                .await
                .map_err(|e| match e {
                    statuswatch_store::StoreError::Conflict(m) => anyhow::anyhow!(m),
                    e => e.into(),
                })?;
            crate::out::outln!("Added {label} to {slug}, read live from {}", watched.name);
        }
        Cmd::Incident { command } => {
            let (_, source) = match &command {
                IncidentCmd::Open { slug, .. }
                | IncidentCmd::Update { slug, .. }
                | IncidentCmd::Postmortem { slug, .. } => ctx.page(slug).await?,
            };
            let incident = match command {
                IncidentCmd::Open {
                    title,
                    message,
                    status: s,
                    impact: i,
                    components,
                    ..
                } => {
                    let s = status(
                        &s,
                        &[
                            Status::Investigating,
                            Status::Identified,
                            Status::Monitoring,
                        ],
                    )?;
                    let components = resolve(&source, &components)?;
                    own::open_incident(&title, &message, s, impact(&i)?, components, now)
                }
                IncidentCmd::Update {
                    id,
                    status: s,
                    message,
                    impact: i,
                    ..
                } => {
                    let stored = ctx.stored(&source, &id).await?;
                    if stored.kind != Kind::Incident {
                        bail!("`{id}` is a maintenance: `statuswatch page maintenance update`");
                    }
                    let s = status(
                        &s,
                        &[
                            Status::Investigating,
                            Status::Identified,
                            Status::Monitoring,
                            Status::Resolved,
                        ],
                    )?;
                    let i = i.as_deref().map(impact).transpose()?;
                    own::advance(&stored, s, &message, i, now)
                }
                IncidentCmd::Postmortem { id, message, .. } => {
                    let stored = ctx.stored(&source, &id).await?;
                    if stored.kind != Kind::Incident {
                        bail!("`{id}` is a maintenance; postmortems are for incidents");
                    }
                    if !matches!(stored.status, Status::Resolved | Status::Postmortem) {
                        bail!(
                            "`{id}` is {}: resolve it before its postmortem",
                            stored.status.as_str()
                        );
                    }
                    own::advance(&stored, Status::Postmortem, &message, None, now)
                }
            };
            let id = incident.vendor_id.clone();
            let summary = format!("{}: {}", incident.title, incident.status.as_str());
            ctx.publish(&source, vec![incident]).await?;
            crate::out::outln!("{summary}");
            crate::out::outln!("{id}");
        }
        Cmd::Maintenance { command } => {
            let (_, source) = match &command {
                MaintenanceCmd::Add { slug, .. } | MaintenanceCmd::Update { slug, .. } => {
                    ctx.page(slug).await?
                }
            };
            let m = match command {
                MaintenanceCmd::Add {
                    title,
                    from,
                    until,
                    message,
                    components,
                    ..
                } => {
                    let (from, until) = (time("from", &from)?, time("until", &until)?);
                    if until <= from {
                        bail!("--until must be after --from");
                    }
                    let components = resolve(&source, &components)?;
                    own::schedule_maintenance(&title, &message, from, until, components, now)
                }
                MaintenanceCmd::Update {
                    id,
                    status: s,
                    message,
                    ..
                } => {
                    let stored = ctx.stored(&source, &id).await?;
                    if stored.kind != Kind::Maintenance {
                        bail!("`{id}` is an incident: `statuswatch page incident update`");
                    }
                    let s = status(
                        &s,
                        &[Status::InProgress, Status::Verifying, Status::Completed],
                    )?;
                    own::advance(&stored, s, &message, None, now)
                }
            };
            let id = m.vendor_id.clone();
            let summary = format!("{}: {}", m.title, m.status.as_str());
            ctx.publish(&source, vec![m]).await?;
            crate::out::outln!("{summary}");
            crate::out::outln!("{id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
