//! The head of a page: its title and the vendor's name, from the patterns
//! pages use (`Incident Report for X`, an aggregator's `X incident` line, a
//! brand line above the title), else the first line that is not navigation,
//! a day header or a layout label; and, failing all, the name the text keeps
//! coming back to.

use crate::page::{chrome, day_line, Line};
use crate::stamp::weekday_word;

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

/// Words that are capitalised on status pages without naming a vendor.
const COMMON: &[&str] = &[
    "a",
    "about",
    "after",
    "all",
    "also",
    "an",
    "and",
    "any",
    "api",
    "app",
    "apps",
    "are",
    "as",
    "at",
    "be",
    "because",
    "before",
    "between",
    "but",
    "by",
    "can",
    "cause",
    "cet",
    "cest",
    "check",
    "cloud",
    "component",
    "components",
    "currently",
    "customer",
    "customers",
    "data",
    "database",
    "details",
    "due",
    "during",
    "email",
    "engineers",
    "engineering",
    "est",
    "edt",
    "final",
    "for",
    "from",
    "further",
    "gmt",
    "had",
    "has",
    "have",
    "here",
    "how",
    "http",
    "https",
    "i",
    "if",
    "impact",
    "in",
    "incident",
    "incidents",
    "investigating",
    "is",
    "issue",
    "issues",
    "it",
    "its",
    "identified",
    "learn",
    "login",
    "maintenance",
    "mail",
    "many",
    "message",
    "messages",
    "monitoring",
    "more",
    "network",
    "next",
    "no",
    "not",
    "notes",
    "of",
    "on",
    "once",
    "or",
    "our",
    "outage",
    "over",
    "pdt",
    "please",
    "pm",
    "am",
    "postmortem",
    "potential",
    "preliminary",
    "problem",
    "pst",
    "reason",
    "region",
    "resolved",
    "restored",
    "root",
    "scope",
    "service",
    "services",
    "since",
    "so",
    "some",
    "start",
    "status",
    "steps",
    "summary",
    "support",
    "system",
    "systems",
    "team",
    "thank",
    "that",
    "the",
    "their",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "time",
    "timeline",
    "to",
    "today",
    "update",
    "updated",
    "updates",
    "user",
    "users",
    "utc",
    "we",
    "web",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "you",
    "your",
    "interruption",
    "delays",
    "recovery",
    "details",
    "description",
    "duration",
    "end",
    "began",
    "affected",
    "completed",
    "planned",
    "scheduled",
    "work",
    "announcement",
    "site",
    "type",
    "schedule",
    "contact",
    "general",
    "members",
    "dashboard",
    "server",
    "servers",
    "platform",
    "application",
    "applications",
    "access",
    "performance",
    "degraded",
    "errors",
    "error",
    "overview",
    "background",
    "resolution",
    "executive",
    "events",
    "event",
    "closed",
    "investigation",
    "background",
    "sorry",
    "uhr",
    "pacific",
    "eastern",
    "central",
    "mountain",
    "success",
    "payment",
    "payments",
    "report",
];

fn month_or_weekday(w: &str) -> bool {
    crate::time::parse_month(w).is_some() && w.len() >= 3 || weekday_word(w).is_some()
}

/// The vendor a page names: a capitalised name inside a sentence of its text
/// (not its title, whose words are capitalised anyway; not after `the`, which
/// makes a feature of it: `the Threads view`), not a common word; the one
/// named most, a vendor statuswatch knows (the catalog) winning a tie.
pub(crate) fn frequent_name(lines: &[Line], title: Option<&str>) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let good = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().count() >= 3
            && w.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
            && !(w.chars().count() <= 3 && w.chars().all(char::is_uppercase))
            && !COMMON.contains(&w.to_ascii_lowercase().as_str())
            && !month_or_weekday(w)
            && !w.chars().any(|c| c.is_ascii_digit())
            && !plural_acronym(w)
    };
    // Sentences of the text: not the title, not headings or lists of names.
    let body = lines.iter().filter(|l| {
        Some(l.text.as_str()) != title
            && l.text.split_whitespace().count() >= 5
            && l.text
                .split_whitespace()
                .filter(|w| w.chars().all(char::is_lowercase))
                .count()
                >= 2
    });
    for l in body {
        let words: Vec<&str> = l.text.split_whitespace().collect();
        for k in 0..words.len() {
            let w = words[k].trim_matches(|c: char| !c.is_alphanumeric());
            let w = w
                .strip_suffix("’s")
                .or_else(|| w.strip_suffix("'s"))
                .unwrap_or(w);
            if !good(w) {
                continue;
            }
            // Inside a sentence any capitalised word may be a name; at its
            // start only one shaped like a brand (`CUSI is ...`, `WinBooks`).
            let brand_shaped = w
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
                || w.chars().skip(1).any(char::is_uppercase);
            let mid = k > 0
                && words[k - 1]
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == ',')
                && !words[k - 1].eq_ignore_ascii_case("the");
            if !mid && !(brand_shaped && (k == 0 || !words[k - 1].eq_ignore_ascii_case("the"))) {
                continue;
            }
            // A known vendor's name of several words (`Google Cloud`) counts whole.
            let name = several_words(words[k])
                .iter()
                .filter(|n| {
                    let parts: Vec<&str> = n.split(' ').collect();
                    let last = parts.len() - 1;
                    parts.iter().enumerate().all(|(j, part)| {
                        words.get(k + j).is_some_and(|x| {
                            if j == last {
                                x.starts_with(part)
                            } else {
                                x == part
                            }
                        })
                    })
                })
                .max_by_key(|n| n.len())
                .map_or(w.to_string(), |n| n.to_string());
            match index.get(&name) {
                Some(&at) => counts[at].1 += 1,
                None => {
                    index.insert(name.clone(), counts.len());
                    counts.push((name, 1));
                }
            }
        }
    }
    let known = |n: &str| known_vendors().binary_search(&n).is_ok();
    // A vendor statuswatch knows, named most; else a name the text repeats.
    let best = |list: Vec<&(String, usize)>| {
        list.into_iter()
            .enumerate()
            .max_by_key(|(i, (_, c))| (*c, std::cmp::Reverse(*i)))
            .map(|(_, (n, _))| n.clone())
    };
    best(counts.iter().filter(|(n, _)| known(n)).collect())
        .or_else(|| lowercase_brand(lines, title))
        .or_else(|| best(counts.iter().filter(|(_, c)| *c >= 2).collect()))
}

/// `RTTs`, `APIs`, `VMs`: an acronym's plural, not a name.
fn plural_acronym(w: &str) -> bool {
    w.strip_suffix('s').is_some_and(|core| {
        core.chars().count() >= 2 && core.chars().all(|c| c.is_ascii_uppercase())
    })
}

/// A brand written in lowercase (`cloudscale is using redundant dark
/// fibers`): a sentence opens with it, where prose has a capital, and the
/// text names it again. The word the text names so most often.
fn lowercase_brand(lines: &[Line], title: Option<&str>) -> Option<String> {
    let mut openers: Vec<&str> = Vec::new();
    let mut all_words: Vec<&str> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if Some(l.text.as_str()) == title {
            continue;
        }
        let words: Vec<&str> = l.text.split_whitespace().collect();
        if words.len() < 5 {
            continue;
        }
        // A line that continues a wrapped sentence opens nothing.
        let opens_line = i == 0
            || l.para
            || lines[i - 1].text.ends_with(['.', '!', '?', ':'])
            || lines[i - 1].text.split_whitespace().count() < 5;
        for (k, w) in words.iter().enumerate() {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            all_words.push(bare);
            let opens =
                (k == 0 && opens_line) || (k > 0 && words[k - 1].ends_with(['.', '!', '?']));
            let lowercase = bare.chars().next().is_some_and(char::is_lowercase)
                && bare.chars().count() >= 4
                && bare.chars().all(|c| c.is_alphanumeric() || c == '-')
                && !crate::words::ascii_lower(bare, |b| COMMON.contains(&b))
                    .unwrap_or_else(|| COMMON.contains(&bare.to_ascii_lowercase().as_str()))
                && crate::page::heading_status(bare).is_none()
                && crate::stamp::weekday_word(bare).is_none();
            if opens && lowercase {
                openers.push(bare);
            }
        }
    }
    openers
        .into_iter()
        .map(|w| (w, all_words.iter().filter(|x| **x == w).count()))
        .filter(|(_, n)| *n >= 3)
        .max_by_key(|(_, n)| *n)
        .map(|(w, _)| w.to_string())
}

/// The known vendors' names of several words whose first word is `first`.
fn several_words(first: &str) -> &'static [&'static str] {
    static BY_FIRST: std::sync::OnceLock<
        std::collections::HashMap<&'static str, Vec<&'static str>>,
    > = std::sync::OnceLock::new();
    let map = BY_FIRST.get_or_init(|| {
        let mut m: std::collections::HashMap<&'static str, Vec<&'static str>> =
            std::collections::HashMap::new();
        for n in known_vendors().iter().filter(|n| n.contains(' ')) {
            if let Some(f) = n.split(' ').next() {
                m.entry(f).or_default().push(n);
            }
        }
        m
    });
    map.get(first).map_or(&[], Vec::as_slice)
}

/// A vendor statuswatch knows named in `text` (a title: `Some users may
/// experience issues accessing OpenAI accounts`), the longest.
pub(crate) fn known_in(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut best: Option<&str> = None;
    for (k, w) in words.iter().enumerate() {
        let w = w.trim_end_matches('.');
        let mut found = known_vendors()
            .binary_search(&w)
            .ok()
            .map(|i| known_vendors()[i]);
        for n in several_words(w) {
            let parts: Vec<&str> = n.split(' ').collect();
            if parts
                .iter()
                .enumerate()
                .all(|(j, p)| words.get(k + j).is_some_and(|x| x == p))
            {
                found = Some(n);
            }
        }
        if let Some(f) = found {
            if best.is_none_or(|b| f.len() > b.len()) {
                best = Some(f);
            }
        }
    }
    best.map(str::to_string)
}

/// The catalog's vendor names that can be told from ordinary words.
fn known_vendors() -> &'static [&'static str] {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    const WORDS: &[&str] = &[
        "make", "mode", "one", "calm", "chef", "mist", "neon", "thru", "tide", "keen", "roam",
        "slab", "sift", "box", "bolt", "guru", "hive", "maze", "doit", "goto", "halp", "fond",
        "aqua", "exa", "dyn", "esa", "ada", "front", "linear", "render", "notion", "help",
        "status", "signal", "pulse", "sentry", "vector", "render",
    ];
    NAMES.get_or_init(|| {
        let mut v: Vec<&'static str> = statuswatch_catalog::all()
            .iter()
            .map(|v| v.name)
            .filter(|n| n.len() >= 3 && !WORDS.contains(&n.to_ascii_lowercase().as_str()))
            .filter(|n| {
                n.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    })
}
