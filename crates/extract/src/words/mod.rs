//! The words a page's dates and headings are written in, in the languages
//! status pages are written in. Month and weekday names come from data (the
//! C library's locale definitions, through `pure-rust-locales`, the crate
//! chrono reads them with), not hand lists; the status words of updates and
//! the furniture of pages (skip links, sign-in, "last checked") are the
//! short lists of what status pages write, per language.

use pure_rust_locales as l;
use rustc_hash::FxHashMap as HashMap;
use statuswatch_model::Status;
use std::sync::OnceLock;

mod phrases;
pub(crate) use phrases::*;

/// One language's calendar words, as the locale data gives them.
struct Calendar {
    months: &'static [&'static str],
    short_months: &'static [&'static str],
    alt_months: Option<&'static [&'static str]>,
    alt_short_months: Option<&'static [&'static str]>,
    days: &'static [&'static str],
    short_days: &'static [&'static str],
}

macro_rules! calendars {
    ($($loc:ident),* $(,)?) => {
        [$(Calendar {
            months: &l::$loc::LC_TIME::MON,
            short_months: &l::$loc::LC_TIME::ABMON,
            alt_months: l::$loc::LC_TIME::ALT_MON,
            alt_short_months: l::$loc::LC_TIME::AB_ALT_MON,
            days: &l::$loc::LC_TIME::DAY,
            short_days: &l::$loc::LC_TIME::ABDAY,
        }),*]
    };
}

/// The languages read: those status pages are written in (English first).
fn calendars() -> &'static [Calendar] {
    static ALL: OnceLock<Vec<Calendar>> = OnceLock::new();
    ALL.get_or_init(|| {
        calendars!(
            en_US, de_DE, fr_FR, es_ES, pt_BR, pt_PT, it_IT, nl_NL, pl_PL, tr_TR, sv_SE, da_DK,
            nb_NO, fi_FI, cs_CZ, ca_ES, ro_RO, hu_HU, ru_RU, uk_UA, ja_JP, ko_KR, zh_CN, zh_TW,
        )
        .into_iter()
        .collect()
    })
}

/// At most the first `n` bytes of `s`, cut at a character's boundary: what
/// is matched at a line's start needs no more of a long line.
pub(crate) fn head(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut k = n;
    while !s.is_char_boundary(k) {
        k -= 1;
    }
    &s[..k]
}

/// `f` of `word` in ASCII lowercase, without allocating; `None` for a word
/// that is not ASCII or longer than 32 bytes.
pub(crate) fn ascii_lower<R>(word: &str, f: impl FnOnce(&str) -> R) -> Option<R> {
    if !word.is_ascii() || word.len() > 32 {
        return None;
    }
    let mut buf = [0u8; 32];
    let b = &mut buf[..word.len()];
    b.copy_from_slice(word.as_bytes());
    b.make_ascii_lowercase();
    std::str::from_utf8(b).ok().map(f)
}

/// A word as the tables key it: lowercase, without a closing dot.
fn key(word: &str) -> String {
    let w = word.trim().trim_end_matches('.');
    if w.is_ascii() {
        return w.to_ascii_lowercase();
    }
    w.chars()
        .flat_map(char::to_lowercase)
        // Turkish `İ` lowercases to `i` and a combining dot.
        .filter(|c| *c != '\u{307}')
        .collect()
}

/// A month name, full or short, and how sure it is to be one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MonthWord {
    /// 1-12.
    pub month: u32,
    /// A full name (`Januar`, `stycznia`) rather than a short form (`Jan`,
    /// `set`, `out`) that is also a word of other languages.
    pub full: bool,
    /// English.
    pub english: bool,
}

fn months() -> &'static HashMap<String, MonthWord> {
    static MAP: OnceLock<HashMap<String, MonthWord>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut m: HashMap<String, MonthWord> = HashMap::default();
        for (lang, c) in calendars().iter().enumerate() {
            let english = lang == 0;
            let mut add = |names: &[&str], full: bool| {
                for (i, n) in names.iter().enumerate() {
                    let k = key(n);
                    // CJK forms (`1月`) are read as numbers with their unit.
                    if k.is_empty() || k.chars().any(|c| c.is_ascii_digit()) {
                        continue;
                    }
                    let w = MonthWord {
                        month: i as u32 + 1,
                        full: full || k.chars().count() >= 5,
                        english,
                    };
                    // A word that is two months in two languages is neither.
                    match m.get(&k) {
                        Some(prev) if prev.month != w.month => {
                            m.insert(k, MonthWord { month: 0, ..w });
                        }
                        Some(prev) => {
                            let merged = MonthWord {
                                full: prev.full || w.full,
                                english: prev.english || w.english,
                                ..w
                            };
                            m.insert(k, merged);
                        }
                        None => {
                            m.insert(k, w);
                        }
                    }
                }
            };
            add(c.months, true);
            add(c.short_months, false);
            if let Some(a) = c.alt_months {
                add(a, true);
            }
            if let Some(a) = c.alt_short_months {
                add(a, false);
            }
        }
        // English's usual short forms beyond the locale's (`Sept`).
        m.insert(
            "sept".into(),
            MonthWord {
                month: 9,
                full: false,
                english: true,
            },
        );
        m.retain(|_, w| w.month != 0);
        m
    })
}

/// The month a word names, in any language read.
pub(crate) fn month(word: &str) -> Option<MonthWord> {
    lookup(months(), word)
}

/// `map[key(word)]`, without allocating for the common case of a short
/// ASCII word (every token of every line is looked up).
fn lookup<T: Copy>(map: &HashMap<String, T>, word: &str) -> Option<T> {
    let w = word.trim().trim_end_matches('.');
    if w.is_empty() || w.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    ascii_lower(w, |k| map.get(k).copied()).unwrap_or_else(|| map.get(&key(word)).copied())
}

fn weekdays() -> &'static HashMap<String, (chrono::Weekday, bool)> {
    static MAP: OnceLock<HashMap<String, (chrono::Weekday, bool)>> = OnceLock::new();
    MAP.get_or_init(|| {
        use chrono::Weekday::*;
        // The locale data starts its weeks on Sunday.
        const ORDER: [chrono::Weekday; 7] = [Sun, Mon, Tue, Wed, Thu, Fri, Sat];
        let mut m = HashMap::default();
        for c in calendars() {
            for (names, full) in [(c.days, true), (c.short_days, false)] {
                for (i, n) in names.iter().enumerate() {
                    let k = key(n);
                    // Two letters (`do`, `so`, `mi`) are words first.
                    if k.chars().count() >= 3 {
                        m.entry(k).or_insert((ORDER[i], full));
                    }
                }
            }
        }
        m
    })
}

/// The weekday a word names, full (`Donnerstag`) or short (`Do`), and
/// whether it is the full name.
pub(crate) fn weekday(word: &str) -> Option<(chrono::Weekday, bool)> {
    lookup(weekdays(), word)
}

/// The status an update's heading names, in the languages read: `Behoben`,
/// `Résolu`, `Resuelto`, `Çözüldü`, `復旧`.
pub(crate) fn status_word(word: &str) -> Option<Status> {
    let k = key(word);
    let k = k.trim_matches(|c: char| !c.is_alphanumeric());
    use Status::*;
    Some(match k {
        // German
        "behoben" | "gelöst" | "erledigt" | "abgeschlossen" | "wiederhergestellt" => Resolved,
        "untersuchung" | "wird untersucht" | "in untersuchung" | "störung" => Investigating,
        "identifiziert" | "ursache gefunden" | "ursache identifiziert" => Identified,
        "überwachung" | "beobachtung" | "wird beobachtet" => Monitoring,
        "geplant" => Scheduled,
        "in bearbeitung" | "läuft" => InProgress,
        // French
        "résolu" | "resolu" | "corrigé" | "rétabli" => Resolved,
        "enquête en cours" | "investigation" | "en cours d'investigation" | "analyse en cours" => {
            Investigating
        }
        "identifié" | "identifie" | "cause identifiée" => Identified,
        "surveillance" | "sous surveillance" | "en observation" => Monitoring,
        "planifié" | "programmé" | "planifiée" | "programmée" | "prévu" => Scheduled,
        "en cours" => InProgress,
        "terminé" | "terminée" => Completed,
        // Spanish, Portuguese, Italian
        "resuelto" | "solucionado" | "resolvido" | "solucionado." | "risolto" | "normalizado" => {
            Resolved
        }
        "investigando"
        | "en investigación"
        | "em investigação"
        | "in analisi"
        | "indagine in corso"
        | "in corso di verifica" => Investigating,
        "identificado" | "identificato" => Identified,
        "monitorizando" | "monitoreando" | "supervisando" | "monitorización" | "monitorando"
        | "monitoramento" | "in monitoraggio" | "monitoraggio" => Monitoring,
        "programado" | "planificado" | "agendado" | "programmato" | "pianificato" => Scheduled,
        "en curso" | "em andamento" | "em curso" | "in corso" => InProgress,
        "completado" | "concluído" | "concluido" | "completato" | "finalizado" => Completed,
        // Dutch
        "opgelost" | "verholpen" => Resolved,
        "onderzoek" | "in onderzoek" | "wordt onderzocht" => Investigating,
        "geïdentificeerd" | "geidentificeerd" => Identified,
        "monitoren" | "bewaking" | "wordt gemonitord" => Monitoring,
        "gepland" => Scheduled,
        "bezig" | "in uitvoering" => InProgress,
        "voltooid" | "afgerond" => Completed,
        // Polish
        "rozwiązany" | "rozwiązane" | "rozwiązano" | "naprawiono" => Resolved,
        "badanie" | "badamy" | "w trakcie badania" | "analiza" => Investigating,
        "zidentyfikowano" | "zidentyfikowany" => Identified,
        "monitorowanie" | "monitorujemy" => Monitoring,
        "zaplanowany" | "zaplanowane" | "planowane" => Scheduled,
        "w toku" | "w trakcie" => InProgress,
        "zakończony" | "zakończone" | "zakończono" => Completed,
        // Turkish
        "çözüldü" | "giderildi" => Resolved,
        "araştırılıyor" | "inceleniyor" | "araştırma" => Investigating,
        "tespit edildi" | "belirlendi" => Identified,
        "izleniyor" | "izleme" => Monitoring,
        "planlandı" | "planlı" => Scheduled,
        "devam ediyor" => InProgress,
        "tamamlandı" => Completed,
        // Scandinavian
        "løst" | "löst" | "åtgärdat" | "ratkaistu" => Resolved,
        "undersøger" | "undersöker" | "utreds" | "tutkitaan" => Investigating,
        "overvåger" | "övervakar" | "overvåkes" | "seurataan" => Monitoring,
        // Japanese, Korean, Chinese
        "復旧" | "復旧済み" | "解決済み" | "解決" | "対応完了" => Resolved,
        "調査中" | "発生" | "障害発生" => Investigating,
        "原因特定" | "特定" => Identified,
        "経過観察" | "監視中" | "様子見" => Monitoring,
        "予定" | "メンテナンス予定" => Scheduled,
        "作業中" | "実施中" => InProgress,
        "完了" | "作業完了" | "終了" => Completed,
        "해결" | "복구" | "복구 완료" | "해결됨" => Resolved,
        "조사 중" | "조사중" | "확인 중" | "확인중" => Investigating,
        "모니터링" | "모니터링 중" => Monitoring,
        "예정" => Scheduled,
        "진행 중" | "진행중" => InProgress,
        "완료" => Completed,
        "已解决" | "已恢复" | "已修复" | "恢复" | "已解決" | "已恢復" => Resolved,
        "调查中" | "正在调查" | "排查中" | "調查中" => Investigating,
        "已定位" | "已确认" => Identified,
        "监控中" | "观察中" | "監控中" => Monitoring,
        "计划中" | "已计划" => Scheduled,
        "进行中" | "處理中" | "处理中" => InProgress,
        "已完成" | "完成" => Completed,
        _ => return None,
    })
}

/// Heading words of other languages that carry the previous status
/// (`Aktualisierung`, `Mise à jour`, `Actualización`, `更新`).
pub(crate) fn carry_word(word: &str) -> bool {
    matches!(
        key(word).as_str(),
        "aktualisierung"
            | "mise à jour"
            | "actualización"
            | "actualizacion"
            | "atualização"
            | "atualizacao"
            | "aggiornamento"
            | "bijwerking"
            | "aktualizacja"
            | "güncelleme"
            | "uppdatering"
            | "opdatering"
            | "oppdatering"
            | "päivitys"
            | "更新"
            | "続報"
            | "업데이트"
            | "更新情报"
            | "进展"
            | "最新情况"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_weekdays_of_many_languages() {
        for (w, m) in [
            ("March", 3),
            ("Sept", 9),
            ("März", 3),
            ("Okt.", 10),
            ("janvier", 1),
            ("févr.", 2),
            ("septiembre", 9),
            ("abr.", 4),
            ("maggio", 5),
            ("maart", 3),
            ("stycznia", 1),
            ("styczeń", 1),
            ("Ocak", 1),
            ("Kasım", 11),
            ("oktober", 10),
        ] {
            assert_eq!(month(w).map(|x| x.month), Some(m), "{w}");
        }
        assert!(month("Mar").is_some_and(|m| m.english && !m.full));
        assert!(month("stycznia").is_some_and(|m| m.full && !m.english));
        assert_eq!(month("the"), None);
        assert_eq!(
            weekday("Donnerstag").map(|w| w.0),
            Some(chrono::Weekday::Thu)
        );
        assert_eq!(weekday("mardi").map(|w| w.0), Some(chrono::Weekday::Tue));
        assert_eq!(
            weekday("Pazartesi").map(|w| w.0),
            Some(chrono::Weekday::Mon)
        );
    }

    #[test]
    fn status_words_and_furniture() {
        assert_eq!(status_word("Behoben"), Some(Status::Resolved));
        assert_eq!(status_word("Çözüldü"), Some(Status::Resolved));
        assert_eq!(status_word("Investigando"), Some(Status::Investigating));
        assert_eq!(status_word("復旧"), Some(Status::Resolved));
        assert!(furniture("Gezintiyi Atla"));
        assert!(furniture("Skip Navigation"));
        assert!(furniture("Last checked: 3 minutes ago"));
        assert!(furniture("Get in touch"));
        assert!(furniture("Dear Customer,"));
        assert!(furniture("Liebe Kundinnen und Kunden,"));
        assert!(!furniture(
            "Dear customers, we are sorry for the outage of the API today."
        ));
        assert!(!furniture("Elevated error rates"));
        assert_eq!(
            site_name("Google Cloud Status Dashboard"),
            Some(Some("Google Cloud".into()))
        );
        assert_eq!(site_name("Acme Statusseite"), Some(Some("Acme".into())));
        assert_eq!(
            site_name("Azure status history"),
            Some(Some("Azure".into()))
        );
        assert_eq!(
            site_name("さくらのクラウド 障害情報"),
            Some(Some("さくらのクラウド".into()))
        );
        assert_eq!(site_name("Service Health"), Some(None));
        assert_eq!(site_name("Elevated error rates on the API status"), None);
    }
}
