//! RSS and Atom feeds. A Statuspage history feed (each entry's HTML lists its
//! updates as `<small>DATE</small><strong>Label</strong> - text`) is split into
//! a dated timeline; any other feed is read as one item = one incident.

mod html;

use crate::{no_min_interval, Context, Endpoint, ParseError, Platform, Probe, Role, Spec};
use chrono::{DateTime, Utc};
use statuswatch_extract::time::{
    parse_month, parse_month_day_time, parse_month_day_time_near, parse_zone,
};
use statuswatch_model::Warning;
use statuswatch_model::{stable_hash, Incident, Kind, Snapshot, Status, Update};
use std::cell::RefCell;
use std::rc::Rc;
use url::Url;

use html::split_updates;
use statuswatch_extract::html_to_text;

/// RSS and Atom feeds, in the registry.
pub static SPEC: Spec = Spec {
    name: "feed",
    aliases: &["rss", "atom"],
    about: "an RSS or Atom feed, including Statuspage's history.atom / history.rss",
    endpoints,
    probes,
    min_interval: no_min_interval,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// An RSS or Atom feed.
pub static FEED: Role = Role {
    platform: "feed",
    name: "feed",
    parse: parse_feed,
};

/// The feed itself.
fn endpoints(url: &Url) -> Vec<Endpoint> {
    vec![Endpoint::required(url.clone(), &FEED)]
}

/// The URL as a feed, then the page's `history.atom`.
fn probes(input: &Url, _asked: bool) -> Vec<Probe> {
    let base = crate::statuspage::base_url(input);
    let mut atom = base.clone();
    atom.set_path(&format!(
        "{}/history.atom",
        base.path().trim_end_matches('/')
    ));
    [input.clone(), atom]
        .into_iter()
        .map(|u| Probe {
            url: u.clone(),
            role: &FEED,
            platform: PLATFORM,
            source_url: u,
        })
        .collect()
}

/// Parses an RSS or Atom document.
pub fn parse_feed(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if matches!(first, Some(b'{') | Some(b'[')) {
        return Err(ParseError::NotFeed("the answer is JSON".into()));
    }
    let (feed, mut warnings) = read_feed(body)?;
    let fallback_time = feed.updated.unwrap_or(ctx.now);
    let incidents = feed
        .entries
        .iter()
        .map(|e| entry(e, fallback_time, ctx, &mut warnings))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Snapshot {
        provider: provider_name(&feed),
        components: Vec::new(),
        incidents,
        warnings,
    })
}

/// Reads an RSS or Atom document with feed-rs, and says which timestamps it
/// states that are no dates (feed-rs reads those as absent): one
/// [`crate::unreadable_date`] warning each.
pub(crate) fn read_feed(body: &[u8]) -> Result<(feed_rs::model::Feed, Vec<Warning>), ParseError> {
    let unreadable: Rc<RefCell<Vec<String>>> = Rc::default();
    let seen = unreadable.clone();
    let parser = feed_rs::parser::Builder::new()
        .timestamp_parser(move |text| {
            let t = lenient_timestamp(text);
            if t.is_none() && !text.trim().is_empty() {
                seen.borrow_mut().push(text.trim().to_string());
            }
            t
        })
        .build();
    let feed = parser
        .parse(body)
        .map_err(|e| ParseError::NotFeed(e.to_string()))?;
    let warnings = unreadable
        .take()
        .iter()
        .map(|v| crate::unreadable_date(Some("the feed"), v, &"not a date"))
        .collect();
    Ok((feed, warnings))
}

/// feed-rs's own lenient reading of one timestamp (RFC 3339, RFC 2822 and
/// RFC 1123, with their usual misspellings), reached through a feed of one
/// date since feed-rs does not expose it.
fn lenient_timestamp(text: &str) -> Option<DateTime<Utc>> {
    // Well-formed RFC 3339 and RFC 2822 (nearly every feed) are read directly,
    // as feed-rs reads them; only the rest goes through feed-rs's fixes.
    let t = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t).or_else(|_| DateTime::parse_from_rfc2822(t)) {
        return Some(d.with_timezone(&Utc));
    }
    let escaped = statuswatch_view::clean::xml_escape(text);
    let doc = format!("<rss version=\"2.0\"><channel><pubDate>{escaped}</pubDate></channel></rss>");
    feed_rs::parser::parse(doc.as_bytes()).ok()?.published
}

/// The vendor's name: the feed's author, or its title without the usual suffixes.
fn provider_name(feed: &feed_rs::model::Feed) -> Option<String> {
    if let Some(a) = feed.authors.iter().find(|a| !a.name.trim().is_empty()) {
        return Some(a.name.trim().to_string());
    }
    let title = feed.title.as_ref()?.content.trim();
    let mut name = title;
    for suffix in [
        " - Incident History",
        " Incident History",
        " Status",
        " status",
    ] {
        name = name.strip_suffix(suffix).unwrap_or(name).trim();
    }
    (!name.is_empty()).then(|| name.to_string())
}

fn entry(
    e: &feed_rs::model::Entry,
    fallback_time: DateTime<Utc>,
    ctx: &Context,
    warnings: &mut Vec<Warning>,
) -> Result<Incident, ParseError> {
    let title = e
        .title
        .as_ref()
        .map(|t| t.content.trim().to_string())
        .unwrap_or_default();
    let link = e
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .map(|l| l.href.clone());
    let html = e
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .or_else(|| e.summary.as_ref().map(|s| s.content.clone()))
        .unwrap_or_default();
    let entry_time = e.updated.or(e.published);
    let reference = entry_time
        .unwrap_or(fallback_time)
        .min(ctx.now.max(fallback_time));

    let vendor_id = link
        .as_deref()
        .and_then(incident_code)
        .map(str::to_string)
        .or_else(|| (!e.id.trim().is_empty()).then(|| e.id.trim().to_string()))
        .unwrap_or_else(|| stable_hash(&[&title, link.as_deref().unwrap_or("")]));

    let (preamble, raw) = split_updates(&html)?;
    let mut incident = Incident::new(vendor_id, title.clone(), Status::Investigating);
    incident.url = link;

    if raw.is_empty() {
        // A plain feed: the item is the whole story.
        let body = html_to_text(&html);
        let (status, label) = leading_status(&title)
            .or_else(|| leading_status(&body))
            .unwrap_or((
                Status::Investigating,
                Status::Investigating.heading().to_string(),
            ));
        incident.status = status;
        if status.is_maintenance() {
            incident.kind = Kind::Maintenance;
        }
        incident.updates.push(Update {
            vendor_id: None,
            status,
            label,
            at: entry_time,
            body,
        });
        incident.normalize();
        return Ok(incident);
    }

    // Updates come newest first; each older one is at or before the newer.
    let mut not_after = reference;
    let mut dated = Vec::with_capacity(raw.len());
    for r in &raw {
        let at = parse_month_day_time(&r.date, not_after);
        match at {
            Some(t) => not_after = t,
            None => warnings.push(crate::unreadable_date(
                Some(&format!("an update of {}", incident.vendor_id)),
                &r.date,
                &"not a date",
            )),
        }
        dated.push((r, at));
    }
    let mut status: Option<Status> = None;
    for (r, at) in dated.into_iter().rev() {
        let st = Status::from_word(&r.label)
            .or(status)
            .unwrap_or(Status::Investigating);
        status = Some(st);
        incident.updates.push(Update {
            vendor_id: None,
            status: st,
            label: r.label.clone(),
            at,
            body: r.body.clone(),
        });
    }
    if incident.updates.iter().any(|u| u.status.is_maintenance()) {
        incident.kind = Kind::Maintenance;
    }
    incident.status = status.unwrap_or(Status::Investigating);
    if let Some((from, until)) = scheduled_window(&preamble, entry_time.unwrap_or(reference)) {
        incident.kind = Kind::Maintenance;
        incident.scheduled_for = Some(from);
        incident.scheduled_until = Some(until);
    }
    incident.normalize();
    Ok(incident)
}

/// The code in a Statuspage incident URL (`.../incidents/<code>`).
fn incident_code(url: &str) -> Option<&str> {
    let rest = url.split("/incidents/").nth(1)?;
    let code = rest.split(['/', '?', '#']).next()?;
    (!code.is_empty()).then_some(code)
}

/// A status word leading a plain item's title or text: `Resolved: ...`,
/// `[RESOLVED] ...`, `Investigating - ...`.
fn leading_status(text: &str) -> Option<(Status, String)> {
    let t = text.trim_start().trim_start_matches('[');
    let word: String = t
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == ' ' || *c == '-')
        .take(24)
        .collect();
    // Try the longest prefix of up to two words ("In progress", "Post-mortem").
    let words: Vec<&str> = word.split_whitespace().collect();
    for n in (1..=words.len().min(2)).rev() {
        let candidate = words[..n].join(" ");
        if let Some(st) = Status::from_word(&candidate) {
            return Some((st, candidate));
        }
    }
    None
}

/// The window of a Statuspage feed's `THIS IS A SCHEDULED EVENT Jan 9, 14:00 - 18:00 UTC`
/// (or `Jan 9, 22:00 UTC - Jan 10, 02:00 UTC`).
fn scheduled_window(
    preamble: &str,
    reference: DateTime<Utc>,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let rest = preamble.split("SCHEDULED EVENT").nth(1)?.trim();
    let (left, right) = rest.split_once(" - ")?;
    let right = right.trim();
    let zone = right.split_whitespace().last()?;
    let left_has_zone = left
        .split_whitespace()
        .last()
        .is_some_and(|z| parse_zone(z).is_some() && !z.contains(':'));
    let left = if left_has_zone {
        left.to_string()
    } else {
        format!("{left} {zone}")
    };
    let from = parse_month_day_time_near(&left, reference)?;
    let until = if right.split_whitespace().any(|t| parse_month(t).is_some()) {
        parse_month_day_time_near(right, from)?
    } else {
        let (date_part, _) = left
            .rsplit_once(' ')
            .and_then(|(d, _)| d.rsplit_once(' '))?;
        parse_month_day_time_near(&format!("{date_part} {right}"), from)?
    };
    let until = if until < from {
        until + chrono::Duration::days(1)
    } else {
        until
    };
    Some((from, until))
}
