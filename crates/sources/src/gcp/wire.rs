//! `incidents.json` as Google serves it.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Named {
    pub title: String,
}

#[derive(Debug, Deserialize)]
pub struct Update {
    pub created: Option<String>,
    pub when: Option<String>,
    #[serde(default)]
    pub text: String,
    pub status: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Incident {
    pub id: String,
    pub begin: Option<String>,
    pub end: Option<String>,
    pub external_desc: String,
    #[serde(default)]
    pub updates: Vec<Update>,
    pub severity: Option<String>,
    pub uri: Option<String>,
    #[serde(default)]
    pub affected_products: Vec<Named>,
    #[serde(default)]
    pub currently_affected_locations: Vec<Named>,
    #[serde(default)]
    pub previously_affected_locations: Vec<Named>,
}
