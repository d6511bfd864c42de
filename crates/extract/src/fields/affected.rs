//! What a report says is affected, and how: state phrases, badges, places, lists of systems.

use super::*;

/// An impact word: `Minor`, `Major`, `Critical`, `Notice` (none), `None`.
pub(crate) fn impact_word(word: &str) -> Option<Impact> {
    match word
        .trim_matches(|c: char| !c.is_alphabetic())
        .to_ascii_lowercase()
        .as_str()
    {
        "critical" => Some(Impact::Critical),
        "major" => Some(Impact::Major),
        "minor" => Some(Impact::Minor),
        "notice" | "none" => Some(Impact::None),
        "maintenance" => Some(Impact::Maintenance),
        _ => None,
    }
}

/// The impact a component state phrase says, as its words say it (`Major
/// outage` is major: the page's word, not Statuspage's mapping).
pub(crate) fn state_phrase(text: &str) -> Option<(Impact, usize)> {
    let lower = text.to_ascii_lowercase();
    const PHRASES: &[(&str, Impact)] = &[
        ("critical incident", Impact::Critical),
        ("major incident", Impact::Major),
        ("minor incident", Impact::Minor),
        ("major outage", Impact::Major),
        ("partial outage", Impact::Major),
        ("full outage", Impact::Critical),
        ("complete outage", Impact::Critical),
        ("degraded performance", Impact::Minor),
        ("under maintenance", Impact::Maintenance),
    ];
    PHRASES
        .iter()
        .find(|(p, _)| lower.starts_with(p))
        .map(|(p, i)| (*i, p.len()))
}

/// A line that is a state badge followed by the components it is on:
/// `Major outage Global Portal CH-GVA-2 API` (names only, no sentence).
pub(super) fn state_badge(text: &str) -> Option<(Impact, Vec<Component>)> {
    let (imp, len) = state_phrase(text)?;
    let rest = text[len..].trim();
    let words: Vec<&str> = rest.split_whitespace().collect();
    if words.is_empty() || words.len() > 16 {
        return None;
    }
    // Names, not a sentence: no lowercase word, no sentence punctuation.
    let name_like = words.iter().all(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            && !w.ends_with(['.', ',', ';', ':'])
    });
    if !name_like {
        return None;
    }
    Some((imp, located_names(&words)))
}

/// A region or zone written as one token: `CH-GVA-2`, `us-east-1`,
/// `EU-Central-1`, or `Global`.
pub(super) fn location(word: &str) -> bool {
    let parts: Vec<&str> = word.split('-').collect();
    word.eq_ignore_ascii_case("global")
        || (parts.len() >= 2
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(char::is_alphanumeric))
            && word.chars().any(|c| c.is_ascii_digit())
            && parts[0].chars().all(char::is_alphabetic))
}

/// Names each under the location before it (`Global Portal CH-GVA-2 API`:
/// Portal in Global, API in CH-GVA-2); without locations, the words are one
/// name when there are few of them, and nothing is guessed otherwise.
pub(super) fn located_names(words: &[&str]) -> Vec<Component> {
    if words.first().is_some_and(|w| location(w)) {
        let mut out: Vec<Component> = Vec::new();
        let mut group: Option<String> = None;
        let mut name: Vec<&str> = Vec::new();
        let flush = |group: &Option<String>, name: &mut Vec<&str>, out: &mut Vec<Component>| {
            if !name.is_empty() {
                out.push(Component {
                    name: name.join(" "),
                    group: group.clone(),
                });
                name.clear();
            }
        };
        for w in words {
            if location(w) {
                flush(&group, &mut name, &mut out);
                group = Some((*w).to_string());
            } else {
                name.push(w);
            }
        }
        flush(&group, &mut name, &mut out);
        return out;
    }
    // `Clusters EU Cluster`: a group named in the plural, its component after.
    if (2..=4).contains(&words.len())
        && words[0].len() > 3
        && words[0].ends_with('s')
        && !words[0].ends_with("ss")
    {
        return vec![Component {
            name: words[1..].join(" "),
            group: Some(words[0].to_string()),
        }];
    }
    if words.len() <= 3 {
        return vec![Component {
            name: words.join(" "),
            group: None,
        }];
    }
    Vec::new()
}

pub(super) fn push(out: &mut Vec<Component>, c: Component) {
    if !c.name.is_empty() && !out.contains(&c) {
        out.push(c);
    }
}

/// The names of one line of a component list.
pub(super) fn split_list(text: &str) -> Vec<Component> {
    let names = if text.contains(", ") || text.contains(" and ") && text.contains(',') {
        parse_affected_list(text)
            .into_iter()
            .map(|c| c.name)
            .collect()
    } else if let Some(parts) = split_repeated(text) {
        parts
    } else {
        split_run_together(text)
    };
    names
        .into_iter()
        .map(|n| Component {
            name: n.trim().trim_end_matches('.').to_string(),
            group: None,
        })
        .filter(|c| !c.name.is_empty())
        .collect()
}

/// `Production 2h16m Development 2h16m` -> the names.
pub(super) fn systems_with_durations(text: &str) -> Option<Vec<String>> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() < 2 || words.len() > 12 {
        return None;
    }
    let mut names = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for w in &words {
        let is_dur = w.chars().next().is_some_and(|c| c.is_ascii_digit())
            && parse_duration(w).is_some()
            && w.chars().any(|c| c.is_alphabetic());
        if is_dur {
            if cur.is_empty() {
                return None;
            }
            names.push(cur.join(" "));
            cur.clear();
        } else {
            cur.push(w);
        }
    }
    (cur.is_empty() && !names.is_empty()).then_some(names)
}
