//! `statuswatch page …`: status pages of one's own (CONTRACT.md, "Your own
//! status pages"). Every change is written by the engine like a vendor's
//! answer, so its events reach the outbox and the configured channels.

use crate::{db, table};
use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use statuswatch_engine::{Poller, SystemClock};
use statuswatch_pages::{Access, NewIncident, NewMaintenance, PageAdmin, PageChange};
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
    /// Change a page: its title, who may read it, its logo and colour.
    Set {
        slug: String,
        /// Its new title (its incidents carry the new name from then on).
        #[arg(long)]
        title: Option<String>,
        /// Make it private with a new random key (printed once); readers
        /// open /status/<slug>?key=KEY, or type it into the page's form.
        #[arg(long, conflicts_with_all = ["key", "public"])]
        private: bool,
        /// Make it private with this key or password (8 characters or more);
        /// `-` reads it from standard input (kept out of shell history).
        #[arg(long, conflicts_with = "public")]
        key: Option<String>,
        /// Make it public again.
        #[arg(long)]
        public: bool,
        /// Its logo: an http(s) address or a path on this server ("" clears).
        #[arg(long)]
        logo: Option<String>,
        /// Its accent colour, #rrggbb ("" clears).
        #[arg(long)]
        accent: Option<String>,
    },
    /// A page's email subscribers, pending and confirmed.
    Subscribers {
        slug: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
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
    /// Take a component off the page (its past incidents keep naming it).
    Remove {
        slug: String,
        /// Its name, or Group/Name.
        name: String,
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

fn time(flag: &str, s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .with_context(|| format!("--{flag} `{s}` is not an RFC 3339 time (2026-12-24T02:00:00Z)"))
}

/// The incident's summary line, then its id on the last line.
fn print_incident(i: &statuswatch_model::Incident) {
    crate::out::outln!("{}: {}", i.title, i.status.as_str());
    crate::out::outln!("{}", i.vendor_id);
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
    let pages = PageAdmin::new(Arc::new(poller));
    match args.command {
        Cmd::Add { slug, title } => {
            let page = pages.add(&slug, &title).await?;
            crate::out::outln!(
                "Added page {} (`{}`), served at /status/{}",
                page.title,
                page.slug,
                page.slug
            );
        }
        Cmd::Set {
            slug,
            title,
            private,
            key,
            public,
            logo,
            accent,
        } => {
            if title.is_none()
                && !private
                && key.is_none()
                && !public
                && logo.is_none()
                && accent.is_none()
            {
                bail!(
                    "nothing to set: give --title, --private, --key, --public, --logo or --accent"
                );
            }
            let access = if public {
                Access::Public
            } else if private {
                Access::Private(None)
            } else {
                match key.as_deref() {
                    Some("-") => {
                        let mut line = String::new();
                        std::io::BufRead::read_line(
                            &mut std::io::BufReader::new(std::io::Read::take(
                                std::io::stdin(),
                                crate::input::LINE_LIMIT,
                            )),
                            &mut line,
                        )
                        .context("reading the key from standard input")?;
                        let line = line.trim_end_matches(['\r', '\n']).to_string();
                        if line.is_empty() {
                            bail!("--key -: standard input gave no key");
                        }
                        Access::Private(Some(line))
                    }
                    Some(k) => Access::Private(Some(k.to_string())),
                    None => Access::Keep,
                }
            };
            let made = pages
                .change(
                    &slug,
                    &PageChange {
                        title: title.clone(),
                        logo: logo.clone(),
                        accent: accent.clone(),
                        access: access.clone(),
                    },
                )
                .await?;
            if let Some(title) = &title {
                crate::out::outln!("Renamed {slug} to {}", title.trim());
            }
            if logo.is_some() || accent.is_some() {
                crate::out::outln!("Set the look of {slug}");
            }
            match access {
                Access::Private(_) => {
                    crate::out::outln!("{slug} is private: open /status/{slug}?key=<key>, or type the key into the page");
                    if let Some(key) = made {
                        crate::out::outln!("Its key (shown once):");
                        crate::out::outln!("{key}");
                    }
                }
                Access::Public => crate::out::outln!("{slug} is public"),
                Access::Keep => {}
            }
        }
        Cmd::Remove { slug, yes } => {
            let (page, source) = pages.page(&slug).await?;
            if !yes {
                let n = pages.count(&source).await?;
                bail!(
                    "this deletes the page `{slug}` ({}) with its {} components and {n} incidents and maintenances; add --yes to do it",
                    page.title,
                    source.components.len()
                );
            }
            let n = pages.remove(&slug).await?;
            crate::out::outln!("Removed page {slug} and its {n} incidents and maintenances");
        }
        Cmd::Subscribers { slug, json } => subscribers(&pages, &*store, slug, json).await?,
        Cmd::External {
            command: ExternalCmd::Remove { slug, label },
        } => {
            pages.remove_external(&slug, &label).await?;
            crate::out::outln!("Took {label} off {slug}");
        }
        Cmd::List { json } => list(&pages, json).await?,
        Cmd::Component {
            command: ComponentCmd::Add { slug, name, group },
        } => {
            pages.add_component(&slug, &name, group.as_deref()).await?;
            crate::out::outln!("Added component {} to {slug}", name.trim());
        }
        Cmd::Component {
            command: ComponentCmd::Remove { slug, name },
        } => {
            pages.remove_component(&slug, &name).await?;
            crate::out::outln!("Took component {} off {slug}", name.trim());
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
            let e = pages
                .add_external(&slug, &source, component.as_deref(), label.as_deref())
                .await?;
            let watched = store.source(e.source_id).await?;
            crate::out::outln!(
                "Added {} to {slug}, read live from {}",
                e.label,
                watched.name
            );
        }
        Cmd::Incident { command } => incident(&pages, command).await?,
        Cmd::Maintenance { command } => maintenance(&pages, command).await?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `statuswatch page list`.
async fn list(pages: &PageAdmin, json: bool) -> Result<()> {
    let rows = pages.list().await?;
    if json {
        let v: Vec<serde_json::Value> = rows
            .iter()
            .map(|p| {
                serde_json::json!({
                    "slug": p.page.slug,
                    "title": p.page.title,
                    "path": format!("/status/{}", p.page.slug),
                    "private": p.page.private(),
                    "components": p.source.components.iter().map(|c| serde_json::json!({
                        "name": c.name, "group": c.group, "status": c.status,
                    })).collect::<Vec<_>>(),
                    "open": p.open.iter().map(|i| serde_json::json!({
                        "id": i.vendor_id, "title": i.title, "kind": i.kind.as_str(), "status": i.status.as_str(),
                    })).collect::<Vec<_>>(),
                    "externals": p.externals.iter().map(|e| serde_json::json!({
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
            .map(|p| {
                vec![
                    p.page.slug.clone(),
                    p.page.title.clone(),
                    p.source.components.len().to_string(),
                    p.externals.len().to_string(),
                    p.open.len().to_string(),
                    if p.page.private() {
                        "private"
                    } else {
                        "public"
                    }
                    .to_string(),
                    format!("/status/{}", p.page.slug),
                ]
            })
            .collect();
        table::print(
            &[
                "SLUG",
                "TITLE",
                "COMPONENTS",
                "VENDORS",
                "OPEN",
                "ACCESS",
                "PATH",
            ],
            &lines,
        );
    }
    Ok(())
}

/// `statuswatch page subscribers SLUG`.
async fn subscribers(
    pages: &PageAdmin,
    store: &dyn statuswatch_store::Store,
    slug: String,
    json: bool,
) -> Result<()> {
    pages.page(&slug).await?;
    let subs = store.subscribers(&slug).await?;
    if json {
        let v: Vec<serde_json::Value> = subs
            .iter()
            .map(|s| {
                serde_json::json!({
                    "id": s.id,
                    "email": s.email,
                    "components": s.components,
                    "created_at": statuswatch_view::time::rfc3339(s.created_at),
                    "confirmed_at": s.confirmed_at.map(statuswatch_view::time::rfc3339),
                })
            })
            .collect();
        crate::out::outln!("{}", serde_json::to_string_pretty(&v)?);
    } else if subs.is_empty() {
        crate::out::outln!(
            "No subscribers yet: people subscribe on /status/{slug} (with `[pages] mail` set up)."
        );
    } else {
        let lines: Vec<Vec<String>> = subs
            .iter()
            .map(|s| {
                vec![
                    s.email.clone(),
                    if s.components.is_empty() {
                        "all".into()
                    } else {
                        s.components.join(", ")
                    },
                    match s.confirmed_at {
                        Some(t) => {
                            format!("confirmed {}", statuswatch_view::time::rfc3339(t))
                        }
                        None => "pending".into(),
                    },
                ]
            })
            .collect();
        table::print(&["EMAIL", "COMPONENTS", "STATE"], &lines);
    }
    Ok(())
}

/// `statuswatch page incident …`.
async fn incident(pages: &PageAdmin, command: IncidentCmd) -> Result<()> {
    let incident = match command {
        IncidentCmd::Open {
            slug,
            title,
            message,
            status,
            impact,
            components,
        } => {
            pages
                .open_incident(
                    &slug,
                    &NewIncident {
                        title,
                        message,
                        status: Some(status),
                        impact: Some(impact),
                        components,
                    },
                )
                .await?
        }
        IncidentCmd::Update {
            slug,
            id,
            status,
            message,
            impact,
        } => {
            pages
                .update_incident(&slug, &id, &status, &message, impact.as_deref())
                .await?
        }
        IncidentCmd::Postmortem { slug, id, message } => {
            pages.postmortem(&slug, &id, &message).await?
        }
    };
    print_incident(&incident);
    Ok(())
}

/// `statuswatch page maintenance …`.
async fn maintenance(pages: &PageAdmin, command: MaintenanceCmd) -> Result<()> {
    let m = match command {
        MaintenanceCmd::Add {
            slug,
            title,
            from,
            until,
            message,
            components,
        } => {
            let (from, until) = (time("from", &from)?, time("until", &until)?);
            pages
                .add_maintenance(
                    &slug,
                    &NewMaintenance {
                        title,
                        message,
                        from,
                        until,
                        components,
                    },
                )
                .await?
        }
        MaintenanceCmd::Update {
            slug,
            id,
            status,
            message,
        } => {
            pages
                .update_maintenance(&slug, &id, &status, &message)
                .await?
        }
    };
    print_incident(&m);
    Ok(())
}
