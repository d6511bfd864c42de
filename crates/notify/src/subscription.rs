//! Which events go to which channel.

use serde::Deserialize;
use statuswatch_model::{EventKind, Impact, Incident};

/// An event kind as a subscription names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventFilter {
    /// `incident.opened`.
    #[serde(alias = "incident.opened")]
    Opened,
    /// `incident.updated`.
    #[serde(alias = "incident.updated")]
    Updated,
    /// `incident.resolved`.
    #[serde(alias = "incident.resolved")]
    Resolved,
    /// `maintenance.scheduled`.
    #[serde(alias = "maintenance.scheduled")]
    Scheduled,
    /// `maintenance.started`.
    #[serde(alias = "maintenance.started")]
    Started,
    /// `maintenance.updated`.
    #[serde(rename = "maintenance.updated")]
    MaintenanceUpdated,
    /// `maintenance.completed`.
    #[serde(alias = "maintenance.completed")]
    Completed,
    /// `maintenance.reminder`.
    #[serde(alias = "maintenance.reminder")]
    Reminder,
    /// Every maintenance event.
    Maintenance,
}

impl EventFilter {
    fn admits(self, kind: EventKind) -> bool {
        use EventKind as K;
        match self {
            EventFilter::Opened => kind == K::IncidentOpened,
            EventFilter::Updated => kind == K::IncidentUpdated,
            EventFilter::Resolved => kind == K::IncidentResolved,
            EventFilter::Scheduled => kind == K::MaintenanceScheduled,
            EventFilter::Started => kind == K::MaintenanceStarted,
            EventFilter::MaintenanceUpdated => kind == K::MaintenanceUpdated,
            EventFilter::Completed => kind == K::MaintenanceCompleted,
            EventFilter::Reminder => kind == K::MaintenanceReminder,
            EventFilter::Maintenance => matches!(
                kind,
                K::MaintenanceScheduled
                    | K::MaintenanceStarted
                    | K::MaintenanceUpdated
                    | K::MaintenanceCompleted
                    | K::MaintenanceReminder
            ),
        }
    }
}

/// One `[[subscription]]`: every filter is optional; none means every event.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    /// The channel's name.
    pub channel: String,
    /// Only these providers (the page's name or the source's name, any case).
    #[serde(default)]
    pub providers: Vec<String>,
    /// Only incidents affecting one of these components or component groups (any case).
    #[serde(default)]
    pub components: Vec<String>,
    /// Only incidents of at least this impact.
    #[serde(default)]
    pub min_impact: Option<Impact>,
    /// Only these events.
    #[serde(default)]
    pub events: Vec<EventFilter>,
}

fn rank(i: Impact) -> u8 {
    match i {
        Impact::None | Impact::Maintenance => 0,
        Impact::Minor => 1,
        Impact::Major => 2,
        Impact::Critical => 3,
    }
}

impl Subscription {
    /// Whether an event of `kind` about `incident` of `provider` (or source
    /// `source`) goes to this subscription's channel.
    ///
    /// An incident that names no components does not match a component
    /// filter (a team that uses only "API (EU)" hears nothing it cannot place);
    /// an incident whose impact is not stated passes `min_impact` (it cannot be
    /// ruled out); maintenance events are not filtered by impact.
    pub fn matches(
        &self,
        kind: EventKind,
        provider: &str,
        source: &str,
        incident: &Incident,
    ) -> bool {
        if !self.events.is_empty() && !self.events.iter().any(|f| f.admits(kind)) {
            return false;
        }
        if !self.providers.is_empty()
            && !self
                .providers
                .iter()
                .any(|p| p.eq_ignore_ascii_case(provider) || p.eq_ignore_ascii_case(source))
        {
            return false;
        }
        if !self.components.is_empty() {
            let hit = incident.components.iter().any(|c| {
                self.components.iter().any(|want| {
                    want.eq_ignore_ascii_case(&c.name)
                        || c.group
                            .as_deref()
                            .is_some_and(|g| want.eq_ignore_ascii_case(g))
                })
            });
            if !hit {
                return false;
            }
        }
        let maintenance_event = kind.as_str().starts_with("maintenance.");
        if let (Some(min), Some(actual), false) =
            (self.min_impact, incident.impact, maintenance_event)
        {
            if rank(actual) < rank(min) {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use statuswatch_model::{Component, Status};

    fn sub(toml_json: &str) -> Subscription {
        serde_json::from_str(toml_json).unwrap()
    }

    fn incident(impact: Option<Impact>, comps: &[(&str, Option<&str>)]) -> Incident {
        let mut i = Incident::new("x", "t", Status::Investigating);
        i.impact = impact;
        i.components = comps
            .iter()
            .map(|(n, g)| Component {
                name: n.to_string(),
                group: g.map(str::to_string),
            })
            .collect();
        i
    }

    #[test]
    fn no_filter_means_every_event() {
        let s = sub(r#"{"channel":"ops"}"#);
        assert!(s.matches(
            EventKind::MaintenanceScheduled,
            "X",
            "x",
            &incident(None, &[])
        ));
    }

    #[test]
    fn components_by_name_or_group() {
        let s = sub(r#"{"channel":"ops","components":["API (EU)"]}"#);
        let k = EventKind::IncidentOpened;
        assert!(s.matches(k, "GitHub", "gh", &incident(None, &[("API (EU)", None)])));
        assert!(!s.matches(
            k,
            "GitHub",
            "gh",
            &incident(None, &[("Dashboard (US)", None)])
        ));
        assert!(!s.matches(k, "GitHub", "gh", &incident(None, &[])));
        let g = sub(r#"{"channel":"ops","components":["europe"]}"#);
        assert!(g.matches(
            k,
            "GitHub",
            "gh",
            &incident(None, &[("Frankfurt", Some("Europe"))])
        ));
    }

    #[test]
    fn providers_impact_and_events() {
        let s = sub(
            r#"{"channel":"ops","providers":["github"],"min_impact":"major","events":["opened","resolved"]}"#,
        );
        let major = incident(Some(Impact::Major), &[]);
        assert!(s.matches(EventKind::IncidentOpened, "GitHub", "gh", &major));
        assert!(!s.matches(EventKind::IncidentUpdated, "GitHub", "gh", &major));
        assert!(!s.matches(EventKind::IncidentOpened, "Slack", "slack", &major));
        assert!(!s.matches(
            EventKind::IncidentOpened,
            "GitHub",
            "gh",
            &incident(Some(Impact::Minor), &[])
        ));
        assert!(s.matches(
            EventKind::IncidentOpened,
            "GitHub",
            "gh",
            &incident(None, &[])
        ));
        let m = sub(r#"{"channel":"ops","events":["maintenance"],"min_impact":"critical"}"#);
        assert!(m.matches(
            EventKind::MaintenanceStarted,
            "X",
            "x",
            &incident(Some(Impact::Maintenance), &[])
        ));
        assert!(!m.matches(
            EventKind::IncidentOpened,
            "X",
            "x",
            &incident(Some(Impact::Critical), &[])
        ));
    }
}
