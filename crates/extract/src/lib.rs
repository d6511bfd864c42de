//! Reads any incident page into the incident model: the HTML of a page or its
//! visible text (what "select all, copy" gives), from any vendor's design.
//!
//! The page is read as lines ([`page`]), each with the date stamps found in it
//! ([`stamp`]). The head gives the title and the vendor ([`head`]); labelled
//! fields give start, end, duration, status, windows and components
//! ([`fields`]); the timeline is the unit that repeats on the page
//! ([`timeline`]). Stamps are resolved with what the page as a whole states
//! (its years, its day header, its zone): a time the page does not fix stays
//! unknown rather than guessed. What cannot be read becomes a warning; it
//! never panics.

mod components;
mod fields;
mod head;
pub mod html;
mod listing;
mod page;
pub mod stamp;
mod text;
pub mod time;
mod timeline;
mod updates;
mod words;

pub use components::{parse_affected_list, split_repeated, split_run_together};
pub use fields::parse_duration;
pub use html::{Limits, TooComplex};
pub use listing::*;
pub use text::{html_title, html_to_text, looks_like_html, read_html, tidy, HtmlRead};

use chrono::{DateTime, Datelike, Duration, Utc};
use fields::Fields;
use head::Head;
use page::{day_line, heading_status, trailer, Line};
use stamp::{Ctx, Day, Stamp};
use statuswatch_model::{stable_hash, Impact, Incident, Kind, Status, Update};
use timeline::Unit;
use updates::*;

/// What was read from a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extraction {
    /// The vendor's name, where the page gives it.
    pub provider: Option<String>,
    /// The incident.
    pub incident: Incident,
    /// A stated duration (`2d 11h`), if the page gives one.
    pub duration: Option<Duration>,
    /// What could not be read.
    pub warnings: Vec<String>,
}

/// Reads a page. `now` places dates written without a year when nothing on
/// the page does. HTML beyond the parse budget ([`Limits`]) is refused.
pub fn extract(input: &str, now: DateTime<Utc>) -> Result<Extraction, TooComplex> {
    let _memo = stamp::remember();
    if looks_like_html(input) {
        let read = text::read_html_page(input, &Limits::default())?;
        let mut x = extract_text(&read.text, read.title.as_deref(), now);
        // The site's own name, where its markup gives it, names the vendor
        // better than words counted in its text (as extract_all reads it).
        if let Some(site) = read.site {
            x.provider = Some(site);
        }
        Ok(x)
    } else {
        Ok(extract_text(&tidy(input), None, now))
    }
}

/// Reads a page's visible text; `marked` is the title its markup marks.
fn extract_text(text: &str, marked: Option<&str>, now: DateTime<Utc>) -> Extraction {
    let lines = page::lines(text);
    let fields = Fields::read(&lines);
    let head = Head::read(&lines, marked, &fields.consumed);
    let ctx = context(&lines, &fields, now);
    let mut warnings = Vec::new();

    let end = (head.body_from..lines.len())
        .find(|&i| trailer(&lines[i].text))
        .unwrap_or(lines.len());
    let usable: Vec<bool> = (0..lines.len())
        .map(|i| i >= head.body_from && i < end && !fields.consumed[i] && !head.lines.contains(&i))
        .collect();
    let units = timeline::units(&lines, &usable, head.body_from);
    let days = Days::new(&lines, head.title_line);
    let mut updates = resolve_units(&units, &lines, &days, &ctx, &mut warnings);

    let title = head.title.clone().unwrap_or_default();
    if title.is_empty() {
        warnings.push("no title found".into());
    }
    if updates.is_empty() {
        warnings.push("no update timeline found".into());
    }
    let title_lower = title.to_ascii_lowercase();
    let maintenance_words = [
        "maintenance",
        "planned work",
        "scheduled work",
        "scheduled downtime",
    ];
    // A window in the title (`Upgrade from 2026-05-11 20:00 CEST to
    // 2026-05-12 03:00 CEST`): work announced for a time, not an incident.
    let titled_window = head
        .title_line
        .and_then(|t| title_window(&lines, Some(t)))
        .filter(|(_, until)| until.is_some());
    let maintenance = fields.maintenance
        || titled_window.is_some()
        || maintenance_words.iter().any(|w| title_lower.contains(w))
        || updates.iter().any(|u| {
            heading_status(&u.label)
                .flatten()
                .is_some_and(Status::is_maintenance)
        });
    assign_statuses(&mut updates, maintenance);

    let mut incident = Incident::new("", title.clone(), Status::Investigating);
    incident.kind = if maintenance {
        Kind::Maintenance
    } else {
        Kind::Incident
    };
    // A maintenance page's badge: `Maintenance`, `Emergency Maintenance Work`,
    // `Scheduled maintenance` alone on a line.
    let maintenance_badge = |l: &Line| {
        let t = l.text.to_ascii_lowercase();
        let t = t.trim_end_matches("work").trim_end();
        t.split_whitespace().count() <= 3 && t.ends_with("maintenance") && !t.contains(':')
    };
    incident.impact = fields.impact.or_else(|| impact_phrase(&title)).or_else(|| {
        (maintenance && (head.maintenance_report || lines.iter().any(maintenance_badge)))
            .then_some(Impact::Maintenance)
    });
    incident.components = if fields.components.is_empty() {
        fields.sentence_components.clone()
    } else {
        fields.components.clone()
    };
    let resolve = |s: &Stamp| ctx.resolve(s, days.of(&lines, None));
    if maintenance {
        let window = titled_window
            .clone()
            .or_else(|| fields.window.clone())
            .or_else(|| fields.started.clone().map(|s| (s, fields.ended.clone())))
            .or_else(|| title_window(&lines, head.title_line))
            .or_else(|| range_window(&lines));
        if let Some((from, until)) = window {
            incident.scheduled_for = resolve(&from);
            incident.scheduled_until = until.as_ref().and_then(resolve);
        }
        // Without a window, the work began with its first `In progress` update.
        incident.started_at = incident.scheduled_for.or_else(|| {
            updates
                .iter()
                .filter(|u| u.status == Status::InProgress)
                .filter_map(|u| u.at)
                .min()
        });
    } else {
        incident.started_at = fields.started.as_ref().and_then(resolve);
        incident.resolved_at = fields.ended.as_ref().and_then(resolve);
        // A report (no dated update: a post-incident review, a summary of
        // an event) states its span in its prose. A page with a timeline
        // starts and ends with it, whatever window its prose mentions.
        if updates.iter().all(|u| u.at.is_none()) {
            let span = fields::stated_span(&lines);
            if incident.started_at.is_none() {
                incident.started_at = span.start.as_ref().and_then(resolve);
            }
            if incident.resolved_at.is_none() {
                incident.resolved_at = span.end.as_ref().and_then(resolve);
            }
        }
    }
    updates.sort_by_key(|u| u.at.map(|t| t.timestamp()).unwrap_or(i64::MAX));
    incident.status = updates
        .iter()
        .rev()
        .find(|u| u.at.is_some())
        .or(updates.last())
        .map(|u| u.status)
        .unwrap_or(if maintenance {
            Status::Scheduled
        } else {
            Status::Investigating
        });
    // An end the page states (`Incident End Time: ...`) is the end.
    if !maintenance && incident.resolved_at.is_some() && !incident.status.is_terminal() {
        incident.status = Status::Resolved;
    }
    // A terminal status the page states (`Status: Closed`, a `Resolved` badge) wins.
    if let Some(s) = fields.status.filter(|s| s.is_terminal()) {
        if !incident.status.is_terminal() {
            incident.status = s;
        }
    }
    if updates.iter().any(|u| u.status == Status::Postmortem) {
        incident.status = Status::Postmortem;
    }
    incident.updates = updates;
    // A head stating how long it lasted (`11:56 UTC · 29 minutes`) says it is
    // over, unless its latest update says it is still going.
    if fields.lasted
        && !maintenance
        && !incident.status.is_terminal()
        && incident
            .updates
            .iter()
            .all(|u| heading_status(&u.label).flatten().is_none())
    {
        incident.status = Status::Resolved;
    }
    if !incident.status.is_terminal() {
        incident.resolved_at = None;
    }
    incident.normalize();
    // Resolved, then watched again, then resolved for good: the end is where
    // the last run of terminal updates begins (unless the page states one).
    if incident.status.is_terminal() && fields.ended.is_none() && !maintenance {
        let dated: Vec<&Update> = incident.updates.iter().filter(|u| u.at.is_some()).collect();
        if let Some(last_open) = dated.iter().rposition(|u| !u.status.is_terminal()) {
            if let Some(end) = dated[last_open + 1..]
                .iter()
                .find(|u| u.status.is_terminal())
                .and_then(|u| u.at)
            {
                incident.resolved_at = Some(end);
            }
        }
    }
    if incident.resolved_at.is_none() && incident.status.is_terminal() {
        if let (Some(s), Some(d)) = (incident.started_at, fields.duration) {
            if !maintenance {
                incident.resolved_at = Some(s + d);
            }
        }
    }
    incident.vendor_id = incident_key(&incident);
    let provider = if head.unnamed {
        // A report whose vendor is a logo: other names in its text are others'.
        fields.provider.clone()
    } else {
        head.provider
            .clone()
            .or_else(|| fields.provider.clone())
            .or_else(|| title_brand(&title))
            .or_else(|| head::frequent_name(&lines, Some(&title)))
            .or_else(|| head::known_in(&title))
    };
    Extraction {
        provider,
        incident,
        duration: fields.duration,
        warnings,
    }
}

/// What the page as a whole states that resolves its stamps.
/// The zone of a page that names one and only one (`2024年3月12日 10:15
/// （日本時間）` once, its other times bare): the page's zone.
fn one_zone(lines: &[Line]) -> Option<stamp::Zone> {
    let mut zones = lines
        .iter()
        .flat_map(|l| &l.stamps)
        .filter(|s| s.clock.is_some())
        .filter_map(|s| s.zone);
    let first = zones.next()?;
    zones.all(|z| z == first).then_some(first)
}

fn context(lines: &[Line], fields: &Fields, now: DateTime<Utc>) -> Ctx {
    let mut ctx = Ctx::new(now);
    ctx.page_zone = fields
        .page_zone
        .or_else(|| {
            incident_io_layout(lines)
                .then(|| stamp::Zone::Fixed(chrono::FixedOffset::east_opt(0).expect("zero")))
        })
        .or_else(|| one_zone(lines));
    let mut full: Vec<chrono::NaiveDate> = Vec::new();
    let mut ambiguous: Vec<Day> = Vec::new();
    for l in lines {
        for s in &l.stamps {
            if let Some(d) = s.day {
                if let Some(y) = d.year {
                    ctx.years.push((y, d.month));
                    if d.swapped.is_some() {
                        ambiguous.push(d);
                    } else if let Some(date) = chrono::NaiveDate::from_ymd_opt(y, d.month, d.day) {
                        full.push(date);
                    }
                }
            }
        }
    }
    // Numeric dates (`06/11/2017`) read in the order the page's other dates agree with.
    if !ambiguous.is_empty() && !full.is_empty() {
        full.sort_unstable();
        let mid = full[full.len() / 2];
        let (mut as_written, mut swapped) = (0, 0);
        for d in &ambiguous {
            let y = d.year.unwrap_or(mid.year());
            let a = chrono::NaiveDate::from_ymd_opt(y, d.month, d.day);
            let b = d
                .swapped
                .and_then(|(m, dd)| chrono::NaiveDate::from_ymd_opt(y, m, dd));
            if let (Some(a), Some(b)) = (a, b) {
                if (b - mid).num_days().abs() < (a - mid).num_days().abs() {
                    swapped += 1;
                } else {
                    as_written += 1;
                }
            }
        }
        ctx.swap_numeric = swapped > as_written;
    }
    // A weekday the page names alone, for dates it writes without a year.
    let mut weekdays: Vec<chrono::Weekday> = lines
        .iter()
        .flat_map(|l| l.text.split(|c: char| !c.is_alphabetic()))
        .filter_map(stamp::weekday_word)
        .collect();
    weekdays.sort_by_key(|w| w.num_days_from_monday());
    weekdays.dedup();
    if weekdays.len() == 1 {
        ctx.weekday_hint = Some(weekdays[0]);
    }
    ctx
}

/// incident.io's pages as served: each update's time is followed by how
/// long before the next it came (`6d earlier...`, `04:29 PM(1 hour
/// earlier)`), and times are written in UTC without saying so (the page's
/// script shows them in the reader's zone later).
fn incident_io_layout(lines: &[Line]) -> bool {
    lines.iter().any(|l| {
        let t = l.text.as_str();
        let relative = |s: &str| {
            let s = s.trim();
            let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
            !n.is_empty()
                && matches!(
                    unit.trim(),
                    "s" | "m"
                        | "h"
                        | "d"
                        | "w"
                        | "minute"
                        | "minutes"
                        | "hour"
                        | "hours"
                        | "day"
                        | "days"
                )
        };
        t.strip_suffix(" earlier...").is_some_and(relative)
            || (!l.stamps.is_empty()
                && t.ends_with(" earlier)")
                && t.rsplit_once('(')
                    .and_then(|(_, r)| r.strip_suffix(" earlier)"))
                    .is_some_and(|r| relative(r) || r.starts_with("an ") || r.starts_with("a ")))
    })
}

/// A maintenance's start written in its title (`Essential Maintenance 11:20 BST 9 Apr 2009`).
fn title_window(lines: &[Line], title_line: Option<usize>) -> Option<(Stamp, Option<Stamp>)> {
    let l = &lines[title_line?];
    let s = l.stamps.iter().find(|s| s.is_full())?;
    Some((s.clone(), l.stamps.iter().find(|x| x.range_end).cloned()))
}

/// Windows announced as ranges in the text (`Sunday 13 Apr, 9pm – 10pm
/// Pacific`): from the first start to the last end.
fn range_window(lines: &[Line]) -> Option<(Stamp, Option<Stamp>)> {
    let mut first: Option<Stamp> = None;
    let mut last: Option<Stamp> = None;
    for l in lines {
        for (k, s) in l.stamps.iter().enumerate() {
            if s.range_end && k > 0 && l.stamps[k - 1].is_full() {
                first.get_or_insert_with(|| l.stamps[k - 1].clone());
                last = Some(s.clone());
            }
        }
    }
    Some((first?, last))
}

/// `FICIX – PLANNED WORK ANNOUNCEMENT`, `WinBooks on Web - databases
/// maintenance`: a brand before the title's dash.
fn title_brand(title: &str) -> Option<String> {
    let (left, _) = title
        .split_once(" – ")
        .or_else(|| title.split_once(" - "))
        .or_else(|| title.split_once(" | "))?;
    let words: Vec<&str> = left.split_whitespace().collect();
    if words.is_empty() || words.len() > 3 {
        return None;
    }
    let brandish = |w: &str| {
        let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() >= 3
            && (letters.iter().all(|c| c.is_uppercase())
                || letters.iter().skip(1).any(|c| c.is_uppercase()))
    };
    words
        .iter()
        .any(|w| brandish(w))
        .then(|| left.trim().to_string())
}

/// Outage phrases in a title as impact, as their words say: a full or
/// complete outage is critical, a major or partial outage major.
fn impact_phrase(text: &str) -> Option<Impact> {
    let l = text.to_ascii_lowercase();
    if l.contains("full outage") || l.contains("complete outage") {
        Some(Impact::Critical)
    } else if l.contains("major outage") || l.contains("partial outage") {
        Some(Impact::Major)
    } else if l.contains("scheduled maintenance") || l.contains("planned maintenance") {
        Some(Impact::Maintenance)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_statuspage_report_with_a_cut_off_update() {
        let page = "Catmail\nIncident Report for Ohio University\nResolved\nAll done.\nPosted Feb 02, 2017 - 08:35 EST\nUpdate\nStill slow.\nPosted Feb 01, 2017 - 15:17 EST\nIdentified\nWe are currently experiencing";
        let x = extract(page, utc("2026-11-01T00:00:00Z")).unwrap();
        assert_eq!(x.provider.as_deref(), Some("Ohio University"));
        let i = &x.incident;
        assert_eq!(i.title, "Catmail");
        let got: Vec<(&str, Option<DateTime<Utc>>)> =
            i.updates.iter().map(|u| (u.label.as_str(), u.at)).collect();
        assert_eq!(
            got,
            vec![
                ("Update", Some(utc("2017-02-01T20:17:00Z"))),
                ("Resolved", Some(utc("2017-02-02T13:35:00Z"))),
                ("Identified", None),
            ]
        );
        assert_eq!(i.resolved_at, Some(utc("2017-02-02T13:35:00Z")));
        assert_eq!(i.status, Status::Resolved);
    }

    #[test]
    fn nothing_is_invented_for_a_time_without_a_zone() {
        let page = "Elevated errors\n\nResolved\n\nWe fixed it.\n\nWed, Apr 17, 2024, 11:59 PM\n";
        let x = extract(page, utc("2026-11-01T00:00:00Z")).unwrap();
        assert_eq!(x.incident.updates.len(), 1);
        assert_eq!(x.incident.updates[0].at, None);
        assert_eq!(x.incident.started_at, None);
    }

    #[test]
    fn a_zone_the_page_names_once_is_its_zone() {
        let now = utc("2026-11-01T00:00:00Z");
        let page = "Network outage in Tokyo\n\n障害発生日時：2024年3月12日 10:15（日本時間）\n\n\
                    Resolved\n\nAll traffic flows again.\n\n2024年3月12日 11:45\n\n\
                    Investigating\n\nWe are looking into packet loss.\n\n2024年3月12日 10:30\n";
        let i = extract(page, now).unwrap().incident;
        let at: Vec<_> = i.updates.iter().map(|u| u.at).collect();
        assert_eq!(
            at,
            [
                Some(utc("2024-03-12T01:30:00Z")),
                Some(utc("2024-03-12T02:45:00Z"))
            ]
        );
        // Two zones named: the bare times stay unknown.
        let two = page.replace("11:45", "11:45 UTC");
        let i = extract(&two, now).unwrap().incident;
        assert!(i.updates.iter().any(|u| u.at.is_none()));
    }

    #[test]
    fn a_report_without_a_timeline_is_dated_by_the_span_it_states() {
        let now = utc("2026-11-01T00:00:00Z");
        let pir = "Post Incident Review (PIR) – Azure Resource Manager – Central US

\
                   Tracking ID: 1K80-N_8

What happened?

\
                   Between 21:40 UTC on 18 July 2024 and 22:00 UTC on 19 July 2024, customers \
                   may have experienced issues with multiple services in Central US.
";
        let i = extract(pir, now).unwrap().incident;
        assert_eq!(i.started_at, Some(utc("2024-07-18T21:40:00Z")));
        assert_eq!(i.resolved_at, Some(utc("2024-07-19T22:00:00Z")));
        assert_eq!(i.status, Status::Resolved, "a stated end ends it");

        // A page with a timeline starts and ends with it, whatever window
        // one update's prose mentions.
        let page = "API errors

Resolved

Between 10:02 UTC and 10:40 UTC on Jan 5, 2025, \
                    some requests failed.

Posted Jan 05, 2025 - 11:00 UTC

Investigating

\
                    We are looking into errors.

Posted Jan 05, 2025 - 10:20 UTC
";
        let i = extract(page, now).unwrap().incident;
        assert_eq!(i.started_at, Some(utc("2025-01-05T10:20:00Z")));
        assert_eq!(i.resolved_at, Some(utc("2025-01-05T11:00:00Z")));
    }
}
