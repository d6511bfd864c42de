//! The read model: a page as its views show it (its components, incidents
//! and the watched vendors it shows, read live), loaded once per request.

use crate::statuspage::Wire;
use statuswatch_model::{ComponentState, ComponentStatus};
use statuswatch_store::{
    IncidentQuery, Page, PageExternal, Source, Store, StoreError, StoredIncident,
};

/// What every view of a page reads.
pub struct Published {
    /// The page.
    pub page: Page,
    /// Its source (its components, its last change).
    pub source: Source,
    /// Its incidents and maintenances, newest first.
    pub incidents: Vec<StoredIncident>,
    /// The watched vendors the page shows, read live.
    pub externals: Vec<External>,
    /// The page's absolute address (`https://host/status/<slug>`), or its
    /// path without a configured public address.
    pub base: String,
    /// Whether the page offers email subscription.
    pub subscribe: bool,
}

/// The group external components are listed under in the API.
pub const EXTERNAL_GROUP: &str = "Third-party services";

/// A watched vendor (or one of its components) on a page, as it is now.
pub struct External {
    /// The name the page shows.
    pub label: String,
    /// The watched source (its provider page is `/providers/<id>`).
    pub source_id: i64,
    /// The vendor's name.
    pub provider: String,
    /// The component's state (or the vendor's worst), as the vendor says.
    pub state: ComponentStatus,
    /// The vendor's open incidents and maintenances under way that touch
    /// what is shown, newest first.
    pub open: Vec<StoredIncident>,
}

impl External {
    async fn load(store: &dyn Store, e: &PageExternal) -> Result<External, StoreError> {
        let source = store.source(e.source_id).await?;
        let state = match &e.component {
            Some(name) => source
                .components
                .iter()
                .find(|c| &c.name == name)
                .map_or(ComponentStatus::Unknown, |c| c.state),
            None => ComponentStatus::worst(source.components.iter().map(|c| c.state))
                .unwrap_or(ComponentStatus::Unknown),
        };
        let open = store
            .incidents(&IncidentQuery {
                source_id: Some(e.source_id),
                open_only: true,
                limit: Some(20),
                ..Default::default()
            })
            .await?
            .into_iter()
            .filter(|s| {
                e.component
                    .as_ref()
                    .is_none_or(|name| s.incident.components.iter().any(|c| &c.name == name))
            })
            .collect();
        Ok(External {
            label: e.label.clone(),
            source_id: source.id,
            provider: source.provider_name().to_string(),
            state,
            open,
        })
    }
}

impl Published {
    /// Reads `page` as its views show it. Links are made from the
    /// configured `public_url`, never from a request's Host (which whoever
    /// asks chooses); without one, by path.
    pub async fn load(
        store: &dyn Store,
        page: Page,
        public_url: Option<&str>,
        subscribe: bool,
    ) -> Result<Published, StoreError> {
        let source = store.source(page.source_id).await?;
        let incidents = store
            .incidents(&IncidentQuery {
                source_id: Some(source.id),
                limit: Some(500),
                include_private: true,
                ..Default::default()
            })
            .await?;
        let base = format!("{}/status/{}", public_url.unwrap_or(""), page.slug);
        let mut externals = Vec::new();
        for e in store.page_externals(&page.slug).await? {
            externals.push(External::load(store, &e).await?);
        }
        Ok(Published {
            page,
            source,
            incidents,
            externals,
            base,
            subscribe,
        })
    }

    /// The page in Statuspage's API v2 form.
    pub fn wire(&self) -> Wire<'_> {
        Wire {
            page: &self.page,
            source: &self.source,
            incidents: &self.incidents,
            externals: self
                .externals
                .iter()
                .map(|e| {
                    ComponentState::new(
                        e.label.clone(),
                        Some(EXTERNAL_GROUP.to_string()),
                        crate::domain::component_word(e.state),
                        e.state,
                    )
                })
                .collect(),
            base: self.base.clone(),
        }
    }
}
