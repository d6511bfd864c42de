//! Slack's status JSON.

use serde::Deserialize;

/// The id is a number in real answers and a string in the documentation.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Id {
    Number(i64),
    Text(String),
}

impl Id {
    pub fn key(&self) -> String {
        match self {
            Id::Number(n) => n.to_string(),
            Id::Text(s) => s.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Note {
    #[serde(default)]
    pub body: String,
    pub date_created: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Incident {
    pub id: Id,
    pub title: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub status: Option<String>,
    pub url: Option<String>,
    pub date_created: Option<String>,
    pub date_updated: Option<String>,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// `current`.
#[derive(Debug, Deserialize)]
pub struct Current {
    pub status: String,
    #[serde(default)]
    pub active_incidents: Vec<Incident>,
}
