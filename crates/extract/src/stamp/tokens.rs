//! A line cut into the words a stamp is made of: clocks, numeric and CJK dates, months, punctuation.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Tok<'a> {
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

pub(super) struct Token<'a> {
    pub(super) tok: Tok<'a>,
    pub(super) start: usize,
    pub(super) end: usize,
}

pub(super) fn ampm_word(w: &str) -> Option<bool> {
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
pub(super) fn clock(word: &str) -> Option<(u32, u32, Option<bool>)> {
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

pub(super) fn four_digit_year(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
        .filter(|y| (1970..=2100).contains(y))
}

/// `2020-09-24`, `3/10/2016`, `02.12.2020`, `12-May-2021`.
pub(super) fn numeric_date(word: &str) -> Option<Day> {
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

pub(super) fn valid(
    year: Option<i32>,
    month: u32,
    day: u32,
    swapped: Option<(u32, u32)>,
) -> Option<Day> {
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

pub(super) fn tokenize(line: &str) -> Vec<Token<'_>> {
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
pub(super) fn is_punct(c: char) -> bool {
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
pub(super) fn ascii_punct(c: char) -> char {
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
pub(super) fn cjk_date(word: &str) -> Option<Tok<'_>> {
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

pub(super) fn classify(word: &str) -> Tok<'_> {
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
