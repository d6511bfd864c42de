//! The head of a page: its title and the vendor's name, from the patterns
//! pages use (`Incident Report for X`, an aggregator's `X incident` line, a
//! brand line above the title), else the first line that is not navigation,
//! a day header or a layout label; and, failing all, the name the text keeps
//! coming back to.

use crate::page::{chrome, day_line, Line};
use crate::stamp::weekday_word;

mod brands;
pub(crate) use brands::*;

/// The title, the line it is on, and the vendor's name where the head gives it.
#[derive(Debug, Default)]
pub(crate) struct Head {
    pub title: Option<String>,
    pub title_line: Option<usize>,
    pub provider: Option<String>,
    /// The line after which the timeline may begin.
    pub body_from: usize,
    /// Lines of the head (not content).
    pub lines: Vec<usize>,
    /// The page says whose report it is but shows no name (a logo): the
    /// vendor is not to be guessed from the text.
    pub unnamed: bool,
    /// A `Scheduled Maintenance Report for X`: its impact is maintenance.
    pub maintenance_report: bool,
}

/// Whether a line can be a title: short, one line, not a sentence run.
fn title_like(text: &str) -> bool {
    let n = text.chars().count();
    let words = text.split_whitespace().count();
    (2..=220).contains(&n)
        && !text.ends_with(':')
        && text.split(". ").count() <= 2
        // A sentence of prose (`TLDR: IES, AMB and EPR experienced ...`,
        // `Follow Ups Root cause investigation for excessive load.`).
        && !(text.ends_with('.') && !text.ends_with("..") && words >= 4)
        && !text.to_ascii_lowercase().starts_with("tldr")
        && !text.to_ascii_lowercase().starts_with("tl;dr")
}

/// The line after `i`, within the head, that titles an incident better than
/// line `i`: a title-like line that speaks of an incident, or the lines an
/// aggregator's or Google Cloud's head starts with (`X incident`, `Incident
/// affecting`), before any date or update heading.
fn better_title(lines: &[Line], i: usize) -> Option<usize> {
    let mut worded = None;
    for (k, l) in lines.iter().enumerate().skip(i + 1).take(6) {
        let t = l.text.as_str();
        if !l.stamps.is_empty() || crate::page::heading(l).is_some() {
            break;
        }
        // An aggregator's or a cloud's head: what its own rule reads.
        if t.ends_with(" incident")
            || t.ends_with(" Incident")
            || t.starts_with("Incident affecting ")
            || numbered_incident(t).is_some()
        {
            return Some(k);
        }
        if chrome(t) || !title_like(t) || crate::words::site_name(t).is_some() || breadcrumb(t) {
            continue;
        }
        if worded.is_none() && crate::words::incident_words(t) && !t.ends_with(['.', '?']) {
            worded = Some(k);
        }
    }
    // Only a line that says less than the candidate gives way to one saying more.
    worded.filter(|_| !crate::words::incident_words(&lines[i].text))
}

/// `Google Cloud Run Incident #19007`: a product's numbered incident, the
/// product before it.
fn numbered_incident(text: &str) -> Option<&str> {
    let (name, num) = text.rsplit_once(" Incident #")?;
    num.chars().all(|c| c.is_ascii_digit()).then_some(name)
}

/// `Home > Status > Incidents`: where a page sits in its site.
pub(crate) fn breadcrumb(text: &str) -> bool {
    [" > ", " › ", " » ", " / "]
        .iter()
        .any(|sep| text.matches(sep).count() >= 2)
}

/// A line that is a brand name alone (`OpenAI`) above the title.
/// A state badge alone on a line (`Degraded`, `Downtime`, `Major outage`).
fn state_word(text: &str) -> bool {
    const STATES: &[&str] = &[
        "degraded",
        "downtime",
        "operational",
        "outage",
        "maintenance",
        "major",
        "minor",
        "critical",
        "disruption",
        "partial",
        "notice",
        "info",
        "warning",
        "degraded performance",
        "partial outage",
        "major outage",
        "full outage",
        "under maintenance",
        "incident",
    ];
    STATES.contains(&text.trim().to_ascii_lowercase().as_str())
}

fn brand_line(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    // A state badge (`Degraded`, `Downtime`) is no brand.
    words.len() == 1
        && !state_word(text)
        && text.chars().next().is_some_and(char::is_uppercase)
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// `Incident title Tuesday 24th September 2019 09:00 AM` -> the title;
/// `Title, scheduled 1 year ago` -> the title.
fn clean_title(line: &Line) -> String {
    let mut t = line.text.clone();
    // A subscribe button beside the title (`PyPI XMLRPC Search Disabled Subscribe`).
    for tail in [
        " Subscribe to updates",
        " Subscribe to Updates",
        " Subscribe",
    ] {
        if let Some(rest) = t.strip_suffix(tail) {
            t = rest.to_string();
            break;
        }
    }
    if let Some(i) = t.rfind(", scheduled ") {
        if t[i..].trim_end().ends_with(" ago") {
            t.truncate(i);
        }
    }
    // A day header glued to the end (`Email Flow Issue Tuesday 24th September 2019`).
    if let Some(s) = line.stamps.last() {
        let tail = &line.text[s.start..];
        let starts_with_weekday = tail
            .split_whitespace()
            .next()
            .is_some_and(|w| weekday_word(w.trim_end_matches(',')).is_some());
        if s.end >= line.text.trim_end().len() && s.start > 0 && starts_with_weekday {
            t = line.text[..s.start].trim_end().to_string();
        }
    }
    t.trim().to_string()
}

impl Head {
    /// Reads the head of `lines`; `consumed` marks the lines fields were
    /// read from (a summary sentence, `Started ...`), which title nothing.
    pub(crate) fn read(lines: &[Line], marked_title: Option<&str>, consumed: &[bool]) -> Head {
        let mut h = Head::default();
        let first = lines.iter().take(12).enumerate();
        // Statuspage: the title is the line above `Incident Report for X`.
        const REPORT: [&str; 12] = [
            "Incident Report for",
            "Scheduled Maintenance Report for",
            "Maintenance Report for",
            // Statuspage's pages in other languages
            "Informe de incidente para",
            "Informe del incidente de",
            "Relatório de incidente para",
            "Rapport d'incident pour",
            "Rapport d’incident pour",
            "Vorfallbericht für",
            "Störungsbericht für",
            "Incidentrapport voor",
            "Rapporto sull'incidente per",
        ];
        let report = lines.iter().enumerate().take(12).find_map(|(k, l)| {
            REPORT
                .iter()
                .find(|p| l.text.starts_with(**p))
                .map(|p| (k, l, *p))
                // `Incident Report` alone: a report whose vendor is a logo.
                .or_else(|| {
                    (l.text == "Incident Report" || l.text == "Scheduled Maintenance Report")
                        .then_some((k, l, l.text.as_str()))
                })
        });
        if let Some((k, l, prefix)) = report {
            h.maintenance_report = prefix.contains("Maintenance");
            let name = l.text[prefix.len()..].trim();
            if !name.is_empty() {
                h.provider = Some(name.to_string());
            } else {
                // The vendor's name is its logo: none is written, none is guessed.
                h.unnamed = true;
            }
            h.lines.push(k);
            if let Some((t, tl)) = lines[..k]
                .iter()
                .enumerate()
                .rev()
                .find(|(_, x)| !chrome(&x.text) && title_like(&x.text))
            {
                h.title = Some(clean_title(tl));
                h.title_line = Some(t);
                h.lines.push(t);
            }
            h.body_from = k + 1;
            h.lines.extend(0..k);
            return h.with_marked(lines, marked_title);
        }
        let mut skip_to = 0;
        // `Title: ...` (a notice written as fields): the title, said so.
        if let Some((i, t)) = lines.iter().enumerate().take(12).find_map(|(i, l)| {
            l.text
                .strip_prefix("Title:")
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| (i, t))
        }) {
            h.title = Some(t.to_string());
            h.title_line = Some(i);
            h.lines.extend(0..=i);
            h.body_from = i + 1;
            return h.with_marked(lines, marked_title);
        }
        for (i, l) in first {
            if i < skip_to {
                continue;
            }
            let text = l.text.as_str();
            // An update's heading with its time (`investigating Feb 19, 2024,
            // 05:12 PM UTC`): the timeline has begun, and no title was shown.
            if l.stamps.first().is_some_and(|s| {
                crate::page::leading_label(text).is_some_and(|(lab, end)| {
                    crate::page::heading_status(&lab).flatten().is_some()
                        && s.start >= end
                        && text[end..s.start].chars().all(|c| {
                            c.is_whitespace() || matches!(c, '-' | '–' | ':' | '·' | '|' | ',')
                        })
                        && text[s.end..].trim().is_empty()
                })
            }) {
                break;
            }
            // A `Posted` line: an update ended there, and no title came before.
            if crate::page::posted(l) {
                break;
            }
            // A state badge above the title (`Degraded`, `Downtime`).
            if state_word(text) {
                h.lines.push(i);
                continue;
            }
            // Past an update's heading the timeline has begun: a line after
            // it, followed by another heading, is that update's text.
            if i > 0
                && crate::page::heading(&lines[i - 1]).is_some()
                && lines
                    .get(i + 1)
                    .is_some_and(|n| crate::page::heading(n).is_some())
            {
                // That heading is the first update's, not the page's.
                h.lines.retain(|&k| k != i - 1);
                break;
            }
            // An aggregator's head: `X incident` / `Outage in X`, then the title.
            let aggregator = text
                .strip_suffix(" incident")
                .or_else(|| text.strip_suffix(" Incident"))
                .or_else(|| text.strip_prefix("Outage in "))
                .or_else(|| numbered_incident(text))
                .filter(|p| !p.is_empty() && p.split_whitespace().count() <= 4);
            if let Some(p) = aggregator {
                if let Some(next) = lines.get(i + 1) {
                    h.provider = Some(p.trim().to_string());
                    h.title = Some(clean_title(next));
                    h.title_line = Some(i + 1);
                    h.lines.extend(0..=i + 1);
                    h.body_from = i + 2;
                    return h.with_marked(lines, marked_title);
                }
            }
            // Google Cloud: `Incident affecting <products>`, then the description.
            if text.starts_with("Incident affecting ") {
                if let Some(next) = lines.get(i + 1) {
                    h.title = Some(clean_title(next));
                    h.title_line = Some(i + 1);
                    h.lines.extend(0..=i + 1);
                    h.body_from = i + 2;
                    return h.with_marked(lines, marked_title);
                }
            }
            // A line a field was read from (`X experienced a minor incident
            // on ...`) is no title.
            if consumed.get(i).copied().unwrap_or(false) && crate::page::heading(l).is_none() {
                h.lines.push(i);
                continue;
            }
            // The status site's name (`Acme Status`, `Google Cloud Status
            // Dashboard`, `Acme Statusseite`): the vendor, not the title.
            if let Some(name) = crate::words::site_name(text) {
                if let Some(name) = name {
                    h.provider.get_or_insert(name);
                }
                h.lines.push(i);
                continue;
            }
            // A status badge above the title (`Maintenance`, `Resolved`) is no title.
            if chrome(text)
                || breadcrumb(text)
                || day_line(l).is_some()
                || crate::page::date_line(l).is_some()
                || crate::page::heading(l).is_some()
            {
                h.lines.push(i);
                continue;
            }
            // Prose is no title; it stays the page's text (a page that shows
            // no title opens with its first update).
            if !title_like(text) {
                continue;
            }
            if text.eq_ignore_ascii_case("tags") || text.to_ascii_lowercase().starts_with("tags:") {
                h.lines.push(i);
                continue;
            }
            // A brand line above the title (`OpenAI`, then the incident's title).
            if brand_line(text)
                && lines
                    .get(i + 1)
                    .is_some_and(|n| title_like(&n.text) && !chrome(&n.text))
            {
                h.provider.get_or_insert_with(|| text.to_string());
                h.lines.push(i);
                skip_to = i + 1;
                continue;
            }
            // A line that says nothing of an incident (a site's name, a
            // tagline, a heading of the site) before one that does: the
            // later one is the title.
            if !crate::words::incident_words(text) || text.ends_with('?') {
                if let Some(k) = better_title(lines, i) {
                    if brand_line(text) || text.split_whitespace().count() <= 3 {
                        h.provider.get_or_insert_with(|| text.to_string());
                    }
                    h.lines.extend(i..k);
                    skip_to = k;
                    continue;
                }
            }
            h.title = Some(clean_title(l));
            h.title_line = Some(i);
            h.lines.push(i);
            h.body_from = i + 1;
            break;
        }
        h.with_marked(lines, marked_title)
    }

    /// The markup's title (`<h1>`, `<title>`) wins where it is on the page.
    fn with_marked(mut self, lines: &[Line], marked: Option<&str>) -> Head {
        if let Some(t) = marked {
            if let Some(i) = lines.iter().position(|l| l.text.trim() == t.trim()) {
                self.title = Some(clean_title(&lines[i]));
                self.title_line = Some(i);
                self.lines.push(i);
                self.body_from = self.body_from.max(i + 1);
            } else if self.title.is_none() {
                self.title = Some(t.trim().to_string());
            }
        }
        self
    }
}
