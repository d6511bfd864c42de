//! The timeline: the unit that repeats on the page (a heading, a date, a
//! body), found by the markers the page uses, strongest first:
//!
//! 1. `Posted <date>` after each update (Statuspage): an update ends at its
//!    Posted line; a status word alone on its first line is its heading.
//! 2. A heading with its date on one line (`investigating Jun 19, 2016, 11:58
//!    PM UTC`, `Closed Feb 23 10:00 UTC`), the body below.
//! 3. Headings alone (`Investigating`, `Write-up published`): each starts an
//!    update; a date line inside it is its time.
//! 4. Date lines alone (`3:23 PM PST`, `Dec 30 at 08:30am CET`): the page's
//!    first one tells whether dates come before or after their text.
//! 5. Paragraphs that start with a time or a label (`15:22 UTC: ...`,
//!    `UPDATE 02.12.2020 10:00 CET: ...`, `[RESOLVED 22:44] ...`, `Update: ...`),
//!    after an opening text that is the first update.
//! 6. Otherwise the page is one post: one update, as undated as it is.

use crate::page::{date_line, heading, leading_label, posted, Line};
use crate::stamp::Stamp;

/// One update as the page shows it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Unit {
    /// The heading, as written.
    pub label: Option<String>,
    /// Its date, as written.
    pub stamp: Option<Stamp>,
    /// The line its stamp is on (to find the day header above it).
    pub stamp_line: Option<usize>,
    /// Its text.
    pub body: Vec<String>,
}

impl Unit {
    fn is_empty(&self) -> bool {
        self.label.is_none() && self.body.iter().all(|b| b.trim().is_empty())
    }
}

/// The updates of the content lines `lines[from..]` marked usable.
pub(crate) fn units(lines: &[Line], usable: &[bool], from: usize) -> Vec<Unit> {
    let idx: Vec<usize> = (from..lines.len()).filter(|&i| usable[i]).collect();
    let mut units = posted_units(lines, &idx)
        .or_else(|| dated_heading_units(lines, &idx))
        .or_else(|| heading_units(lines, &idx))
        .or_else(|| date_line_units(lines, &idx))
        .or_else(|| marker_units(lines, &idx));
    // `Resolved - This incident has been resolved.`: a heading inline with its text.
    if let Some(units) = &mut units {
        for u in units.iter_mut().filter(|u| u.label.is_none()) {
            if let Some((label, rest)) = u.body.first().and_then(|b| inline_heading(b)) {
                u.label = Some(label);
                u.body[0] = rest;
            }
        }
    }
    units
        .or_else(|| prefixed_units(lines, &idx))
        .unwrap_or_else(|| single_post(lines, &idx))
}

/// Adds a line to a body, a blank line before a new paragraph.
fn push_line(body: &mut Vec<String>, l: &Line) {
    if l.para && !body.is_empty() {
        body.push(String::new());
    }
    body.push(l.text.clone());
}

/// `Resolved - text`, `Update – text`: a status word, a dash, the text.
fn inline_heading(line: &str) -> Option<(String, String)> {
    let (label, end) = leading_label(line)?;
    let rest = line[end..].trim_start();
    let text = rest
        .strip_prefix("- ")
        .or_else(|| rest.strip_prefix("– "))
        .or_else(|| rest.strip_prefix("— "))?;
    Some((label, text.trim().to_string()))
}

fn posted_units(lines: &[Line], idx: &[usize]) -> Option<Vec<Unit>> {
    if !idx.iter().any(|&i| posted(&lines[i])) {
        return None;
    }
    let mut out = Vec::new();
    let mut cur = Unit::default();
    for &i in idx {
        let l = &lines[i];
        if posted(l) {
            cur.stamp = l.stamps.first().cloned();
            cur.stamp_line = Some(i);
            out.push(std::mem::take(&mut cur));
        } else if cur.is_empty() && cur.label.is_none() {
            match heading(l) {
                Some(h) => cur.label = Some(h),
                None => push_line(&mut cur.body, l),
            }
        } else if let (true, Some(h)) = (out.is_empty() && cur.label.is_some(), heading(l)) {
            // Before the first update, a state badge (`Maintenance`) and what
            // follows it belong to the page; this heading is the update's.
            cur = Unit {
                label: Some(h),
                ..Unit::default()
            };
        } else {
            push_line(&mut cur.body, l);
        }
    }
    // A copy cut off inside an update still shows its heading or its text.
    if !cur.is_empty() {
        out.push(cur);
    }
    Some(out)
}

/// A label and a stamp and nothing else on a line.
fn dated_heading(l: &Line) -> Option<(String, Stamp)> {
    let (label, end) = leading_label(&l.text)?;
    let s = l.stamps.first()?;
    if s.clock.is_none() || s.start < end {
        return None;
    }
    let between = l.text[end..s.start].trim_matches(|c: char| {
        c.is_whitespace() || c == '-' || c == '–' || c == ':' || c == '·' || c == '|'
    });
    let after = l.text[s.end..].trim();
    (between.is_empty() && after.is_empty()).then(|| (label, s.clone()))
}

fn dated_heading_units(lines: &[Line], idx: &[usize]) -> Option<Vec<Unit>> {
    if !idx.iter().any(|&i| dated_heading(&lines[i]).is_some()) {
        return None;
    }
    let mut out: Vec<Unit> = Vec::new();
    for &i in idx {
        if let Some((label, s)) = dated_heading(&lines[i]) {
            out.push(Unit {
                label: Some(label),
                stamp: Some(s),
                stamp_line: Some(i),
                body: Vec::new(),
            });
        } else if let Some(u) = out.last_mut() {
            push_line(&mut u.body, &lines[i]);
        }
    }
    Some(out)
}

fn heading_units(lines: &[Line], idx: &[usize]) -> Option<Vec<Unit>> {
    if !idx.iter().any(|&i| heading(&lines[i]).is_some()) {
        return None;
    }
    let mut out: Vec<Unit> = Vec::new();
    for &i in idx {
        let l = &lines[i];
        if let Some(h) = heading(l) {
            // The same heading twice in a row (a state badge, then the update's label).
            if out.last().is_some_and(|u| {
                u.body.is_empty() && u.stamp.is_none() && u.label.as_deref() == Some(h.as_str())
            }) {
                continue;
            }
            out.push(Unit {
                label: Some(h),
                ..Unit::default()
            });
            continue;
        }
        let Some(u) = out.last_mut() else { continue };
        if u.stamp.is_none() {
            if let Some(s) = date_line(l) {
                u.stamp = Some(s.clone());
                u.stamp_line = Some(i);
                continue;
            }
        }
        push_line(&mut u.body, l);
    }
    Some(out)
}

/// A state line after its update's text: `Status changed to` /
/// `Fully Operational`, `Status remaining` / `Degraded Performance`. The
/// state as shown (its words), the line the state is on.
fn state_marker(lines: &[Line], idx: &[usize], k: usize) -> Option<(String, usize)> {
    let l = lines[idx[k]].text.trim();
    let lower = l.to_ascii_lowercase();
    const MARKERS: [&str; 4] = [
        "status changed to",
        "status remaining",
        "status changed",
        "status set to",
    ];
    let m = MARKERS.iter().find(|m| lower.starts_with(*m))?;
    let rest = l[m.len()..].trim().trim_start_matches(':').trim();
    if !rest.is_empty() {
        return state_words(rest).then(|| (rest.to_string(), k));
    }
    let next = lines[*idx.get(k + 1)?].text.trim();
    state_words(next).then(|| (next.to_string(), k + 1))
}

/// A component state or a status, in words (`Fully Operational`).
fn state_words(text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    text.split_whitespace().count() <= 3
        && (crate::fields::state_phrase(&l).is_some()
            || crate::page::heading_status(&l).flatten().is_some()
            || matches!(
                l.as_str(),
                "operational" | "fully operational" | "degraded" | "outage"
            ))
}

/// Updates each followed by its state line (see [`state_marker`]).
fn marker_units(lines: &[Line], idx: &[usize]) -> Option<Vec<Unit>> {
    let mut out: Vec<Unit> = Vec::new();
    let mut body: Vec<String> = Vec::new();
    let mut k = 0;
    let mut markers = 0;
    while k < idx.len() {
        if let Some((state, last)) = state_marker(lines, idx, k) {
            markers += 1;
            out.push(Unit {
                label: Some(state),
                body: std::mem::take(&mut body),
                ..Unit::default()
            });
            k = last + 1;
            continue;
        }
        push_line(&mut body, &lines[idx[k]]);
        k += 1;
    }
    (markers >= 2).then_some(out)
}

fn date_line_units(lines: &[Line], idx: &[usize]) -> Option<Vec<Unit>> {
    let first_date = idx.iter().position(|&i| date_line(&lines[i]).is_some())?;
    // Dates before their text when nothing but the date comes first.
    let date_first = first_date == 0;
    let mut out: Vec<Unit> = Vec::new();
    let mut cur = Unit::default();
    for &i in idx {
        let l = &lines[i];
        match date_line(l) {
            Some(s) if date_first => {
                if !cur.is_empty() || cur.stamp.is_some() {
                    out.push(std::mem::take(&mut cur));
                }
                cur.stamp = Some(s.clone());
                cur.stamp_line = Some(i);
            }
            Some(s) => {
                cur.stamp = Some(s.clone());
                cur.stamp_line = Some(i);
                out.push(std::mem::take(&mut cur));
            }
            None => push_line(&mut cur.body, l),
        }
    }
    if !cur.is_empty() || cur.stamp.is_some() {
        out.push(cur);
    }
    // A date with no text of its own (the incident's start above its components) is no update.
    out.retain(|u| !u.body.is_empty());
    Some(out)
}

/// How a paragraph opens an update: `[UPDATE 15 Apr, 11:22 a.m. Pacific]`,
/// `UPDATE 22:45 CEST:`, `Update:`, `15:22 UTC:`, `10:13 AM PDT`, `22:03 -`.
#[derive(Debug, Clone)]
struct Prefix {
    label: Option<String>,
    stamp: Option<Stamp>,
    /// `[...]`: the update is this paragraph alone.
    bracketed: bool,
    rest: String,
}

fn prefix(l: &Line) -> Option<Prefix> {
    let text = l.text.as_str();
    let bracketed = text.starts_with('[');
    let inner_end = if bracketed { text.find(']') } else { None };
    if bracketed && inner_end.is_none() {
        return None;
    }
    let mut label = None;
    let mut pos = usize::from(bracketed);
    if let Some((lab, end)) = leading_label(text) {
        label = Some(lab);
        pos = end;
    }
    // `As of 14:49 GMT+1 ...`, `Update As of 15:35 GMT+1`: the words before a time.
    for lead in ["As of ", "as of ", "As at ", "as at "] {
        let rest = &text[pos..];
        let trimmed = rest.trim_start();
        if let Some(r) = trimmed.strip_prefix(lead) {
            pos = text.len() - r.len();
            break;
        }
    }
    let head_end = inner_end.unwrap_or(text.len());
    let stamp = l
        .stamps
        .iter()
        .find(|s| s.start >= pos && s.start <= pos + 1 && s.end <= head_end && s.clock.is_some())
        .cloned();
    // A range is a window (`9pm – 10pm Pacific: ...`), not an update's time.
    if stamp.is_some() && l.stamps.iter().any(|s| s.range_end) {
        return None;
    }
    let after = match (&stamp, inner_end) {
        (_, Some(e)) => e + 1,
        (Some(s), None) => s.end,
        (None, None) => pos,
    };
    let rest = text[after.min(text.len())..].trim_start();
    let sep = rest.starts_with(':') || rest.starts_with("- ") || rest.starts_with("– ");
    let rest = rest.trim_start_matches([':', '-', '–']).trim().to_string();
    let ok = match (&label, &stamp) {
        _ if bracketed => label.is_some() || stamp.is_some(),
        (Some(_), Some(_)) => true,
        // `Update: text` needs its colon; a label word opening prose is prose.
        (Some(_), None) => {
            text[pos.min(text.len())..].trim_start().starts_with(':') || text[..pos].ends_with(':')
        }
        // `15:22 UTC: text`, `10:13 AM PDT We are`, `22:03 - we start`: a time opening a paragraph.
        // A table's rows (`Jul 17, 2019 10:12 The issue ...`): a full date first.
        (None, Some(s)) => {
            s.start <= pos + 1
                && !rest.is_empty()
                && (((l.para || l.bullet) && (sep || s.zone.is_some())) || s.is_full())
        }
        (None, None) => false,
    };
    ok.then_some(Prefix {
        label,
        stamp,
        bracketed,
        rest,
    })
}

fn prefixed_units(lines: &[Line], idx: &[usize]) -> Option<Vec<Unit>> {
    let first = idx.iter().position(|&i| prefix(&lines[i]).is_some())?;
    let mut out: Vec<Unit> = Vec::new();
    // The opening text, after the last section label before the first update
    // (`Outage Details`: what comes before it is the page's, not the incident's).
    let first_line = idx[first];
    let section = (0..first_line)
        .rev()
        .find(|&j| crate::page::chrome(&lines[j].text));
    let mut opening: Vec<String> = Vec::new();
    for &i in idx[..first]
        .iter()
        .filter(|&&i| section.is_none_or(|s| i > s))
    {
        push_line(&mut opening, &lines[i]);
    }
    if !opening.is_empty() {
        out.push(Unit {
            body: opening,
            ..Unit::default()
        });
    }
    let mut post: Vec<String> = Vec::new();
    let mut open = true;
    for &i in &idx[first..] {
        let l = &lines[i];
        match prefix(l) {
            Some(p) => {
                open = !p.bracketed;
                out.push(Unit {
                    label: p.label,
                    stamp: p.stamp,
                    stamp_line: Some(i),
                    body: vec![p.rest],
                });
            }
            None if open => {
                if let Some(u) = out.last_mut() {
                    push_line(&mut u.body, l);
                }
            }
            None => push_line(&mut post, l),
        }
    }
    if !post.is_empty() {
        out.push(Unit {
            body: post,
            ..Unit::default()
        });
    }
    Some(out)
}

fn single_post(lines: &[Line], idx: &[usize]) -> Vec<Unit> {
    let mut body: Vec<String> = Vec::new();
    for &i in idx {
        push_line(&mut body, &lines[i]);
    }
    if body.is_empty() {
        return Vec::new();
    }
    vec![Unit {
        body,
        ..Unit::default()
    }]
}
