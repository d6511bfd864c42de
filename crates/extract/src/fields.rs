//! Labelled facts around the timeline: start, end, duration and status
//! fields, maintenance windows, affected components, impact badges, the
//! page's zone statement. Each line read as a field is marked consumed, so the
//! timeline does not read it again.

use crate::components::{parse_affected_list, split_repeated, split_run_together};
use crate::page::{chrome, component_header, date_line, heading, heading_status, Line};
use crate::stamp::{Stamp, Zone};
use chrono::Duration;
use statuswatch_model::{Component, Impact, Status};

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

fn key(text: &str) -> String {
    text.trim()
        .trim_end_matches([':', '：'])
        .trim()
        .to_lowercase()
}

const START_KEYS: &[&str] = &[
    "started",
    "start",
    "start time",
    "began",
    "began at",
    "started at",
    "incident start time",
    "incident started",
    "incident start",
    "outage start",
    "opened",
    "start date",
    "beginning",
    // Other languages
    "beginn",
    "störungsbeginn",
    "startzeit",
    "début",
    "date de début",
    "heure de début",
    "inicio",
    "hora de inicio",
    "fecha de inicio",
    "início",
    "data de início",
    "inizio",
    "ora di inizio",
    "aanvang",
    "starttijd",
    "początek",
    "rozpoczęcie",
    "başlangıç",
    "başlangıç zamanı",
    "発生日時",
    "発生時刻",
    "障害発生日時",
    "開始日時",
    "발생 일시",
    "발생일시",
    "발생 시간",
    "시작 시간",
    "开始时间",
    "发生时间",
    "故障时间",
    "故障時間",
];

const END_KEYS: &[&str] = &[
    "resolved",
    "resolved at",
    "ended",
    "end",
    "end time",
    "ended at",
    "incident end time",
    "incident ended",
    "incident end",
    "closed at",
    "completed at",
    "outage end",
    "end date",
    // Other languages
    "ende",
    "störungsende",
    "behoben um",
    "endzeit",
    "fin",
    "date de fin",
    "heure de fin",
    "résolu le",
    "hora de fin",
    "fecha de fin",
    "fim",
    "término",
    "data de término",
    "fine",
    "ora di fine",
    "einde",
    "eindtijd",
    "koniec",
    "zakończenie",
    "bitiş",
    "bitiş zamanı",
    "復旧日時",
    "復旧時刻",
    "終了日時",
    "복구 일시",
    "복구일시",
    "복구 시간",
    "종료 시간",
    "恢复时间",
    "结束时间",
    "恢復時間",
];

const WINDOW_KEYS: &[&str] = &[
    "maintenance window",
    "window",
    "date & time",
    "date and time",
    "scheduled for",
    "scheduled",
    "planned for",
    "when",
    "maintenance time",
    // Other languages
    "wartungsfenster",
    "zeitraum",
    "geplant",
    "fenêtre de maintenance",
    "date et heure",
    "horaire",
    "prévue",
    "planifiée",
    "ventana de mantenimiento",
    "fecha y hora",
    "programado",
    "janela de manutenção",
    "data e hora",
    "finestra di manutenzione",
    "data e ora",
    "onderhoudsvenster",
    "datum en tijd",
    "okno serwisowe",
    "termin",
    "bakım zamanı",
    "作業日時",
    "メンテナンス日時",
    "점검 일시",
    "점검 시간",
    "维护时间",
    "維護時間",
];

/// Fields of an advisory written as `Key: value` (Microsoft 365's): read
/// as the page's, never as updates.
const ADVISORY_KEYS: &[&str] = &[
    "user impact",
    "scope of impact",
    "preliminary root cause",
    "root cause",
    "next update by",
    "next update",
    "more info",
    "more information",
    "impact type",
    "issue type",
];

/// Statuspage's `This incident affected: ...` in the languages it is written in.
const AFFECTED_SENTENCES: &[&str] = &[
    "dieser vorfall betraf",
    "diese störung betraf",
    "cet incident a affecté",
    "cet incident a concerné",
    "este incidente afectó",
    "este incidente afetou",
    "questo incidente ha interessato",
    "dit incident had invloed op",
    "ten incydent dotyczył",
    "bu olay şunları etkiledi",
];

const COMPONENT_KEYS: &[&str] = &[
    "affected components",
    "affected component",
    "affected services",
    "affected service",
    "affected device(s)",
    "affected devices",
    "affected device",
    "affected systems",
    "affected products",
    "affected regions",
    "components",
    "site",
    "features affected",
    // Other languages
    "betroffene dienste",
    "betroffene komponenten",
    "betroffene systeme",
    "betroffene services",
    "services concernés",
    "composants concernés",
    "services affectés",
    "composants affectés",
    "servicios afectados",
    "componentes afectados",
    "serviços afetados",
    "componentes afetados",
    "servizi interessati",
    "componenti interessati",
    "servizi coinvolti",
    "getroffen diensten",
    "betrokken diensten",
    "betrokken componenten",
    "dotknięte usługi",
    "usługi",
    "etkilenen hizmetler",
    "etkilenen bileşenler",
    "影響範囲",
    "対象サービス",
    "影響サービス",
    "영향 범위",
    "영향범위",
    "대상 서비스",
    "影响范围",
    "影响服务",
    "影響範圍",
];

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
fn page_zone(text: &str) -> Option<Zone> {
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
fn state_badge(text: &str) -> Option<(Impact, Vec<Component>)> {
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
fn location(word: &str) -> bool {
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
fn located_names(words: &[&str]) -> Vec<Component> {
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

fn push(out: &mut Vec<Component>, c: Component) {
    if !c.name.is_empty() && !out.contains(&c) {
        out.push(c);
    }
}

/// The names of one line of a component list.
fn split_list(text: &str) -> Vec<Component> {
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
fn systems_with_durations(text: &str) -> Option<Vec<String>> {
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
fn same_day(start: &Stamp, end: &Stamp) -> Option<Stamp> {
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
