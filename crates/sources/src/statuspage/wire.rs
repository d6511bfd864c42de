//! The Statuspage API v2 JSON, read and written with the same structs.
//!
//! Reading: every field a page may omit is optional (incident.io's
//! compatible answers leave many out), and the fields only a writer needs
//! are `skip_deserializing`, so a vendor's odd value there can never fail a
//! read. Writing (statuswatch's own pages, `statuswatch-pages`): every key
//! Statuspage's answers carry is written, `null` where there is no value,
//! so clients that expect the keys find them.

// The fields are Statuspage's, named and documented by it
// (https://developer.statuspage.io/): only what is ours is documented here.
#![allow(missing_docs)]

use serde::{Deserialize, Serialize};

/// The `page` object every answer starts with.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct Page {
    /// Written only.
    #[serde(skip_deserializing)]
    pub id: String,
    pub name: Option<String>,
    pub url: Option<String>,
    /// Written only.
    #[serde(skip_deserializing)]
    pub time_zone: String,
    /// Written only.
    #[serde(skip_deserializing)]
    pub updated_at: String,
}

/// A component, or a group of them (`group: true`, listing its members).
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct Component {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub status: Option<String>,
    /// Written only.
    #[serde(skip_deserializing)]
    pub created_at: String,
    /// Written only.
    #[serde(skip_deserializing)]
    pub updated_at: String,
    #[serde(default)]
    pub position: Option<i64>,
    /// Written only.
    #[serde(skip_deserializing)]
    pub description: Option<String>,
    /// Written only.
    #[serde(skip_deserializing)]
    pub showcase: bool,
    /// Written only.
    #[serde(skip_deserializing)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub group_id: Option<String>,
    /// Written only.
    #[serde(skip_deserializing)]
    pub page_id: String,
    #[serde(default)]
    pub group: Option<bool>,
    /// Written only.
    #[serde(skip_deserializing)]
    pub only_show_if_degraded: bool,
    /// A group's members' ids; written only, and only for a group.
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub components: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, Serialize)]
pub struct AffectedComponent {
    pub code: Option<String>,
    pub name: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct IncidentUpdate {
    pub id: Option<String>,
    pub status: String,
    #[serde(default)]
    pub body: Option<String>,
    /// Written only.
    #[serde(skip_deserializing)]
    pub incident_id: String,
    pub created_at: Option<String>,
    /// Written only.
    #[serde(skip_deserializing)]
    pub updated_at: Option<String>,
    pub display_at: Option<String>,
    #[serde(default)]
    pub affected_components: Option<Vec<AffectedComponent>>,
    /// Written only.
    #[serde(skip_deserializing)]
    pub deliver_notifications: bool,
    /// Written only.
    #[serde(skip_deserializing)]
    pub custom_tweet: Option<String>,
    /// Written only.
    #[serde(skip_deserializing)]
    pub tweet_id: Option<String>,
}

/// An incident or a scheduled maintenance.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct Incident {
    pub id: String,
    pub name: String,
    pub status: String,
    pub created_at: Option<String>,
    /// Written only.
    #[serde(skip_deserializing)]
    pub updated_at: Option<String>,
    /// Written only.
    #[serde(skip_deserializing)]
    pub monitoring_at: Option<String>,
    #[serde(default)]
    pub resolved_at: Option<String>,
    #[serde(default)]
    pub impact: Option<String>,
    #[serde(default)]
    pub shortlink: Option<String>,
    #[serde(default)]
    pub started_at: Option<String>,
    /// Written only.
    #[serde(skip_deserializing)]
    pub page_id: String,
    #[serde(default)]
    pub incident_updates: Vec<IncidentUpdate>,
    #[serde(default)]
    pub components: Option<Vec<Component>>,
    /// A maintenance's window (an incident has none: not written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_for: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_until: Option<String>,
    /// An incident's (always `null` here); a maintenance has none. Written
    /// only: `Some(None)` writes `null`, `None` leaves the key out.
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub reminder_intervals: Option<Option<String>>,
}

/// The overall `status` object.
#[derive(Debug, Deserialize, Serialize)]
pub struct Indicator {
    pub indicator: String,
    pub description: String,
}

/// `summary.json`.
#[derive(Debug, Deserialize, Serialize)]
pub struct Summary {
    pub page: Page,
    pub components: Vec<Component>,
    #[serde(default)]
    pub incidents: Vec<Incident>,
    #[serde(default)]
    pub scheduled_maintenances: Vec<Incident>,
    /// Written always; read never (the components say it).
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub status: Option<Indicator>,
}

/// `incidents.json`, `incidents/unresolved.json` or `scheduled-maintenances.json`
/// (and, written, `status.json` and `components.json`: what is `None` is
/// not written).
#[derive(Debug, Deserialize, Serialize)]
pub struct List {
    pub page: Page,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incidents: Option<Vec<Incident>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_maintenances: Option<Vec<Incident>>,
    /// Written only.
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub components: Option<Vec<Component>>,
    /// Written only.
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub status: Option<Indicator>,
}
