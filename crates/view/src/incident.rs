//! The incident model as the contract shows it (`incidents --json`, the API,
//! webhook bodies), kept apart from the model so either can change alone.

use crate::time;
use chrono::{DateTime, Utc};
use serde::Serialize;
use statuswatch_model::{Component, Impact, Incident, Kind, Status, Update};

/// Where a stored incident came from: what the store knows beside the model.
#[derive(Debug, Clone, Copy)]
pub struct Provenance<'a> {
    /// Its id in this installation.
    pub id: &'a str,
    /// The watched source's name.
    pub source: &'a str,
    /// The vendor's name.
    pub provider: &'a str,
    /// When this installation first saw it.
    pub detected_at: DateTime<Utc>,
}

/// An incident as the contract shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentView {
    /// Stable id in this installation.
    pub id: String,
    /// The watched source's name.
    pub source: String,
    /// The vendor's name.
    pub provider: String,
    /// The vendor's title.
    pub title: String,
    /// `incident` or `maintenance`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "incident"))]
    pub kind: Kind,
    /// As stated (`none`, `minor`, `major`, `critical`, `maintenance`); null when not stated.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "major"))]
    pub impact: Option<Impact>,
    /// Current lifecycle status.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "resolved"))]
    pub status: Status,
    /// The vendor's stated start, or its earliest dated update; null when
    /// nothing the vendor published fixes it (never the time statuswatch saw it).
    #[serde(serialize_with = "time::ser_opt")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub started_at: Option<DateTime<Utc>>,
    /// When it was resolved.
    #[serde(serialize_with = "time::ser_opt")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub resolved_at: Option<DateTime<Utc>>,
    /// Maintenance window start.
    #[serde(serialize_with = "time::ser_opt")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub scheduled_for: Option<DateTime<Utc>>,
    /// Maintenance window end.
    #[serde(serialize_with = "time::ser_opt")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub scheduled_until: Option<DateTime<Utc>>,
    /// When this installation first saw it.
    #[serde(serialize_with = "time::ser")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub detected_at: DateTime<Utc>,
    /// The vendor's page for it.
    pub url: Option<String>,
    /// Affected components.
    pub components: Vec<ComponentView>,
    /// The timeline, oldest first.
    pub updates: Vec<UpdateView>,
}

/// An affected component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComponentView {
    /// Its name.
    pub name: String,
    /// Its group.
    pub group: Option<String>,
}

/// One timeline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateView {
    /// Normalized status after this update.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub status: Status,
    /// The heading as the vendor showed it.
    pub label: String,
    /// When it was posted.
    #[serde(serialize_with = "time::ser_opt")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub at: Option<DateTime<Utc>>,
    /// The vendor's text.
    pub body: String,
}

impl From<&Component> for ComponentView {
    fn from(c: &Component) -> Self {
        ComponentView {
            name: c.name.clone(),
            group: c.group.clone(),
        }
    }
}

impl From<&Update> for UpdateView {
    fn from(u: &Update) -> Self {
        UpdateView {
            status: u.status,
            label: u.label.clone(),
            at: u.at,
            body: u.body.clone(),
        }
    }
}

impl IncidentView {
    /// The view of `incident`, stored with this provenance.
    pub fn new(p: Provenance<'_>, i: &Incident) -> Self {
        IncidentView {
            id: p.id.to_string(),
            source: p.source.to_string(),
            provider: p.provider.to_string(),
            title: i.title.clone(),
            kind: i.kind,
            impact: i.impact,
            status: i.status,
            started_at: i.started_at,
            resolved_at: i.resolved_at,
            scheduled_for: i.scheduled_for,
            scheduled_until: i.scheduled_until,
            detected_at: p.detected_at,
            url: i.url.clone().filter(|u| crate::clean::web_address(u)),
            components: i.components.iter().map(ComponentView::from).collect(),
            updates: i.updates.iter().map(UpdateView::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_nothing_fixes_is_null_never_the_detection_time() {
        let i = Incident::new("x", "Undated", Status::Investigating);
        let detected = DateTime::parse_from_rfc3339("2026-11-30T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let v = IncidentView::new(
            Provenance {
                id: "1",
                source: "s",
                provider: "p",
                detected_at: detected,
            },
            &i,
        );
        let json = serde_json::to_value(&v).unwrap();
        assert!(json["started_at"].is_null(), "{json}");
        assert_eq!(json["detected_at"], "2026-11-30T12:00:00Z");
    }
}
