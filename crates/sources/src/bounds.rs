//! What any one answer may put in the store, whatever its platform: a bound
//! on how many components and incidents it lists (a vendor listing 100,000
//! components would otherwise make every page showing them render 100,000
//! rows), dates within the years status pages exist, one incident per id,
//! and links that are web addresses. What is cut or dropped is named in a
//! warning; the answer is still read.

use chrono::{DateTime, Duration, TimeZone, Utc};
use statuswatch_model::{Incident, Snapshot, Warning};
use std::collections::HashSet;

/// Components kept from one answer (the largest real pages list a few hundred).
pub const MAX_COMPONENTS: usize = 2_000;
/// Incidents kept from one answer (the longest real histories list under 200).
pub const MAX_INCIDENTS: usize = 2_000;
/// Components kept per incident.
pub const MAX_INCIDENT_COMPONENTS: usize = 500;
/// Updates kept per incident (real incidents have a few dozen at most).
pub const MAX_UPDATES: usize = 1_000;
/// Characters kept of a title, a component's name or a group's.
pub const MAX_NAME_CHARS: usize = 1_000;
/// Years after the answer a date may lie (maintenance is announced months ahead).
pub const MAX_YEARS_AHEAD: i64 = 5;

/// The earliest date an answer may state: status pages are younger.
fn earliest() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(1995, 1, 1, 0, 0, 0)
        .single()
        .expect("a valid date")
}

/// Holds `snapshot` to the bounds above, as read at `now`.
pub(crate) fn bound(snapshot: &mut Snapshot, now: DateTime<Utc>) {
    let w = &mut snapshot.warnings;
    let components = snapshot.components.len();
    if components > MAX_COMPONENTS {
        snapshot.components.truncate(MAX_COMPONENTS);
        w.push(
            format!(
                "the answer lists {components} components; the first {MAX_COMPONENTS} are kept"
            )
            .into(),
        );
    }
    for c in &mut snapshot.components {
        cut(&mut c.name);
        if let Some(g) = &mut c.group {
            cut(g);
        }
    }

    // One incident per id: a second one with the same id would rewrite the
    // first's updates with its own.
    let mut seen = HashSet::new();
    let before = snapshot.incidents.len();
    snapshot
        .incidents
        .retain(|i| seen.insert(i.vendor_id.clone()));
    if snapshot.incidents.len() < before {
        w.push(
            format!(
                "{} incidents listed again under an id already listed; the first of each is kept",
                before - snapshot.incidents.len()
            )
            .into(),
        );
    }

    let incidents = snapshot.incidents.len();
    if incidents > MAX_INCIDENTS {
        // The open ones first, then the newest.
        snapshot.incidents.sort_by_key(|i| {
            (
                i.status.is_terminal(),
                std::cmp::Reverse(i.started_at.or(i.scheduled_for)),
            )
        });
        snapshot.incidents.truncate(MAX_INCIDENTS);
        w.push(
            format!(
            "the answer lists {incidents} incidents; the {MAX_INCIDENTS} open or newest are kept"
        )
            .into(),
        );
    }

    // A context made without a time (`Context::default()`) sets no upper bound.
    let latest = if now < earliest() {
        DateTime::<Utc>::MAX_UTC
    } else {
        now + Duration::days(365 * MAX_YEARS_AHEAD)
    };
    for i in &mut snapshot.incidents {
        bound_incident(i, earliest(), latest, w);
    }
}

fn bound_incident(
    i: &mut Incident,
    earliest: DateTime<Utc>,
    latest: DateTime<Utc>,
    w: &mut Vec<Warning>,
) {
    cut(&mut i.title);
    if let Some(url) = &i.url {
        let web = url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if !web {
            w.push(
                format!(
                    "incident {}: its link `{}` is not a web address; it is not kept",
                    i.vendor_id,
                    url.chars().take(60).collect::<String>()
                )
                .into(),
            );
            i.url = None;
        }
    }
    let n = i.components.len();
    if n > MAX_INCIDENT_COMPONENTS {
        i.components.truncate(MAX_INCIDENT_COMPONENTS);
        w.push(
            format!(
                "incident {} names {n} components; the first {MAX_INCIDENT_COMPONENTS} are kept",
                i.vendor_id
            )
            .into(),
        );
    }
    let n = i.updates.len();
    if n > MAX_UPDATES {
        // The timeline is oldest first: the newest are what a reader follows.
        i.updates.drain(..n - MAX_UPDATES);
        i.partial = true;
        w.push(
            format!(
                "incident {} has {n} updates; the newest {MAX_UPDATES} are kept",
                i.vendor_id
            )
            .into(),
        );
    }
    let mut dropped = Vec::new();
    let mut check = |what: &str, t: &mut Option<DateTime<Utc>>| {
        if let Some(at) = *t {
            if at < earliest || at > latest {
                dropped.push(format!("{what} {}", at.format("%Y-%m-%d")));
                *t = None;
            }
        }
    };
    check("start", &mut i.started_at);
    check("end", &mut i.resolved_at);
    check("window start", &mut i.scheduled_for);
    check("window end", &mut i.scheduled_until);
    for u in &mut i.updates {
        check("update time", &mut u.at);
    }
    if !dropped.is_empty() {
        w.push(
            format!(
            "incident {}: dates before {} or over {MAX_YEARS_AHEAD} years ahead are not used ({})",
            i.vendor_id,
            earliest.format("%Y"),
            dropped.join(", ")
        )
            .into(),
        );
        i.normalize();
    }
}

/// Cuts a name at [`MAX_NAME_CHARS`] characters.
fn cut(s: &mut String) {
    if let Some((at, _)) = s.char_indices().nth(MAX_NAME_CHARS) {
        s.truncate(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use statuswatch_model::{ComponentState, ComponentStatus, Status, Update};

    fn at(y: i32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, 3, 1, 12, 0, 0).unwrap()
    }

    #[test]
    fn absurd_dates_are_dropped_and_named() {
        let mut i = Incident::new("a", "t", Status::Investigating);
        i.started_at = Some(at(9999));
        i.updates.push(Update {
            vendor_id: None,
            status: Status::Investigating,
            label: "Investigating".into(),
            at: Some(at(2026)),
            body: String::new(),
        });
        i.updates.push(Update {
            vendor_id: None,
            status: Status::Identified,
            label: "Identified".into(),
            at: Some(at(1900)),
            body: String::new(),
        });
        let mut s = Snapshot {
            incidents: vec![i],
            ..Snapshot::default()
        };
        bound(&mut s, at(2026));
        let i = &s.incidents[0];
        // The start falls back to the first update that has a sound time.
        assert_eq!(i.started_at, Some(at(2026)));
        assert_eq!(i.updates.iter().filter(|u| u.at.is_none()).count(), 1);
        assert!(
            s.warnings[0].to_string().contains("start 9999-03-01")
                && s.warnings[0].to_string().contains("1900-03-01"),
            "{:?}",
            s.warnings
        );
    }

    #[test]
    fn a_repeated_id_keeps_the_first() {
        let a = Incident::new("x", "first", Status::Investigating);
        let b = Incident::new("x", "second", Status::Resolved);
        let mut s = Snapshot {
            incidents: vec![a, b],
            ..Snapshot::default()
        };
        bound(&mut s, at(2026));
        assert_eq!(s.incidents.len(), 1);
        assert_eq!(s.incidents[0].title, "first");
        assert!(
            s.warnings[0].to_string().contains("listed again"),
            "{:?}",
            s.warnings
        );
    }

    #[test]
    fn lists_beyond_their_bound_are_cut_with_a_warning() {
        let mut s = Snapshot::default();
        for k in 0..MAX_COMPONENTS + 5 {
            s.components.push(ComponentState::new(
                format!("c{k}"),
                None,
                "operational",
                ComponentStatus::Operational,
            ));
        }
        for k in 0..MAX_INCIDENTS + 3 {
            let mut i = Incident::new(format!("i{k}"), "t", Status::Resolved);
            i.started_at = Some(at(2020) + Duration::hours(k as i64));
            s.incidents.push(i);
        }
        s.incidents[0].status = Status::Investigating; // the oldest, but open
        bound(&mut s, at(2026));
        assert_eq!(s.components.len(), MAX_COMPONENTS);
        assert_eq!(s.incidents.len(), MAX_INCIDENTS);
        assert!(s.incidents.iter().any(|i| i.vendor_id == "i0"), "open kept");
        assert!(
            !s.incidents.iter().any(|i| i.vendor_id == "i1"),
            "oldest cut"
        );
        assert_eq!(s.warnings.len(), 2, "{:?}", s.warnings);
    }

    #[test]
    fn only_web_links_are_kept() {
        let mut a = Incident::new("a", "t", Status::Investigating);
        a.url = Some("javascript:alert(1)".into());
        let mut b = Incident::new("b", "t", Status::Investigating);
        b.url = Some("https://status.example.com/incidents/b".into());
        let mut s = Snapshot {
            incidents: vec![a, b],
            ..Snapshot::default()
        };
        bound(&mut s, at(2026));
        assert_eq!(s.incidents[0].url, None);
        assert_eq!(
            s.incidents[1].url.as_deref(),
            Some("https://status.example.com/incidents/b")
        );
    }
}
