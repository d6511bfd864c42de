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
mod page;
pub mod stamp;
mod text;
pub mod time;
mod timeline;

pub use components::{parse_affected_list, split_repeated, split_run_together};
pub use fields::parse_duration;
pub use html::{Limits, TooComplex};
pub use text::{html_title, html_to_text, looks_like_html, read_html, tidy, HtmlRead};

use chrono::{DateTime, Datelike, Duration, Utc};
use fields::Fields;
use head::Head;
use page::{day_line, heading_status, trailer, Line};
use stamp::{Ctx, Day, Stamp};
use statuswatch_model::{stable_hash, Impact, Incident, Kind, Status, Update};
use timeline::Unit;

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
    if looks_like_html(input) {
        let read = read_html(input, &Limits::default())?;
        Ok(extract_text(&read.text, read.title.as_deref(), now))
    } else {
        Ok(extract_text(&tidy(input), None, now))
    }
}

/// Reads a page's visible text; `marked` is the title its markup marks.
fn extract_text(text: &str, marked: Option<&str>, now: DateTime<Utc>) -> Extraction {
    let lines = page::lines(text);
    let head = Head::read(&lines, marked);
    let fields = Fields::read(&lines);
    let ctx = context(&lines, &fields, now);
    let mut warnings = Vec::new();

    let end = (head.body_from..lines.len())
        .find(|&i| trailer(&lines[i].text))
        .unwrap_or(lines.len());
    let usable: Vec<bool> = (0..lines.len())
        .map(|i| i >= head.body_from && i < end && !fields.consumed[i] && !head.lines.contains(&i))
        .collect();
    let units = timeline::units(&lines, &usable, head.body_from);
    let days = Days::new(&lines);
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
    let maintenance = fields.maintenance
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
    incident.impact = fields.impact.or_else(|| impact_phrase(&title)).or_else(|| {
        (maintenance && lines.iter().any(|l| l.text == "Maintenance"))
            .then_some(Impact::Maintenance)
    });
    incident.components = if fields.components.is_empty() {
        fields.sentence_components.clone()
    } else {
        fields.components.clone()
    };
    let resolve = |s: &Stamp| ctx.resolve(s, days.of(&lines, None));
    if maintenance {
        let window = fields
            .window
            .clone()
            .or_else(|| fields.started.clone().map(|s| (s, fields.ended.clone())))
            .or_else(|| title_window(&lines, head.title_line))
            .or_else(|| range_window(&lines));
        if let Some((from, until)) = window {
            incident.scheduled_for = resolve(&from);
            incident.scheduled_until = until.as_ref().and_then(resolve);
        }
        incident.started_at = incident.scheduled_for;
    } else {
        incident.started_at = fields.started.as_ref().and_then(resolve);
        incident.resolved_at = fields.ended.as_ref().and_then(resolve);
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
    if !incident.status.is_terminal() {
        incident.resolved_at = None;
    }
    incident.normalize();
    if incident.resolved_at.is_none() && incident.status.is_terminal() {
        if let (Some(s), Some(d)) = (incident.started_at, fields.duration) {
            if !maintenance {
                incident.resolved_at = Some(s + d);
            }
        }
    }
    incident.vendor_id = incident_key(&incident);
    let provider = head
        .provider
        .clone()
        .or_else(|| fields.provider.clone())
        .or_else(|| title_brand(&title))
        .or_else(|| head::frequent_name(&lines, Some(&title)));
    Extraction {
        provider,
        incident,
        duration: fields.duration,
        warnings,
    }
}

/// What the page as a whole states that resolves its stamps.
fn context(lines: &[Line], fields: &Fields, now: DateTime<Utc>) -> Ctx {
    let mut ctx = Ctx::new(now);
    ctx.page_zone = fields.page_zone;
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

/// The day headers of a page: for a time written alone, the nearest day
/// line above its line, else the first on the page. Built once per page, so
/// finding each update's day costs nothing per line above it.
struct Days {
    /// For each line, the nearest day line strictly above it.
    above: Vec<Option<usize>>,
    first: Option<usize>,
}

impl Days {
    fn new(lines: &[Line]) -> Days {
        let mut above = Vec::with_capacity(lines.len());
        let mut last = None;
        let mut first = None;
        for (i, l) in lines.iter().enumerate() {
            above.push(last);
            if day_line(l).is_some() {
                last = Some(i);
                first.get_or_insert(i);
            }
        }
        Days { above, first }
    }

    fn of(&self, lines: &[Line], line: Option<usize>) -> Option<(Day, Option<chrono::Weekday>)> {
        line.and_then(|n| self.above.get(n).copied().flatten())
            .or(self.first)
            .and_then(|i| day_line(&lines[i]))
            .and_then(|s| s.day.map(|d| (d, s.weekday)))
    }
}

/// Unit times resolved; an update whose time breaks the page's order by far
/// (`Jan 24` between two `Feb 23` updates) is a slip: its time is dropped.
fn resolve_units(
    units: &[Unit],
    lines: &[Line],
    days: &Days,
    ctx: &Ctx,
    warnings: &mut Vec<String>,
) -> Vec<Update> {
    let mut out: Vec<Update> = units
        .iter()
        .map(|u| {
            let at = u
                .stamp
                .as_ref()
                .and_then(|s| ctx.resolve(s, days.of(lines, u.stamp_line)));
            if at.is_none() {
                warnings.push(format!(
                    "update `{}` has no date the page fixes",
                    u.label
                        .as_deref()
                        .unwrap_or_else(|| u.body.first().map_or("", String::as_str))
                        .chars()
                        .take(40)
                        .collect::<String>()
                ));
            }
            Update {
                vendor_id: None,
                status: Status::Investigating,
                label: u.label.clone().unwrap_or_default(),
                at,
                body: u.body.join("\n").trim().to_string(),
            }
        })
        .collect();
    let dated: Vec<usize> = (0..out.len()).filter(|&i| out[i].at.is_some()).collect();
    if dated.len() >= 3 {
        let at = |i: usize| out[i].at.expect("dated");
        let t = |k: usize| at(dated[k]);
        let (mut up, mut down) = (0, 0);
        for k in 1..dated.len() {
            match t(k).cmp(&t(k - 1)) {
                std::cmp::Ordering::Greater => up += 1,
                std::cmp::Ordering::Less => down += 1,
                std::cmp::Ordering::Equal => {}
            }
        }
        let ascending = up >= down;
        let in_order = |a: DateTime<Utc>, b: DateTime<Utc>| if ascending { a <= b } else { a >= b };
        let slips: Vec<usize> = dated
            .windows(3)
            .filter(|w| {
                let (a, b, c) = (at(w[0]), at(w[1]), at(w[2]));
                let outside = !(in_order(a, b) && in_order(b, c));
                let far = (b - a).num_hours().abs().min((b - c).num_hours().abs()) > 6;
                in_order(a, c) && outside && far
            })
            .map(|w| w[1])
            .collect();
        for i in slips {
            warnings.push(format!(
                "update at {} breaks the page's order; its time is not used",
                out[i].at.map(|t| t.to_rfc3339()).unwrap_or_default()
            ));
            out[i].at = None;
        }
    }
    out
}

/// Whether an update's own words say it resolved the incident.
fn says_resolved(body: &str) -> bool {
    let l = body.to_ascii_lowercase();
    [
        "has been resolved",
        "have been resolved",
        "is resolved",
        "is now resolved",
        "been fully resolved",
        "we resolved",
        "was resolved",
        "has resolved",
        "have resolved",
        "issue resolved",
        "incident resolved",
    ]
    .iter()
    .any(|p| l.contains(p))
}

/// Each update's status: its heading's, the previous one's for headings that
/// carry it (`Update`), or, unlabelled, what its words say or the previous one.
fn assign_statuses(updates: &mut [Update], maintenance: bool) {
    // Carry statuses in time order: by time where known, else the page's order
    // (newest first when the page opens with an end).
    let mut order: Vec<usize> = (0..updates.len()).collect();
    let dated: Vec<&Update> = updates.iter().filter(|u| u.at.is_some()).collect();
    let newest_first = if dated.len() >= 2 {
        dated.first().map(|u| u.at) > dated.last().map(|u| u.at)
    } else {
        updates
            .first()
            .and_then(|u| heading_status(&u.label).flatten())
            .is_some_and(Status::is_terminal)
            && updates.len() > 1
    };
    if newest_first {
        order.reverse();
    }
    let default = if maintenance {
        Status::Scheduled
    } else {
        Status::Investigating
    };
    let mut status: Option<Status> = None;
    for i in order {
        let u = &mut updates[i];
        let own = match heading_status(&u.label) {
            Some(Some(s)) => Some(s),
            Some(None) => None,
            None if says_resolved(&u.body) => Some(if maintenance {
                Status::Completed
            } else {
                Status::Resolved
            }),
            None => None,
        };
        let s = own.or(status).unwrap_or(default);
        u.status = s;
        status = Some(s);
    }
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

/// Component-status phrases as impact: major outage is critical, partial
/// outage major, degraded performance minor (Statuspage's correspondence).
fn impact_phrase(text: &str) -> Option<Impact> {
    let l = text.to_ascii_lowercase();
    if l.contains("major outage") || l.contains("full outage") {
        Some(Impact::Critical)
    } else if l.contains("partial outage") {
        Some(Impact::Major)
    } else if l.contains("scheduled maintenance") || l.contains("planned maintenance") {
        Some(Impact::Maintenance)
    } else {
        None
    }
}

/// A key for an incident read from a page, stable while the page grows: the
/// time and heading of its first update (titles get edited; first updates do
/// not), or its title when nothing is dated.
pub fn incident_key(i: &Incident) -> String {
    match i.updates.iter().find(|u| u.at.is_some()) {
        Some(u) => stable_hash(&[
            &u.at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            &u.label.to_lowercase(),
        ]),
        None => stable_hash(&[&i.title]),
    }
}

/// Reads a page that may hold several incidents (an incident-history page, a
/// custom status page): the HTML is cut at its headings (`h1`–`h4`) and each
/// part with a dated timeline is one incident, titled by its heading. A page
/// whose timeline is not under a heading of its own, or plain text, gives one
/// extraction of the whole. HTML beyond the parse budget is refused.
pub fn extract_all(input: &str, now: DateTime<Utc>) -> Result<Vec<Extraction>, TooComplex> {
    if !looks_like_html(input) {
        return Ok(vec![extract_text(&tidy(input), None, now)]);
    }
    let read = read_html(input, &Limits::default())?;
    let whole = extract_text(&read.text, read.title.as_deref(), now);
    if read.parts.len() > 1 {
        let mut found: Vec<Extraction> = read
            .parts
            .iter()
            .map(|p| extract_text(p, None, now))
            .filter(|x| x.incident.updates.iter().any(|u| u.at.is_some()))
            .collect();
        if !found.is_empty() {
            let mut seen = std::collections::HashSet::new();
            for x in &mut found {
                if x.provider.is_none() {
                    x.provider.clone_from(&whole.provider);
                }
                if !seen.insert(x.incident.vendor_id.clone()) {
                    // Two incidents starting in the same minute with the same heading.
                    x.incident.vendor_id = stable_hash(&[&x.incident.vendor_id, &x.incident.title]);
                }
            }
            return Ok(found);
        }
    }
    Ok(vec![whole])
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
}
