//! Reads any incident page into the incident model: the HTML of a page or its
//! visible text (what "select all, copy" gives), from any vendor's design.
//!
//! It works on lines. It finds the timeline's headings (status words in any
//! case, `Update`, vendor words such as `Issue` or `Escalate`, numbered or
//! not, alone on a line, followed by a date, or by ` - ` and text), the date of
//! each update (on the heading line, on a `Posted ...` line after the text, or
//! on the line before the heading), labelled fields (`Started`, `Resolved`,
//! `Duration`), affected components, impact words, maintenance windows and
//! the provider's name. What it cannot read becomes a warning; it never panics.

mod components;
mod text;
pub mod time;

pub use components::{parse_affected_list, split_run_together};
pub use text::{html_title, html_to_text, looks_like_html, tidy};

use chrono::{DateTime, Duration, Utc};
use statuswatch_model::{stable_hash, Component, Impact, Incident, Kind, Status, Update};
use time::{scan_date, DateMatch};

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

/// Headings that carry the previous status instead of naming one.
const CARRY_WORDS: &[&str] = &[
    "update",
    "updated",
    "issue",
    "escalate",
    "escalated",
    "note",
    "notice",
    "information",
    "info",
    "comment",
    "message",
];

/// Lines after which the timeline is over.
const TRAILERS: &[&str] = &[
    "this incident affected",
    "this scheduled maintenance affected",
    "this maintenance affected",
    "affected components",
    "subscribe to updates",
    "powered by",
    "← current status",
    "current status",
];

/// Reads a page. `now` places dates written without a year.
pub fn extract(input: &str, now: DateTime<Utc>) -> Extraction {
    let is_html = looks_like_html(input);
    let text = if is_html {
        html_to_text(input)
    } else {
        tidy(input)
    };
    let marked_title = if is_html {
        text::html_title(input)
    } else {
        None
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut warnings = Vec::new();

    // Dates with a year anchor those without one.
    let reference = lines
        .iter()
        .filter_map(|l| scan_date(l).filter(DateMatch::has_year))
        .filter_map(|m| m.resolve(now))
        .max()
        .map_or(now, |t| t.max(now).min(t + Duration::days(400)));

    let mut fields = Fields::read(&lines, reference);
    if let Some(t) = marked_title {
        // The markup's title wins over the first line (often navigation).
        if let Some(i) = lines.iter().position(|l| l.trim() == t) {
            fields.field_lines.push(i);
        }
        if fields.impact.is_none() {
            fields.impact = impact_phrase(&t);
        }
        fields.title = Some(t);
    }
    let headings = find_headings(&lines, &fields.field_lines);
    let mut updates = timeline(&lines, &headings, reference, &mut warnings);

    let title = fields.title.clone().unwrap_or_default();
    if title.is_empty() {
        warnings.push("no title found".into());
    }
    let mut incident = Incident::new(
        stable_hash(&[
            &title,
            &updates
                .first()
                .and_then(|u| u.at)
                .map(|t| t.to_rfc3339())
                .unwrap_or_default(),
        ]),
        title.clone(),
        Status::Investigating,
    );
    if updates.is_empty() {
        warnings.push("no update timeline found".into());
    }
    incident.status = updates
        .last()
        .map(|u| u.status)
        .or(fields.badge_status)
        .unwrap_or(Status::Investigating);
    if let (Some(badge), Some(last)) = (fields.badge_status, updates.last()) {
        if badge.is_terminal() && !last.status.is_terminal() {
            incident.status = badge;
        }
    }
    incident.impact = fields.impact;
    incident.components = fields.components.clone();
    // A window alone (a postmortem's "from 07:30 to 08:15") does not make a
    // maintenance: the timeline or the title must say so.
    let title_says = ["maintenance", "scheduled", "planned"]
        .iter()
        .any(|k| title.to_ascii_lowercase().contains(k));
    let maintenance = updates.iter().any(|u| u.status.is_maintenance())
        || incident.impact == Some(Impact::Maintenance)
        || (fields.window.is_some() && title_says);
    if maintenance {
        incident.kind = Kind::Maintenance;
        if let Some((from, until)) = fields.window {
            incident.scheduled_for = Some(from);
            incident.scheduled_until = Some(until);
        }
    }
    updates.sort_by_key(|u| u.at.map(|t| t.timestamp()).unwrap_or(i64::MAX));
    incident.updates = updates;
    incident.started_at = fields.started;
    incident.resolved_at = fields.resolved.filter(|_| incident.status.is_terminal());
    incident.normalize();
    if incident.resolved_at.is_none() && incident.status.is_terminal() {
        if let (Some(s), Some(d)) = (incident.started_at, fields.duration) {
            incident.resolved_at = Some(s + d);
        }
    }
    incident.vendor_id = incident_key(&incident);
    Extraction {
        provider: fields.provider,
        incident,
        duration: fields.duration,
        warnings,
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

/// A heading of the timeline.
#[derive(Debug, Clone)]
struct Heading {
    line: usize,
    label: String,
    /// A date on the heading line itself.
    date: Option<DateMatch>,
    /// Text after ` - ` on the heading line.
    inline_body: Option<String>,
}

fn strip_list_number(line: &str) -> &str {
    let t = line.trim_start();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits <= 3 {
        if let Some(rest) = t[digits..]
            .strip_prefix('.')
            .or_else(|| t[digits..].strip_prefix(')'))
        {
            return rest.trim_start();
        }
    }
    t.strip_prefix("- ").unwrap_or(t)
}

/// The label at the start of a line, if the line is a timeline heading.
fn heading_at(line: &str) -> Option<Heading> {
    let t = strip_list_number(line);
    if is_date_line(t).is_some() {
        return None; // `Posted Mar 31, 2025 - 07:30 CEST` is a date, not a heading
    }
    // Label: one or two words of letters (and hyphens).
    let words: Vec<&str> = t.split_whitespace().collect();
    for n in [2usize, 1] {
        if words.len() < n {
            continue;
        }
        let label = words[..n].join(" ");
        let clean = label.trim_end_matches([':', '-', '–']);
        if !clean
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == ' ')
            || clean.is_empty()
        {
            continue;
        }
        let known = Status::from_word(clean).is_some()
            || (n == 1 && CARRY_WORDS.contains(&clean.to_ascii_lowercase().as_str()));
        let rest = t[t.find(words[n - 1]).map_or(0, |i| i + words[n - 1].len())..].trim();
        if rest.is_empty() {
            if known {
                return Some(Heading {
                    line: 0,
                    label: clean.to_string(),
                    date: None,
                    inline_body: None,
                });
            }
            continue;
        }
        if let Some(body) = rest
            .strip_prefix("- ")
            .or_else(|| rest.strip_prefix("– "))
            .or_else(|| rest.strip_prefix(": "))
        {
            if known || label.ends_with(':') {
                return Some(Heading {
                    line: 0,
                    label: clean.to_string(),
                    date: None,
                    inline_body: Some(body.trim().to_string()),
                });
            }
            continue;
        }
        // `identified May 03, 2026, 06:53 PM UTC` (any one word before a date).
        if let Some(m) = scan_date(rest).filter(DateMatch::is_alone) {
            if known || n == 1 {
                return Some(Heading {
                    line: 0,
                    label: clean.to_string(),
                    date: Some(m),
                    inline_body: None,
                });
            }
        }
    }
    None
}

fn is_date_line(line: &str) -> Option<DateMatch> {
    scan_date(line).filter(DateMatch::is_alone)
}

fn is_trailer(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    TRAILERS.iter().any(|t| l.starts_with(t))
}

fn find_headings(lines: &[&str], field_lines: &[usize]) -> Vec<Heading> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if field_lines.contains(&i) || is_trailer(line) {
            continue;
        }
        if let Some(mut h) = heading_at(line) {
            h.line = i;
            out.push(h);
        }
    }
    out
}

fn timeline(
    lines: &[&str],
    headings: &[Heading],
    reference: DateTime<Utc>,
    warnings: &mut Vec<String>,
) -> Vec<Update> {
    if headings.is_empty() {
        return Vec::new();
    }
    // Dates before their heading (a feed's `Mar 16, 04:38 UTC` then `Resolved - ...`)?
    let leading = headings.iter().all(|h| h.date.is_none())
        && headings[0].line > 0
        && is_date_line(lines[headings[0].line - 1]).is_some();
    let mut raw: Vec<(String, Option<DateTime<Utc>>, String)> = Vec::new();
    for (k, h) in headings.iter().enumerate() {
        let end = headings.get(k + 1).map_or(lines.len(), |n| n.line);
        let mut body_lines: Vec<&str> = Vec::new();
        let mut date = h.date.as_ref().and_then(|m| m.resolve(reference));
        for (j, line) in lines.iter().enumerate().take(end).skip(h.line + 1) {
            if is_trailer(line) {
                break;
            }
            if let Some(m) = is_date_line(line) {
                let is_next_leading = leading && j + 1 == end;
                if is_next_leading {
                    continue;
                }
                if date.is_none() && !leading {
                    date = m.resolve(reference);
                    continue;
                }
            }
            body_lines.push(line);
        }
        if leading {
            date = is_date_line(lines[h.line - 1]).and_then(|m| m.resolve(reference));
        }
        if date.is_none() {
            warnings.push(format!(
                "update `{}` (line {}) has no readable date",
                h.label,
                h.line + 1
            ));
        }
        let mut body = h.inline_body.clone().unwrap_or_default();
        let rest = body_lines.join("\n");
        if !rest.is_empty() {
            if !body.is_empty() {
                body.push('\n');
            }
            body.push_str(&rest);
        }
        raw.push((h.label.clone(), date, body.trim().to_string()));
    }
    // Chronological order decides which status a carrying word inherits.
    let mut order: Vec<usize> = (0..raw.len()).collect();
    let dated = raw.iter().all(|r| r.1.is_some());
    if dated {
        order.sort_by_key(|&i| raw[i].1);
    } else if raw
        .first()
        .and_then(|r| Status::from_word(&r.0))
        .is_some_and(Status::is_terminal)
    {
        order.reverse(); // newest first, undated
    }
    let mut status: Option<Status> = None;
    let mut out = Vec::with_capacity(raw.len());
    for i in order {
        let (label, at, body) = &raw[i];
        let st = Status::from_word(label)
            .or(status)
            .unwrap_or(Status::Investigating);
        status = Some(st);
        out.push(Update {
            vendor_id: None,
            status: st,
            label: label.clone(),
            at: *at,
            body: body.clone(),
        });
    }
    out
}

/// Labelled facts around the timeline.
#[derive(Debug, Default)]
struct Fields {
    title: Option<String>,
    provider: Option<String>,
    impact: Option<Impact>,
    badge_status: Option<Status>,
    started: Option<DateTime<Utc>>,
    resolved: Option<DateTime<Utc>>,
    duration: Option<Duration>,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    components: Vec<Component>,
    /// Lines that are labels or values of fields, not timeline headings.
    field_lines: Vec<usize>,
}

impl Fields {
    fn read(lines: &[&str], reference: DateTime<Utc>) -> Fields {
        let mut f = Fields::default();
        let next_date = |i: usize| {
            lines
                .get(i + 1)
                .and_then(|l| is_date_line(l))
                .filter(|m| !m.rest.iter().any(|w| w.eq_ignore_ascii_case("posted")))
        };
        for (i, line) in lines.iter().enumerate() {
            let lower = line.to_ascii_lowercase();
            let key = lower.trim_end_matches(':').trim();
            // `Started` / `Resolved` / `Duration` followed by their value.
            match key {
                "started" | "began" | "start" | "started at" | "start time" | "opened" => {
                    if let Some(m) = next_date(i) {
                        f.started = m.resolve(reference);
                        f.field_lines.extend([i, i + 1]);
                    }
                }
                "resolved" | "ended" | "end" | "resolved at" | "end time" | "closed"
                | "completed" => {
                    if let Some(m) = next_date(i) {
                        f.resolved = m.resolve(reference);
                        f.field_lines.extend([i, i + 1]);
                    }
                }
                "duration" | "lasted" => {
                    if let Some(d) = lines.get(i + 1).and_then(|l| parse_duration(l)) {
                        f.duration = Some(d);
                        f.field_lines.extend([i, i + 1]);
                    }
                }
                k if k.starts_with("detected by") && next_date(i).is_some() => {
                    f.field_lines.extend([i, i + 1]);
                }
                _ => {}
            }
            if let Some(rest) = line.strip_prefix("Incident Report for ") {
                f.provider.get_or_insert_with(|| rest.trim().to_string());
                f.field_lines.push(i);
            }
            if let Some(idx) = lower.find(" experienced a") {
                f.provider
                    .get_or_insert_with(|| line[..idx].trim().to_string());
                let after = &lower[idx + " experienced a".len()..];
                let word = after
                    .trim_start_matches('n')
                    .split_whitespace()
                    .next()
                    .unwrap_or("");
                if let Some(imp) = impact_word(word) {
                    f.impact.get_or_insert(imp);
                }
                if let Some(d) = after.split("lasting").nth(1).and_then(parse_duration) {
                    f.duration.get_or_insert(d);
                }
            }
            for t in TRAILERS.iter().filter(|t| t.contains("affected")) {
                if lower.starts_with(t) {
                    if let Some((_, list)) = line.split_once(':') {
                        f.components.extend(parse_affected_list(list));
                    } else if *t == "affected components" {
                        // The names follow on the next lines, one per line or run together.
                        for l in lines.iter().skip(i + 1).take_while(|l| {
                            heading_at(l).is_none()
                                && !l.to_ascii_lowercase().starts_with("update timeline")
                        }) {
                            for name in split_run_together(l) {
                                let c = Component { name, group: None };
                                if !f.components.contains(&c) {
                                    f.components.push(c);
                                }
                            }
                        }
                    }
                }
            }
            // A short badge line: `Major Resolved View vendor source →`.
            let words: Vec<&str> = line.split_whitespace().collect();
            if (1..=6).contains(&words.len()) && i < 12 {
                if let Some(imp) = impact_word(&words[0].to_ascii_lowercase()) {
                    if words.len() == 1 || words.get(1).and_then(|w| Status::from_word(w)).is_some()
                    {
                        f.impact.get_or_insert(imp);
                        f.badge_status = words.get(1).and_then(|w| Status::from_word(w));
                        f.field_lines.push(i);
                    }
                }
            }
            if f.window.is_none() {
                f.window = window(line, reference);
            }
        }
        // Title and provider from the head of the page.
        let mut head = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        if let Some((i0, first)) = head.next() {
            let header = first
                .strip_suffix(" incident")
                .or_else(|| first.strip_suffix(" Incident"));
            match (header, head.next()) {
                (Some(p), Some((i1, title))) => {
                    f.provider.get_or_insert_with(|| p.trim().to_string());
                    f.title = Some(title.to_string());
                    f.field_lines.extend([i0, i1]);
                }
                _ => {
                    f.title = Some(first.to_string());
                    f.field_lines.push(i0);
                }
            }
        }
        if f.impact.is_none() {
            f.impact = f.title.as_deref().and_then(impact_phrase);
        }
        f
    }
}

/// An impact level word (`Critical`, `Major`, `Minor`, `None`, `Maintenance`).
fn impact_word(word: &str) -> Option<Impact> {
    match word.trim_matches(|c: char| !c.is_alphabetic()) {
        "critical" => Some(Impact::Critical),
        "major" => Some(Impact::Major),
        "minor" => Some(Impact::Minor),
        "maintenance" => Some(Impact::Maintenance),
        _ => None,
    }
}

/// Component-status phrases as impact: major outage is critical, partial
/// outage major, degraded performance minor (Statuspage's correspondence).
fn impact_phrase(text: &str) -> Option<Impact> {
    let l = text.to_ascii_lowercase();
    if l.contains("major outage") || l.contains("full outage") {
        Some(Impact::Critical)
    } else if l.contains("partial outage") {
        Some(Impact::Major)
    } else if l.contains("degraded performance") || l.contains("performance degradation") {
        Some(Impact::Minor)
    } else if l.contains("scheduled maintenance") || l.contains("planned maintenance") {
        Some(Impact::Maintenance)
    } else {
        None
    }
}

/// A stated duration: `2d 11h`, `1 hour, 8 minutes`, `45m`, `3 days 2 hours`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let cleaned = text.replace(',', " ").replace(" and ", " ");
    let tokens: Vec<&str> = cleaned.split_whitespace().collect();
    let mut total = Duration::zero();
    let mut seen = false;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            if seen {
                break;
            }
            i += 1;
            continue;
        }
        let n: i64 = digits.parse().ok()?;
        let unit_inline = &t[digits.len()..];
        let (unit, used) = if unit_inline.is_empty() {
            (tokens.get(i + 1).copied().unwrap_or(""), 2)
        } else {
            (unit_inline, 1)
        };
        let u = unit.to_ascii_lowercase();
        let d = if u.starts_with("d") {
            Duration::days(n)
        } else if u.starts_with("h") {
            Duration::hours(n)
        } else if u.starts_with("mi") || u == "m" {
            Duration::minutes(n)
        } else if u.starts_with("s") {
            Duration::seconds(n)
        } else {
            break;
        };
        total += d;
        seen = true;
        i += used;
    }
    seen.then_some(total)
}

/// A maintenance window: `from 2026-05-11 20:00 CEST to 2026-05-12 03:00 CEST`,
/// `Scheduled for May 11, 20:00 - 23:00 UTC`, `THIS IS A SCHEDULED EVENT ...`.
fn window(line: &str, reference: DateTime<Utc>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let lower = line.to_ascii_lowercase();
    let start = ["from ", "scheduled for ", "scheduled event ", "between "]
        .iter()
        .filter_map(|k| lower.find(k).map(|i| i + k.len()))
        .min()?;
    let rest = &line[start..];
    let rest_l = rest.to_ascii_lowercase();
    let cut = [" to ", " until ", " - ", " and ", " – "]
        .iter()
        .filter_map(|k| rest_l.find(k).map(|i| (i, k.len())))
        .min()?;
    let (left, right) = (&rest[..cut.0], &rest[cut.0 + cut.1..]);
    let from = scan_date(left)?;
    let zone_hint = right
        .split_whitespace()
        .find(|w| time::parse_zone(w).is_some() && !w.contains(':'));
    let from = if from.rest.is_empty()
        || left
            .split_whitespace()
            .any(|w| time::parse_zone(w).is_some() && !w.contains(':'))
    {
        from.resolve_near(reference)?
    } else {
        scan_date(&format!("{left} {}", zone_hint.unwrap_or("UTC")))?.resolve_near(reference)?
    };
    let until = match scan_date(right) {
        Some(m) => m.resolve_near(from)?,
        None => {
            // `20:00 - 23:00 UTC`: the end has a time only.
            let date_words: Vec<&str> = left
                .split_whitespace()
                .filter(|w| !w.contains(':'))
                .collect();
            scan_date(&format!("{} {}", date_words.join(" "), right))?.resolve_near(from)?
        }
    };
    let until = if until < from {
        until + Duration::days(1)
    } else {
        until
    };
    Some((from, until))
}

/// Reads a page that may hold several incidents (an incident-history page, a
/// custom status page): the HTML is cut at its headings (`h1`–`h4`) and each
/// part with a dated timeline is one incident, titled by its heading. A page
/// whose timeline is not under a heading of its own, or plain text, gives one
/// extraction of the whole.
pub fn extract_all(input: &str, now: DateTime<Utc>) -> Vec<Extraction> {
    if looks_like_html(input) {
        let parts = text::split_at_headings(input);
        if parts.len() > 1 {
            let page_provider = extract(input, now).provider;
            let mut found: Vec<Extraction> = parts
                .iter()
                .map(|p| extract(p, now))
                .filter(|x| x.incident.updates.iter().any(|u| u.at.is_some()))
                .collect();
            if !found.is_empty() {
                let mut seen = std::collections::HashSet::new();
                for x in &mut found {
                    if x.provider.is_none() {
                        x.provider.clone_from(&page_provider);
                    }
                    if !seen.insert(x.incident.vendor_id.clone()) {
                        // Two incidents starting in the same minute with the same heading.
                        x.incident.vendor_id =
                            stable_hash(&[&x.incident.vendor_id, &x.incident.title]);
                    }
                }
                return found;
            }
        }
    }
    vec![extract(input, now)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2d 11h"), Some(Duration::hours(59)));
        assert_eq!(
            parse_duration("1 hour, 8 minutes"),
            Some(Duration::minutes(68))
        );
        assert_eq!(parse_duration("45m"), Some(Duration::minutes(45)));
        assert_eq!(
            parse_duration("3 days and 2 hours"),
            Some(Duration::hours(74))
        );
        assert_eq!(parse_duration("soon"), None);
    }

    #[test]
    fn windows() {
        let now = DateTime::parse_from_rfc3339("2026-05-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let w = window(
            "Maintenance from 2026-05-11 20:00 CEST to 2026-05-12 03:00 CEST",
            now,
        )
        .unwrap();
        assert_eq!(w.0.to_rfc3339(), "2026-05-11T18:00:00+00:00");
        assert_eq!(w.1.to_rfc3339(), "2026-05-12T01:00:00+00:00");
        let w = window("THIS IS A SCHEDULED EVENT May 11, 20:00 - 23:00 UTC", now).unwrap();
        assert_eq!(w.0.to_rfc3339(), "2026-05-11T20:00:00+00:00");
        assert_eq!(w.1.to_rfc3339(), "2026-05-11T23:00:00+00:00");
    }

    #[test]
    fn headings_in_every_form() {
        let h = heading_at("Resolved").unwrap();
        assert_eq!(h.label, "Resolved");
        let h = heading_at("  3. identified May 03, 2026, 06:53 PM UTC").unwrap();
        assert_eq!(h.label, "identified");
        assert!(h.date.is_some());
        let h = heading_at("Post-mortem - We found the cause.").unwrap();
        assert_eq!(h.inline_body.as_deref(), Some("We found the cause."));
        assert_eq!(
            heading_at("Escalate May 03, 2026, 06:53 PM UTC")
                .unwrap()
                .label,
            "Escalate"
        );
        assert!(heading_at("Investigating elevated error rates on the API").is_none());
        assert!(heading_at("We are investigating.").is_none());
    }
}
