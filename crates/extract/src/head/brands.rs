//! The vendor a page names: the brand it repeats, told from the words every page repeats.

use super::*;

/// Words that are capitalised on status pages without naming a vendor.
pub(super) const COMMON: &[&str] = &[
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

pub(super) fn month_or_weekday(w: &str) -> bool {
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
pub(super) fn plural_acronym(w: &str) -> bool {
    w.strip_suffix('s').is_some_and(|core| {
        core.chars().count() >= 2 && core.chars().all(|c| c.is_ascii_uppercase())
    })
}

/// A brand written in lowercase (`cloudscale is using redundant dark
/// fibers`): a sentence opens with it, where prose has a capital, and the
/// text names it again. The word the text names so most often.
pub(super) fn lowercase_brand(lines: &[Line], title: Option<&str>) -> Option<String> {
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
pub(super) fn several_words(first: &str) -> &'static [&'static str] {
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
pub(super) fn known_vendors() -> &'static [&'static str] {
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
