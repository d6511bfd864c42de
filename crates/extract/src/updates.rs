//! A timeline's units resolved into updates: their times against the page's days, their statuses.

use super::*;

/// The day headers of a page: for a time written alone, the nearest day
/// line above its line, else the first on the page. Built once per page, so
/// finding each update's day costs nothing per line above it.
pub(super) struct Days {
    /// For each line, the nearest day line strictly above it.
    pub(super) above: Vec<Option<usize>>,
    pub(super) first: Option<usize>,
    /// The date the title states (`Service Disruption on October 14th 2015`),
    /// for a page with no day line.
    pub(super) title_day: Option<(Day, Option<chrono::Weekday>)>,
}

impl Days {
    pub(super) fn new(lines: &[Line], title_line: Option<usize>) -> Days {
        let mut above = Vec::with_capacity(lines.len());
        let mut last = None;
        let mut first = None;
        for (i, l) in lines.iter().enumerate() {
            above.push(last);
            if day_line(l).is_some() {
                last = Some(i);
                first.get_or_insert(i);
            }
        }
        let title_day = title_line
            .and_then(|t| lines.get(t))
            .and_then(|l| l.stamps.iter().find(|s| s.clock.is_none()))
            .and_then(|s| s.day.filter(|d| d.year.is_some()).map(|d| (d, s.weekday)));
        Days {
            above,
            first,
            title_day,
        }
    }

    pub(super) fn of(
        &self,
        lines: &[Line],
        line: Option<usize>,
    ) -> Option<(Day, Option<chrono::Weekday>)> {
        line.and_then(|n| self.above.get(n).copied().flatten())
            .or(self.first)
            .and_then(|i| day_line(&lines[i]))
            .and_then(|s| s.day.map(|d| (d, s.weekday)))
            .or(self.title_day)
    }
}

/// Unit times resolved; an update whose time breaks the page's order by far
/// (`Jan 24` between two `Feb 23` updates) is a slip: its time is dropped.
pub(super) fn resolve_units(
    units: &[Unit],
    lines: &[Line],
    days: &Days,
    ctx: &Ctx,
    warnings: &mut Vec<String>,
) -> Vec<Update> {
    let mut out: Vec<Update> = units
        .iter()
        .map(|u| {
            let at = u
                .stamp
                .as_ref()
                .and_then(|s| ctx.resolve(s, days.of(lines, u.stamp_line)));
            if at.is_none() {
                warnings.push(format!(
                    "update `{}` has no date the page fixes",
                    u.label
                        .as_deref()
                        .unwrap_or_else(|| u.body.first().map_or("", String::as_str))
                        .chars()
                        .take(40)
                        .collect::<String>()
                ));
            }
            Update {
                vendor_id: None,
                status: Status::Investigating,
                label: u.label.clone().unwrap_or_default(),
                at,
                body: u.body.join("\n").trim().to_string(),
            }
        })
        .collect();
    let dated: Vec<usize> = (0..out.len()).filter(|&i| out[i].at.is_some()).collect();
    if dated.len() >= 3 {
        let at = |i: usize| out[i].at.expect("dated");
        let t = |k: usize| at(dated[k]);
        let (mut up, mut down) = (0, 0);
        for k in 1..dated.len() {
            match t(k).cmp(&t(k - 1)) {
                std::cmp::Ordering::Greater => up += 1,
                std::cmp::Ordering::Less => down += 1,
                std::cmp::Ordering::Equal => {}
            }
        }
        let ascending = up >= down;
        let in_order = |a: DateTime<Utc>, b: DateTime<Utc>| if ascending { a <= b } else { a >= b };
        let slips: Vec<usize> = dated
            .windows(3)
            .filter(|w| {
                let (a, b, c) = (at(w[0]), at(w[1]), at(w[2]));
                let outside = !(in_order(a, b) && in_order(b, c));
                let far = (b - a).num_hours().abs().min((b - c).num_hours().abs()) > 6;
                in_order(a, c) && outside && far
            })
            .map(|w| w[1])
            .collect();
        let mut slips = slips;
        // At either end: the first (or last) time that runs against the order
        // the rest keep, by far (a summary's time with no date of its own).
        let n = dated.len();
        let ends = [
            (dated[0], dated[1], dated[2]),
            (dated[n - 1], dated[n - 2], dated[n - 3]),
        ];
        for (k, (x, y, z)) in ends.into_iter().enumerate() {
            let (x_at, y_at, z_at) = (at(x), at(y), at(z));
            let rest_in_order = if k == 0 {
                in_order(y_at, z_at)
            } else {
                in_order(z_at, y_at)
            };
            let end_in_order = if k == 0 {
                in_order(x_at, y_at)
            } else {
                in_order(y_at, x_at)
            };
            if rest_in_order && !end_in_order && (x_at - y_at).num_minutes().abs() > 60 {
                slips.push(x);
            }
        }
        for i in slips {
            if out[i].at.is_none() {
                continue;
            }
            warnings.push(format!(
                "update at {} breaks the page's order; its time is not used",
                out[i].at.map(|t| t.to_rfc3339()).unwrap_or_default()
            ));
            out[i].at = None;
        }
    }
    out
}

/// Whether an update's own words say it resolved the incident.
pub(super) fn says_resolved(body: &str) -> bool {
    let l = body.to_ascii_lowercase().replace('’', "'");
    // What is still to come says nothing is over yet.
    if [
        "once resolved",
        "until resolved",
        "not yet resolved",
        "not resolved",
        "to be resolved",
        "should resolve",
        "will resolve",
        "expected to resolve",
    ]
    .iter()
    .any(|p| l.contains(p))
    {
        return false;
    }
    [
        "has been resolved",
        "have been resolved",
        "is resolved",
        "is now resolved",
        "been fully resolved",
        "we resolved",
        "was resolved",
        "has resolved",
        "have resolved",
        "now resolved",
        "resolved this issue",
        "resolved the issue",
        "issue resolved",
        "incident resolved",
        "back online",
        "back to normal",
        "operating normally",
        "fully operational",
        "fully recovered",
        "have recovered",
        "has recovered",
        "has been restored",
        "have been restored",
        "been fully restored",
        "no longer be experiencing",
        "no longer experiencing",
        "are stable now",
        "is stable now",
        "has been completed",
        "have been completed",
        "was completed",
        "is now complete",
        "completed successfully",
    ]
    .iter()
    .any(|p| l.contains(p))
}

/// Each update's status: its heading's, the previous one's for headings that
/// carry it (`Update`), or, unlabelled, what its words say or the previous one.
pub(super) fn assign_statuses(updates: &mut [Update], maintenance: bool) {
    // Carry statuses in time order: by time where known, else the page's order
    // (newest first when the page opens with an end).
    let mut order: Vec<usize> = (0..updates.len()).collect();
    let dated: Vec<&Update> = updates.iter().filter(|u| u.at.is_some()).collect();
    let newest_first = if dated.len() >= 2 {
        dated.first().map(|u| u.at) > dated.last().map(|u| u.at)
    } else {
        updates
            .first()
            .and_then(|u| heading_status(&u.label).flatten())
            .is_some_and(Status::is_terminal)
            && updates.len() > 1
    };
    if newest_first {
        order.reverse();
    }
    let default = if maintenance {
        Status::Scheduled
    } else {
        Status::Investigating
    };
    let mut status: Option<Status> = None;
    for i in order {
        let u = &mut updates[i];
        let own = match heading_status(&u.label) {
            Some(Some(s)) => Some(s),
            Some(None) => None,
            None if says_resolved(&u.body) => Some(if maintenance {
                Status::Completed
            } else {
                Status::Resolved
            }),
            None => None,
        };
        let s = own.or(status).unwrap_or(default);
        u.status = s;
        status = Some(s);
    }
}
