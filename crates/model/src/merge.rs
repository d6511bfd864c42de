//! Merging a fresh observation of an incident into what is stored, and deriving
//! the changes that become events.
//!
//! The rules encode "absence is not resolution": nothing the vendor stopped
//! showing is removed or resolved by that alone. Only what the vendor states
//! (a status, a new update, an edited text) changes what is stored.

use crate::types::{Component, Incident};
use crate::vocab::{EventKind, Kind, Status};
use std::collections::HashMap;

/// One change worth an event: its kind and the update that caused it (an
/// index into the merged incident's `updates`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// What happened.
    pub kind: EventKind,
    /// The update that carried it, if one did.
    pub update: Option<usize>,
}

/// The result of merging an observation into the stored incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The incident to store.
    pub incident: Incident,
    /// Whether anything differs from what was stored (false: store nothing).
    pub changed: bool,
    /// The changes to record as events, in the order they happened.
    pub changes: Vec<Change>,
}

/// How the changes of a merge become events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The source's first successful poll: history is recorded silently; only
    /// incidents open right now produce one event each.
    Baseline,
    /// Every later poll: each new update produces its event.
    Live,
}

/// Merges `next` (what the vendor shows now) into `prev` (what is stored).
pub fn merge(prev: Option<&Incident>, next: &Incident, mode: Mode) -> Merged {
    let Some(prev) = prev else {
        let incident = normalized(next.clone());
        let new: Vec<usize> = (0..incident.updates.len()).collect();
        let changes = changes_for(None, &incident, &new, mode);
        return Merged {
            incident,
            changed: true,
            changes,
        };
    };

    let mut merged = prev.clone();
    merged.title = next.title.clone();
    // A complete timeline from either side makes the merged one complete.
    merged.partial = prev.partial && next.partial;
    if prev.kind == Kind::Incident {
        merged.kind = next.kind;
    }
    merged.status = next.status;
    merged.impact = next.impact.or(prev.impact);
    merged.started_at = next.started_at.or(prev.started_at);
    merged.scheduled_for = next.scheduled_for.or(prev.scheduled_for);
    merged.scheduled_until = next.scheduled_until.or(prev.scheduled_until);
    merged.url = next.url.clone().or_else(|| prev.url.clone());
    merged.resolved_at = if next.status.is_terminal() {
        next.resolved_at.or(prev.resolved_at)
    } else {
        None
    };
    for c in &next.components {
        merged.add_component(Component::clone(c));
    }

    let mut by_key: HashMap<String, usize> = merged
        .updates
        .iter()
        .enumerate()
        .map(|(i, u)| (u.key(), i))
        .collect();
    let mut added_keys = Vec::new();
    for u in &next.updates {
        let key = u.key();
        // The same update seen through a feed (no id) and through the page
        // data (an id): same time, same status. The one with an id stays.
        let twin = by_key.get(&key).copied().or_else(|| {
            merged.updates.iter().position(|s| {
                (s.vendor_id.is_none() != u.vendor_id.is_none())
                    && s.at.is_some()
                    && s.at == u.at
                    && s.status == u.status
            })
        });
        if let Some(i) = twin.filter(|_| !by_key.contains_key(&key)) {
            if u.vendor_id.is_some() {
                let stored = &mut merged.updates[i];
                stored.vendor_id.clone_from(&u.vendor_id);
                stored.body.clone_from(&u.body);
                stored.label.clone_from(&u.label);
                by_key.insert(key, i);
            }
            continue;
        }
        match by_key.get(&key) {
            Some(&i) => {
                let stored = &mut merged.updates[i];
                // An explicit vendor edit of an update's text or heading.
                stored.body.clone_from(&u.body);
                stored.label.clone_from(&u.label);
                stored.status = u.status;
                if u.at.is_some() {
                    stored.at = u.at;
                }
            }
            None => {
                by_key.insert(key.clone(), merged.updates.len());
                merged.updates.push(u.clone());
                added_keys.push(key);
            }
        }
    }
    let merged = normalized(merged);
    let new: Vec<usize> = merged
        .updates
        .iter()
        .enumerate()
        .filter(|(_, u)| added_keys.contains(&u.key()))
        .map(|(i, _)| i)
        .collect();
    let changed = &merged != prev;
    let changes = if changed {
        changes_for(Some(prev), &merged, &new, mode)
    } else {
        Vec::new()
    };
    Merged {
        incident: merged,
        changed,
        changes,
    }
}

fn normalized(mut incident: Incident) -> Incident {
    incident.normalize();
    incident
}

fn opening_kind(incident: &Incident, first_status: Status) -> EventKind {
    match incident.kind {
        Kind::Incident => EventKind::IncidentOpened,
        Kind::Maintenance => match first_status {
            Status::InProgress | Status::Verifying => EventKind::MaintenanceStarted,
            Status::Completed => EventKind::MaintenanceCompleted,
            _ => EventKind::MaintenanceScheduled,
        },
    }
}

fn transition_kind(kind: Kind, from: Option<Status>, to: Status) -> EventKind {
    let was_terminal = from.is_some_and(Status::is_terminal);
    match kind {
        Kind::Incident if to.is_terminal() && !was_terminal => EventKind::IncidentResolved,
        Kind::Incident => EventKind::IncidentUpdated,
        Kind::Maintenance => match to {
            Status::Completed if from != Some(Status::Completed) => EventKind::MaintenanceCompleted,
            Status::InProgress
                if !matches!(from, Some(Status::InProgress) | Some(Status::Verifying)) =>
            {
                EventKind::MaintenanceStarted
            }
            _ => EventKind::MaintenanceUpdated,
        },
    }
}

/// The changes between `prev` and `merged`, given the indices of new updates.
fn changes_for(
    prev: Option<&Incident>,
    merged: &Incident,
    new: &[usize],
    mode: Mode,
) -> Vec<Change> {
    let mut out = Vec::new();
    match prev {
        None => {
            let first_status = new
                .first()
                .map(|&i| merged.updates[i].status)
                .unwrap_or(merged.status);
            if mode == Mode::Baseline {
                if !merged.status.is_terminal() {
                    out.push(Change {
                        kind: opening_kind(merged, merged.status),
                        update: new.last().copied(),
                    });
                }
                return out;
            }
            out.push(Change {
                kind: opening_kind(merged, first_status),
                update: new.first().copied(),
            });
            let mut status = Some(first_status);
            for &i in new.iter().skip(1) {
                let to = merged.updates[i].status;
                out.push(Change {
                    kind: transition_kind(merged.kind, status, to),
                    update: Some(i),
                });
                status = Some(to);
            }
            if new.is_empty() && merged.status != first_status {
                out.push(Change {
                    kind: transition_kind(merged.kind, Some(first_status), merged.status),
                    update: None,
                });
            }
        }
        Some(prev) => {
            let mut status = Some(prev.status);
            for &i in new {
                let to = merged.updates[i].status;
                out.push(Change {
                    kind: transition_kind(merged.kind, status, to),
                    update: Some(i),
                });
                status = Some(to);
            }
            if status != Some(merged.status) && new.is_empty() {
                out.push(Change {
                    kind: transition_kind(merged.kind, Some(prev.status), merged.status),
                    update: None,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Update;
    use chrono::{TimeZone, Utc};

    fn upd(id: &str, status: Status, label: &str, minute: u32) -> Update {
        Update {
            vendor_id: Some(id.into()),
            status,
            label: label.into(),
            at: Some(Utc.with_ymd_and_hms(2026, 1, 1, 10, minute, 0).unwrap()),
            body: format!("{label} body"),
        }
    }

    fn incident(updates: Vec<Update>) -> Incident {
        let mut i = Incident::new("abc", "API errors", updates.last().unwrap().status);
        i.updates = updates;
        i
    }

    #[test]
    fn a_new_incident_opens_then_updates_in_order() {
        let next = incident(vec![
            upd("1", Status::Investigating, "Investigating", 0),
            upd("2", Status::Identified, "Identified", 5),
        ]);
        let m = merge(None, &next, Mode::Live);
        let kinds: Vec<_> = m.changes.iter().map(|c| (c.kind, c.update)).collect();
        assert_eq!(
            kinds,
            vec![
                (EventKind::IncidentOpened, Some(0)),
                (EventKind::IncidentUpdated, Some(1))
            ]
        );
        assert_eq!(m.incident.started_at, next.updates[0].at);
    }

    #[test]
    fn the_same_observation_twice_changes_nothing() {
        let next = incident(vec![upd("1", Status::Investigating, "Investigating", 0)]);
        let first = merge(None, &next, Mode::Live).incident;
        let again = merge(Some(&first), &next, Mode::Live);
        assert!(!again.changed);
        assert!(again.changes.is_empty());
    }

    #[test]
    fn resolution_and_postmortem_are_distinct_events() {
        let v1 = incident(vec![upd("1", Status::Investigating, "Investigating", 0)]);
        let stored = merge(None, &v1, Mode::Live).incident;
        let v2 = incident(vec![
            upd("1", Status::Investigating, "Investigating", 0),
            upd("2", Status::Resolved, "Resolved", 30),
        ]);
        let m = merge(Some(&stored), &v2, Mode::Live);
        assert_eq!(m.changes[0].kind, EventKind::IncidentResolved);
        assert_eq!(m.incident.resolved_at, v2.updates[1].at);
        let v3 = incident(vec![
            upd("1", Status::Investigating, "Investigating", 0),
            upd("2", Status::Resolved, "Resolved", 30),
            upd("3", Status::Postmortem, "Postmortem", 59),
        ]);
        let m3 = merge(Some(&m.incident), &v3, Mode::Live);
        assert_eq!(m3.changes.len(), 1);
        assert_eq!(m3.changes[0].kind, EventKind::IncidentUpdated);
        assert_eq!(
            m3.incident.resolved_at, v2.updates[1].at,
            "resolution time kept"
        );
    }

    #[test]
    fn updates_missing_from_an_answer_are_kept() {
        let full = incident(vec![
            upd("1", Status::Investigating, "Investigating", 0),
            upd("2", Status::Identified, "Identified", 5),
        ]);
        let stored = merge(None, &full, Mode::Live).incident;
        let partial = incident(vec![upd("2", Status::Identified, "Identified", 5)]);
        let m = merge(Some(&stored), &partial, Mode::Live);
        assert_eq!(m.incident.updates.len(), 2);
        assert!(!m.changed);
    }

    #[test]
    fn baseline_records_history_silently() {
        let resolved = incident(vec![
            upd("1", Status::Investigating, "Investigating", 0),
            upd("2", Status::Resolved, "Resolved", 5),
        ]);
        assert!(merge(None, &resolved, Mode::Baseline).changes.is_empty());
        let open = incident(vec![
            upd("1", Status::Investigating, "Investigating", 0),
            upd("2", Status::Identified, "Identified", 5),
        ]);
        let m = merge(None, &open, Mode::Baseline);
        assert_eq!(
            m.changes,
            vec![Change {
                kind: EventKind::IncidentOpened,
                update: Some(1)
            }]
        );
    }

    #[test]
    fn maintenance_phases() {
        let mut m1 = incident(vec![upd("1", Status::Scheduled, "Scheduled", 0)]);
        m1.kind = Kind::Maintenance;
        let s = merge(None, &m1, Mode::Live);
        assert_eq!(s.changes[0].kind, EventKind::MaintenanceScheduled);
        let mut m2 = m1.clone();
        m2.updates
            .push(upd("2", Status::InProgress, "In progress", 10));
        m2.updates
            .push(upd("3", Status::Verifying, "Verifying", 20));
        m2.updates
            .push(upd("4", Status::Completed, "Completed", 30));
        m2.status = Status::Completed;
        let kinds: Vec<_> = merge(Some(&s.incident), &m2, Mode::Live)
            .changes
            .iter()
            .map(|c| c.kind)
            .collect();
        assert_eq!(
            kinds,
            vec![
                EventKind::MaintenanceStarted,
                EventKind::MaintenanceUpdated,
                EventKind::MaintenanceCompleted
            ]
        );
    }

    #[test]
    fn components_accumulate_and_impact_is_kept_when_unstated() {
        let mut a = incident(vec![upd("1", Status::Investigating, "Investigating", 0)]);
        a.impact = Some(crate::Impact::Major);
        a.components.push(Component {
            name: "API".into(),
            group: None,
        });
        let stored = merge(None, &a, Mode::Live).incident;
        let mut b = a.clone();
        b.impact = None;
        b.components = vec![Component {
            name: "Web".into(),
            group: Some("Frontend".into()),
        }];
        let m = merge(Some(&stored), &b, Mode::Live);
        assert_eq!(m.incident.impact, Some(crate::Impact::Major));
        assert_eq!(m.incident.components.len(), 2);
    }

    #[test]
    fn an_update_seen_through_a_feed_and_the_page_data_is_one() {
        let feed = {
            let mut u = upd("x", Status::Resolved, "Resolved", 30);
            u.vendor_id = None;
            let mut i = incident(vec![u]);
            i.partial = true;
            i
        };
        let stored = merge(None, &feed, Mode::Live).incident;
        assert_eq!(
            stored.started_at, None,
            "a feed's last update is not the start"
        );
        let page = incident(vec![
            upd("1", Status::Investigating, "Investigating", 0),
            upd("2", Status::Resolved, "Resolved", 30),
        ]);
        let m = merge(Some(&stored), &page, Mode::Live);
        assert_eq!(m.incident.updates.len(), 2);
        assert_eq!(m.incident.updates[1].vendor_id.as_deref(), Some("2"));
        assert!(!m.incident.partial);
        assert_eq!(m.incident.started_at, page.updates[0].at);
        // And the feed again changes nothing.
        let again = merge(Some(&m.incident), &feed, Mode::Live);
        assert!(!again.changed);
    }
}
