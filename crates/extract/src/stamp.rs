//! Date and time stamps as people write them on status pages, found anywhere
//! in a line: `Posted Sep 12, 2022 - 22:07 EDT`, `Oct 14, 2:02 AM UTC`,
//! `3:23 PM PST`, `30 Sep 2020 21:55 PDT`, `2020-09-24 18:00`,
//! `Thursday, March 10, 2016, at 9:59 PM UTC`, `12-May-2021 00:00 EET-DST
//! (UTC +3h)`, `UPDATE 02.12.2020 10:00 CET`, `Nov 02 at 04:00am CET`,
//! `9/15/2025 at 11:25am CST`, `02.04.2022 um 20:30 Uhr`, `11:20 BST (GMT+1) 9
//! Apr 2009`, `15 Apr, 11:22 a.m. Pacific`, ranges such as `9pm – 10pm Pacific`.
//!
//! A stamp keeps what was written and nothing more: a missing year, date or
//! zone stays missing. [`Ctx`] resolves stamps with what the page as a whole
//! states (its years, its day header, "all times are US/Pacific"), and a time
//! whose zone nothing on the page states is not converted: it stays unknown.

use crate::time::{parse_month, ZONES};
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};

/// A zone as written: an offset (abbreviations are fixed offsets, as labelled)
/// or a region whose offset depends on the date (`Pacific`, `US/Pacific`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// A fixed offset.
    Fixed(FixedOffset),
    /// A region with daylight saving time.
    Named(chrono_tz::Tz),
}

impl Zone {
    /// The instant of a local date and time in this zone.
    pub fn instant(self, local: chrono::NaiveDateTime) -> Option<DateTime<Utc>> {
        match self {
            Zone::Fixed(o) => o
                .from_local_datetime(&local)
                .single()
                .map(|t| t.with_timezone(&Utc)),
            Zone::Named(tz) => tz
                .from_local_datetime(&local)
                .earliest()
                .map(|t| t.with_timezone(&Utc)),
        }
    }
}

/// A calendar day as written; the year may be missing, and a numeric date
/// whose day and month could be swapped carries the other reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    /// The year, where written.
    pub year: Option<i32>,
    /// The month (1-12).
    pub month: u32,
    /// The day of the month.
    pub day: u32,
    /// For `06/11/2017`: the other order's (month, day).
    pub swapped: Option<(u32, u32)>,
}

impl Day {
    fn date(self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
    }
}

/// A time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// Hour (0-23).
    pub hour: u32,
    /// Minute.
    pub minute: u32,
}

/// One stamp found in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Byte offsets of the stamp in the line.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// A weekday written with the date.
    pub weekday: Option<Weekday>,
    /// The day, where written.
    pub day: Option<Day>,
    /// The time of day, where written.
    pub clock: Option<Clock>,
    /// The zone, where written.
    pub zone: Option<Zone>,
    /// The stamp ends a range begun by the stamp before it (`9pm – 10pm`).
    pub range_end: bool,
    /// A `(Tuesday)` after the time: the next day of the range's start.
    pub next_day: bool,
}

impl Stamp {
    /// Whether it has a date and a time.
    pub fn is_full(&self) -> bool {
        self.day.is_some() && self.clock.is_some()
    }
}

/// Zone words: regions people name instead of an abbreviation.
fn named_zone(word: &str) -> Option<chrono_tz::Tz> {
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
fn city_zone(city: &str) -> Option<chrono_tz::Tz> {
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
fn fixed_zone(word: &str) -> Option<FixedOffset> {
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
fn offset(s: &str) -> Option<FixedOffset> {
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

fn weekday(word: &str) -> Option<Weekday> {
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
fn english_weekday(w: &str) -> Option<Weekday> {
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

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    Word(&'a str),
    Num(u32, usize),
    Ordinal(u32),
    Clock(Clock),
    /// A number followed (glued or not) by am/pm is resolved by the parser.
    Ampm(bool),
    Date(Day),
    /// A full RFC 3339 timestamp.
    Instant(DateTime<FixedOffset>),
    /// A month written as its number with its unit (`3월`).
    MonthNum(u32),
    Punct(char),
}

struct Token<'a> {
    tok: Tok<'a>,
    start: usize,
    end: usize,
}

fn ampm_word(w: &str) -> Option<bool> {
    if w.len() > 4 {
        return None;
    }
    crate::words::ascii_lower(w, |w| match w {
        "am" | "a.m." | "a.m" => Some(false),
        "pm" | "p.m." | "p.m" => Some(true),
        _ => None,
    })
    .flatten()
}

/// `22:07`, `9:59`, `20:30:18`, with an optional glued `am`/`pm`; `9pm`, `8.43am`.
fn clock(word: &str) -> Option<(u32, u32, Option<bool>)> {
    let lower = word.to_ascii_lowercase();
    let (core, ampm) = match lower
        .strip_suffix("am")
        .or_else(|| lower.strip_suffix("a.m."))
    {
        Some(c) => (c.to_string(), Some(false)),
        None => match lower
            .strip_suffix("pm")
            .or_else(|| lower.strip_suffix("p.m."))
        {
            Some(c) => (c.to_string(), Some(true)),
            None => (lower.clone(), None),
        },
    };
    let sep = if core.contains(':') {
        ':'
    } else if core.contains('.') && ampm.is_some() {
        '.'
    } else if ampm.is_some() && core.chars().all(|c| c.is_ascii_digit()) && !core.is_empty() {
        let h: u32 = core.parse().ok()?;
        return (1..=12).contains(&h).then_some((h, 0, ampm));
    } else {
        return None;
    };
    let mut parts = core.split(sep);
    let h = parts.next()?;
    let m = parts.next()?;
    let s = parts.next();
    if parts.next().is_some()
        || h.is_empty()
        || h.len() > 2
        || m.len() != 2
        || s.is_some_and(|s| s.len() != 2)
    {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    if m > 59 || h > 23 {
        return None;
    }
    Some((h, m, ampm))
}

fn four_digit_year(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
        .filter(|y| (1970..=2100).contains(y))
}

/// `2020-09-24`, `3/10/2016`, `02.12.2020`, `12-May-2021`.
fn numeric_date(word: &str) -> Option<Day> {
    if let Some(sep) = ['/', '.', '-'].into_iter().find(|c| word.contains(*c)) {
        let parts: Vec<&str> = word.split(sep).collect();
        if parts.len() != 3 {
            return None;
        }
        // ISO: 2020-09-24.
        if sep == '-' {
            if let Some(y) = four_digit_year(parts[0]) {
                let (m, d): (u32, u32) = (parts[1].parse().ok()?, parts[2].parse().ok()?);
                return valid(Some(y), m, d, None);
            }
            // 12-May-2021, 01-Oct-2020.
            let d: u32 = parts[0].parse().ok()?;
            let m = parse_month(parts[1])?;
            let y = four_digit_year(parts[2])?;
            return valid(Some(y), m, d, None);
        }
        // Year first with slashes or dots: 2025/02/10, 2025.02.10.
        if let Some(y) = four_digit_year(parts[0]) {
            let (m, d): (u32, u32) = (parts[1].parse().ok()?, parts[2].parse().ok()?);
            return valid(Some(y), m, d, None);
        }
        let y = four_digit_year(parts[2])?;
        let (a, b): (u32, u32) = (parts[0].parse().ok()?, parts[1].parse().ok()?);
        if parts[0].len() > 2 || parts[1].len() > 2 {
            return None;
        }
        // US order with slashes, day first with dots, unless the numbers say otherwise.
        let (m, d) = if sep == '/' { (a, b) } else { (b, a) };
        if m > 12 {
            return valid(Some(y), d, m, None);
        }
        let swapped = (d <= 12 && d != m).then_some((d, m));
        return valid(Some(y), m, d, swapped);
    }
    None
}

fn valid(year: Option<i32>, month: u32, day: u32, swapped: Option<(u32, u32)>) -> Option<Day> {
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(Day {
        year,
        month,
        day,
        swapped,
    })
}

fn tokenize(line: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < line.len() {
        let c = line[i..].chars().next().expect("in bounds");
        let len = c.len_utf8();
        if c.is_whitespace() {
            i += len;
            continue;
        }
        if is_punct(c) || c == '@' {
            out.push(Token {
                tok: Tok::Punct(ascii_punct(c)),
                start: i,
                end: i + len,
            });
            i += len;
            continue;
        }
        // A run of word characters.
        let mut j = i;
        while j < line.len() {
            let d = line[j..].chars().next().expect("in bounds");
            if d.is_whitespace() || is_punct(d) {
                break;
            }
            j += d.len_utf8();
        }
        let mut word = &line[i..j];
        let mut end = j;
        // Trailing sentence punctuation is not part of the word (a.m. aside).
        while let Some(last) = word.chars().last() {
            let keep_dot = last == '.' && ampm_word(word).is_some();
            if matches!(last, '.' | ':' | '!' | '?' | '"' | '\'' | '’')
                && !keep_dot
                && word.len() > 1
            {
                word = &word[..word.len() - last.len_utf8()];
                end -= last.len_utf8();
            } else {
                break;
            }
        }
        let tok = classify(word);
        out.push(Token { tok, start: i, end });
        if end < j {
            // The stripped punctuation, as one token (a `:` after a stamp matters).
            let p = line[end..j].chars().next().expect("in bounds");
            out.push(Token {
                tok: Tok::Punct(p),
                start: end,
                end: j,
            });
        }
        i = j;
        let _ = bytes;
    }
    out
}

/// Characters that stand alone between words: dashes, brackets, the
/// full-width punctuation of CJK text.
fn is_punct(c: char) -> bool {
    matches!(
        c,
        '–' | '—'
            | ','
            | '('
            | ')'
            | '['
            | ']'
            | '|'
            | '·'
            | ';'
            | '»'
            | '«'
            | '（'
            | '）'
            | '：'
            | '，'
            | '、'
            | '【'
            | '】'
            | '「'
            | '」'
            | '〜'
            | '～'
    )
}

/// The ASCII punctuation a full-width one stands for.
fn ascii_punct(c: char) -> char {
    match c {
        '（' => '(',
        '）' => ')',
        '：' => ':',
        '，' | '、' => ',',
        '【' => '[',
        '】' => ']',
        '〜' | '～' => '–',
        c => c,
    }
}

/// `2025年2月10日`, `2月10日` (the year and the day optional), and Korean's
/// units written apart: `2025년`, `3월`, `3일`.
fn cjk_date(word: &str) -> Option<Tok<'_>> {
    let mut num = String::new();
    let mut year = None;
    let mut month = None;
    let mut day = None;
    for c in word.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: u32 = num.parse().ok()?;
        num.clear();
        match c {
            '年' | '년' => year = Some(n as i32),
            '月' | '월' => month = Some(n),
            '日' | '일' => day = Some(n),
            _ => return None,
        }
    }
    if !num.is_empty() {
        return None;
    }
    match (year, month, day) {
        (y, Some(m), Some(d)) => valid(y, m, d, None).map(Tok::Date),
        (Some(y), None, None) if (1970..=2100).contains(&y) => Some(Tok::Num(y as u32, 4)),
        (None, Some(m), None) if (1..=12).contains(&m) => Some(Tok::MonthNum(m)),
        (None, None, Some(d)) if (1..=31).contains(&d) => Some(Tok::Num(d, 2)),
        _ => None,
    }
}

fn classify(word: &str) -> Tok<'_> {
    // Every reading below but am/pm has a digit in it.
    if !word.bytes().any(|b| b.is_ascii_digit()) {
        if let Some(a) = ampm_word(word) {
            return Tok::Ampm(a);
        }
        if word.len() == 1 && !word.chars().all(char::is_alphanumeric) {
            return Tok::Punct(word.chars().next().expect("one char"));
        }
        return Tok::Word(word);
    }
    if word.len() >= 20 && word.as_bytes().get(4) == Some(&b'-') && word.contains('T') {
        if let Ok(t) = DateTime::parse_from_rfc3339(word) {
            return Tok::Instant(t);
        }
    }
    if let Some(a) = ampm_word(word) {
        return Tok::Ampm(a);
    }
    if word.bytes().all(|b| b.is_ascii_digit()) && word.len() <= 4 {
        if let Ok(n) = word.parse() {
            return Tok::Num(n, word.len());
        }
    }
    if let Some((h, m, ampm)) = clock(word) {
        let mut hour = h;
        if let Some(pm) = ampm {
            if hour == 0 || hour > 12 {
                return Tok::Word(word);
            }
            hour %= 12;
            if pm {
                hour += 12;
            }
        }
        return Tok::Clock(Clock { hour, minute: m });
    }
    let lower = word.to_ascii_lowercase();
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(n) = lower.strip_suffix(suffix) {
            if !n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit()) {
                if let Ok(d) = n.parse::<u32>() {
                    if (1..=31).contains(&d) {
                        return Tok::Ordinal(d);
                    }
                }
            }
        }
    }
    if word.bytes().any(|b| b.is_ascii_digit()) {
        if let Some(d) = numeric_date(word) {
            return Tok::Date(d);
        }
        if let Some(t) = cjk_date(word) {
            return t;
        }
        // `22h00`, `9h30`: the French way of writing a time.
        if let Some((h, m)) = word.split_once('h') {
            if (1..=2).contains(&h.len())
                && m.len() == 2
                && h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit())
            {
                if let (Ok(h), Ok(m)) = (h.parse::<u32>(), m.parse::<u32>()) {
                    if h < 24 && m < 60 {
                        return Tok::Clock(Clock { hour: h, minute: m });
                    }
                }
            }
        }
    }
    if word.len() == 1 && !word.chars().all(char::is_alphanumeric) {
        return Tok::Punct(word.chars().next().expect("one char"));
    }
    Tok::Word(word)
}

/// What one reading of a page may keep of its lines' scans: the extractor
/// reads a line several times (the page, each block of a run, each day
/// header), and a line's stamps depend on nothing but the line.
const MEMO_BYTES: usize = 1 << 20;

/// The scans of the lines of the page being read on this thread (keyed by
/// the vendor's text, so hashed with std's keyed hasher, not a fast one a
/// page could fill with collisions).
struct Memo {
    lines: std::collections::HashMap<Box<str>, Vec<Stamp>>,
    bytes: usize,
}

thread_local! {
    static MEMO: std::cell::RefCell<Option<Memo>> = const { std::cell::RefCell::new(None) };
}

/// While it lives, [`scan`] remembers the lines it scanned on this thread
/// (at most [`MEMO_BYTES`] of them); the outermost one forgets them.
pub(crate) struct Remembering {
    outermost: bool,
}

/// Starts remembering scans, for one reading of one page.
pub(crate) fn remember() -> Remembering {
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        let outermost = m.is_none();
        if outermost {
            *m = Some(Memo {
                lines: std::collections::HashMap::new(),
                bytes: 0,
            });
        }
        Remembering { outermost }
    })
}

impl Drop for Remembering {
    fn drop(&mut self) {
        if self.outermost {
            MEMO.with(|m| *m.borrow_mut() = None);
        }
    }
}

/// Finds every stamp in a line, in order.
pub fn scan(line: &str) -> Vec<Stamp> {
    // Every stamp has a day or a time of day, and both are written with a
    // number (`１５日` too: full-width digits are numbers).
    if !line.chars().any(char::is_numeric) {
        return Vec::new();
    }
    if let Some(known) = MEMO.with(|m| m.borrow().as_ref()?.lines.get(line).cloned()) {
        return known;
    }
    let found = scan_line(line);
    MEMO.with(|m| {
        if let Some(m) = m.borrow_mut().as_mut() {
            let cost = line.len() + found.len() * std::mem::size_of::<Stamp>() + 64;
            if m.bytes + cost <= MEMO_BYTES {
                m.bytes += cost;
                m.lines.insert(line.into(), found.clone());
            }
        }
    });
    found
}

/// How many tokens a stamp may start before its first number: a weekday,
/// its commas and a month (`Thursday, October 1st`).
const BEFORE_NUMBER: usize = 8;

fn scan_line(line: &str) -> Vec<Stamp> {
    let toks = tokenize(line);
    // Every stamp holds a number (a day, a year, a time of day): where a
    // stamp can start at all, so a line's prose is not looked up word by word.
    let mut next_number = vec![usize::MAX; toks.len() + 1];
    for k in (0..toks.len()).rev() {
        next_number[k] = if matches!(
            toks[k].tok,
            Tok::Num(..)
                | Tok::Ordinal(_)
                | Tok::Clock(_)
                | Tok::Date(_)
                | Tok::Instant(_)
                | Tok::MonthNum(_)
        ) {
            k
        } else {
            next_number[k + 1]
        };
    }
    let mut out: Vec<Stamp> = Vec::new();
    let mut prev_next: Option<usize> = None;
    let mut i = 0;
    while i < toks.len() {
        if next_number[i].saturating_sub(i) > BEFORE_NUMBER {
            i += 1;
            continue;
        }
        match stamp_at(&toks, i) {
            Some((mut s, next)) => {
                // A range: `9pm – 10pm`, `... 2020 - 11:00pm - Friday October 2nd, 2020 - 1:00am`.
                if let (Some(p), Some(prev)) = (prev_next, out.last()) {
                    if p + 1 == i
                        && is_range_word(&toks[p].tok)
                        && prev.clock.is_some()
                        && s.clock.is_some()
                    {
                        s.range_end = true;
                    }
                }
                out.push(s);
                prev_next = Some(next);
                i = next;
            }
            None => i += 1,
        }
    }
    // Within a range, each end takes what the other states.
    for k in 1..out.len() {
        if out[k].range_end {
            let (a, b) = out.split_at_mut(k);
            let (prev, cur) = (&mut a[k - 1], &mut b[0]);
            if cur.zone.is_none() {
                cur.zone = prev.zone;
            }
            if prev.zone.is_none() {
                prev.zone = cur.zone;
            }
            if cur.day.is_none() {
                cur.day = prev.day;
                cur.weekday = prev.weekday;
                let crosses = match (prev.clock, cur.clock) {
                    (Some(p), Some(c)) => (c.hour, c.minute) < (p.hour, p.minute),
                    _ => false,
                };
                cur.next_day = cur.next_day || crosses;
            }
        }
    }
    out
}

fn is_range_word(t: &Tok<'_>) -> bool {
    match t {
        Tok::Punct(c) => matches!(c, '–' | '—' | '-'),
        Tok::Word(w) => matches!(
            w.to_lowercase().as_str(),
            "-" | "to"
                | "until"
                | "till"
                | "bis"
                | "through"
                | "au"
                | "jusqu'au"
                | "al"
                | "hasta"
                | "até"
                | "tot"
                | "do"
                | "a"
                | "alle"
        ),
        _ => false,
    }
}

fn is_connector(t: &Tok<'_>) -> bool {
    match t {
        Tok::Punct(c) => matches!(c, ',' | '-' | '–' | '—' | '·' | '|' | '@'),
        Tok::Word(w) => matches!(
            w.to_lowercase().as_str(),
            "at" | "um"
                | "-"
                | "on"
                | "à"
                | "a"
                | "las"
                | "la"
                | "às"
                | "as"
                | "alle"
                | "ore"
                | "om"
                | "o"
                | "godz"
                | "saat"
                | "kl"
                | "klo"
                | "le"
        ),
        _ => false,
    }
}

fn year_tok(t: Option<&Token<'_>>) -> Option<i32> {
    match t?.tok {
        Tok::Num(n, 4) => Some(n as i32).filter(|y| (1970..=2100).contains(y)),
        _ => None,
    }
}

fn day_tok(t: Option<&Token<'_>>) -> Option<u32> {
    match t?.tok {
        Tok::Num(n, len) if len <= 2 && (1..=31).contains(&n) => Some(n),
        Tok::Ordinal(n) => Some(n),
        _ => None,
    }
}

/// A month at a token: the month, and whether it is weak (a short form of
/// another language than English, `set`, `out`, `gen`, also a word: it is
/// a month only in a date that has its year).
fn month_tok(t: Option<&Token<'_>>) -> Option<(u32, bool)> {
    match t?.tok {
        Tok::MonthNum(m) => Some((m, false)),
        Tok::Word(w)
            if w.chars().all(|c| c.is_ascii_alphabetic() || c == '.')
                && parse_month(w).is_some() =>
        {
            let m = parse_month(w)?;
            // `Mar`, `March`, `Sept`: a month, not the word `may` in prose.
            let lower = w.to_ascii_lowercase();
            if lower == "may" && w != "May" && w != "MAY" {
                return None;
            }
            if w.len() > 3
                && !matches!(lower.as_str(), "sept" | "sept.")
                && !FULL_MONTHS.contains(&lower.trim_end_matches('.'))
            {
                return other_month(w);
            }
            Some((m, false))
        }
        Tok::Word(w) => other_month(w),
        _ => None,
    }
}

/// A month of another language (`März`, `janvier`, `stycznia`, `abr.`).
fn other_month(w: &str) -> Option<(u32, bool)> {
    let m = crate::words::month(w)?;
    Some((m.month, !m.full && !m.english))
}

const FULL_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A day starting at `i`: the day and the index after it.
fn day_at(t: &[Token<'_>], i: usize) -> Option<(Day, usize)> {
    match t.get(i)?.tok {
        Tok::Date(d) => return Some((d, i + 1)),
        Tok::Instant(_) => return None,
        _ => {}
    }
    // Year Month Day, written with units (`2025년 3월 3일`).
    if let (Some(y), Some(Tok::MonthNum(m))) = (year_tok(t.get(i)), t.get(i + 1).map(|x| x.tok)) {
        let d = day_tok(t.get(i + 2))?;
        return valid(Some(y), m, d, None).map(|d| (d, i + 3));
    }
    // Month Day[,] [Year]
    if let Some((m, weak)) = month_tok(t.get(i)) {
        let d = day_tok(t.get(i + 1))?;
        let mut j = i + 2;
        let comma = matches!(t.get(j).map(|x| x.tok), Some(Tok::Punct(',')));
        let y = if comma {
            year_tok(t.get(j + 1))
        } else {
            year_tok(t.get(j))
        };
        if y.is_some() {
            j += if comma { 2 } else { 1 };
        } else if weak {
            return None;
        }
        return valid(y, m, d, None).map(|d| (d, j));
    }
    // Day[.] [of|de|di] Month [de] [Year]
    let d = day_tok(t.get(i))?;
    let mut j = i + 1;
    if matches!(t.get(j).map(|x| x.tok), Some(Tok::Punct('.'))) {
        j += 1; // `12. März 2025`
    }
    if matches!(t.get(j).map(|x| x.tok), Some(Tok::Word(w)) if matches!(w.to_ascii_lowercase().as_str(), "of" | "de" | "di" | "del"))
    {
        j += 1;
    }
    let (m, weak) = month_tok(t.get(j))?;
    j += 1;
    if matches!(t.get(j).map(|x| x.tok), Some(Tok::Punct('.'))) {
        j += 1; // `10 de abr. de 2025`
    }
    // `10 de abril de 2025`, `3 aprile del 2025`
    let particle = matches!(t.get(j).map(|x| x.tok), Some(Tok::Word(w)) if matches!(w.to_ascii_lowercase().as_str(), "de" | "del"));
    let y = year_tok(t.get(j + usize::from(particle)));
    if y.is_some() {
        j += 1 + usize::from(particle);
    } else if weak {
        return None;
    }
    valid(y, m, d, None).map(|d| (d, j))
}

/// A time of day at `i`: `22:07`, `9:59 PM`, `9 pm`, `20:30 Uhr`.
fn clock_at(t: &[Token<'_>], i: usize) -> Option<(Clock, usize)> {
    let (mut c, mut j) = match t.get(i)?.tok {
        Tok::Clock(c) => (c, i + 1),
        Tok::Num(n, len) if len <= 2 && (1..=12).contains(&n) => {
            // `9 pm`, `1 am`: a bare hour needs its am/pm.
            match t.get(i + 1)?.tok {
                Tok::Ampm(_) => (Clock { hour: n, minute: 0 }, i + 1),
                _ => return None,
            }
        }
        _ => return None,
    };
    if let Some(Tok::Ampm(pm)) = t.get(j).map(|x| x.tok) {
        if c.hour == 0 || c.hour > 12 {
            return None;
        }
        c.hour %= 12;
        if pm {
            c.hour += 12;
        }
        j += 1;
    }
    if matches!(t.get(j).map(|x| x.tok), Some(Tok::Word(w)) if w.eq_ignore_ascii_case("uhr")) {
        j += 1;
    }
    Some((c, j))
}

/// A zone at `i`: an abbreviation, a written offset, a region (`Pacific
/// Time`), each maybe followed by a parenthesised offset that then wins
/// (`EET-DST (UTC +3h)`, `BST (GMT+1)`).
fn zone_at(t: &[Token<'_>], i: usize) -> Option<(Zone, usize)> {
    let (mut zone, mut j) = match t.get(i)?.tok {
        Tok::Word(w) => {
            if let Some(o) = fixed_zone(w) {
                // `UTC +3h`
                match t.get(i + 1).map(|x| x.tok) {
                    Some(Tok::Word(n))
                        if w.eq_ignore_ascii_case("utc") || w.eq_ignore_ascii_case("gmt") =>
                    {
                        match offset(n) {
                            Some(o2) => (Zone::Fixed(o2), i + 2),
                            None => (Zone::Fixed(o), i + 1),
                        }
                    }
                    _ => (Zone::Fixed(o), i + 1),
                }
            } else if w.starts_with(['+', '-']) && w.len() >= 5 && offset(w).is_some() {
                // `12:53:00 +0000`: an offset written alone.
                (Zone::Fixed(offset(w).expect("checked")), i + 1)
            } else if let Some(tz) = matches!(
                w.to_lowercase().as_str(),
                "heure" | "hora" | "ora" | "horário" | "horario"
            )
            .then(|| {
                let k = match t.get(i + 1).map(|x| x.tok) {
                    Some(Tok::Word("de" | "di" | "del" | "du")) => i + 2,
                    _ => i + 1,
                };
                match t.get(k).map(|x| x.tok) {
                    Some(Tok::Word(c)) => city_zone(c).map(|z| (z, k + 1)),
                    _ => None,
                }
            })
            .flatten()
            {
                (Zone::Named(tz.0), tz.1)
            } else if let Some(tz) = named_zone(w) {
                if w.len() == 2 && w != w.to_ascii_uppercase() {
                    return None; // `et`, `Pt` in prose
                }
                let mut j = i + 1;
                if matches!(t.get(j).map(|x| x.tok), Some(Tok::Word(n)) if n.eq_ignore_ascii_case("time"))
                {
                    j += 1;
                }
                if w.chars().next().is_some_and(char::is_lowercase) && !w.contains('/') {
                    return None; // `pacific` in prose
                }
                (Zone::Named(tz), j)
            } else {
                return None;
            }
        }
        Tok::Punct('(') => {
            let (z, j) = zone_at(t, i + 1)?;
            if !matches!(t.get(j).map(|x| x.tok), Some(Tok::Punct(')'))) {
                return None;
            }
            return Some((z, j + 1));
        }
        _ => return None,
    };
    // A parenthesised offset after the abbreviation is exact.
    if matches!(t.get(j).map(|x| x.tok), Some(Tok::Punct('('))) {
        if let Some((Zone::Fixed(o), k)) = zone_at(t, j) {
            let explicit = matches!(t.get(j + 1).map(|x| x.tok), Some(Tok::Word(w)) if w.to_ascii_uppercase().starts_with("UTC") || w.to_ascii_uppercase().starts_with("GMT") || w.starts_with('+') || w.starts_with('-'));
            if explicit {
                zone = Zone::Fixed(o);
                j = k;
            }
        }
    }
    Some((zone, j))
}

fn skip_connectors(t: &[Token<'_>], mut j: usize) -> usize {
    while t.get(j).is_some_and(|x| is_connector(&x.tok)) {
        j += 1;
    }
    j
}

/// A stamp starting at token `i`.
fn stamp_at(t: &[Token<'_>], i: usize) -> Option<(Stamp, usize)> {
    if let Tok::Instant(dt) = t.get(i)?.tok {
        let s = Stamp {
            start: t[i].start,
            end: t[i].end,
            weekday: None,
            day: Some(Day {
                year: Some(dt.year()),
                month: dt.month(),
                day: dt.day(),
                swapped: None,
            }),
            clock: Some(Clock {
                hour: chrono::Timelike::hour(&dt),
                minute: chrono::Timelike::minute(&dt),
            }),
            zone: Some(Zone::Fixed(*dt.offset())),
            range_end: false,
            next_day: false,
        };
        return Some((s, i + 1));
    }
    let mut j = i;
    let mut wd = match t.get(j)?.tok {
        Tok::Word(w) => weekday(w),
        _ => None,
    };
    if wd.is_some() {
        j += 1;
        while matches!(t.get(j).map(|x| x.tok), Some(Tok::Punct(','))) {
            j += 1;
        }
    }
    // A word that is a weekday in one language and a month in another
    // (`Mar`, Tuesday in Spanish): the reading that makes a date.
    let mut dated = day_at(t, j);
    if dated.is_none() && wd.is_some() {
        dated = day_at(t, i);
        if dated.is_some() {
            wd = None;
        }
    }
    if let Some((day, mut k)) = dated {
        // A weekday in brackets after the date: `2025年2月10日（月）`, `(Mon)`.
        if matches!(t.get(k).map(|x| x.tok), Some(Tok::Punct('(')))
            && matches!(t.get(k + 2).map(|x| x.tok), Some(Tok::Punct(')')))
            && matches!(t.get(k + 1).map(|x| x.tok), Some(Tok::Word(w)) if weekday(w).is_some() || matches!(w, "月" | "火" | "水" | "木" | "金" | "土" | "日" | "월" | "화" | "수" | "목" | "금" | "토" | "일"))
        {
            k += 3;
        }
        let mut s = Stamp {
            start: t[i].start,
            end: t[k - 1].end,
            weekday: wd,
            day: Some(day),
            clock: None,
            zone: None,
            range_end: false,
            next_day: false,
        };
        let c = skip_connectors(t, k);
        if let Some((clock, mut e)) = clock_at(t, c) {
            s.clock = Some(clock);
            if let Some((z, ze)) = zone_at(t, e) {
                s.zone = Some(z);
                e = ze;
            }
            s.end = t[e - 1].end;
            return Some((s, e));
        }
        // A zone right after a date with a time before it is handled by the
        // time-first form; a date alone is a stamp of its own.
        return Some((s, k));
    }
    if wd.is_some() {
        return None;
    }
    // Time first: `11:20 BST (GMT+1) 9 Apr 2009`, `3:23 PM PST`, `15:22 UTC`.
    let (clock, mut e) = clock_at(t, i)?;
    let mut s = Stamp {
        start: t[i].start,
        end: t[e - 1].end,
        weekday: None,
        day: None,
        clock: Some(clock),
        zone: None,
        range_end: false,
        next_day: false,
    };
    // `1 am (Tuesday) Pacific`
    if matches!(t.get(e).map(|x| x.tok), Some(Tok::Punct('(')))
        && matches!(t.get(e + 1).map(|x| x.tok), Some(Tok::Word(w)) if weekday(w).is_some())
        && matches!(t.get(e + 2).map(|x| x.tok), Some(Tok::Punct(')')))
    {
        s.next_day = true;
        e += 3;
    }
    if let Some((z, ze)) = zone_at(t, e) {
        s.zone = Some(z);
        e = ze;
    }
    // A date after the time (`11:20 BST (GMT+1) 9 Apr 2009`, `10:00 on 5 May`).
    let d = skip_connectors(t, e);
    if let Some((day, de)) = day_at(t, d) {
        if day.year.is_some() || d == e {
            s.day = Some(day);
            e = de;
        }
    }
    s.end = t[e - 1].end;
    Some((s, e))
}

/// What a page states that resolves its stamps: its zone, its years, its
/// weekdays, its day header, and `now` for dates without a year.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The zone of times written without one (`all times are US/Pacific`).
    pub page_zone: Option<Zone>,
    /// Every year written with a full date on the page, with its month.
    pub years: Vec<(i32, u32)>,
    /// A weekday named alone on the page (only when exactly one is).
    pub weekday_hint: Option<Weekday>,
    /// Swap numeric dates' reading (day and month) where the page's other dates say so.
    pub swap_numeric: bool,
    /// When the page was read.
    pub now: DateTime<Utc>,
}

impl Ctx {
    /// A context knowing nothing but the time.
    pub fn new(now: DateTime<Utc>) -> Ctx {
        Ctx {
            page_zone: None,
            years: Vec::new(),
            weekday_hint: None,
            swap_numeric: false,
            now,
        }
    }

    /// The day as the page means it (numeric order, year).
    pub fn date(&self, day: &Day, weekday: Option<Weekday>) -> Option<NaiveDate> {
        let day = match (self.swap_numeric, day.swapped) {
            (true, Some((m, d))) => Day {
                month: m,
                day: d,
                ..*day
            },
            _ => *day,
        };
        if let Some(y) = day.year {
            return day.date(y);
        }
        let now_year = self.now.year();
        let recent = || (now_year - 40..=now_year + 1).rev();
        let limit = self.now.date_naive() + Duration::days(370);
        let mut distinct: Vec<i32> = self.years.iter().map(|(y, _)| *y).collect();
        distinct.sort_unstable();
        distinct.dedup();
        // A weekday written with the date picks the year (the page's years first).
        if let Some(w) = weekday {
            return distinct
                .iter()
                .rev()
                .copied()
                .chain(recent())
                .filter_map(|y| day.date(y))
                .filter(|d| *d <= limit)
                .find(|d| d.weekday() == w);
        }
        // The page's years: the one written with this month, or the only one.
        let mut month_years: Vec<i32> = self
            .years
            .iter()
            .filter(|(_, m)| *m == day.month)
            .map(|(y, _)| *y)
            .collect();
        month_years.sort_unstable();
        month_years.dedup();
        match (month_years.as_slice(), distinct.as_slice()) {
            ([y], _) => return day.date(*y),
            ([], [y]) => return day.date(*y),
            ([], []) => {}
            _ => return None, // the page contradicts itself
        }
        // No year on the page: a weekday it names alone ("scheduled for Saturday").
        if let Some(w) = self.weekday_hint {
            return recent()
                .filter_map(|y| day.date(y))
                .filter(|d| *d <= limit)
                .find(|d| d.weekday() == w);
        }
        // Nothing at all: the latest year that does not put it in the future.
        let soon = self.now.date_naive() + Duration::days(2);
        recent().filter_map(|y| day.date(y)).find(|d| *d <= soon)
    }

    /// The instant of a stamp, with `base` as its day when it has none;
    /// `None` when the date, the time or the zone is not known.
    pub fn resolve(
        &self,
        s: &Stamp,
        base: Option<(Day, Option<Weekday>)>,
    ) -> Option<DateTime<Utc>> {
        let clock = s.clock?;
        let (day, wd) = match s.day {
            Some(d) => (d, s.weekday),
            None => base?,
        };
        let zone = s.zone.or(self.page_zone)?;
        let mut date = self.date(&day, wd)?;
        if s.next_day {
            date = date.succ_opt()?;
        }
        zone.instant(date.and_hms_opt(clock.hour, clock.minute, 0)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn now() -> Ctx {
        Ctx::new(utc("2026-11-30T00:00:00Z"))
    }

    /// The instants of a line's stamps, each resolved alone.
    fn at(line: &str) -> Vec<Option<String>> {
        let ctx = now();
        let stamps = scan(line);
        stamps
            .iter()
            .map(|s| {
                ctx.resolve(s, None)
                    .map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
            })
            .collect()
    }

    fn one(line: &str) -> Option<String> {
        let v = at(line);
        assert!(!v.is_empty(), "no stamp in {line:?}");
        v[0].clone()
    }

    #[test]
    fn the_forms_of_the_development_set() {
        for (line, want) in [
            ("Posted Sep 12, 2022 - 22:07 EDT", "2022-09-13T02:07"),
            ("Jun 19, 2016, 11:58 PM UTC", "2016-06-19T23:58"),
            ("30 Sep 2020 21:55 PDT", "2020-10-01T04:55"),
            (
                "Thursday, March 10, 2016, at 9:59 PM UTC",
                "2016-03-10T21:59",
            ),
            (
                "Start: 12-May-2021 00:00 EET-DST (UTC +3h)",
                "2021-05-11T21:00",
            ),
            (
                "UPDATE 02.12.2020 10:00 CET: After increasing",
                "2020-12-02T09:00",
            ),
            ("9/15/2025 at 11:25am CST", "2025-09-15T17:25"),
            (
                "COMPLETED: Essential Maintenance 11:20 BST (GMT+1) 9 Apr 2009",
                "2009-04-09T10:20",
            ),
            (
                "Date & Time: 2020-01-04 22:30 Pacific Time (Saturday",
                "2020-01-05T06:30",
            ),
            ("2012-06-07 15:52:41 UTC", "2012-06-07T15:52"),
            ("Closed Feb 23 10:00 UTC", "2026-02-23T10:00"),
            ("May 03, 2026, 06:53 PM UTC", "2026-05-03T18:53"),
            ("3/10/2016 10:19 PM UTC", "2016-03-10T22:19"),
            ("2025-03-31T05:30:00Z", "2025-03-31T05:30"),
        ] {
            assert_eq!(one(line).as_deref(), Some(want), "{line}");
        }
    }

    #[test]
    fn a_time_without_a_stated_zone_stays_unknown() {
        assert_eq!(one("Wed, Apr 17, 2024, 11:59 PM"), None);
        assert_eq!(one("02.04.2022 um 20:30 Uhr"), None);
        assert_eq!(one("Starting at 22:00, we'll proceed"), None);
        let mut ctx = now();
        ctx.page_zone = named_zone("US/Pacific").map(Zone::Named);
        let s = scan("Incident began at 2020-09-24 18:00 and ended at 2020-09-24 18:33");
        assert_eq!(s.len(), 2);
        assert_eq!(ctx.resolve(&s[0], None), Some(utc("2020-09-25T01:00:00Z")));
        assert_eq!(ctx.resolve(&s[1], None), Some(utc("2020-09-25T01:33:00Z")));
    }

    #[test]
    fn times_alone_take_a_day_from_the_page() {
        let ctx = now();
        let header = scan("Thursday July 11, 2024");
        let day = (header[0].day.unwrap(), header[0].weekday);
        assert!(header[0].clock.is_none());
        let s = scan("3:23 PM PDT");
        assert_eq!(
            ctx.resolve(&s[0], Some(day)),
            Some(utc("2024-07-11T22:23:00Z"))
        );
        let s = scan("15:22 UTC: We continue to investigate");
        assert_eq!(
            ctx.resolve(&s[0], Some(day)),
            Some(utc("2024-07-11T15:22:00Z"))
        );
        let s = scan("10:13 AM PDT We are investigating");
        assert_eq!(
            s[0].clock,
            Some(Clock {
                hour: 10,
                minute: 13
            })
        );
        assert_eq!(s[0].end, "10:13 AM PDT".len());
    }

    #[test]
    fn ranges_share_zone_and_day() {
        let ctx = now();
        let s = scan("Sunday 13 Apr 2008, 9pm – 10pm Pacific: Our support portal");
        assert_eq!(s.len(), 2);
        assert!(s[1].range_end);
        assert_eq!(ctx.resolve(&s[0], None), Some(utc("2008-04-14T04:00:00Z")));
        assert_eq!(ctx.resolve(&s[1], None), Some(utc("2008-04-14T05:00:00Z")));
        let s = scan("Monday 14 Apr 2008, 10pm – 1 am (Tuesday) Pacific: Phase I");
        assert_eq!(ctx.resolve(&s[1], None), Some(utc("2008-04-15T08:00:00Z")));
        let s = scan("Maintenance Window: Thursday October 1st, 2020 - 11:00pm - Friday October 2nd, 2020 - 1:00am Eastern time");
        assert_eq!(s.len(), 2);
        assert_eq!(ctx.resolve(&s[0], None), Some(utc("2020-10-02T03:00:00Z")));
        assert_eq!(ctx.resolve(&s[1], None), Some(utc("2020-10-02T05:00:00Z")));
    }

    #[test]
    fn years_from_the_page_or_its_weekdays() {
        let mut ctx = now();
        let s = scan("Nov 02 at 04:00am CET");
        ctx.weekday_hint = Some(Weekday::Sat);
        assert_eq!(ctx.resolve(&s[0], None), Some(utc("2024-11-02T03:00:00Z")));
        ctx.weekday_hint = None;
        ctx.years = vec![(2023, 12), (2022, 12)];
        let s = scan("Dec 30 at 07:30am CET");
        assert_eq!(
            ctx.resolve(&s[0], None),
            None,
            "the page contradicts itself"
        );
        ctx.years = vec![(2023, 2)];
        let s = scan("Identified Feb 23 02:30 UTC");
        assert_eq!(ctx.resolve(&s[0], None), Some(utc("2023-02-23T02:30:00Z")));
    }

    #[test]
    fn numeric_dates_read_in_both_orders() {
        let s = scan("on 06/11/2017 between 19:33 UTC and 21:07 UTC");
        let d = s[0].day.unwrap();
        assert_eq!((d.month, d.day), (6, 11));
        assert_eq!(d.swapped, Some((11, 6)));
        let s = scan("29.12.2023");
        assert_eq!(s[0].day.unwrap().month, 12);
    }

    #[test]
    fn stamps_are_found_after_long_prose() {
        let line = "We are still working on the elevated error rates affecting a subset \
                    of requests in region 3 and will update you again on Thursday, \
                    October 1st, 2020 - 11:00pm Eastern time";
        let s = scan(line);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].weekday, Some(Weekday::Thu));
        assert_eq!(
            s[0].day.map(|d| (d.year, d.month, d.day)),
            Some((Some(2020), 10, 1))
        );
        assert_eq!(s[0].clock.map(|c| c.hour), Some(23));
    }

    #[test]
    fn scans_are_remembered_for_one_reading_only() {
        let held = || MEMO.with(|m| m.borrow().as_ref().map(|m| (m.lines.len(), m.bytes)));
        assert_eq!(held(), None);
        {
            let _reading = remember();
            assert_eq!(scan("Jan 5, 2024 10:00 UTC"), scan("Jan 5, 2024 10:00 UTC"));
            assert_eq!(held().map(|(n, _)| n), Some(1));
            {
                let _inner = remember();
            }
            assert!(held().is_some(), "an inner reading leaves the outer's memo");
            for k in 0..100_000 {
                scan(&format!("update {k} posted on Jan 5, 2024"));
            }
            assert!(
                held().is_some_and(|(_, bytes)| bytes <= MEMO_BYTES),
                "bounded"
            );
        }
        assert_eq!(held(), None, "forgotten after the reading");
    }

    #[test]
    fn prose_is_not_a_stamp() {
        for line in [
            "We may see errors",
            "It took 2 hours",
            "Est. 5 minutes",
            "version 1.2.3 released",
            "In March we said",
        ] {
            assert!(
                scan(line).iter().all(|s| s.clock.is_none()),
                "{line}: {:?}",
                scan(line)
            );
        }
    }
}
