//! Pages of one's own as the JSON API shows them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use statuswatch_model::Incident;
use statuswatch_pages::PageInfo;
use statuswatch_view::time::{ser as ts, ser_opt as ts_opt};

/// A component of a page, as its open incidents leave it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PageComponentView {
    /// Its name.
    pub name: String,
    /// Its group.
    pub group: Option<String>,
    /// Statuspage's word: `operational`, `degraded_performance`,
    /// `partial_outage`, `major_outage`, `under_maintenance`.
    pub status: String,
}

/// An incident or maintenance of a page.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PageIncidentView {
    /// Its id on the page (Statuspage's form).
    pub id: String,
    /// `incident` or `maintenance`.
    pub kind: String,
    /// Its title.
    pub title: String,
    /// Its status word.
    pub status: String,
    /// Its impact: `none`, `minor`, `major`, `critical`, `maintenance`.
    pub impact: Option<String>,
    /// The components it touches.
    pub components: Vec<String>,
    /// When it started.
    #[serde(serialize_with = "ts_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub started_at: Option<DateTime<Utc>>,
    /// When it was resolved or completed.
    #[serde(serialize_with = "ts_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub resolved_at: Option<DateTime<Utc>>,
    /// A maintenance's window start.
    #[serde(serialize_with = "ts_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub scheduled_for: Option<DateTime<Utc>>,
    /// A maintenance's window end.
    #[serde(serialize_with = "ts_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub scheduled_until: Option<DateTime<Utc>>,
    /// Its updates, oldest first.
    pub updates: Vec<PageUpdateView>,
}

/// One update of a page's incident.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PageUpdateView {
    /// The status it set.
    pub status: String,
    /// Its text.
    pub body: String,
    /// When it was posted.
    #[serde(serialize_with = "ts_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub at: Option<DateTime<Utc>>,
}

impl From<&Incident> for PageIncidentView {
    fn from(i: &Incident) -> Self {
        PageIncidentView {
            id: i.vendor_id.clone(),
            kind: i.kind.as_str().to_string(),
            title: i.title.clone(),
            status: i.status.as_str().to_string(),
            impact: i.impact.map(|x| x.as_str().to_string()),
            components: i.components.iter().map(|c| c.name.clone()).collect(),
            started_at: i.started_at,
            resolved_at: i.resolved_at,
            scheduled_for: i.scheduled_for,
            scheduled_until: i.scheduled_until,
            updates: i
                .updates
                .iter()
                .map(|u| PageUpdateView {
                    status: u.status.as_str().to_string(),
                    body: u.body.clone(),
                    at: u.at,
                })
                .collect(),
        }
    }
}

/// A watched vendor shown on a page.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PageExternalView {
    /// The name the page shows.
    pub label: String,
    /// The watched source.
    pub source_id: i64,
    /// One of its components, or null for the vendor as a whole.
    pub component: Option<String>,
}

/// A page of one's own.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PageView {
    /// Its address: `/status/<slug>`.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Its path on this server.
    pub path: String,
    /// Whether only holders of its key may read it.
    pub private: bool,
    /// The new key, in the one answer that made it (never stored readable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Its logo's address.
    pub logo_url: Option<String>,
    /// Its accent colour (`#rrggbb`).
    pub accent: Option<String>,
    /// When it was made.
    #[serde(serialize_with = "ts")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<Utc>,
    /// Its components.
    pub components: Vec<PageComponentView>,
    /// Its incidents and maintenances not over.
    pub open: Vec<PageIncidentView>,
    /// The watched vendors it shows.
    pub externals: Vec<PageExternalView>,
}

impl From<&PageInfo> for PageView {
    fn from(p: &PageInfo) -> Self {
        PageView {
            slug: p.page.slug.clone(),
            title: p.page.title.clone(),
            path: format!("/status/{}", p.page.slug),
            private: p.page.private(),
            key: None,
            logo_url: p.page.logo_url.clone(),
            accent: p.page.accent.clone(),
            created_at: p.page.created_at,
            components: p
                .source
                .components
                .iter()
                .map(|c| PageComponentView {
                    name: c.name.clone(),
                    group: c.group.clone(),
                    status: c.status.clone(),
                })
                .collect(),
            open: p.open.iter().map(PageIncidentView::from).collect(),
            externals: p
                .externals
                .iter()
                .map(|e| PageExternalView {
                    label: e.label.clone(),
                    source_id: e.source_id,
                    component: e.component.clone(),
                })
                .collect(),
        }
    }
}
