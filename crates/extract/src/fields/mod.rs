//! Labelled facts around the timeline: start, end, duration and status
//! fields, maintenance windows, affected components, impact badges, the
//! page's zone statement. Each line read as a field is marked consumed, so the
//! timeline does not read it again.

use crate::components::{parse_affected_list, split_repeated, split_run_together};
use crate::page::{chrome, component_header, date_line, heading, heading_status, Line};
use crate::stamp::{Stamp, Zone};
use chrono::Duration;
use statuswatch_model::{Component, Impact, Status};

mod affected;
mod keys;
mod span;
pub(crate) use affected::*;
use keys::*;
pub use span::*;

/// What the fields of a page state.
#[derive(Debug, Default)]
pub(crate) struct Fields {
    pub started: Option<Stamp>,
    pub ended: Option<Stamp>,
    pub duration: Option<Duration>,
    pub status: Option<Status>,
    pub impact: Option<Impact>,
    pub provider: Option<String>,
    pub window: Option<(Stamp, Option<Stamp>)>,
    pub components: Vec<Component>,
    /// Components from a sentence (`... affecting X, lasting 1d`), used when no list gives any.
    pub sentence_components: Vec<Component>,
    pub maintenance: bool,
    /// The head states how long it lasted (`start · 29 minutes`): it is over.
    pub lasted: bool,
    pub page_zone: Option<Zone>,
    /// Lines read as fields, component lists or chrome.
    pub consumed: Vec<bool>,
}

impl Fields {
    pub(crate) fn read(lines: &[Line]) -> Fields {
        let mut f = Fields {
            consumed: vec![false; lines.len()],
            ..Fields::default()
        };
        let mut i = 0;
        while i < lines.len() {
            let text = lines[i].text.as_str();
            let lower = text.to_ascii_lowercase();
            let lower_full = text.to_lowercase();
            if f.page_zone.is_none() {
                f.page_zone = page_zone(text);
            }
            if chrome(text) {
                f.consumed[i] = true;
            }
            // `Label: value` on one line, or `Label` with its value on the next.
            let (label, value) = match text.split_once([':', '：']) {
                Some((l, v)) if l.len() <= 40 && !l.contains("http") && !l.trim().is_empty() => {
                    (key(l), Some(v.trim()))
                }
                _ => (key(text), None),
            };
            let same_line_stamp = value
                .filter(|v| !v.is_empty())
                .and_then(|_| lines[i].stamps.iter().find(|s| s.clock.is_some()).cloned());
            // A value on the next line; a `Posted` line is an update's date, not a value.
            let next_stamp = || {
                lines
                    .get(i + 1)
                    .filter(|l| !crate::page::posted(l))
                    .and_then(|l| date_line(l))
                    .cloned()
            };
            if START_KEYS.contains(&label.as_str()) || END_KEYS.contains(&label.as_str()) {
                let is_start = START_KEYS.contains(&label.as_str());
                let stamp = match value {
                    Some(_) => same_line_stamp.clone(),
                    None => next_stamp(),
                };
                // `Resolved` alone is also a heading (with its date on the next
                // line, on some pages); it is a field beside other fields only.
                let beside_fields = value.is_some()
                    || (i.saturating_sub(4)..(i + 5).min(lines.len())).any(|j| {
                        let k = key(lines[j].text.split(':').next().unwrap_or(""));
                        j != i
                            && ((START_KEYS.contains(&k.as_str()) && !is_start)
                                || (END_KEYS.contains(&k.as_str()) && is_start)
                                || matches!(k.as_str(), "duration" | "lasted")
                                || k.starts_with("detected by"))
                    });
                let stamp = stamp.filter(|_| beside_fields);
                // A start field holding a range (`故障时间：10:05 - 11:30`): its end too.
                let range_end = (is_start && value.is_some())
                    .then(|| lines[i].stamps.iter().find(|s| s.range_end).cloned())
                    .flatten();
                if let Some(s) = stamp {
                    if is_start {
                        f.started.get_or_insert(s);
                        if let Some(e) = range_end {
                            f.ended.get_or_insert(e);
                        }
                    } else {
                        f.ended.get_or_insert(s);
                    }
                    f.consumed[i] = true;
                    if value.is_none() {
                        f.consumed[i + 1] = true;
                    }
                } else if value.is_some_and(str::is_empty) {
                    // `Start:` with its value filled in by a script: nothing stated.
                    f.consumed[i] = true;
                }
            } else if matches!(label.as_str(), "duration" | "lasted" | "total duration") {
                let v = value
                    .map(str::to_string)
                    .or_else(|| lines.get(i + 1).map(|l| l.text.clone()));
                if let Some(d) = v.as_deref().and_then(parse_duration) {
                    f.duration = Some(d);
                    f.consumed[i] = true;
                    if value.is_none() {
                        f.consumed[i + 1] = true;
                    }
                } else if value.is_some() || lines.get(i + 1).is_some_and(|l| l.text.is_empty()) {
                    f.consumed[i] = true;
                }
            } else if ADVISORY_KEYS.contains(&label.as_str())
                && value.is_some_and(|v| !v.is_empty())
            {
                // An advisory's other fields (`User impact:`, `Next update by:`):
                // what it says of the incident, not updates of it.
                f.consumed[i] = true;
            } else if label == "impact" {
                // `Impact: none`, or `Impact` with its word on the next line.
                let word = match value {
                    Some(v) if !v.is_empty() => Some(v.to_string()),
                    _ => lines.get(i + 1).map(|l| l.text.clone()),
                };
                if let Some(imp) = word
                    .as_deref()
                    .filter(|w| w.split_whitespace().count() == 1)
                    .and_then(impact_word)
                {
                    f.impact.get_or_insert(imp);
                    f.consumed[i] = true;
                    if value.is_none_or(str::is_empty) {
                        f.consumed[i + 1] = true;
                    }
                }
            } else if label == "components" && value.is_none_or(str::is_empty) && i < 20 {
                // `Components` with the names on the lines after it, in the head.
                let mut j = i + 1;
                while j < lines.len()
                    && lines[j].stamps.is_empty()
                    && !chrome(&lines[j].text)
                    && heading(&lines[j]).is_none()
                    && lines[j].text.split_whitespace().count() <= 6
                    && !lines[j].text.ends_with('.')
                {
                    for name in split_list(&lines[j].text) {
                        push(&mut f.components, name);
                    }
                    f.consumed[j] = true;
                    j += 1;
                }
                f.consumed[i] = j > i + 1;
            } else if label == "status" && value.is_some_and(|v| !v.is_empty()) {
                if let Some(Some(s)) = value.and_then(heading_status) {
                    f.status = Some(s);
                    f.consumed[i] = true;
                }
            } else if label.starts_with("detected by") {
                f.consumed[i] = true;
                if value.is_none() && next_stamp().is_some() {
                    f.consumed[i + 1] = true;
                }
            } else if WINDOW_KEYS.contains(&label.as_str()) && same_line_stamp.is_some() {
                let stamps: Vec<&Stamp> = lines[i]
                    .stamps
                    .iter()
                    .filter(|s| s.clock.is_some())
                    .collect();
                let until = stamps
                    .iter()
                    .skip(1)
                    .find(|s| s.range_end)
                    .map(|s| (*s).clone());
                f.window.get_or_insert((stamps[0].clone(), until));
                f.consumed[i] = true;
            } else if label.starts_with("type of maintenance") {
                f.maintenance = true;
            } else if COMPONENT_KEYS.contains(&label.as_str())
                && value.is_some_and(|v| !v.is_empty())
            {
                let v = value.unwrap_or_default();
                f.components.extend(split_list(v));
                f.consumed[i] = true;
            }
            if lower.starts_with("this incident affected")
                || lower.starts_with("this scheduled maintenance affected")
                || lower.starts_with("this maintenance affected")
                || AFFECTED_SENTENCES.iter().any(|p| lower_full.starts_with(p))
            {
                if let Some((_, list)) = text.split_once(':') {
                    f.components.extend(parse_affected_list(list));
                }
                f.consumed[i] = true;
            }
            if let Some(rest) = text.strip_prefix("Incident affecting ") {
                f.components.push(Component {
                    name: rest.trim().to_string(),
                    group: None,
                });
                f.consumed[i] = true;
            }
            // `Incident began at A and ended at B (all times are US/Pacific).`
            if lower.starts_with("incident began at") || lower.starts_with("began at ") {
                let full: Vec<&Stamp> = lines[i]
                    .stamps
                    .iter()
                    .filter(|s| s.clock.is_some())
                    .collect();
                if let Some(s) = full.first() {
                    f.started.get_or_insert((*s).clone());
                }
                if lower.contains("ended at") {
                    if let Some(s) = full.get(1) {
                        f.ended.get_or_insert((*s).clone());
                    }
                }
                f.consumed[i] = true;
            }
            // The aggregator's sentence: `X experienced a major incident on May 3,
            // 2026 affecting A and B, lasting 2d 11h.`
            // Only the aggregators' sentence: `X experienced a major incident on ...`.
            let experienced = lower
                .find(" experienced a ")
                .or_else(|| lower.find(" experienced an "))
                .filter(|&idx| {
                    let who = text[..idx].trim();
                    let after: Vec<&str> =
                        lower[idx..].split_whitespace().skip(2).take(2).collect();
                    who.split_whitespace().count() <= 6
                        && !matches!(
                            who.to_ascii_lowercase().as_str(),
                            "we" | "you" | "they" | "users" | "customers" | "some users"
                        )
                        && after
                            .iter()
                            .any(|w| w.starts_with("incident") || w.starts_with("maintenance"))
                });
            if let Some(idx) = experienced {
                f.provider
                    .get_or_insert_with(|| text[..idx].trim().to_string());
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
                if let Some(a) = lower.find(" affecting ") {
                    let rest = &text[a + " affecting ".len()..];
                    let end = rest.find(", lasting").unwrap_or(rest.len());
                    let list = rest[..end].trim_end_matches('.');
                    if !list.contains(" more component") {
                        f.sentence_components = list
                            .split(" and ")
                            .map(|n| Component {
                                name: n.trim().to_string(),
                                group: None,
                            })
                            .filter(|c| !c.name.is_empty())
                            .collect();
                    }
                }
                f.consumed[i] = true;
            }
            // A badge of impact and state: `Minor · Resolved`, `Major | Investigating`.
            let parts: Vec<&str> = if text.contains(['·', '|', '•']) && text.len() < 80 {
                text.split(['·', '|', '•'])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .collect()
            } else {
                Vec::new()
            };
            if (2..=3).contains(&parts.len())
                && parts.iter().all(|p| p.split_whitespace().count() <= 3)
            {
                let impact = parts.iter().find_map(|p| {
                    (p.split_whitespace().count() == 1)
                        .then(|| impact_word(p))
                        .flatten()
                });
                let stated = parts.iter().any(|p| heading_status(p).flatten().is_some());
                if let (Some(imp), true) = (impact, stated) {
                    f.impact.get_or_insert(imp);
                }
            }
            // `» Published on Sat, 21 Oct 2023 12:53:00 +0000`, `Resolved on
            // <date>`: a field whose label is the words around a full time.
            if let Some(s) = lines[i].stamps.first().filter(|s| s.is_full()) {
                let words = crate::page::outside_stamps(&lines[i]).to_lowercase();
                let bare = words
                    .split_whitespace()
                    .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                let opened = matches!(
                    bare.as_str(),
                    "published on"
                        | "published"
                        | "created on"
                        | "opened on"
                        | "reported on"
                        | "started on"
                        | "began on"
                );
                let closed = matches!(
                    bare.as_str(),
                    "resolved on" | "closed on" | "ended on" | "fixed on"
                );
                if opened || closed {
                    if opened {
                        f.started.get_or_insert(s.clone());
                    } else {
                        f.ended.get_or_insert(s.clone());
                    }
                    f.consumed[i] = true;
                    i += 1;
                    continue;
                }
            }
            // `2021-02-15 11:56 UTC · 29 minutes`: when it started and how long it lasted.
            if i < 15 && f.started.is_none() {
                if let Some(s) = lines[i]
                    .stamps
                    .first()
                    .filter(|s| s.is_full() && s.start == 0)
                {
                    let after = text[s.end..].trim_start();
                    if let Some(rest) = after.strip_prefix('·').or_else(|| after.strip_prefix('|'))
                    {
                        if let Some(d) = parse_duration(rest.trim()) {
                            f.started = Some(s.clone());
                            f.duration = Some(d);
                            f.lasted = true;
                            f.consumed[i] = true;
                            i += 1;
                            continue;
                        }
                    }
                }
            }
            // A state badge and the components it is on: `Major outage Global
            // Portal CH-GVA-2 API`.
            if i < 15 && f.impact.is_none() {
                if let Some((imp, comps)) = state_badge(text) {
                    f.impact = Some(imp);
                    for c in comps {
                        push(&mut f.components, c);
                    }
                    f.consumed[i] = true;
                    i += 1;
                    continue;
                }
            }
            // A badge: `Major Resolved View vendor source →`, `Resolved Minor`.
            let words: Vec<&str> = text.split_whitespace().collect();
            if i < 15 && (1..=6).contains(&words.len()) {
                let imp = words
                    .iter()
                    .take(2)
                    .find_map(|w| impact_word(w))
                    .filter(|i| *i != Impact::Maintenance);
                let st = words
                    .iter()
                    .take(2)
                    .find_map(|w| heading_status(w).flatten());
                let rest_ok = words.len() == 2 || lower.contains("view vendor source");
                if let (Some(imp), true) = (imp, rest_ok) {
                    if st.is_some() || lower.contains("view vendor source") {
                        f.impact.get_or_insert(imp);
                        if let Some(st) = st {
                            f.status.get_or_insert(st);
                        }
                        f.consumed[i] = true;
                    }
                }
            }
            // `Production 2h16m Development 2h16m`: systems with their downtime.
            if i < 15 {
                if let Some(names) = systems_with_durations(text) {
                    for n in names {
                        f.components.push(Component {
                            name: n,
                            group: None,
                        });
                    }
                    f.consumed[i] = true;
                }
            }
            // Google Cloud's `Previously affected location(s)`: places, not
            // components; read as part of the page's head.
            if lower.starts_with("previously affected location")
                || lower.starts_with("currently affected location")
            {
                f.consumed[i] = true;
                let mut j = i + 1;
                while j < lines.len()
                    && lines[j].stamps.is_empty()
                    && !chrome(&lines[j].text)
                    && lines[j].text.len() <= 400
                    && !lines[j].text.ends_with('.')
                {
                    f.consumed[j] = true;
                    j += 1;
                }
                i = j;
                continue;
            }
            // A heading followed by the component names, one a line or run together.
            if component_header(text) && value.is_none_or(str::is_empty) {
                f.consumed[i] = true;
                let mut j = i + 1;
                while j < lines.len() {
                    let l = &lines[j];
                    let sentence =
                        l.text.ends_with('.') && l.text.contains(' ') || l.text.contains(". ");
                    if chrome(&l.text)
                        || heading(l).is_some()
                        || date_line(l).is_some()
                        || l.text.contains(':') && !l.bullet
                        || sentence
                        || l.text.len() > 400
                        || component_header(&l.text)
                        || crate::page::trailer(&l.text)
                    {
                        break;
                    }
                    for name in split_list(&l.text) {
                        push(&mut f.components, name);
                    }
                    f.consumed[j] = true;
                    j += 1;
                }
                i = j;
                continue;
            }
            i += 1;
        }
        // A window over several lines: `Nov 02 at 04:00am CET` / `–` / `Nov 02 at 06:00am CET`.
        if f.window.is_none() {
            for k in 0..lines.len().saturating_sub(2) {
                let dash = matches!(lines[k + 1].text.as_str(), "–" | "-" | "—" | "to" | "until");
                if dash {
                    if let (Some(a), Some(b)) = (date_line(&lines[k]), date_line(&lines[k + 2])) {
                        f.window = Some((a.clone(), Some(b.clone())));
                        f.consumed[k] = true;
                        f.consumed[k + 1] = true;
                        f.consumed[k + 2] = true;
                        break;
                    }
                }
            }
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2d 11h"), Some(Duration::hours(59)));
        assert_eq!(
            parse_duration("1 hour, 8 minutes"),
            Some(Duration::minutes(68))
        );
        assert_eq!(parse_duration("45m"), Some(Duration::minutes(45)));
        assert_eq!(parse_duration("99999999999999999 days"), None);
        assert_eq!(parse_duration("9223372036854775807s"), None);
        assert_eq!(parse_duration("2h16m"), Some(Duration::minutes(136)));
        assert_eq!(
            parse_duration("3 hours 29 minutes"),
            Some(Duration::minutes(209))
        );
        assert_eq!(parse_duration("soon"), None);
    }

    #[test]
    fn systems() {
        assert_eq!(
            systems_with_durations("Production 2h16m Development 2h16m"),
            Some(vec!["Production".to_string(), "Development".to_string()])
        );
        assert_eq!(systems_with_durations("It took 2h to fix"), None);
    }

    #[test]
    fn state_badges_with_their_components() {
        let (imp, comps) = state_badge("Major outage Global Portal CH-GVA-2 API").unwrap();
        assert_eq!(imp, Impact::Major);
        let got: Vec<(Option<&str>, &str)> = comps
            .iter()
            .map(|c| (c.group.as_deref(), c.name.as_str()))
            .collect();
        assert_eq!(got, [(Some("Global"), "Portal"), (Some("CH-GVA-2"), "API")]);
        assert!(state_badge("Degraded performance for ChatGPT").is_none());
        assert!(state_badge("Major outage, we are on it.").is_none());
        let (imp, comps) = state_badge("Degraded performance Dashboard").unwrap();
        assert_eq!((imp, comps.len()), (Impact::Minor, 1));
    }

    #[test]
    fn zone_statements() {
        assert!(page_zone("(all times are US/Pacific).").is_some());
        assert!(page_zone("All times ET + 24 hour clock").is_some());
        assert!(page_zone("All times are approximate").is_none());
        let cet = FixedOffset::east_opt(3600).map(Zone::Fixed);
        assert_eq!(page_zone("Alle Zeiten in MEZ."), cet);
        assert_eq!(page_zone("Toutes les heures sont en CET"), cet);
        assert_eq!(page_zone("Alle tijden zijn in CET"), cet);
    }

    fn span_of(text: &str) -> (Option<String>, Option<String>) {
        let lines = crate::page::lines(text);
        let span = stated_span(&lines);
        let show = |s: Option<Stamp>| {
            s.map(|s| {
                let d = s.day.map(|d| format!("{:?}-{}-{}", d.year, d.month, d.day));
                let c = s.clock.map(|c| format!("{}:{:02}", c.hour, c.minute));
                format!("{} {}", d.unwrap_or_default(), c.unwrap_or_default())
            })
        };
        (show(span.start), show(span.end))
    }

    #[test]
    fn reports_state_their_span_in_prose() {
        // Azure's post-incident reviews.
        assert_eq!(
            span_of("Between 21:40 UTC on 18 July 2024 and 22:00 UTC on 19 July 2024, customers may have experienced issues."),
            (Some("Some(2024)-7-18 21:40".into()), Some("Some(2024)-7-19 22:00".into()))
        );
        // Google Cloud's incident reports: the day opens the sentence.
        assert_eq!(
            span_of("On Tuesday, 12 March 2024, from 08:10 to 10:55 US/Pacific, Cloud Storage saw errors."),
            (Some("Some(2024)-3-12 8:10".into()), Some("Some(2024)-3-12 10:55".into()))
        );
        // AWS's summaries: a start, then where it says it recovered.
        assert_eq!(
            span_of(
                "Starting at 11:49 AM PDT on June 13th, 2023, customers experienced errors. \
                 Invocations improved at 1:45 PM PDT, and all services had fully recovered by 3:37 PM PDT."
            ),
            (Some("Some(2023)-6-13 11:49".into()), Some("Some(2023)-6-13 15:37".into()))
        );
        // What a sentence looks ahead to is no end; a time mid-sentence no start.
        assert_eq!(
            span_of("We expect service to be restored by 15:00 UTC. Errors rose from 10:00 UTC."),
            (None, None)
        );
    }
}
