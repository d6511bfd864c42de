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

mod reading;
mod tokens;
mod zones;
use reading::*;
use tokens::*;
pub use zones::*;

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
