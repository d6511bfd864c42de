//! Words for people: durations, the one-sentence summary of an incident and
//! the note on when statuswatch detected it.

use chrono::{DateTime, Duration, Utc};
use statuswatch_model::{Impact, Incident, Kind};

/// `2d 11h`, `1h 8m`, `45m`, `under a minute`: the two largest units.
pub fn format_duration(d: Duration) -> String {
    let mins = d.num_minutes().max(0);
    if mins == 0 {
        return "under a minute".into();
    }
    let (days, hours, minutes) = (mins / 1440, (mins % 1440) / 60, mins % 60);
    let parts: Vec<String> = [(days, "d"), (hours, "h"), (minutes, "m")]
        .iter()
        .skip_while(|(n, _)| *n == 0)
        .take(2)
        .filter(|(n, _)| *n > 0)
        .map(|(n, u)| format!("{n}{u}"))
        .collect();
    parts.join(" ")
}

/// `May 3, 2026`.
pub fn format_day(t: DateTime<Utc>) -> String {
    t.format("%B %-d, %Y").to_string()
}

/// How long it lasted (or has lasted until `now`, while open).
pub fn duration_of(i: &Incident, now: DateTime<Utc>) -> Option<Duration> {
    let start = i.started_at?;
    Some(i.resolved_at.unwrap_or(now) - start)
}

/// One sentence in the style of the aggregators: "IONOS Cloud experienced a
/// major incident on May 3, 2026 affecting Data Center Designer (DCD) and
/// Cloud API and 1 more component, lasting 2d 11h."
pub fn summary(provider: &str, i: &Incident, now: DateTime<Utc>) -> String {
    let who = if provider.trim().is_empty() {
        "The vendor"
    } else {
        provider.trim()
    };
    let what = match (i.kind, i.impact) {
        (Kind::Maintenance, _) | (_, Some(Impact::Maintenance)) => "a maintenance".to_string(),
        (_, Some(Impact::None)) | (_, None) => "an incident".to_string(),
        (_, Some(level)) => format!("a {} incident", level.as_str()),
    };
    let verb = if i.kind == Kind::Maintenance && i.started_at.is_some_and(|s| s > now) {
        "has scheduled"
    } else {
        "experienced"
    };
    let mut s = format!("{who} {verb} {what}");
    if let Some(start) = i.scheduled_for.or(i.started_at) {
        s.push_str(&format!(" on {}", format_day(start)));
    }
    let names: Vec<&str> = i.components.iter().map(|c| c.name.as_str()).collect();
    match names.len() {
        0 => {}
        1 => s.push_str(&format!(" affecting {}", names[0])),
        2 => s.push_str(&format!(" affecting {} and {}", names[0], names[1])),
        n => s.push_str(&format!(
            " affecting {} and {} and {} more component{}",
            names[0],
            names[1],
            n - 2,
            if n - 2 == 1 { "" } else { "s" }
        )),
    }
    if let Some(d) = duration_of(i, now) {
        if i.resolved_at.is_some() {
            s.push_str(&format!(", lasting {}", format_duration(d)));
        } else if i.started_at.is_some_and(|t| t <= now) {
            s.push_str(&format!(", ongoing for {}", format_duration(d)));
        }
    }
    s.push('.');
    s
}

/// "May 3, 2026 18:55 UTC (2 minutes after the vendor's first update)".
pub fn detection_note(i: &Incident, detected_at: DateTime<Utc>) -> String {
    let when = detected_at.format("%B %-d, %Y %H:%M UTC").to_string();
    let Some(first) = i.first_update_at() else {
        return when;
    };
    if i.resolved_at.is_some_and(|r| detected_at > r) {
        return format!("{when} (read from the vendor's history after it ended)");
    }
    let lag = detected_at - first;
    if lag < Duration::zero() {
        return format!("{when} (before the vendor's first dated update)");
    }
    let m = lag.num_minutes();
    let words = if m < 1 {
        "less than a minute".to_string()
    } else if m == 1 {
        "1 minute".to_string()
    } else if m < 120 {
        format!("{m} minutes")
    } else {
        format_duration(lag)
    };
    format!("{when} ({words} after the vendor's first update)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use statuswatch_model::{Component, Status};

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn durations() {
        assert_eq!(format_duration(Duration::hours(59)), "2d 11h");
        assert_eq!(format_duration(Duration::minutes(68)), "1h 8m");
        assert_eq!(format_duration(Duration::minutes(45)), "45m");
        assert_eq!(format_duration(Duration::days(2)), "2d");
        assert_eq!(format_duration(Duration::seconds(20)), "under a minute");
    }

    #[test]
    fn the_aggregator_sentence() {
        let mut i = Incident::new("x", "Limited access", Status::Postmortem);
        i.impact = Some(Impact::Major);
        i.started_at = Some(t("2026-05-03T18:53:00Z"));
        i.resolved_at = Some(t("2026-05-06T05:55:00Z"));
        for n in [
            "Data Center Designer (DCD)",
            "Cloud API",
            "Managed Kubernetes",
        ] {
            i.components.push(Component {
                name: n.into(),
                group: None,
            });
        }
        assert_eq!(
            summary("IONOS Cloud", &i, t("2026-11-01T00:00:00Z")),
            "IONOS Cloud experienced a major incident on May 3, 2026 affecting Data Center Designer (DCD) and Cloud API and 1 more component, lasting 2d 11h."
        );
        i.resolved_at = None;
        i.impact = None;
        i.components.truncate(1);
        assert_eq!(
            summary("IONOS Cloud", &i, t("2026-05-03T20:00:00Z")),
            "IONOS Cloud experienced an incident on May 3, 2026 affecting Data Center Designer (DCD), ongoing for 1h 7m."
        );
    }
}
