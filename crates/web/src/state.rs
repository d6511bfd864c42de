//! What people see at a glance, computed from what is stored: a provider's
//! state, a component's state, 90 days of uptime, and history figures. Pure.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde::Serialize;
use statuswatch_model::{ComponentStatus, Impact, Incident, Kind, Status};
use statuswatch_store::{Source, StoredIncident};

/// The state of a provider or a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// A major or critical incident, or a component in outage.
    Outage,
    /// Another open incident, or a degraded component.
    Degraded,
    /// A maintenance under way.
    Maintenance,
    /// Nothing open.
    Operational,
    /// Never read successfully.
    Unknown,
}

impl State {
    /// The word shown and used in CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Outage => "outage",
            State::Degraded => "degraded",
            State::Maintenance => "maintenance",
            State::Operational => "operational",
            State::Unknown => "unknown",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            State::Outage => "Outage",
            State::Degraded => "Degraded",
            State::Maintenance => "Maintenance",
            State::Operational => "Operational",
            State::Unknown => "Unknown",
        }
    }

    /// The colour of badges and bars.
    pub fn colour(self) -> &'static str {
        match self {
            State::Outage => "#d1242f",
            State::Degraded => "#bf8700",
            State::Maintenance => "#0969da",
            State::Operational => "#1a7f37",
            State::Unknown => "#6e7781",
        }
    }
}

/// The state a component's status puts it in (outages of any extent are outages).
pub fn component_state(status: ComponentStatus) -> State {
    match status {
        ComponentStatus::Operational => State::Operational,
        ComponentStatus::Degraded => State::Degraded,
        ComponentStatus::PartialOutage | ComponentStatus::MajorOutage => State::Outage,
        ComponentStatus::Maintenance => State::Maintenance,
        ComponentStatus::Unknown => State::Unknown,
    }
}

/// Whether an incident is open (not resolved or completed).
pub fn is_open(i: &Incident) -> bool {
    !i.status.is_terminal()
}

/// The state one open incident or maintenance puts its provider in.
pub fn incident_state(i: &Incident, now: DateTime<Utc>) -> Option<State> {
    if !is_open(i) {
        return None;
    }
    if i.kind == Kind::Maintenance {
        let started = i.status == Status::InProgress
            || i.status == Status::Verifying
            || i.scheduled_for.is_some_and(|s| s <= now)
                && i.scheduled_until.is_none_or(|u| u > now);
        return started.then_some(State::Maintenance);
    }
    Some(match i.impact {
        Some(Impact::Major) | Some(Impact::Critical) => State::Outage,
        Some(Impact::Maintenance) => State::Maintenance,
        _ => State::Degraded,
    })
}

/// A provider's state: the worst of its open incidents and its components.
pub fn provider_state(source: &Source, open: &[&StoredIncident], now: DateTime<Utc>) -> State {
    if source.health.last_poll_at.is_none() || (!source.baselined && open.is_empty()) {
        return State::Unknown;
    }
    let from_incidents = open.iter().filter_map(|s| incident_state(&s.incident, now));
    let from_components = source
        .components
        .iter()
        .map(|c| component_state(c.state))
        .filter(|s| *s != State::Unknown);
    from_incidents
        .chain(from_components)
        .min()
        .unwrap_or(State::Operational)
}

/// One day of a component's (or a provider's) uptime bar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Day {
    /// The day (UTC).
    pub date: NaiveDate,
    /// The worst state that day.
    pub state: State,
    /// Minutes of outage (major or critical incidents) that day.
    pub outage_minutes: i64,
    /// Minutes of other incidents that day.
    pub degraded_minutes: i64,
    /// Titles of the incidents that day.
    pub incidents: Vec<String>,
}

/// Uptime over some days: one entry per day, oldest first, and the share of
/// the period without outage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Uptime {
    /// Per day.
    pub days: Vec<Day>,
    /// Percent of minutes without a major or critical incident.
    pub percent: f64,
}

fn interval(i: &Incident, now: DateTime<Utc>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    span_interval(&Span::from(i), now)
}

fn span_interval(i: &Span, now: DateTime<Utc>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    if i.maintenance {
        return None;
    }
    let start = i.started_at?;
    let end = i.resolved_at.unwrap_or(now).min(now);
    (end > start).then_some((start, end))
}

/// Merges overlapping intervals and returns their total minutes within [from, to).
fn covered(
    mut spans: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> i64 {
    spans.retain(|(a, b)| *b > from && *a < to);
    spans.sort();
    let mut total = Duration::zero();
    let mut cur: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
    for (a, b) in spans {
        let (a, b) = (a.max(from), b.min(to));
        match cur {
            Some((ca, cb)) if a <= cb => cur = Some((ca, cb.max(b))),
            Some((ca, cb)) => {
                total += cb - ca;
                cur = Some((a, b));
            }
            None => cur = Some((a, b)),
        }
    }
    if let Some((a, b)) = cur {
        total += b - a;
    }
    total.num_minutes()
}

/// Uptime over the `days` days up to `now`, from these incidents (all of
/// which the caller chose: a provider's, or those naming one component).
/// Major and critical incidents count as outage; others as degraded.
pub fn uptime<'a>(
    incidents: impl IntoIterator<Item = &'a Incident>,
    days: i64,
    now: DateTime<Utc>,
) -> Uptime {
    let today = now.date_naive();
    let first = today - Duration::days(days - 1);
    let mut outage = Vec::new();
    let mut degraded = Vec::new();
    let mut titled: Vec<(DateTime<Utc>, DateTime<Utc>, &str)> = Vec::new();
    for i in incidents {
        let Some(span) = interval(i, now) else {
            continue;
        };
        if matches!(i.impact, Some(Impact::Major) | Some(Impact::Critical)) {
            outage.push(span);
        } else {
            degraded.push(span);
        }
        titled.push((span.0, span.1, &i.title));
    }
    let mut out = Vec::with_capacity(days as usize);
    for k in 0..days {
        let date = first + Duration::days(k);
        let from = Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight"));
        let to = (from + Duration::days(1)).min(now.max(from));
        let o = covered(outage.clone(), from, to);
        let d = covered(degraded.clone(), from, to);
        let state = if o > 0 {
            State::Outage
        } else if d > 0 {
            State::Degraded
        } else {
            State::Operational
        };
        let incidents = titled
            .iter()
            .filter(|(a, b, _)| *b > from && *a < from + Duration::days(1))
            .map(|(_, _, t)| t.to_string())
            .collect();
        out.push(Day {
            date,
            state,
            outage_minutes: o,
            degraded_minutes: d,
            incidents,
        });
    }
    let start = Utc.from_utc_datetime(&first.and_hms_opt(0, 0, 0).expect("midnight"));
    let total = (now - start).num_minutes().max(1);
    let down = covered(outage, start, now);
    Uptime {
        days: out,
        percent: 100.0 * (total - down) as f64 / total as f64,
    }
}

/// Figures over a set of incidents (maintenance excluded).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// Incidents counted.
    pub incidents: usize,
    /// Incidents per month, oldest first (`YYYY-MM`, count).
    pub per_month: Vec<(String, usize)>,
    /// Minutes covered by at least one incident.
    pub impacted_minutes: i64,
    /// Mean minutes from start to resolution, over resolved incidents.
    pub mean_time_to_resolve_minutes: Option<i64>,
    /// Incidents by stated impact (`none`, `minor`, `major`, `critical`, `unstated`).
    pub by_impact: Vec<(String, usize)>,
}

/// What figures read of an incident: its span and stated impact.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    /// A maintenance counts for nothing.
    pub maintenance: bool,
    /// When it started.
    pub started_at: Option<DateTime<Utc>>,
    /// When it was resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Its stated impact.
    pub impact: Option<Impact>,
}

impl From<&Incident> for Span {
    fn from(i: &Incident) -> Self {
        Span {
            maintenance: i.kind == Kind::Maintenance,
            started_at: i.started_at,
            resolved_at: i.resolved_at,
            impact: i.impact,
        }
    }
}

impl From<&statuswatch_store::IncidentSpan> for Span {
    fn from(i: &statuswatch_store::IncidentSpan) -> Self {
        Span {
            maintenance: false,
            started_at: i.started_at,
            resolved_at: i.resolved_at,
            impact: i.impact,
        }
    }
}

/// Figures of `incidents` over the months from `since` to `now`.
pub fn figures<S: Into<Span>>(
    incidents: impl IntoIterator<Item = S>,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Figures {
    let mut months: Vec<(String, usize)> = Vec::new();
    let mut m = NaiveDate::from_ymd_opt(since.year(), since.month(), 1).expect("a month");
    let last = NaiveDate::from_ymd_opt(now.year(), now.month(), 1).expect("a month");
    while m <= last {
        months.push((m.format("%Y-%m").to_string(), 0));
        m = m
            .checked_add_months(chrono::Months::new(1))
            .expect("a month");
    }
    let mut spans = Vec::new();
    let mut resolve = Vec::new();
    let mut count = 0;
    let mut by_impact: Vec<(String, usize)> = ["critical", "major", "minor", "none", "unstated"]
        .iter()
        .map(|k| (k.to_string(), 0))
        .collect();
    for i in incidents {
        let i: Span = i.into();
        if i.maintenance {
            continue;
        }
        count += 1;
        if let Some(start) = i.started_at {
            let key = start.format("%Y-%m").to_string();
            if let Some(e) = months.iter_mut().find(|(k, _)| *k == key) {
                e.1 += 1;
            }
            if let Some(end) = i.resolved_at.filter(|e| *e >= start) {
                resolve.push((end - start).num_minutes());
            }
        }
        if let Some(span) = span_interval(&i, now) {
            spans.push(span);
        }
        let k = i.impact.map(|x| x.as_str()).unwrap_or("unstated");
        if let Some(e) = by_impact.iter_mut().find(|(n, _)| n == k) {
            e.1 += 1;
        }
    }
    Figures {
        incidents: count,
        per_month: months,
        impacted_minutes: covered(spans, since, now),
        mean_time_to_resolve_minutes: (!resolve.is_empty())
            .then(|| resolve.iter().sum::<i64>() / resolve.len() as i64),
        by_impact,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use statuswatch_model::Component;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn inc(start: &str, end: Option<&str>, impact: Impact) -> Incident {
        let mut i = Incident::new(
            "x",
            "Outage",
            if end.is_some() {
                Status::Resolved
            } else {
                Status::Investigating
            },
        );
        i.started_at = Some(t(start));
        i.resolved_at = end.map(t);
        i.impact = Some(impact);
        i.components.push(Component {
            name: "API".into(),
            group: None,
        });
        i
    }

    #[test]
    fn component_words_of_every_platform() {
        for (w, s) in [
            ("operational", State::Operational),
            ("degraded_performance", State::Degraded),
            ("Partial Service Disruption", State::Outage),
            ("major_outage", State::Outage),
            ("downtime", State::Outage),
            ("UNDERMAINTENANCE", State::Maintenance),
            ("yellow", State::Degraded),
            ("under_maintenance", State::Maintenance),
            ("whatever", State::Unknown),
        ] {
            assert_eq!(component_state(ComponentStatus::from_any_word(w)), s, "{w}");
        }
    }

    #[test]
    fn uptime_counts_overlapping_outages_once_and_splits_days() {
        let now = t("2026-11-20T12:00:00Z");
        let a = inc(
            "2026-11-19T23:00:00Z",
            Some("2026-11-20T01:00:00Z"),
            Impact::Major,
        );
        let b = inc(
            "2026-11-20T00:30:00Z",
            Some("2026-11-20T02:00:00Z"),
            Impact::Critical,
        );
        let c = inc(
            "2026-11-18T10:00:00Z",
            Some("2026-11-18T11:00:00Z"),
            Impact::Minor,
        );
        let u = uptime([&a, &b, &c], 3, now);
        assert_eq!(u.days.len(), 3);
        assert_eq!(u.days[0].date.to_string(), "2026-11-18");
        assert_eq!(
            (u.days[0].state, u.days[0].degraded_minutes),
            (State::Degraded, 60)
        );
        assert_eq!(
            (u.days[1].state, u.days[1].outage_minutes),
            (State::Outage, 60)
        );
        assert_eq!(
            u.days[2].outage_minutes, 120,
            "23:00-02:00 with overlap, today's part"
        );
        let total = 2 * 1440 + 12 * 60;
        let expect = 100.0 * (total - 180) as f64 / total as f64;
        assert!(
            (u.percent - expect).abs() < 1e-9,
            "{} vs {expect}",
            u.percent
        );
    }

    #[test]
    fn figures_per_month_impacted_time_and_mean_time_to_resolve() {
        let now = t("2026-11-20T12:00:00Z");
        let a = inc(
            "2026-10-05T10:00:00Z",
            Some("2026-10-05T11:00:00Z"),
            Impact::Major,
        );
        let b = inc(
            "2026-11-01T10:00:00Z",
            Some("2026-11-01T13:00:00Z"),
            Impact::Minor,
        );
        let open = inc("2026-11-20T11:00:00Z", None, Impact::Minor);
        let f = figures([&a, &b, &open], t("2026-09-01T00:00:00Z"), now);
        assert_eq!(f.incidents, 3);
        assert_eq!(
            f.per_month,
            vec![
                ("2026-09".into(), 0),
                ("2026-10".into(), 1),
                ("2026-11".into(), 2)
            ]
        );
        assert_eq!(f.impacted_minutes, 60 + 180 + 60);
        assert_eq!(f.mean_time_to_resolve_minutes, Some(120));
    }

    #[test]
    fn an_open_major_incident_is_an_outage_and_maintenance_counts_once_started() {
        let now = t("2026-11-20T12:00:00Z");
        assert_eq!(
            incident_state(&inc("2026-11-20T11:00:00Z", None, Impact::Major), now),
            Some(State::Outage)
        );
        assert_eq!(
            incident_state(&inc("2026-11-20T11:00:00Z", None, Impact::Minor), now),
            Some(State::Degraded)
        );
        assert_eq!(
            incident_state(
                &inc(
                    "2026-11-20T11:00:00Z",
                    Some("2026-11-20T11:30:00Z"),
                    Impact::Major
                ),
                now
            ),
            None
        );
        let mut m = Incident::new("m", "Upgrade", Status::Scheduled);
        m.scheduled_for = Some(t("2026-11-21T00:00:00Z"));
        assert_eq!(incident_state(&m, now), None, "not started yet");
        m.scheduled_for = Some(t("2026-11-20T11:00:00Z"));
        assert_eq!(incident_state(&m, now), Some(State::Maintenance));
    }
}
