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
mod words;

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

/// The day headers of a page: for a time written alone, the nearest day
/// line above its line, else the first on the page. Built once per page, so
/// finding each update's day costs nothing per line above it.
struct Days {
    /// For each line, the nearest day line strictly above it.
    above: Vec<Option<usize>>,
    first: Option<usize>,
    /// The date the title states (`Service Disruption on October 14th 2015`),
    /// for a page with no day line.
    title_day: Option<(Day, Option<chrono::Weekday>)>,
}

impl Days {
    fn new(lines: &[Line], title_line: Option<usize>) -> Days {
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
        let title_day = title_line
            .and_then(|t| lines.get(t))
            .and_then(|l| l.stamps.iter().find(|s| s.clock.is_none()))
            .and_then(|s| s.day.filter(|d| d.year.is_some()).map(|d| (d, s.weekday)));
        Days {
            above,
            first,
            title_day,
        }
    }

    fn of(&self, lines: &[Line], line: Option<usize>) -> Option<(Day, Option<chrono::Weekday>)> {
        line.and_then(|n| self.above.get(n).copied().flatten())
            .or(self.first)
            .and_then(|i| day_line(&lines[i]))
            .and_then(|s| s.day.map(|d| (d, s.weekday)))
            .or(self.title_day)
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
        let mut slips = slips;
        // At either end: the first (or last) time that runs against the order
        // the rest keep, by far (a summary's time with no date of its own).
        let n = dated.len();
        let ends = [
            (dated[0], dated[1], dated[2]),
            (dated[n - 1], dated[n - 2], dated[n - 3]),
        ];
        for (k, (x, y, z)) in ends.into_iter().enumerate() {
            let (x_at, y_at, z_at) = (at(x), at(y), at(z));
            let rest_in_order = if k == 0 {
                in_order(y_at, z_at)
            } else {
                in_order(z_at, y_at)
            };
            let end_in_order = if k == 0 {
                in_order(x_at, y_at)
            } else {
                in_order(y_at, x_at)
            };
            if rest_in_order && !end_in_order && (x_at - y_at).num_minutes().abs() > 60 {
                slips.push(x);
            }
        }
        for i in slips {
            if out[i].at.is_none() {
                continue;
            }
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
    let l = body.to_ascii_lowercase().replace('’', "'");
    // What is still to come says nothing is over yet.
    if [
        "once resolved",
        "until resolved",
        "not yet resolved",
        "not resolved",
        "to be resolved",
        "should resolve",
        "will resolve",
        "expected to resolve",
    ]
    .iter()
    .any(|p| l.contains(p))
    {
        return false;
    }
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
        "now resolved",
        "resolved this issue",
        "resolved the issue",
        "issue resolved",
        "incident resolved",
        "back online",
        "back to normal",
        "operating normally",
        "fully operational",
        "fully recovered",
        "have recovered",
        "has recovered",
        "has been restored",
        "have been restored",
        "been fully restored",
        "no longer be experiencing",
        "no longer experiencing",
        "are stable now",
        "is stable now",
        "has been completed",
        "have been completed",
        "was completed",
        "is now complete",
        "completed successfully",
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
/// custom status page listing its incidents), the same way [`extract`]
/// reads a page that holds one: a page is cut into several incidents only
/// when it lists several, never because its one incident has headings.
///
/// The HTML is cut at its headings (`h1`–`h4`). A part is an incident of a
/// list when its heading reads as a title (not a status word, not a section
/// of the page such as `Updates` or `Summary`) and its own timeline has a
/// dated update under a status heading (`Resolved`, `Investigating`): the
/// unit every history page repeats. With two or more such parts, each is an
/// incident; with one that is not the page's own heading, it is the page's
/// one incident under a page title (`Acme Status`); otherwise the whole page
/// is one incident, read exactly as [`extract`] reads it. Plain text is one
/// incident. HTML beyond the parse budget is refused.
pub fn extract_all(input: &str, now: DateTime<Utc>) -> Result<Vec<Extraction>, TooComplex> {
    let _memo = stamp::remember();
    if !looks_like_html(input) {
        return Ok(vec![extract_text(&tidy(input), None, now)]);
    }
    let read = read_html(input, &Limits::default())?;
    let mut whole = extract_text(&read.text, read.title.as_deref(), now);
    // The site's own name, where its markup gives it, names the vendor
    // better than words counted in its text.
    if let Some(site) = &read.site {
        whole.provider = Some(site.clone());
    }
    // The incidents a list of parts holds: those reading as one, titled.
    let listed_in = |parts: &[String], skip_day: bool| -> Vec<(usize, Extraction)> {
        parts
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                let p = if skip_day {
                    without_day_header(p)
                } else {
                    p.as_str()
                };
                listed_heading(p)
            })
            .map(|(k, p)| (k, extract_text(p, None, now)))
            .filter(|(_, x)| {
                x.incident
                    .updates
                    .iter()
                    .any(|u| u.at.is_some() && heading_status(&u.label).flatten().is_some())
            })
            .collect()
    };
    let mut listed = listed_in(&read.parts, false);
    // Blocks the page repeats (a history's incidents, a day list's), where
    // headings do not cut it: the run listing the most incidents; and the
    // blocks the markup names incidents, the innermost that read as one.
    if listed.len() < 2 {
        let named: Vec<String> = {
            let texts: Vec<String> = read
                .incident_blocks
                .iter()
                .map(|(_, _, t)| t.clone())
                .collect();
            let reading = listed_in(&texts, true);
            let spans: Vec<(usize, usize)> = reading
                .iter()
                .map(|(k, _)| (read.incident_blocks[*k].0, read.incident_blocks[*k].1))
                .collect();
            reading
                .iter()
                .enumerate()
                .filter(|(n, _)| {
                    let (a, b) = spans[*n];
                    !spans
                        .iter()
                        .enumerate()
                        .any(|(m, &(c, d))| m != *n && a <= c && d <= b && (c, d) != (a, b))
                })
                .map(|(_, (k, _))| texts[*k].clone())
                .collect()
        };
        if let Some(run) = read
            .runs
            .iter()
            .chain(std::iter::once(&named))
            .map(|r| listed_in(r, true))
            .filter(|l| l.len() >= 2)
            .max_by_key(Vec::len)
        {
            listed = run;
        }
    }
    let split = match listed.len() {
        0 => false,
        // One incident under a page title (`Acme Status`), not the page's own heading.
        1 => !listed[0]
            .1
            .incident
            .title
            .eq_ignore_ascii_case(&whole.incident.title),
        _ => true,
    };
    if !split {
        return Ok(vec![whole]);
    }
    let mut seen = std::collections::HashSet::new();
    let found = listed
        .iter_mut()
        .map(|(_, x)| {
            // The site's name where the markup gives it; else the part's own,
            // else the page's.
            if read.site.is_some() || x.provider.is_none() {
                x.provider.clone_from(&whole.provider);
            }
            if !seen.insert(x.incident.vendor_id.clone()) {
                // Two incidents starting in the same minute with the same heading.
                x.incident.vendor_id = stable_hash(&[&x.incident.vendor_id, &x.incident.title]);
            }
            x.clone()
        })
        .collect();
    Ok(found)
}

/// A block's text without the day headers above its title (`Jan 15, 2021`).
fn without_day_header(block: &str) -> &str {
    let mut rest = block.trim_start();
    while let Some(first) = rest.lines().next() {
        let line = page::lines(first);
        if line.first().is_some_and(|l| day_line(l).is_some()) {
            rest = rest[first.len()..].trim_start();
        } else {
            break;
        }
    }
    rest
}

/// Whether a part of a page starts with a heading that can title an
/// incident of a list: not a status word (an update's heading), not a
/// section of one incident's page, not the page's furniture.
fn listed_heading(part: &str) -> bool {
    let Some(first) = part.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return false;
    };
    let line = &page::lines(first)[0];
    let lower = first.to_ascii_lowercase();
    const SECTIONS: &[&str] = &[
        "updates",
        "update",
        "timeline",
        "incident timeline",
        "summary",
        "postmortem",
        "post-mortem",
        "post mortem",
        "root cause",
        "root cause analysis",
        "impact",
        "resolution",
        "details",
        "description",
        "affected components",
        "affected services",
        "components",
        "history",
        "incident history",
        "past incidents",
        "status updates",
        "latest updates",
        "what happened",
        "next steps",
        "background",
        "overview",
    ];
    // `Resolved - This incident has been resolved.`: an update, not a title.
    let inline_update = page::leading_label(first).is_some_and(|(_, end)| {
        let rest = first[end..].trim_start();
        rest.starts_with("- ") || rest.starts_with("– ") || rest.starts_with(':') || rest == "-"
    });
    !SECTIONS.contains(&lower.trim_end_matches(':'))
        && !inline_update
        && page::heading(line).is_none()
        && !page::chrome(first)
        && day_line(line).is_none()
        && first.chars().count() <= 220
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
