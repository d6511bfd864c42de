//! The incident model's data types.

use crate::vocab::{ComponentStatus, Impact, Kind, Status};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An affected component, with the group it belongs to where the page has groups.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Component {
    /// The component's name as the vendor shows it.
    pub name: String,
    /// The name of its group, if any.
    pub group: Option<String>,
}

/// One entry of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Update {
    /// The vendor's id of this update, where the platform gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_id: Option<String>,
    /// The normalized status in force after this update.
    pub status: Status,
    /// The heading exactly as the vendor showed it (`Update`, `Post-mortem`, ...).
    pub label: String,
    /// When the vendor posted it.
    pub at: Option<DateTime<Utc>>,
    /// The vendor's text, whole.
    pub body: String,
}

impl Update {
    /// The key that identifies this update across polls of the same source:
    /// the vendor's id, or its time and heading where the platform has no ids.
    pub fn key(&self) -> String {
        match &self.vendor_id {
            Some(id) => format!("id:{id}"),
            None => format!(
                "at:{}|{}",
                self.at.map(|t| t.timestamp()).unwrap_or(i64::MIN),
                self.label.to_lowercase()
            ),
        }
    }
}

/// An incident or a maintenance as one vendor answer shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    /// The key of this incident within its source: the vendor's id, or a
    /// stable hash of what identifies it where the platform has no ids.
    pub vendor_id: String,
    /// The vendor's title, exact.
    pub title: String,
    /// Incident or maintenance.
    pub kind: Kind,
    /// Impact as stated; `None` when the vendor did not state it.
    pub impact: Option<Impact>,
    /// Current lifecycle status.
    pub status: Status,
    /// The vendor's stated start, or its first update's time.
    pub started_at: Option<DateTime<Utc>>,
    /// When it was resolved or completed.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Start of a maintenance window.
    pub scheduled_for: Option<DateTime<Utc>>,
    /// End of a maintenance window.
    pub scheduled_until: Option<DateTime<Utc>>,
    /// The vendor's page for this incident.
    pub url: Option<String>,
    /// Affected components, deduplicated, in the vendor's order.
    pub components: Vec<Component>,
    /// The timeline, oldest first.
    pub updates: Vec<Update>,
    /// The timeline lacks its beginning (a history feed lists only an
    /// incident's latest update): its earliest update is not its start.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

impl Incident {
    /// A new incident with the given key, title and status and nothing else.
    pub fn new(vendor_id: impl Into<String>, title: impl Into<String>, status: Status) -> Self {
        Incident {
            vendor_id: vendor_id.into(),
            title: title.into(),
            kind: if status.is_maintenance() {
                Kind::Maintenance
            } else {
                Kind::Incident
            },
            impact: None,
            status,
            started_at: None,
            resolved_at: None,
            scheduled_for: None,
            scheduled_until: None,
            url: None,
            components: Vec::new(),
            updates: Vec::new(),
            partial: false,
        }
    }

    /// Adds a component unless one of the same name and group is already listed.
    pub fn add_component(&mut self, component: Component) {
        if !self.components.contains(&component) {
            self.components.push(component);
        }
    }

    /// Sorts the timeline oldest first, takes the start from the first update
    /// when the vendor stated none (unless the timeline is partial), and the
    /// resolution time from the first terminal update when the vendor stated none.
    pub fn normalize(&mut self) {
        self.updates
            .sort_by_key(|u| u.at.map(|t| t.timestamp_millis()).unwrap_or(i64::MAX));
        if self.started_at.is_none() && !self.partial {
            self.started_at = self.first_update_at();
        }
        if self.status.is_terminal() && self.resolved_at.is_none() {
            self.resolved_at = self
                .updates
                .iter()
                .find(|u| u.status.is_terminal())
                .and_then(|u| u.at);
        }
    }

    /// The time of the first update, if any update has a time.
    pub fn first_update_at(&self) -> Option<DateTime<Utc>> {
        self.updates.iter().filter_map(|u| u.at).min()
    }

    /// The time of the last update, if any update has a time.
    pub fn last_update_at(&self) -> Option<DateTime<Utc>> {
        self.updates.iter().filter_map(|u| u.at).max()
    }
}

/// The current state of one component on a status page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredComponentState")]
pub struct ComponentState {
    /// The component's name.
    pub name: String,
    /// Its group, if any.
    pub group: Option<String>,
    /// The vendor's status word, as the page shows it (`degraded_performance`,
    /// `HASISSUES`, `300`), kept for display.
    pub status: String,
    /// What that word means, mapped by the platform's adapter.
    pub state: ComponentStatus,
}

impl ComponentState {
    /// A component in `state`, which the vendor words `status`.
    pub fn new(
        name: impl Into<String>,
        group: Option<String>,
        status: impl Into<String>,
        state: ComponentStatus,
    ) -> Self {
        ComponentState {
            name: name.into(),
            group,
            status: status.into(),
            state,
        }
    }
}

/// The stored form: rows written before the closed status carry only the
/// vendor's word, which is mapped here once.
#[derive(Deserialize)]
struct StoredComponentState {
    name: String,
    #[serde(default)]
    group: Option<String>,
    status: String,
    #[serde(default)]
    state: Option<ComponentStatus>,
}

impl From<StoredComponentState> for ComponentState {
    fn from(s: StoredComponentState) -> Self {
        let state = s
            .state
            .unwrap_or_else(|| ComponentStatus::from_any_word(&s.status));
        ComponentState {
            name: s.name,
            group: s.group,
            status: s.status,
            state,
        }
    }
}

/// Everything one answer (or one set of answers) from a status page says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The page's own name for the vendor, where it gives one.
    pub provider: Option<String>,
    /// Current component states, where the platform gives them.
    pub components: Vec<ComponentState>,
    /// The incidents and maintenances in the answer.
    pub incidents: Vec<Incident>,
    /// What the adapter could not understand; the rest is still usable.
    pub warnings: Vec<Warning>,
}

/// Something an answer held that could not be read, or was cut.
/// Serialized as its text (a snapshot's warnings are read by people);
/// read back as a [`Warning::Note`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// A date the answer states that cannot be read: an answer with one is
    /// refused whole, since reading it as absent would move times.
    UnreadableDate {
        /// The field that held it, where the platform names fields.
        field: Option<String>,
        /// The value, its first 60 characters.
        value: String,
        /// Why it is no date.
        why: String,
    },
    /// Anything else, in words.
    Note(String),
}

impl Warning {
    /// A date stated but unreadable.
    pub fn unreadable_date(field: Option<&str>, value: &str, why: &dyn std::fmt::Display) -> Self {
        Warning::UnreadableDate {
            field: field.map(str::to_string),
            value: value.chars().take(60).collect(),
            why: why.to_string(),
        }
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::UnreadableDate {
                field: Some(field),
                value,
                why,
            } => write!(f, "unreadable date `{value}` in {field}: {why}"),
            Warning::UnreadableDate {
                field: None,
                value,
                why,
            } => write!(f, "unreadable date `{value}`: {why}"),
            Warning::Note(text) => f.write_str(text),
        }
    }
}

impl From<String> for Warning {
    fn from(text: String) -> Self {
        Warning::Note(text)
    }
}

impl From<&str> for Warning {
    fn from(text: &str) -> Self {
        Warning::Note(text.to_string())
    }
}

impl Serialize for Warning {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Warning {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Warning::Note)
    }
}

impl Snapshot {
    /// How many things the answer listed; used to spot a suddenly empty answer.
    pub fn item_count(&self) -> usize {
        self.components.len() + self.incidents.len()
    }
}

/// A stable short hash of some text, for keys where a platform has no ids.
pub fn stable_hash(parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    digest[..10].iter().map(|b| format!("{b:02x}")).collect()
}
