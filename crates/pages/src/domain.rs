//! Pages of one's own: what an operator's statement does to a page, pure.
//! The CLI (and later the API) builds the page's new state with these, and
//! [`statuswatch_engine::Poller::publish`] writes it like a vendor's answer, events and
//! outbox rows included.

use chrono::{DateTime, Utc};
use rand::Rng;
use statuswatch_model::{
    Component, ComponentState, ComponentStatus, Impact, Incident, Kind, Status, Update,
};

/// A new id in Statuspage's form: 12 characters of `[0-9a-z]`.
pub fn new_id() -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut rng = rand::rng();
    (0..12)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Whether `slug` may name a page: 1 to 64 of `[a-z0-9-]`, not starting or
/// ending with `-`.
pub fn valid_slug(slug: &str) -> bool {
    (1..=64).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

/// Statuspage's word for a component state.
pub fn component_word(s: ComponentStatus) -> &'static str {
    match s {
        ComponentStatus::Operational | ComponentStatus::Unknown => "operational",
        ComponentStatus::Degraded => "degraded_performance",
        ComponentStatus::PartialOutage => "partial_outage",
        ComponentStatus::MajorOutage => "major_outage",
        ComponentStatus::Maintenance => "under_maintenance",
    }
}

/// What an open incident of this impact does to the components it names.
fn state_of(incident: &Incident, now: DateTime<Utc>) -> Option<ComponentStatus> {
    if incident.status.is_terminal() {
        return None;
    }
    match incident.kind {
        Kind::Maintenance => {
            let started = matches!(incident.status, Status::InProgress | Status::Verifying)
                || incident.scheduled_for.is_some_and(|f| f <= now)
                    && incident.scheduled_until.is_none_or(|u| u > now);
            started.then_some(ComponentStatus::Maintenance)
        }
        Kind::Incident => Some(match incident.impact {
            Some(Impact::Critical) => ComponentStatus::MajorOutage,
            Some(Impact::Major) => ComponentStatus::PartialOutage,
            Some(Impact::Minor) => ComponentStatus::Degraded,
            Some(Impact::None) | Some(Impact::Maintenance) | None => ComponentStatus::Operational,
        }),
    }
}

/// The page's components as its open incidents and maintenances leave them:
/// each takes the worst state any of them gives it (an incident's impact,
/// a maintenance under way), operational otherwise.
pub fn component_states(
    components: &[ComponentState],
    open: &[Incident],
    now: DateTime<Utc>,
) -> Vec<ComponentState> {
    components
        .iter()
        .map(|c| {
            let named = Component {
                name: c.name.clone(),
                group: c.group.clone(),
            };
            let states = open
                .iter()
                .filter(|i| i.components.contains(&named))
                .filter_map(|i| state_of(i, now));
            let state = ComponentStatus::worst(states.chain([ComponentStatus::Operational]))
                .unwrap_or(ComponentStatus::Operational);
            ComponentState::new(
                c.name.clone(),
                c.group.clone(),
                component_word(state),
                state,
            )
        })
        .collect()
}

/// A new update at `now`.
pub fn update(status: Status, body: &str, now: DateTime<Utc>) -> Update {
    Update {
        vendor_id: Some(new_id()),
        status,
        label: status.heading().to_string(),
        at: Some(now),
        body: body.to_string(),
    }
}

/// A new incident, opened now with its first update.
pub fn open_incident(
    title: &str,
    message: &str,
    status: Status,
    impact: Impact,
    components: Vec<Component>,
    now: DateTime<Utc>,
) -> Incident {
    let mut i = Incident::new(new_id(), title, status);
    i.kind = Kind::Incident;
    i.impact = Some(impact);
    i.started_at = Some(now);
    i.components = components;
    i.updates.push(update(status, message, now));
    i
}

/// A new maintenance, scheduled for a window.
pub fn schedule_maintenance(
    title: &str,
    message: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    components: Vec<Component>,
    now: DateTime<Utc>,
) -> Incident {
    let mut i = Incident::new(new_id(), title, Status::Scheduled);
    i.kind = Kind::Maintenance;
    i.impact = Some(Impact::Maintenance);
    i.scheduled_for = Some(from);
    i.scheduled_until = Some(until);
    i.started_at = Some(from);
    i.components = components;
    i.updates.push(update(Status::Scheduled, message, now));
    i
}

/// `incident` after a new update: its status, and its impact when given; a
/// terminal status sets the resolution time.
pub fn advance(
    incident: &Incident,
    status: Status,
    message: &str,
    impact: Option<Impact>,
    now: DateTime<Utc>,
) -> Incident {
    let mut i = incident.clone();
    i.status = status;
    if let Some(impact) = impact {
        i.impact = Some(impact);
    }
    if status.is_terminal() && i.resolved_at.is_none() {
        i.resolved_at = Some(now);
    }
    i.updates.push(update(status, message, now));
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ids_and_slugs() {
        let id = new_id();
        assert_eq!(id.len(), 12);
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(new_id(), new_id());
        assert!(valid_slug("acme-api"));
        assert!(!valid_slug("Acme"));
        assert!(!valid_slug("-a"));
        assert!(!valid_slug(""));
        assert!(!valid_slug("a/b"));
    }

    #[test]
    fn components_take_the_worst_state_open_incidents_give_them() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        let api = ComponentState::new("API", None, "operational", ComponentStatus::Operational);
        let web = ComponentState::new(
            "Web",
            Some("Front".into()),
            "operational",
            ComponentStatus::Operational,
        );
        let c = |n: &str, g: Option<&str>| Component {
            name: n.into(),
            group: g.map(String::from),
        };
        let minor = open_incident(
            "slow",
            "m",
            Status::Investigating,
            Impact::Minor,
            vec![c("API", None)],
            now,
        );
        let critical = open_incident(
            "down",
            "m",
            Status::Identified,
            Impact::Critical,
            vec![c("API", None)],
            now,
        );
        let states = component_states(
            &[api.clone(), web.clone()],
            std::slice::from_ref(&minor),
            now,
        );
        assert_eq!(states[0].status, "degraded_performance");
        assert_eq!(states[1].status, "operational");
        let states = component_states(std::slice::from_ref(&api), &[minor, critical.clone()], now);
        assert_eq!(states[0].state, ComponentStatus::MajorOutage);
        // Resolved: back to operational.
        let resolved = advance(&critical, Status::Resolved, "fixed", None, now);
        assert_eq!(resolved.resolved_at, Some(now));
        let states = component_states(std::slice::from_ref(&api), &[resolved], now);
        assert_eq!(states[0].status, "operational");
        // A maintenance counts only while under way.
        let later = now + chrono::Duration::hours(1);
        let m = schedule_maintenance(
            "upgrade",
            "",
            later,
            later + chrono::Duration::hours(1),
            vec![c("Web", Some("Front"))],
            now,
        );
        assert_eq!(
            component_states(std::slice::from_ref(&web), std::slice::from_ref(&m), now)[0].status,
            "operational"
        );
        assert_eq!(
            component_states(&[web], &[m], later + chrono::Duration::minutes(5))[0].status,
            "under_maintenance"
        );
    }
}
