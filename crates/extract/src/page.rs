//! The page as lines: each line with the stamps found in it, whether a blank
//! line precedes it (paragraphs), and the classifiers the rest of the
//! extractor reads a line with (a status heading, a `Posted` line, a line that
//! is only a date, a field label, chrome around the content).

use crate::stamp::{scan, Stamp};
use statuswatch_model::Status;

/// One line of the page.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    /// The text, trimmed, with a list bullet or number removed.
    pub text: String,
    /// A blank line (or the page's start) comes before it.
    pub para: bool,
    /// The line was a list item (`•`, `-`, `1.`).
    pub bullet: bool,
    /// The stamps in `text`.
    pub stamps: Vec<Stamp>,
}

/// Splits text into lines, keeping paragraph breaks as a flag.
pub(crate) fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut para = true;
    for raw in text.lines() {
        let t = raw.trim().replace('\u{a0}', " ");
        if t.is_empty() {
            para = true;
            continue;
        }
        let (text, bullet) = strip_bullet(&t);
        out.push(Line {
            stamps: scan(&text),
            text,
            para,
            bullet,
        });
        para = false;
    }
    out
}

fn strip_bullet(t: &str) -> (String, bool) {
    for b in ["• ", "· ", "- ", "* ", "– ", "‣ ", "◦ "] {
        if let Some(rest) = t.strip_prefix(b) {
            return (rest.trim().to_string(), true);
        }
    }
    if t == "•" {
        return (String::new(), true);
    }
    // `1. investigating ...`, `12) ...`
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            // Not a date or a time (`10. Mai`, `12.05.2021` have no space after the dot).
            return (r.trim().to_string(), true);
        }
    }
    (t.to_string(), false)
}

/// Heading words that carry the previous status instead of naming one.
pub(crate) const CARRY_WORDS: &[&str] = &[
    // Better Stack's first update, and the like: the incident's start.
    "created",
    "reported",
    "opened",
    // Microsoft's advisories: `Current status: ...`
    "current status",
    "update",
    "updated",
    "updates",
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

/// The status a heading word or phrase names, if it is one: the model's
/// vocabulary plus phrases status pages use (`Write-up published`,
/// `Update and Monitoring`, `Maintenance`).
pub(crate) fn heading_status(label: &str) -> Option<Option<Status>> {
    let l = label.trim().to_lowercase();
    let l = l.trim_matches(|c: char| !c.is_alphanumeric());
    // Other languages' words (`Behoben`, `Résolu`, `復旧`).
    if let Some(s) = crate::words::status_word(l) {
        return Some(Some(s));
    }
    if crate::words::carry_word(l) {
        return Some(None);
    }
    if let Some(s) = Status::from_word(l) {
        // `root cause`, `rca` are postmortem sections, not headings.
        if !matches!(
            l,
            "rootcause" | "root cause" | "rca" | "started" | "detected" | "ongoing"
        ) {
            return Some(Some(s));
        }
        return None;
    }
    match l {
        "write-up published" | "writeup published" | "post-incident report" => {
            return Some(Some(Status::Postmortem))
        }
        "maintenance" | "scheduled maintenance" | "planned maintenance" => {
            return Some(Some(Status::Scheduled))
        }
        "in progress" => return Some(Some(Status::InProgress)),
        _ => {}
    }
    if CARRY_WORDS.contains(&l) {
        return Some(None);
    }
    // `Update and Monitoring`: the last status named wins.
    let parts: Vec<&str> = l.split(" and ").collect();
    if parts.len() == 2 && parts.iter().all(|p| heading_status(p).is_some()) {
        return Some(parts.iter().rev().find_map(|p| heading_status(p).flatten()));
    }
    None
}

/// A label at the start of a line and what follows it: `Resolved`,
/// `investigating Jun 19, ...`, `UPDATE 22:45 CEST: text`, `Update: text`,
/// `[RESOLVED 22:44] text`. Returns the label as written, and the byte offset
/// where the rest begins.
pub(crate) fn leading_label(text: &str) -> Option<(String, usize)> {
    let (inner, offset) = match text.strip_prefix('[') {
        Some(r) => (r, 1),
        None => (text, 0),
    };
    // The first words: letters (and hyphens inside, `Write-up`), up to three.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0;
    for w in inner.split_whitespace().take(3) {
        let start = inner[pos..].find(w).map_or(pos, |i| i + pos);
        pos = start + w.len();
        let core = w.trim_end_matches([':', ']', ',']);
        if core.is_empty()
            || !core.chars().all(|c| c.is_alphabetic() || c == '-')
            || core.starts_with('-')
        {
            break;
        }
        words.push((start, start + core.len()));
        if core.len() < w.len() {
            break; // `Update:` ends the label
        }
    }
    for n in (1..=words.len()).rev() {
        let end = words[n - 1].1;
        let candidate = &inner[..end];
        if heading_status(candidate).is_some() {
            return Some((candidate.to_string(), offset + end));
        }
    }
    None
}

/// A line that is a heading and nothing else (`Resolved`, `Write-up published`).
pub(crate) fn heading(line: &Line) -> Option<String> {
    if line.text.len() > 40 || !line.stamps.is_empty() {
        return None;
    }
    let (label, end) = leading_label(&line.text)?;
    // `Current status:` alone heads a section of an update's text; with its
    // text on the line it is an advisory's update.
    if label.eq_ignore_ascii_case("current status") {
        return None;
    }
    line.text[end..]
        .trim_matches(|c: char| c == ':' || c == ']' || c.is_whitespace())
        .is_empty()
        .then_some(label)
}

/// Words that may stand beside a stamp on a line that is only a date.
fn filler(word: &str) -> bool {
    matches!(
        word.to_lowercase()
            .trim_matches(|c: char| !c.is_alphanumeric()),
        "" | "posted" | "at" | "on" | "updated" | "published" | "last"
            // other languages: `Publié le`, `Publicado el`, `Aktualisiert am`, `更新`
            | "publié" | "publiée" | "mis" | "à" | "jour" | "le" | "publicado" | "actualizado"
            | "el" | "em" | "atualizado" | "veröffentlicht" | "aktualisiert" | "am" | "um"
            | "pubblicato" | "aggiornato" | "il" | "alle" | "gepubliceerd" | "bijgewerkt"
            | "op" | "om" | "opublikowano" | "zaktualizowano" | "dnia" | "yayınlandı"
            | "güncellendi" | "publicerad" | "uppdaterad" | "更新" | "投稿" | "게시" | "업데이트"
            | "发布" | "更新于" | "発表"
    )
}

/// The word a platform writes before each update's time (`Posted`), in the
/// languages read.
const POSTED: &[&str] = &[
    "Posted ",
    "Publié ",
    "Publicado ",
    "Veröffentlicht ",
    "Gepostet ",
    "Pubblicato ",
    "Gepubliceerd ",
    "Geplaatst ",
    "Opublikowano ",
    "Yayınlandı ",
    "Publicerad ",
    "Publiceret ",
    "Publisert ",
    "投稿 ",
    "게시 ",
    "发布于 ",
];

/// The text of a line outside its stamps.
pub(crate) fn outside_stamps(line: &Line) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for s in &line.stamps {
        if s.start >= pos {
            out.push_str(&line.text[pos..s.start]);
            out.push(' ');
            pos = s.end;
        }
    }
    out.push_str(&line.text[pos.min(line.text.len())..]);
    out
}

/// A line that is only a date with a time (`3:23 PM PST`, `Dec 30 at 08:30am
/// CET`, `Posted Sep 12, 2022 - 22:07 EDT`): its stamp.
pub(crate) fn date_line(line: &Line) -> Option<&Stamp> {
    let s = line.stamps.first()?;
    if s.clock.is_none() || line.stamps.len() > 1 {
        return None;
    }
    let mut outside = outside_stamps(line);
    // `04:29 PM(1 hour earlier)`: how long before the next update, not text.
    if let Some((before, rel)) = outside.rsplit_once('(') {
        if rel.trim_end().ends_with("earlier)") || rel.trim_end().ends_with("ago)") {
            outside = before.to_string();
        }
    }
    outside.split_whitespace().all(filler).then_some(s)
}

/// A line that is only a day (`Thursday July 11, 2024`, `Wednesday 10th June
/// 2020`, `September 28, 2022 - Started over 1 year ago`): its stamp.
pub(crate) fn day_line(line: &Line) -> Option<&Stamp> {
    let s = line.stamps.first()?;
    if s.clock.is_some() || s.day.is_none() || line.text.len() > 80 {
        return None;
    }
    let rest = outside_stamps(line);
    let words: Vec<&str> = rest.split_whitespace().collect();
    // What may follow a day header: relative notes (`- Started over 1 year ago`).
    (words.iter().all(|w| filler(w)) || rest.to_ascii_lowercase().contains(" ago")).then_some(s)
}

/// `Posted <stamp>`: Statuspage's line after each update.
pub(crate) fn posted(line: &Line) -> bool {
    POSTED.iter().any(|p| line.text.starts_with(p))
        && line.stamps.first().is_some_and(|s| s.day.is_some())
}

/// Lines around the content that are no part of an incident: navigation,
/// section labels of the page's layout.
pub(crate) fn chrome(text: &str) -> bool {
    let t = text.trim();
    // Every entry is a whole short line or a line's start (or end).
    let l = crate::words::head(t, 96).to_ascii_lowercase();
    let header = t.len() >= 7
        && t.is_char_boundary(t.len() - 7)
        && t[t.len() - 7..].eq_ignore_ascii_case(" header");
    const EXACT: &[&str] = &[
        "back to overview",
        "skip to content",
        "service health",
        "current status and incident report",
        "status",
        "incident",
        "updates",
        "update timeline",
        "incident history",
        "date time description",
        "incident details",
        "maintenance details",
        "outage details",
        "schedule",
        "post reply",
        "tags: ,",
        "tags:",
        "share",
        "subscribe",
        "subscribe to updates",
    ];
    EXACT.contains(&l.as_str())
        || header
        || l.starts_with("back to ")
        || l.starts_with("← ")
        || l.starts_with("view vendor source")
        || l.starts_with("return to ")
        || page_state(&l)
        || crate::words::furniture(text)
}

/// The state of the whole page (`All Systems Operational`): the site's, not
/// the incident's.
fn page_state(l: &str) -> bool {
    const STATES: &[&str] = &[
        "all systems operational",
        "all systems are operational",
        "all systems are online",
        "all systems go",
        "all services are online",
        "all services operational",
        "all services are operating normally",
        "some systems are experiencing issues",
        "partial system outage",
        "major system outage",
        "minor service outage",
        "partially degraded service",
    ];
    STATES.contains(&l.trim_end_matches(['.', '!']))
}

/// Lines after which the incident is over (component lists, footers).
pub(crate) fn trailer(text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    const STARTS: &[&str] = &[
        "this incident affected",
        "this scheduled maintenance affected",
        "this maintenance affected",
        "subscribe to updates",
        "powered by",
        "← current status",
        "comments are closed",
        "%d bloggers like this",
        "this entry was posted in",
        "bookmark the permalink",
        "leave a reply",
        "share this:",
        "related posts",
    ];
    STARTS.iter().any(|s| l.starts_with(s))
}

/// A heading that starts a list of affected components on the next lines.
pub(crate) fn component_header(text: &str) -> bool {
    let l = text
        .to_ascii_lowercase()
        .trim_end_matches(':')
        .trim()
        .to_string();
    matches!(
        l.as_str(),
        "affected components"
            | "affected services"
            | "features affected"
            | "affected features"
            | "components affected"
            | "services affected"
            | "affected systems"
            | "affected products"
            | "affected regions"
            | "affected areas"
            | "affected infrastructure"
            | "affected locations"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(t: &str) -> Line {
        lines(t).remove(0)
    }

    #[test]
    fn headings_and_labels() {
        assert_eq!(heading(&line("Resolved")).as_deref(), Some("Resolved"));
        assert_eq!(
            heading(&line("Write-up published")).as_deref(),
            Some("Write-up published")
        );
        assert_eq!(heading(&line("Root Cause")), None);
        assert_eq!(heading(&line("Resolution")), None);
        assert_eq!(heading(&line("Investigating elevated errors")), None);
        let (l, end) = leading_label("Update and Monitoring Jan 24 09:00 UTC").unwrap();
        assert_eq!(l, "Update and Monitoring");
        assert_eq!(
            &"Update and Monitoring Jan 24 09:00 UTC"[end..],
            " Jan 24 09:00 UTC"
        );
        assert_eq!(leading_label("[RESOLVED 22:44] The").unwrap().0, "RESOLVED");
        assert_eq!(leading_label("UPDATE: text").unwrap().0, "UPDATE");
        assert_eq!(
            heading_status("Update and Monitoring"),
            Some(Some(Status::Monitoring))
        );
    }

    #[test]
    fn date_and_day_lines() {
        assert!(date_line(&line("3:23 PM PST")).is_some());
        assert!(date_line(&line("Posted Sep 12, 2022 - 22:07 EDT")).is_some());
        assert!(date_line(&line("We fixed it at 3:23 PM PST")).is_none());
        assert!(day_line(&line("Thursday July 11, 2024")).is_some());
        assert!(day_line(&line(
            "September 28, 2022 - Started over 1 year ago - Lasted about 4 hours"
        ))
        .is_some());
        assert!(day_line(&line("Service Degradation on January 30, 2026")).is_none());
        assert!(posted(&line("Posted Apr 04, 2018 - 07:43 UTC")));
    }

    #[test]
    fn bullets_and_numbers_are_stripped() {
        let l = line("  3. identified May 03, 2026, 06:53 PM UTC");
        assert!(l.bullet);
        assert!(l.text.starts_with("identified"));
        let l = line("• Management UI");
        assert_eq!(l.text, "Management UI");
    }
}
