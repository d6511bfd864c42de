//! Zones and weekdays by the words pages write them with: abbreviations, cities, offsets.

use super::*;

/// Zone words: regions people name instead of an abbreviation.
pub(super) fn named_zone(word: &str) -> Option<chrono_tz::Tz> {
    use chrono_tz::{America, Asia};
    let w = word.to_ascii_lowercase();
    Some(match w.as_str() {
        "pacific" | "pt" | "us/pacific" | "pacific time" => America::Los_Angeles,
        "eastern" | "et" | "us/eastern" | "eastern time" => America::New_York,
        "central" | "ct" | "us/central" | "central time" => America::Chicago,
        "mountain" | "mt" | "us/mountain" | "mountain time" => America::Denver,
        _ if word.contains('/') => word.parse().ok()?,
        _ => match word {
            "北京时间" | "北京時間" => Asia::Shanghai,
            "日本時間" => Asia::Tokyo,
            "한국시간" | "한국 시간" => Asia::Seoul,
            _ => return None,
        },
    })
}

/// The zone of a city named for it (`heure de Paris`, `hora de Madrid`,
/// `ora di Roma`): the cities status pages of those languages name.
pub(super) fn city_zone(city: &str) -> Option<chrono_tz::Tz> {
    use chrono_tz::{America, Europe};
    Some(match city.to_lowercase().as_str() {
        "paris" => Europe::Paris,
        "bruxelles" | "brussels" => Europe::Brussels,
        "madrid" => Europe::Madrid,
        "lisboa" | "lisbonne" => Europe::Lisbon,
        "roma" | "rome" => Europe::Rome,
        "berlin" => Europe::Berlin,
        "zurich" | "zürich" => Europe::Zurich,
        "amsterdam" => Europe::Amsterdam,
        "london" | "londres" => Europe::London,
        "brasília" | "brasilia" | "são paulo" => America::Sao_Paulo,
        "méxico" | "mexico" => America::Mexico_City,
        "montréal" | "montreal" => America::Toronto,
        _ => return None,
    })
}

/// An abbreviation (as labelled: `PST` is UTC-8 whatever the date) or a
/// written offset (`GMT+1`, `UTC+02:00`, `+0200`).
pub(super) fn fixed_zone(word: &str) -> Option<FixedOffset> {
    let upper = word.to_ascii_uppercase();
    if word != upper && word.len() > 1 {
        return None; // `est`, `Ist` in prose are words, not zones
    }
    let upper = match upper.as_str() {
        "UCT" => "UTC".to_string(),
        "EET-DST" => "EEST".to_string(),
        "CET-DST" => "CEST".to_string(),
        _ => upper,
    };
    if let Some((_, minutes)) = ZONES.iter().find(|(abbr, _)| *abbr == upper) {
        return FixedOffset::east_opt(minutes * 60);
    }
    let rest = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))?;
    offset(rest)
}

/// `+3`, `+3h`, `-05:30`, `+0200`.
pub(super) fn offset(s: &str) -> Option<FixedOffset> {
    let s = s.trim_end_matches(['h', 'H']);
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'+' || b == b'-' || b == b':')
    {
        return None;
    }
    let (sign, digits) = match s.as_bytes()[0] {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?),
        None if (1..=2).contains(&digits.len()) => (digits.parse::<i32>().ok()?, 0),
        None if digits.len() == 4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        None => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

pub(super) fn weekday(word: &str) -> Option<Weekday> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    crate::words::ascii_lower(w, english_weekday)
        .flatten()
        // Other languages' names and short forms, from the locale data.
        .or_else(|| crate::words::weekday(word).map(|(d, _)| d))
}

/// `mon`, `tues`, `thursday`: a weekday's English name or its start.
pub(super) fn english_weekday(w: &str) -> Option<Weekday> {
    const DAYS: [(&str, Weekday); 7] = [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    DAYS.iter()
        .find(|(name, _)| name.starts_with(w))
        .map(|(_, d)| *d)
}

/// A word that names a weekday in full (`Saturday`, `Samstag`, `sábado`),
/// for pages that say one beside a date without a year.
pub fn weekday_word(word: &str) -> Option<Weekday> {
    let english = crate::words::ascii_lower(word, |w| {
        matches!(
            w,
            "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
        )
    });
    if english == Some(true) {
        return weekday(word);
    }
    crate::words::weekday(word)
        .filter(|(_, full)| *full && word.chars().count() >= 5)
        .map(|(d, _)| d)
}
