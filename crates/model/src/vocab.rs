//! The closed vocabularies of the model: impact, lifecycle status, kind, event kind.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The impact of an incident as the vendor stated it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    /// The vendor said "no impact".
    None,
    /// Minor impact, degraded performance.
    Minor,
    /// Major impact, partial outage.
    Major,
    /// Critical impact, full outage.
    Critical,
    /// Planned maintenance.
    Maintenance,
}

impl Impact {
    /// Parses a vendor's impact word (`none`, `minor`, `major`, `critical`, `maintenance`).
    pub fn parse(word: &str) -> Option<Impact> {
        match word.trim().to_ascii_lowercase().as_str() {
            "none" => Some(Impact::None),
            "minor" => Some(Impact::Minor),
            "major" => Some(Impact::Major),
            "critical" => Some(Impact::Critical),
            "maintenance" => Some(Impact::Maintenance),
            _ => None,
        }
    }

    /// The contract's word for this impact.
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::None => "none",
            Impact::Minor => "minor",
            Impact::Major => "major",
            Impact::Critical => "critical",
            Impact::Maintenance => "maintenance",
        }
    }
}

/// The normalized lifecycle status of an incident or a maintenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The vendor is looking into it.
    Investigating,
    /// The cause is known.
    Identified,
    /// A fix is in place and being watched.
    Monitoring,
    /// Over.
    Resolved,
    /// Over, and a postmortem was published.
    Postmortem,
    /// A maintenance is announced.
    Scheduled,
    /// A maintenance is under way.
    InProgress,
    /// A maintenance's results are being verified.
    Verifying,
    /// A maintenance is over.
    Completed,
}

impl Status {
    /// Every status, in lifecycle order.
    pub const ALL: [Status; 9] = [
        Status::Investigating,
        Status::Identified,
        Status::Monitoring,
        Status::Resolved,
        Status::Postmortem,
        Status::Scheduled,
        Status::InProgress,
        Status::Verifying,
        Status::Completed,
    ];

    /// Maps a vendor's status word or update heading, in any case, to a status.
    ///
    /// Knows the Statuspage vocabulary and common variants (`Post-mortem`,
    /// `In Progress`, `in_progress`, `Watching`, `Fixed`). Words that carry the
    /// previous status (`Update`) give `None`.
    pub fn from_word(word: &str) -> Option<Status> {
        let w: String = word
            .trim()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        Some(match w.as_str() {
            "investigating" | "investigation" | "detected" => Status::Investigating,
            "identified" => Status::Identified,
            "monitoring" | "watching" | "recovering" | "mitigated" => Status::Monitoring,
            "resolved" | "fixed" | "closed" => Status::Resolved,
            "postmortem" | "rootcause" | "rca" => Status::Postmortem,
            "scheduled" | "upcoming" | "planned" => Status::Scheduled,
            "inprogress" | "underway" | "started" | "ongoing" => Status::InProgress,
            "verifying" => Status::Verifying,
            "completed" | "complete" => Status::Completed,
            _ => return None,
        })
    }

    /// The contract's word for this status (`in_progress`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Investigating => "investigating",
            Status::Identified => "identified",
            Status::Monitoring => "monitoring",
            Status::Resolved => "resolved",
            Status::Postmortem => "postmortem",
            Status::Scheduled => "scheduled",
            Status::InProgress => "in_progress",
            Status::Verifying => "verifying",
            Status::Completed => "completed",
        }
    }

    /// The heading a status page shows for this status (`In progress`).
    pub fn heading(self) -> &'static str {
        match self {
            Status::Investigating => "Investigating",
            Status::Identified => "Identified",
            Status::Monitoring => "Monitoring",
            Status::Resolved => "Resolved",
            Status::Postmortem => "Postmortem",
            Status::Scheduled => "Scheduled",
            Status::InProgress => "In progress",
            Status::Verifying => "Verifying",
            Status::Completed => "Completed",
        }
    }

    /// Parses the contract's word (`in_progress`).
    pub fn parse(word: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == word)
    }

    /// Whether the incident or maintenance is over in this status.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Status::Resolved | Status::Postmortem | Status::Completed
        )
    }

    /// Whether this status belongs to the maintenance lifecycle.
    pub fn is_maintenance(self) -> bool {
        matches!(
            self,
            Status::Scheduled | Status::InProgress | Status::Verifying | Status::Completed
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a component's current status means, whatever the platform's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentStatus {
    /// Working.
    Operational,
    /// Working, slowly or with errors.
    Degraded,
    /// Partly down.
    PartialOutage,
    /// Down.
    MajorOutage,
    /// Under planned maintenance.
    Maintenance,
    /// The page gives a word statuswatch does not know, or none.
    Unknown,
}

impl ComponentStatus {
    /// The worst known state of these (an outage before a degradation before
    /// a maintenance before working); `Unknown` when none is known, `None`
    /// when there are none.
    pub fn worst(all: impl IntoIterator<Item = ComponentStatus>) -> Option<ComponentStatus> {
        let rank = |s: ComponentStatus| match s {
            ComponentStatus::MajorOutage => 0,
            ComponentStatus::PartialOutage => 1,
            ComponentStatus::Degraded => 2,
            ComponentStatus::Maintenance => 3,
            ComponentStatus::Operational => 4,
            ComponentStatus::Unknown => 5,
        };
        all.into_iter().min_by_key(|s| rank(*s))
    }

    /// The inverse of [`ComponentStatus::as_str`].
    pub fn parse(word: &str) -> Option<ComponentStatus> {
        [
            ComponentStatus::Operational,
            ComponentStatus::Degraded,
            ComponentStatus::PartialOutage,
            ComponentStatus::MajorOutage,
            ComponentStatus::Maintenance,
            ComponentStatus::Unknown,
        ]
        .into_iter()
        .find(|s| s.as_str() == word)
    }

    /// The contract's word (`partial_outage`).
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentStatus::Operational => "operational",
            ComponentStatus::Degraded => "degraded",
            ComponentStatus::PartialOutage => "partial_outage",
            ComponentStatus::MajorOutage => "major_outage",
            ComponentStatus::Maintenance => "maintenance",
            ComponentStatus::Unknown => "unknown",
        }
    }

    /// A status word of any platform, for component states stored before
    /// adapters mapped their own vocabulary (adapters map theirs explicitly).
    pub fn from_any_word(word: &str) -> ComponentStatus {
        let w: String = word
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match w.as_str() {
            "operational" | "ok" | "up" | "green" | "available" | "100" | "normal" | "resolved" => {
                ComponentStatus::Operational
            }
            "degradedperformance"
            | "degraded"
            | "performanceissues"
            | "yellow"
            | "hasissues"
            | "minor"
            | "minoroutage"
            | "partiallydegraded"
            | "300"
            | "active" => ComponentStatus::Degraded,
            "partialoutage" | "partialservicedisruption" | "400" | "major" => {
                ComponentStatus::PartialOutage
            }
            "majoroutage" | "fulloutage" | "downtime" | "red" | "critical"
            | "servicedisruption" | "securityevent" | "500" | "600" | "outage" => {
                ComponentStatus::MajorOutage
            }
            "undermaintenance" | "maintenance" | "blue" | "plannedmaintenance" | "200" => {
                ComponentStatus::Maintenance
            }
            _ => ComponentStatus::Unknown,
        }
    }
}

/// Whether an item is an unplanned incident or a planned maintenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Unplanned.
    Incident,
    /// Planned.
    Maintenance,
}

impl Kind {
    /// The contract's word.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Incident => "incident",
            Kind::Maintenance => "maintenance",
        }
    }
}

/// The kind of a recorded change, as alert channels name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    /// A new incident was seen.
    #[serde(rename = "incident.opened")]
    IncidentOpened,
    /// An incident got an update (including a status change or a postmortem).
    #[serde(rename = "incident.updated")]
    IncidentUpdated,
    /// An incident was resolved by the vendor.
    #[serde(rename = "incident.resolved")]
    IncidentResolved,
    /// A maintenance was announced.
    #[serde(rename = "maintenance.scheduled")]
    MaintenanceScheduled,
    /// A maintenance started.
    #[serde(rename = "maintenance.started")]
    MaintenanceStarted,
    /// A maintenance got an update that did not change its phase.
    #[serde(rename = "maintenance.updated")]
    MaintenanceUpdated,
    /// A maintenance completed.
    #[serde(rename = "maintenance.completed")]
    MaintenanceCompleted,
    /// A scheduled maintenance starts soon.
    #[serde(rename = "maintenance.reminder")]
    MaintenanceReminder,
}

impl EventKind {
    /// Every event kind.
    pub const ALL: [EventKind; 8] = [
        EventKind::IncidentOpened,
        EventKind::IncidentUpdated,
        EventKind::IncidentResolved,
        EventKind::MaintenanceScheduled,
        EventKind::MaintenanceStarted,
        EventKind::MaintenanceUpdated,
        EventKind::MaintenanceCompleted,
        EventKind::MaintenanceReminder,
    ];

    /// The dotted name (`incident.opened`).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::IncidentOpened => "incident.opened",
            EventKind::IncidentUpdated => "incident.updated",
            EventKind::IncidentResolved => "incident.resolved",
            EventKind::MaintenanceScheduled => "maintenance.scheduled",
            EventKind::MaintenanceStarted => "maintenance.started",
            EventKind::MaintenanceUpdated => "maintenance.updated",
            EventKind::MaintenanceCompleted => "maintenance.completed",
            EventKind::MaintenanceReminder => "maintenance.reminder",
        }
    }

    /// Parses the dotted name.
    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_worst_component_state_is_the_most_severe_known_one() {
        use super::ComponentStatus as C;
        assert_eq!(C::worst([]), None);
        assert_eq!(C::worst([C::Unknown]), Some(C::Unknown));
        assert_eq!(C::worst([C::Operational, C::Unknown]), Some(C::Operational));
        assert_eq!(
            C::worst([C::Maintenance, C::Degraded, C::Operational]),
            Some(C::Degraded)
        );
        assert_eq!(
            C::worst([C::PartialOutage, C::MajorOutage]),
            Some(C::MajorOutage)
        );
        for s in [
            C::Operational,
            C::Degraded,
            C::PartialOutage,
            C::MajorOutage,
            C::Maintenance,
            C::Unknown,
        ] {
            assert_eq!(C::parse(s.as_str()), Some(s));
        }
    }
    use super::*;

    #[test]
    fn vendor_words_map_in_any_case() {
        assert_eq!(Status::from_word("Post-mortem"), Some(Status::Postmortem));
        assert_eq!(Status::from_word("IN PROGRESS"), Some(Status::InProgress));
        assert_eq!(Status::from_word("in_progress"), Some(Status::InProgress));
        assert_eq!(Status::from_word("Resolved"), Some(Status::Resolved));
        assert_eq!(Status::from_word("Update"), None);
        assert_eq!(Status::from_word("Escalate"), None);
    }

    #[test]
    fn contract_words_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert_eq!(Status::from_word(s.heading()), Some(s));
        }
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
        }
    }
}
