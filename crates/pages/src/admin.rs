//! Pages of one's own, managed: every statement an operator can make about
//! a page (from the CLI, the JSON API or the admin web UI), checked and
//! written. A change of incidents is written by [`Poller::publish`] like a
//! vendor's answer, with its events and outbox rows (the routed channels and
//! the page's confirmed email subscribers) in one transaction.

use crate::checks::{
    access_hash, check_key, impact, look, message_text, new_key, required, resolve, status,
};
use crate::domain as own;
use crate::error::{invalid, PageError, Result};
use chrono::{DateTime, Utc};
use statuswatch_engine::Poller;
use statuswatch_model::{ComponentState, ComponentStatus, Incident, Kind, Snapshot, Status};
use statuswatch_store::{IncidentQuery, Page, PageExternal, Source, Store, StoreError, Subscriber};
use std::sync::Arc;

/// A page with what its views and listings show.
#[derive(Debug, Clone)]
pub struct PageInfo {
    /// The page.
    pub page: Page,
    /// Its source (its components).
    pub source: Source,
    /// Its incidents and maintenances not over.
    pub open: Vec<Incident>,
    /// The watched vendors it shows.
    pub externals: Vec<PageExternal>,
}

/// A new incident.
#[derive(Debug, Clone, Default)]
pub struct NewIncident {
    /// Its title.
    pub title: String,
    /// The first update's text.
    pub message: String,
    /// `investigating` (default), `identified` or `monitoring`.
    pub status: Option<String>,
    /// `none`, `minor` (default), `major` or `critical`.
    pub impact: Option<String>,
    /// The affected components, by name or `Group/Name`.
    pub components: Vec<String>,
}

/// A new maintenance.
#[derive(Debug, Clone)]
pub struct NewMaintenance {
    /// Its title.
    pub title: String,
    /// The first update's text.
    pub message: String,
    /// The window's start.
    pub from: DateTime<Utc>,
    /// The window's end.
    pub until: DateTime<Utc>,
    /// The affected components, by name or `Group/Name`.
    pub components: Vec<String>,
}

/// What a change does to a page's access.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Access {
    /// As it is.
    #[default]
    Keep,
    /// Readable by anyone.
    Public,
    /// Private with this key (8 characters or more), or a new random one.
    Private(Option<String>),
}

/// A change of a page; what is `None` (or `Access::Keep`) stays.
#[derive(Debug, Clone, Default)]
pub struct PageChange {
    /// A new title.
    pub title: Option<String>,
    /// A logo: an http(s) address or a path on this server; empty clears.
    pub logo: Option<String>,
    /// An accent colour, `#rrggbb`; empty clears.
    pub accent: Option<String>,
    /// Who may read it.
    pub access: Access,
}

/// Manages pages of one's own. Cheap to share behind an `Arc`.
pub struct PageAdmin {
    pub(crate) store: Arc<dyn Store>,
    poller: Arc<Poller>,
}

impl PageAdmin {
    /// Pages managed through this poller's store and routing.
    pub fn new(poller: Arc<Poller>) -> Self {
        PageAdmin {
            store: poller.store().clone(),
            poller,
        }
    }

    /// Now, to the millisecond (what the page's API writes, so what is read
    /// back is what was stored).
    pub(crate) fn now(&self) -> DateTime<Utc> {
        let now = self.poller.clock().now();
        DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
    }

    /// The page and its source.
    pub async fn page(&self, slug: &str) -> Result<(Page, Source)> {
        let Some(page) = self.store.page(slug).await? else {
            let known: Vec<String> = self
                .store
                .pages()
                .await?
                .into_iter()
                .map(|p| p.slug)
                .collect();
            if known.is_empty() {
                return Err(PageError::NotFound(format!(
                    "no page `{slug}`; make one first (`statuswatch page add {slug} --title TITLE`)"
                )));
            }
            return Err(PageError::NotFound(format!(
                "no page `{slug}`; pages: {}",
                known.join(", ")
            )));
        };
        let source = self.store.source(page.source_id).await?;
        Ok((page, source))
    }

    /// Every page with its components, open incidents and vendors.
    pub async fn list(&self) -> Result<Vec<PageInfo>> {
        let mut out = Vec::new();
        for page in self.store.pages().await? {
            let source = self.store.source(page.source_id).await?;
            out.push(self.info(page, source).await?);
        }
        Ok(out)
    }

    /// One page with its components, open incidents and vendors.
    pub async fn get(&self, slug: &str) -> Result<PageInfo> {
        let (page, source) = self.page(slug).await?;
        self.info(page, source).await
    }

    async fn info(&self, page: Page, source: Source) -> Result<PageInfo> {
        let open = self.open_incidents(&source).await?;
        let externals = self.store.page_externals(&page.slug).await?;
        Ok(PageInfo {
            page,
            source,
            open,
            externals,
        })
    }

    /// Makes a page.
    pub async fn add(&self, slug: &str, title: &str) -> Result<Page> {
        if !own::valid_slug(slug) {
            return invalid(format!(
                "page slug `{slug}`: 1 to 64 lower-case letters, digits and dashes"
            ));
        }
        let title = required("title", title)?;
        self.store
            .add_page(slug, &title, self.now())
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => PageError::Conflict(format!(
                    "page `{slug}` or a source named `{title}` exists already"
                )),
                e => e.into(),
            })
    }

    /// Changes a page: its title, logo, accent and who may read it. Every
    /// part is checked before any is written, so a refused change changes
    /// nothing. Returns the key when one was made (`Access::Private(None)`).
    pub async fn change(&self, slug: &str, change: &PageChange) -> Result<Option<String>> {
        let (page, _) = self.page(slug).await?;
        let title = change
            .title
            .as_deref()
            .map(|t| required("title", t))
            .transpose()?;
        let (logo, accent) = look(&page, change.logo.as_deref(), change.accent.as_deref())?;
        let (hash, made) = match &change.access {
            Access::Keep => (None, None),
            Access::Public => (Some(None), None),
            Access::Private(Some(k)) => {
                check_key(k)?;
                (Some(Some(access_hash(k))), None)
            }
            Access::Private(None) => {
                let k = new_key();
                (Some(Some(access_hash(&k))), Some(k))
            }
        };
        if let Some(title) = title.filter(|t| *t != page.title) {
            self.store.rename_page(slug, &title).await?;
        }
        if change.logo.is_some() || change.accent.is_some() {
            self.store
                .set_page_look(slug, logo.as_deref(), accent.as_deref())
                .await?;
        }
        if let Some(hash) = hash {
            self.store.set_page_access(slug, hash.as_deref()).await?;
        }
        Ok(made)
    }

    /// Deletes a page with its history; returns how many incidents and
    /// maintenances went with it.
    pub async fn remove(&self, slug: &str) -> Result<usize> {
        let (_, source) = self.page(slug).await?;
        let n = self.count(&source).await?;
        self.store.remove_source(source.id).await?;
        Ok(n)
    }

    /// How many incidents and maintenances a page has.
    pub async fn count(&self, source: &Source) -> Result<usize> {
        Ok(self
            .store
            .incidents(&IncidentQuery {
                source_id: Some(source.id),
                limit: Some(100_000),
                include_private: true,
                ..Default::default()
            })
            .await?
            .len())
    }

    /// Adds a component, operational until an incident says otherwise.
    pub async fn add_component(&self, slug: &str, name: &str, group: Option<&str>) -> Result<()> {
        let (_, mut source) = self.page(slug).await?;
        let name = required("component's name", name)?;
        let group = group
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(String::from);
        if source
            .components
            .iter()
            .any(|c| c.name == name && c.group == group)
        {
            return Err(PageError::Conflict(format!(
                "the page has a component `{name}` already"
            )));
        }
        source.components.push(ComponentState::new(
            name,
            group,
            "operational",
            ComponentStatus::Operational,
        ));
        self.publish(slug, &source, Vec::new()).await
    }

    /// Takes a component off the page (by name, or `Group/Name`). Its past
    /// incidents keep naming it; an open one still does until it is over.
    pub async fn remove_component(&self, slug: &str, name: &str) -> Result<()> {
        let (_, mut source) = self.page(slug).await?;
        let gone = resolve(&source, &[name.to_string()])?;
        let Some(gone) = gone.first() else {
            return invalid("the component's name is empty");
        };
        source
            .components
            .retain(|c| !(c.name == gone.name && c.group == gone.group));
        self.publish(slug, &source, Vec::new()).await
    }

    /// Shows a watched source (by its name or its vendor's), whole or one
    /// of its components, under `label` (default "Vendor Component").
    pub async fn add_external(
        &self,
        slug: &str,
        source: &str,
        component: Option<&str>,
        label: Option<&str>,
    ) -> Result<PageExternal> {
        let (page, _) = self.page(slug).await?;
        let sources = self.store.watched_sources().await?;
        let watched_only = || sources.iter();
        let q = source.trim();
        let hits: Vec<&Source> = watched_only()
            .filter(|s| s.name.eq_ignore_ascii_case(q) || s.provider_name().eq_ignore_ascii_case(q))
            .collect();
        let watched = match hits.as_slice() {
            [one] => *one,
            [] => {
                return Err(PageError::NotFound(format!(
                    "no watched source named `{q}`; watched: {}",
                    watched_only()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
            _ => {
                return invalid(format!(
                    "`{q}` names several sources; use the source's own name"
                ))
            }
        };
        let component = component
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(String::from);
        if let Some(c) = &component {
            if !watched.components.iter().any(|k| &k.name == c) {
                return Err(PageError::NotFound(format!(
                    "{} lists no component `{c}`; it lists: {}",
                    watched.name,
                    watched
                        .components
                        .iter()
                        .map(|k| k.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        let label = label
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .unwrap_or_else(|| match &component {
                Some(c) => format!("{} {c}", watched.provider_name()),
                None => watched.provider_name().to_string(),
            });
        let external = PageExternal {
            source_id: watched.id,
            component,
            label,
        };
        self.store.add_page_external(&page.slug, &external).await?;
        Ok(external)
    }

    /// Takes a watched vendor off a page, by the name it shows.
    pub async fn remove_external(&self, slug: &str, label: &str) -> Result<()> {
        self.page(slug).await?;
        Ok(self.store.remove_page_external(slug, label).await?)
    }

    /// Opens an incident.
    pub async fn open_incident(&self, slug: &str, new: &NewIncident) -> Result<Incident> {
        let (_, source) = self.page(slug).await?;
        let title = required("title", &new.title)?;
        let s = status(
            new.status.as_deref().unwrap_or("investigating"),
            &[
                Status::Investigating,
                Status::Identified,
                Status::Monitoring,
            ],
        )?;
        let i = impact(new.impact.as_deref().unwrap_or("minor"))?;
        let components = resolve(&source, &new.components)?;
        let message = message_text("message", &new.message)?;
        let incident = own::open_incident(&title, &message, s, i, components, self.now());
        self.publish(slug, &source, vec![incident.clone()]).await?;
        Ok(incident)
    }

    /// Posts an update of an incident: a new status, a message, a new impact.
    pub async fn update_incident(
        &self,
        slug: &str,
        id: &str,
        status_word: &str,
        message: &str,
        impact_word: Option<&str>,
    ) -> Result<Incident> {
        let (_, source) = self.page(slug).await?;
        let stored = self.stored(&source, id).await?;
        if stored.kind != Kind::Incident {
            return invalid(format!("`{id}` is a maintenance, not an incident"));
        }
        let s = status(
            status_word,
            &[
                Status::Investigating,
                Status::Identified,
                Status::Monitoring,
                Status::Resolved,
            ],
        )?;
        let i = impact_word.map(impact).transpose()?;
        let message = message_text("message", message)?;
        let incident = own::advance(&stored, s, &message, i, self.now());
        self.publish(slug, &source, vec![incident.clone()]).await?;
        Ok(incident)
    }

    /// Publishes the postmortem of a resolved incident.
    pub async fn postmortem(&self, slug: &str, id: &str, message: &str) -> Result<Incident> {
        let (_, source) = self.page(slug).await?;
        if message.trim().is_empty() {
            return invalid("the postmortem is empty");
        }
        let message = message_text("postmortem", message.trim())?;
        let stored = self.stored(&source, id).await?;
        if stored.kind != Kind::Incident {
            return invalid(format!(
                "`{id}` is a maintenance; postmortems are for incidents"
            ));
        }
        if !matches!(stored.status, Status::Resolved | Status::Postmortem) {
            return invalid(format!(
                "`{id}` is {}: resolve it before its postmortem",
                stored.status.as_str()
            ));
        }
        let incident = own::advance(&stored, Status::Postmortem, &message, None, self.now());
        self.publish(slug, &source, vec![incident.clone()]).await?;
        Ok(incident)
    }

    /// Schedules a maintenance.
    pub async fn add_maintenance(&self, slug: &str, new: &NewMaintenance) -> Result<Incident> {
        let (_, source) = self.page(slug).await?;
        let title = required("title", &new.title)?;
        if new.until <= new.from {
            return invalid("the window's end must be after its start");
        }
        let components = resolve(&source, &new.components)?;
        let message = message_text("message", &new.message)?;
        let m = own::schedule_maintenance(
            &title,
            &message,
            new.from,
            new.until,
            components,
            self.now(),
        );
        self.publish(slug, &source, vec![m.clone()]).await?;
        Ok(m)
    }

    /// Moves a maintenance on: `in_progress`, `verifying` or `completed`.
    pub async fn update_maintenance(
        &self,
        slug: &str,
        id: &str,
        status_word: &str,
        message: &str,
    ) -> Result<Incident> {
        let (_, source) = self.page(slug).await?;
        let stored = self.stored(&source, id).await?;
        if stored.kind != Kind::Maintenance {
            return invalid(format!("`{id}` is an incident, not a maintenance"));
        }
        let s = status(
            status_word,
            &[Status::InProgress, Status::Verifying, Status::Completed],
        )?;
        let message = message_text("message", message)?;
        let m = own::advance(&stored, s, &message, None, self.now());
        self.publish(slug, &source, vec![m.clone()]).await?;
        Ok(m)
    }

    async fn open_incidents(&self, source: &Source) -> Result<Vec<Incident>> {
        Ok(self
            .store
            .incidents(&IncidentQuery {
                source_id: Some(source.id),
                open_only: true,
                include_private: true,
                ..Default::default()
            })
            .await?
            .into_iter()
            .map(|s| s.incident)
            .collect())
    }

    async fn stored(&self, source: &Source, id: &str) -> Result<Incident> {
        self.store
            .incidents_by_vendor_ids(source.id, &[id.trim().to_string()])
            .await?
            .into_iter()
            .next()
            .map(|s| s.incident)
            .ok_or_else(|| {
                PageError::NotFound(format!("no incident or maintenance `{id}` on this page"))
            })
    }

    /// Writes `changed` and the components as the open incidents leave
    /// them; every event also goes to the confirmed email subscribers whose
    /// components it touches.
    async fn publish(&self, slug: &str, source: &Source, changed: Vec<Incident>) -> Result<()> {
        let mut open = self.open_incidents(source).await?;
        for c in &changed {
            open.retain(|o| o.vendor_id != c.vendor_id);
            if !c.status.is_terminal() {
                open.push(c.clone());
            }
        }
        let components = own::component_states(&source.components, &open, self.now());
        let subscribers: Vec<Subscriber> = if changed.is_empty() {
            Vec::new()
        } else {
            self.store
                .subscribers(slug)
                .await?
                .into_iter()
                .filter(|s| s.confirmed_at.is_some())
                .collect()
        };
        let extra = move |_: statuswatch_model::EventKind, i: &Incident| -> Vec<String> {
            subscribers
                .iter()
                .filter(|s| {
                    s.components.is_empty()
                        || i.components.iter().any(|c| s.components.contains(&c.name))
                })
                .map(|s| statuswatch_store::Recipient::Subscriber(&s.id).to_string())
                .collect()
        };
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
                &extra,
            )
            .await
            .map_err(PageError::Store)?;
        if applied.events > 0 {
            tracing::info!(
                page = slug,
                events = applied.events,
                deliveries = applied.deliveries,
                "page changed"
            );
        }
        Ok(())
    }
}
