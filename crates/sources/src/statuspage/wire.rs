//! The Statuspage API v2 JSON, as served. Every field a page may omit is
//! optional: incident.io's compatible answers leave many out.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Page {
    pub name: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Component {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub group_id: Option<String>,
    #[serde(default)]
    pub group: Option<bool>,
    #[serde(default)]
    pub position: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct AffectedComponent {
    pub code: Option<String>,
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct IncidentUpdate {
    pub id: Option<String>,
    pub status: String,
    #[serde(default)]
    pub body: Option<String>,
    pub created_at: Option<String>,
    pub display_at: Option<String>,
    #[serde(default)]
    pub affected_components: Option<Vec<AffectedComponent>>,
}

#[derive(Debug, Deserialize)]
pub struct Incident {
    pub id: String,
    pub name: String,
    pub status: String,
    #[serde(default)]
    pub impact: Option<String>,
    pub created_at: Option<String>,
    #[serde(default)]
    pub started_at: Option<String>,
    #[serde(default)]
    pub resolved_at: Option<String>,
    #[serde(default)]
    pub scheduled_for: Option<String>,
    #[serde(default)]
    pub scheduled_until: Option<String>,
    #[serde(default)]
    pub shortlink: Option<String>,
    #[serde(default)]
    pub incident_updates: Vec<IncidentUpdate>,
    #[serde(default)]
    pub components: Option<Vec<Component>>,
}

/// `summary.json`.
#[derive(Debug, Deserialize)]
pub struct Summary {
    pub page: Page,
    pub components: Vec<Component>,
    #[serde(default)]
    pub incidents: Vec<Incident>,
    #[serde(default)]
    pub scheduled_maintenances: Vec<Incident>,
}

/// `incidents.json`, `incidents/unresolved.json` or `scheduled-maintenances.json`.
#[derive(Debug, Deserialize)]
pub struct List {
    pub page: Page,
    #[serde(default)]
    pub incidents: Option<Vec<Incident>>,
    #[serde(default)]
    pub scheduled_maintenances: Option<Vec<Incident>>,
}
