//! Stamps read off a line's tokens: a day, a clock, a zone, and the words that join them.

use super::*;

pub(super) fn is_range_word(t: &Tok<'_>) -> bool {
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

pub(super) fn is_connector(t: &Tok<'_>) -> bool {
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

pub(super) fn year_tok(t: Option<&Token<'_>>) -> Option<i32> {
    match t?.tok {
        Tok::Num(n, 4) => Some(n as i32).filter(|y| (1970..=2100).contains(y)),
        _ => None,
    }
}

pub(super) fn day_tok(t: Option<&Token<'_>>) -> Option<u32> {
    match t?.tok {
        Tok::Num(n, len) if len <= 2 && (1..=31).contains(&n) => Some(n),
        Tok::Ordinal(n) => Some(n),
        _ => None,
    }
}

/// A month at a token: the month, and whether it is weak (a short form of
/// another language than English, `set`, `out`, `gen`, also a word: it is
/// a month only in a date that has its year).
pub(super) fn month_tok(t: Option<&Token<'_>>) -> Option<(u32, bool)> {
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
pub(super) fn other_month(w: &str) -> Option<(u32, bool)> {
    let m = crate::words::month(w)?;
    Some((m.month, !m.full && !m.english))
}

pub(super) const FULL_MONTHS: [&str; 12] = [
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
pub(super) fn day_at(t: &[Token<'_>], i: usize) -> Option<(Day, usize)> {
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
pub(super) fn clock_at(t: &[Token<'_>], i: usize) -> Option<(Clock, usize)> {
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
pub(super) fn zone_at(t: &[Token<'_>], i: usize) -> Option<(Zone, usize)> {
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

pub(super) fn skip_connectors(t: &[Token<'_>], mut j: usize) -> usize {
    while t.get(j).is_some_and(|x| is_connector(&x.tok)) {
        j += 1;
    }
    j
}

/// A stamp starting at token `i`.
pub(super) fn stamp_at(t: &[Token<'_>], i: usize) -> Option<(Stamp, usize)> {
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
