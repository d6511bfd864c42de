//! The date scanner: dates as people write them on status pages (zone
//! abbreviations, month names, dates without a year), used by the extractor
//! and by the feed adapter for Statuspage's dated update lines.

use crate::stamp::{Stamp, Zone};
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Utc};

/// Zone abbreviations seen on status pages and their UTC offsets in minutes.
///
/// Abbreviations are ambiguous in general; where they are, the reading common
/// on status pages wins: `CST` is US Central (not China), `IST` is India (not
/// Ireland or Israel), `BST` is British Summer Time.
pub(crate) const ZONES: &[(&str, i32)] = &[
    ("UTC", 0),
    ("GMT", 0),
    ("UT", 0),
    ("Z", 0),
    ("WET", 0),
    ("WEST", 60),
    ("BST", 60),
    ("CET", 60),
    ("MEZ", 60),
    ("MESZ", 120),
    ("CEST", 120),
    ("MET", 60),
    ("MEST", 120),
    ("EET", 120),
    ("SAST", 120),
    ("CAT", 120),
    ("WAT", 60),
    ("EAT", 180),
    ("IDT", 180),
    ("EEST", 180),
    ("MSK", 180),
    ("TRT", 180),
    ("GST", 240),
    ("PKT", 300),
    ("IST", 330),
    ("NPT", 345),
    ("ICT", 420),
    ("WIB", 420),
    ("SGT", 480),
    ("HKT", 480),
    ("AWST", 480),
    ("PHT", 480),
    ("KST", 540),
    ("JST", 540),
    ("ACST", 570),
    ("ACDT", 630),
    ("AEST", 600),
    ("AEDT", 660),
    ("NZST", 720),
    ("NZDT", 780),
    ("HST", -600),
    ("HDT", -540),
    ("AKST", -540),
    ("AKDT", -480),
    ("PST", -480),
    ("PDT", -420),
    ("MST", -420),
    ("MDT", -360),
    ("CST", -360),
    ("CDT", -300),
    ("EST", -300),
    ("EDT", -240),
    ("AST", -240),
    ("ADT", -180),
    ("NST", -210),
    ("NDT", -150),
    ("BRT", -180),
    ("ART", -180),
];

/// The offset of a zone written as an abbreviation (`CEST`), a numeric offset
/// (`+0200`, `-07:00`) or either prefixed by `UTC`/`GMT` (`UTC+2`, `GMT-05:30`).
pub fn parse_zone(text: &str) -> Option<FixedOffset> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    if let Some((_, minutes)) = ZONES.iter().find(|(abbr, _)| *abbr == upper) {
        return FixedOffset::east_opt(minutes * 60);
    }
    let rest = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))
        .unwrap_or(&upper);
    parse_numeric_offset(rest)
}

fn parse_numeric_offset(s: &str) -> Option<FixedOffset> {
    if !s
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'+' || b == b'-' || b == b':')
    {
        return None; // also keeps the byte slicing below on character boundaries
    }
    let (sign, digits) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?),
        None if digits.len() <= 2 => (digits.parse::<i32>().ok()?, 0),
        None if digits.len() == 4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        None => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// The month number of an English month name or its abbreviation (`Mar`, `March`, `Sept`).
pub fn parse_month(name: &str) -> Option<u32> {
    let n = name.trim().trim_end_matches('.');
    // English names: ASCII, three to nine letters.
    if !(3..=9).contains(&n.len()) {
        return None;
    }
    crate::words::ascii_lower(n, english_month).flatten()
}

fn english_month(n: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
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
    MONTHS
        .iter()
        .position(|m| m.starts_with(n) || (n == "sept" && *m == "september"))
        .map(|i| i as u32 + 1)
}

/// A date with a time found in a piece of text by the one date scanner
/// ([`crate::stamp::scan`]), and the words around it that were not part of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMatch {
    stamp: Stamp,
    /// The words of the text before and after the date, in order.
    pub rest: Vec<String>,
}

impl DateMatch {
    /// Whether the text is a date and nothing else (`Posted`, `at`, `on`, `·`
    /// and dashes aside).
    pub fn is_alone(&self) -> bool {
        self.rest.iter().all(|w| {
            let w = w.to_ascii_lowercase();
            matches!(
                w.as_str(),
                "posted" | "at" | "on" | "·" | "-" | "—" | "–" | "|"
            )
        })
    }

    /// Whether the year was written.
    pub fn has_year(&self) -> bool {
        self.stamp.day.is_some_and(|d| d.year.is_some())
    }

    /// The instant in `year` (the written one if any).
    fn in_year(&self, year: i32) -> Option<DateTime<Utc>> {
        let day = self.stamp.day?;
        let clock = self.stamp.clock?;
        let zone = self
            .stamp
            .zone
            .unwrap_or(Zone::Fixed(FixedOffset::east_opt(0)?));
        let date = NaiveDate::from_ymd_opt(day.year.unwrap_or(year), day.month, day.day)?;
        zone.instant(date.and_hms_opt(clock.hour, clock.minute, 0)?)
    }

    /// The time, a missing year placed so the date is not after `not_after`
    /// (give or take two days).
    pub fn resolve(&self, not_after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.has_year() {
            return self.in_year(0);
        }
        let limit = not_after + Duration::days(2);
        let year = not_after.year();
        // Feb 29 in a year without it is skipped.
        [year + 1, year, year - 1, year - 2]
            .into_iter()
            .filter_map(|y| self.in_year(y))
            .find(|t| *t <= limit)
    }

    /// The time, a missing year placed so the date is nearest to `near`.
    pub fn resolve_near(&self, near: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.has_year() {
            return self.in_year(0);
        }
        let y = near.year();
        [y - 1, y, y + 1]
            .into_iter()
            .filter_map(|y| self.in_year(y))
            .min_by_key(|t| (*t - near).num_seconds().abs())
    }
}

/// Finds the first date with a time in `text`: `Mar 16, 04:38 UTC`,
/// `May 03, 2026, 06:53 PM UTC`, `Posted Mar 31, 2025 - 07:30 CEST`,
/// `October 7, 2025 · 10:35 CEST`, `2026-05-11 20:00 CEST`, `16 Mar 2026 04:38 UTC`.
/// A missing zone means UTC (the feeds that write their times so are in UTC).
pub fn scan_date(text: &str) -> Option<DateMatch> {
    let text = text.replace('\u{a0}', " ");
    let stamp = crate::stamp::scan(&text)
        .into_iter()
        .find(|s| s.day.is_some() && s.clock.is_some())?;
    let rest = text[..stamp.start]
        .split(|c: char| c.is_whitespace() || c == ',')
        .chain(text[stamp.end..].split(|c: char| c.is_whitespace() || c == ','))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    Some(DateMatch { stamp, rest })
}

/// Reads a date written the way status pages write update times (see
/// [`scan_date`]); a missing year is placed so that the
/// date is not after `not_after`.
pub fn parse_month_day_time(text: &str, not_after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    scan_date(text)?.resolve(not_after)
}

/// Like [`parse_month_day_time`], but a missing year is the one that puts the
/// date nearest to `near` (for announced windows, which may lie ahead).
pub fn parse_month_day_time_near(text: &str, near: DateTime<Utc>) -> Option<DateTime<Utc>> {
    scan_date(text)?.resolve_near(near)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn zones_abbreviated_and_numeric() {
        assert_eq!(parse_zone("CEST").unwrap().local_minus_utc(), 7200);
        assert_eq!(parse_zone("pdt").unwrap().local_minus_utc(), -7 * 3600);
        assert_eq!(parse_zone("+0530").unwrap().local_minus_utc(), 19800);
        assert_eq!(parse_zone("-07:00").unwrap().local_minus_utc(), -25200);
        assert_eq!(parse_zone("UTC+2").unwrap().local_minus_utc(), 7200);
        assert_eq!(parse_zone("GMT-05:30").unwrap().local_minus_utc(), -19800);
        assert!(parse_zone("XYZ").is_none());
        assert!(parse_zone("+99").is_none());
        // Found by the extractor's property test: non-ASCII after a sign.
        assert!(parse_zone("+𞹾").is_none());
        assert!(parse_zone("-é:00").is_none());
    }

    #[test]
    fn status_page_update_dates() {
        let seen = utc("2026-08-22T04:00:00Z");
        assert_eq!(
            parse_month_day_time("Aug 21, 00:37 UTC", seen),
            Some(utc("2026-08-21T00:37:00Z"))
        );
        assert_eq!(
            parse_month_day_time("Jan  1, 09:09 PST", utc("2014-01-09T00:00:00Z")),
            Some(utc("2014-01-01T17:09:00Z"))
        );
        assert_eq!(
            parse_month_day_time("May 03, 2026, 06:53 PM UTC", seen),
            Some(utc("2026-05-03T18:53:00Z"))
        );
        assert_eq!(
            parse_month_day_time("Aug  6, 14:59 PDT", utc("2019-11-23T08:00:00Z")),
            Some(utc("2019-08-06T21:59:00Z"))
        );
        assert_eq!(parse_month_day_time("no date here", seen), None);
        assert_eq!(
            parse_month_day_time("Posted Mar 31, 2025 - 07:30 CEST", seen),
            Some(utc("2025-03-31T05:30:00Z"))
        );
        assert_eq!(
            parse_month_day_time("October 7, 2025 · 10:35 CEST", seen),
            Some(utc("2025-10-07T08:35:00Z"))
        );
        assert_eq!(
            parse_month_day_time("2026-05-11 20:00 CEST", seen),
            Some(utc("2026-05-11T18:00:00Z"))
        );
        assert_eq!(
            parse_month_day_time("16 Mar 2026 04:38 UTC", seen),
            Some(utc("2026-03-16T04:38:00Z"))
        );
        // Winter and summer time of one zone.
        assert_eq!(
            parse_month_day_time("Jan 10, 2025 - 09:00 CET", seen),
            Some(utc("2025-01-10T08:00:00Z"))
        );
        let m = scan_date("Posted Sep 09, 2025 - 17:18 CEST").unwrap();
        assert!(m.is_alone());
        assert!(m.has_year());
        let m = scan_date("identified May 03, 2026, 06:53 PM UTC").unwrap();
        assert_eq!(m.rest, vec!["identified".to_string()]);
        assert!(!m.is_alone());
        assert!(scan_date("We may see 3 errors").is_none());
        assert_eq!(
            parse_month_day_time("Posted 2025-12-02T15:45:00+01:00", seen),
            Some(utc("2025-12-02T14:45:00Z"))
        );
        assert_eq!(
            parse_month_day_time_near("Jan 9, 14:00 UTC", utc("2019-12-17T09:26:20Z")),
            Some(utc("2020-01-09T14:00:00Z"))
        );
        assert_eq!(parse_month_day_time("Aug 21, 25:00 UTC", seen), None);
    }

    #[test]
    fn months() {
        assert_eq!(parse_month("Mar"), Some(3));
        assert_eq!(parse_month("September"), Some(9));
        assert_eq!(parse_month("Sept"), Some(9));
        assert_eq!(parse_month("Ma"), None);
        assert_eq!(parse_month("Foo"), None);
    }

    /// A date without its year, as [`scan_date`] places it before `seen`.
    fn placed(text: &str, seen: &str) -> Option<DateTime<Utc>> {
        scan_date(text)?.resolve(utc(seen))
    }

    #[test]
    fn year_inference_across_new_year() {
        let seen = "2014-01-01T17:09:00Z";
        assert_eq!(
            placed("Dec 29, 20:20 UTC", seen),
            Some(utc("2013-12-29T20:20:00Z"))
        );
        assert_eq!(
            placed("Jan 1, 09:09 UTC", seen),
            Some(utc("2014-01-01T09:09:00Z"))
        );
    }

    #[test]
    fn year_inference_uses_the_local_year_of_the_reference() {
        // 2024-01-01 05:00 UTC is still 2023-12-31 in Los Angeles.
        assert_eq!(
            placed("Dec 31, 20:00 PST", "2024-01-01T05:00:00Z"),
            Some(utc("2024-01-01T04:00:00Z"))
        );
    }

    #[test]
    fn year_inference_skips_a_year_without_feb_29() {
        assert_eq!(
            placed("Feb 29, 12:00 UTC", "2025-03-01T00:00:00Z"),
            Some(utc("2024-02-29T12:00:00Z"))
        );
    }
}
