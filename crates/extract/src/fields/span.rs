//! Times a report's prose states: its span, a duration, the page's own zone.

use super::*;

/// A stated duration: `2d 11h`, `1 hour, 8 minutes`, `45m`, `3 hours 29 minutes`.
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
        let Ok(n) = digits.parse::<i64>() else { break };
        let mut unit_inline = &t[digits.len()..];
        // `2h16m`: several units in one token.
        let mut used = 1;
        if unit_inline.is_empty() {
            unit_inline = tokens.get(i + 1).copied().unwrap_or("");
            used = 2;
        }
        let mut rest = unit_inline;
        let mut value = n;
        loop {
            let unit: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
            let u = unit.to_ascii_lowercase();
            // Out of any duration's range (a page's "99999999999999 days"):
            // not a duration.
            let d = if u.starts_with('d') {
                Duration::try_days(value)
            } else if u.starts_with('h') {
                Duration::try_hours(value)
            } else if u.starts_with("mi") || u == "m" {
                Duration::try_minutes(value)
            } else if u.starts_with('s') {
                Duration::try_seconds(value)
            } else {
                return seen.then_some(total);
            };
            total = total.checked_add(&d?)?;
            seen = true;
            rest = &rest[unit.len()..];
            let more: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if more.is_empty() {
                break;
            }
            value = more.parse().ok()?;
            rest = &rest[more.len()..];
        }
        i += used;
    }
    seen.then_some(total)
}

/// `all times are US/Pacific`, `(all times are US/Pacific)`, `All times ET`,
/// `Times are shown in CET`.
pub(super) fn page_zone(text: &str) -> Option<Zone> {
    // `All times are ...` in the languages read: German, French, Spanish,
    // Portuguese, Italian, Dutch.
    const PHRASES: &[&str] = &[
        "all times",
        "times are",
        "alle zeiten",
        "alle zeitangaben",
        "alle uhrzeiten",
        "toutes les heures",
        "tous les horaires",
        "todas las horas",
        "todos los horarios",
        "todos os horários",
        "todos os horarios",
        "tutti gli orari",
        "alle tijden",
    ];
    let lower = text.to_ascii_lowercase();
    // Every phrase holds one of these; most lines hold none.
    if !["time", "zeit", "heure", "hor", "orari", "tijd"]
        .iter()
        .any(|stem| lower.contains(stem))
    {
        return None;
    }
    let (at, phrase) = PHRASES
        .iter()
        .find_map(|p| lower.find(p).map(|at| (at, *p)))?;
    let after = &text[at..];
    let words: Vec<&str> = after
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',' || c == '.')
        .filter(|w| !w.is_empty())
        .skip(phrase.split_whitespace().count())
        .take(5)
        .collect();
    for w in words {
        if matches!(
            w.to_lowercase().as_str(),
            "are"
                | "is"
                | "in"
                | "shown"
                | "listed"
                | "given"
                | "sind"
                | "werden"
                | "angegeben"
                | "sont"
                | "en"
                | "indiquées"
                | "exprimées"
                | "son"
                | "están"
                | "são"
                | "estão"
                | "em"
                | "sono"
                | "espressi"
                | "zijn"
                | "weergegeven"
        ) {
            continue;
        }
        let line = crate::page::lines(&format!("00:00 {w}"));
        if let Some(z) = line
            .first()
            .and_then(|l| l.stamps.first())
            .and_then(|s| s.zone)
        {
            return Some(z);
        }
        return None;
    }
    None
}

/// When a report says the impact began and ended, in its prose: `Between
/// 21:40 UTC on 18 July 2024 and 22:00 UTC on 19 July 2024, customers ...`,
/// `From 08:10 to 10:55 US/Pacific ...`, `Starting at 11:49 AM PDT ...`,
/// `... had fully recovered by 3:37 PM PDT`. The first start and the last
/// end the page states in the past tense; a sentence that looks ahead
/// (`expected to be restored by`) states nothing.
#[derive(Debug, Default, Clone)]
pub(crate) struct StatedSpan {
    pub start: Option<Stamp>,
    pub end: Option<Stamp>,
}

/// `end` as a time of `start`'s day when it states none, if that is not
/// before `start` (a span past midnight must say its day).
pub(super) fn same_day(start: &Stamp, end: &Stamp) -> Option<Stamp> {
    if end.day.is_some() {
        return Some(end.clone());
    }
    let (Some(a), Some(b)) = (start.clock, end.clock) else {
        return Some(end.clone());
    };
    if start.day.is_none() {
        return Some(end.clone());
    }
    ((b.hour, b.minute) >= (a.hour, a.minute)).then(|| Stamp {
        day: start.day,
        ..end.clone()
    })
}

pub(crate) fn stated_span(lines: &[Line]) -> StatedSpan {
    // Words that open a sentence with its start (`On 12 March 2024,` may
    // come first), and words that state a start anywhere in one.
    const LEADS: &[&str] = &["between", "from", "starting at", "starting", "beginning at"];
    const SAYS: &[&str] = &["began at", "started at", "begun at"];
    const JOINS: &[&str] = &["and", "to", "until", "through", "-", "–", "—"];
    const ENDS: &[&str] = &[
        "recovered by",
        "recovered at",
        "restored by",
        "restored at",
        "resolved by",
        "resolved at",
        "mitigated by",
        "mitigated at",
        "recovery at",
    ];
    const AHEAD: &[&str] = &["expect", "will ", "estimat", "anticipat", "should", "eta "];
    let mut span = StatedSpan::default();
    for l in lines {
        let lower = l.text.to_ascii_lowercase();
        let timed: Vec<&Stamp> = l.stamps.iter().filter(|s| s.clock.is_some()).collect();
        for (k, s) in timed.iter().enumerate() {
            let sentence_start = lower[..s.start].rfind(". ").map_or(0, |p| p + 2);
            let sentence_end = lower[s.end..].find(". ").map_or(lower.len(), |p| s.end + p);
            if AHEAD
                .iter()
                .any(|w| lower[sentence_start..sentence_end].contains(w))
            {
                continue;
            }
            let before = lower[sentence_start..s.start].trim_end_matches([' ', ',']);
            let word_before = |w: &str| {
                before
                    .strip_suffix(w)
                    .is_some_and(|rest| rest.chars().last().is_none_or(|c| !c.is_alphanumeric()))
            };
            // What precedes the opening word: nothing, or `On <date>,`.
            let leads = LEADS.iter().any(|w| {
                word_before(w) && {
                    let rest = before[..before.len() - w.len()].trim_end_matches([' ', ',']);
                    rest.is_empty()
                        || (rest.starts_with("on ")
                            && l.stamps
                                .iter()
                                .any(|d| d.start >= sentence_start && d.end <= s.start))
                }
            });
            if span.start.is_none() && (leads || SAYS.iter().any(|w| word_before(w))) {
                // A time without its day takes the day its sentence opened
                // with (`On Tuesday, 12 March 2024, from 08:10 ...`).
                let mut start = (*s).clone();
                if start.day.is_none() {
                    start.day = l
                        .stamps
                        .iter()
                        .rev()
                        .find(|d| d.end <= s.start && d.start >= sentence_start && d.day.is_some())
                        .and_then(|d| d.day);
                }
                if let Some(next) = timed.get(k + 1) {
                    if JOINS.contains(&lower[s.end..next.start].trim()) {
                        span.end = same_day(&start, next);
                    }
                }
                span.start = Some(start);
                continue;
            }
            if ENDS.iter().any(|w| word_before(w)) {
                let end = match &span.start {
                    Some(start) => same_day(start, s),
                    None => Some((*s).clone()),
                };
                if end.is_some() {
                    span.end = end;
                }
            }
        }
    }
    span
}
