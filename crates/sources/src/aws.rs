//! AWS Health's public RSS (`status.aws.amazon.com/rss/all.rss`, or one feed
//! per service and region). Each item is one update; there is no incident id.
//! The guid (`https://status.aws.amazon.com/#<service>-<region>_<epoch>`)
//! names the chain (service and region) and the time; the title starts with
//! the state (`Service disruption:`, `Service impact:`, `Informational
//! message:`, `Service is operating normally: [RESOLVED] ...`).
//!
//! Updates are chained by service and region into incidents. Which incident a
//! chain's latest updates belong to is remembered between polls
//! ([`Context::chains`]), so an ongoing incident keeps its key when its first
//! update scrolls off the feed's 50 items; a `[RESOLVED]` item ends it, and
//! the updates of ended incidents are not read again.

use crate::{
    no_min_interval, Chain, Context, Endpoint, OpenChain, ParseError, Platform, Probe, Role, Spec,
};
use url::Url;

/// AWS, in the registry.
pub static SPEC: Spec = Spec {
    name: "aws",
    aliases: &[],
    about: "AWS Health's RSS (status.aws.amazon.com/rss/*.rss): updates chained into incidents",
    endpoints,
    probes,
    min_interval: no_min_interval,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// The RSS.
pub static RSS: Role = Role {
    platform: "aws",
    name: "rss",
    parse: parse_rss,
};

/// `health.aws.amazon.com/public/currentevents`: the events open now, in JSON.
pub static CURRENT_EVENTS: Role = Role {
    platform: "aws",
    name: "currentevents",
    parse: parse_current_events,
};

const CURRENT_EVENTS_PATH: &str = "/public/currentevents";

/// A feed source reads its feed; the `currentevents` source reads the events
/// open now, then the RSS of the same host (`rss/all.rss`), whose
/// `[RESOLVED]` items carry the ends (the JSON lists only what is open).
fn endpoints(url: &Url) -> Vec<Endpoint> {
    if url.path().ends_with(CURRENT_EVENTS_PATH) {
        let rss = if url.host_str() == Some("health.aws.amazon.com") {
            Url::parse("https://status.aws.amazon.com/rss/all.rss").expect("a valid URL")
        } else {
            crate::at_path(url, "/rss/all.rss")
        };
        return vec![
            Endpoint::required(url.clone(), &CURRENT_EVENTS),
            Endpoint::history(rss, &RSS),
        ];
    }
    vec![Endpoint::required(url.clone(), &RSS)]
}

/// On AWS's status hosts: the pasted feed or events URL, else the events
/// open now (`health.aws.amazon.com/public/currentevents`), then `rss/all.rss`.
fn probes(input: &Url, asked: bool) -> Vec<Probe> {
    let host = input.host_str().unwrap_or_default().to_ascii_lowercase();
    if host != "status.aws.amazon.com" && host != "health.aws.amazon.com" && !asked {
        return Vec::new();
    }
    let probe = |url: Url, role: &'static Role| Probe {
        url: url.clone(),
        role,
        platform: PLATFORM,
        source_url: url,
    };
    if input.path().ends_with(".rss") {
        return vec![probe(input.clone(), &RSS)];
    }
    if input.path().ends_with(CURRENT_EVENTS_PATH) {
        return vec![probe(input.clone(), &CURRENT_EVENTS)];
    }
    let (events, rss) = if host == "status.aws.amazon.com" || host == "health.aws.amazon.com" {
        (
            Url::parse("https://health.aws.amazon.com/public/currentevents").expect("a valid URL"),
            Url::parse("https://status.aws.amazon.com/rss/all.rss").expect("a valid URL"),
        )
    } else {
        (
            crate::at_path(input, CURRENT_EVENTS_PATH),
            crate::at_path(input, "/rss/all.rss"),
        )
    };
    vec![probe(events, &CURRENT_EVENTS), probe(rss, &RSS)]
}

/// The body as text: `currentevents` is UTF-16 (big-endian, with a byte-order
/// mark) on the live service; UTF-8 with or without a mark is read too.
fn decode(body: &[u8]) -> Result<String, ParseError> {
    let utf16 = |be: bool, b: &[u8]| {
        let units: Vec<u16> = b
            .chunks_exact(2)
            .map(|c| {
                if be {
                    u16::from_be_bytes([c[0], c[1]])
                } else {
                    u16::from_le_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|e| ParseError::NotJson(format!("bad UTF-16: {e}")))
    };
    match body {
        [0xFE, 0xFF, rest @ ..] => utf16(true, rest),
        [0xFF, 0xFE, rest @ ..] => utf16(false, rest),
        [0xEF, 0xBB, 0xBF, rest @ ..] => Ok(String::from_utf8_lossy(rest).into_owned()),
        // UTF-16 without a mark: every other byte of the JSON is zero.
        [0, b'[' | b'{', ..] => utf16(true, body),
        [b'[' | b'{', 0, ..] => utf16(false, body),
        _ => Ok(String::from_utf8_lossy(body).into_owned()),
    }
}

/// Seconds or milliseconds since the epoch, as a number or a string.
fn epoch(v: Option<&serde_json::Value>) -> Option<DateTime<Utc>> {
    let n = match v? {
        serde_json::Value::Number(n) => n.as_i64()?,
        serde_json::Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    if n > 100_000_000_000 {
        DateTime::from_timestamp_millis(n)
    } else {
        DateTime::from_timestamp(n, 0)
    }
}

/// Status 0: AWS's word for an event that is over.
fn status_zero(v: Option<&serde_json::Value>) -> bool {
    match v {
        Some(serde_json::Value::Number(n)) => n.as_i64() == Some(0),
        Some(serde_json::Value::String(s)) => s.trim() == "0",
        _ => false,
    }
}

/// A summary without its `[RESOLVED]` prefix.
fn strip_resolved(t: &str) -> &str {
    let trimmed = t.trim_start();
    if trimmed.to_ascii_uppercase().starts_with("[RESOLVED]") {
        &trimmed["[RESOLVED]".len()..]
    } else {
        t
    }
}

/// An event's or a log entry's severity: 1 informational, 2 degradation, 3 disruption.
fn severity(v: Option<&serde_json::Value>) -> (Option<Impact>, &'static str) {
    let n = match v {
        Some(serde_json::Value::Number(n)) => n.as_i64(),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    match n {
        Some(1) => (Some(Impact::None), "Informational message"),
        Some(2) => (Some(Impact::Minor), "Service degradation"),
        Some(3) => (Some(Impact::Major), "Service disruption"),
        _ => (None, "Update"),
    }
}

/// Parses `currentevents`: each event open now with its log; each event
/// continues the chain of its service and region, so the RSS's updates and its
/// `[RESOLVED]` item land on the same incident.
pub fn parse_current_events(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    use crate::str_at as s;
    let text = decode(body)?;
    let doc: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| crate::json_error(text.as_bytes(), &e))?;
    let events = doc
        .as_array()
        .ok_or_else(|| ParseError::WrongShape("currentevents is not a list of events".into()))?;
    let mut warnings = Vec::new();
    let mut incidents = Vec::new();
    for e in events {
        let Some(arn) = s(e, "arn") else {
            warnings.push("an event without an arn".into());
            continue;
        };
        let chain_name = s(e, "service").unwrap_or(arn).to_string();
        let start = epoch(e.get("date"));
        // What AWS states of its end: the event's status 0 (resolved), an
        // `end_time`, or a summary opening `[RESOLVED]` (its own or its last
        // log entry's).
        let end_time = epoch(e.get("end_time"));
        let last_log = e
            .get("event_log")
            .and_then(serde_json::Value::as_array)
            .and_then(|l| l.last());
        let says_resolved = |v: Option<&serde_json::Value>| {
            v.and_then(|v| s(v, "summary")).is_some_and(|t| {
                t.trim_start()
                    .to_ascii_uppercase()
                    .starts_with("[RESOLVED]")
            })
        };
        let resolved = status_zero(e.get("status"))
            || end_time.is_some()
            || says_resolved(Some(e))
            || says_resolved(last_log)
            || last_log.is_some_and(|l| status_zero(l.get("status")));
        let chain = ctx.chains.entry(chain_name.clone()).or_default();
        let key = match &chain.open {
            Some(open) => open.key.clone(),
            None => {
                let key = arn.rsplit('/').next().unwrap_or(arn).to_string();
                chain.open = Some(OpenChain {
                    key: key.clone(),
                    start: start.map_or(0, |t| t.timestamp()),
                    title: s(e, "summary").unwrap_or("").to_string(),
                });
                key
            }
        };
        let log: Vec<&serde_json::Value> = e
            .get("event_log")
            .and_then(serde_json::Value::as_array)
            .map(|l| l.iter().collect())
            .unwrap_or_default();
        let title = log
            .iter()
            .rev()
            .filter_map(|l| s(l, "summary"))
            .chain(s(e, "summary"))
            .map(|t| strip_resolved(t).trim())
            .find(|t| !t.is_empty())
            .unwrap_or("")
            .to_string();
        let mut i = Incident::new(key, title, Status::Investigating);
        i.url = Some("https://health.aws.amazon.com/health/status".into());
        i.started_at = start;
        // A resolved event's status (0) says nothing of how bad it was.
        i.impact = severity(e.get("status"))
            .0
            .or_else(|| log.iter().filter_map(|l| severity(l.get("status")).0).max());
        let (service, region) = service_region(&chain_name);
        let region = if region.is_empty() {
            s(e, "region_name").unwrap_or("").to_string()
        } else {
            region
        };
        let named = |name: &str| Component {
            name: if region.is_empty() {
                name.to_string()
            } else {
                format!("{name} ({region})")
            },
            group: (!region.is_empty()).then(|| region.clone()),
        };
        i.add_component(named(s(e, "service_name").unwrap_or(&service)));
        if let Some(map) = e
            .get("impacted_services")
            .and_then(serde_json::Value::as_object)
        {
            for v in map.values() {
                if let Some(n) = s(v, "service_name") {
                    i.add_component(named(n));
                }
            }
        }
        let entries = log.len();
        for (k, l) in log.into_iter().enumerate() {
            let at = epoch(l.get("timestamp"));
            let (_, label) = severity(l.get("status"));
            let last = k + 1 == entries;
            let resolving = resolved
                && last
                && (says_resolved(Some(l)) || status_zero(l.get("status")) || end_time.is_none());
            i.updates.push(Update {
                // The RSS names the same update `<service>-<region>_<epoch>`.
                vendor_id: Some(format!("{chain_name}_{}", at.map_or(0, |t| t.timestamp()))),
                status: if resolving {
                    Status::Resolved
                } else {
                    Status::Investigating
                },
                label: if resolving {
                    "Resolved".into()
                } else {
                    label.into()
                },
                at,
                body: s(l, "message").unwrap_or("").trim().to_string(),
            });
        }
        if resolved {
            i.status = Status::Resolved;
            i.resolved_at = end_time.or_else(|| i.updates.iter().filter_map(|u| u.at).max());
            // The chain is over: later items of the feed start a new incident.
            let chain = ctx.chains.entry(chain_name.clone()).or_default();
            chain.open = None;
            chain.closed_through = chain
                .closed_through
                .max(i.resolved_at.map_or(0, |t| t.timestamp()));
        }
        i.normalize();
        incidents.push(i);
    }
    Ok(Snapshot {
        provider: Some("Amazon Web Services".into()),
        components: Vec::new(),
        incidents,
        warnings,
    })
}
use chrono::{DateTime, Utc};
use statuswatch_extract::html_to_text;
use statuswatch_model::{Component, Impact, Incident, Snapshot, Status, Update};
use std::collections::BTreeMap;

struct Item {
    chain: String,
    service: String,
    region: String,
    epoch: i64,
    at: DateTime<Utc>,
    state: String,
    title: String,
    resolved: bool,
    impact: Option<Impact>,
    body: String,
    guid: String,
}

/// The state prefix of a title, its impact, and whether it ends the incident.
fn state_of(title: &str) -> (String, String, Option<Impact>, bool) {
    let (state, rest) = match title.split_once(':') {
        Some((s, r)) if s.len() < 40 => (s.trim().to_string(), r.trim().to_string()),
        _ => (String::new(), title.trim().to_string()),
    };
    let resolved = rest.starts_with("[RESOLVED]")
        || state.eq_ignore_ascii_case("Service is operating normally");
    let rest = rest.trim_start_matches("[RESOLVED]").trim().to_string();
    let impact = match state.to_ascii_lowercase().as_str() {
        "service disruption" => Some(Impact::Major),
        "service impact" | "performance issues" | "service degradation" => Some(Impact::Minor),
        "informational message" => Some(Impact::None),
        _ => None,
    };
    (state, rest, impact, resolved)
}

/// Splits `service-region` where the region is the trailing `xx-name-N`.
fn service_region(chain: &str) -> (String, String) {
    let parts: Vec<&str> = chain.split('-').collect();
    // Regions look like us-east-1, ap-southeast-2, us-gov-west-1.
    for take in [4usize, 3] {
        if parts.len() > take {
            let region = parts[parts.len() - take..].join("-");
            let ok = parts
                .last()
                .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
                && parts[parts.len() - take].len() == 2;
            if ok {
                return (parts[..parts.len() - take].join("-"), region);
            }
        }
    }
    (chain.to_string(), String::new())
}

/// Parses the RSS and chains its items, reading and updating `ctx.chains`.
pub fn parse_rss(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first != Some(b'<') {
        return Err(ParseError::NotFeed("the answer is not XML".into()));
    }
    let (feed, mut warnings) = crate::feed::read_feed(body)?;
    let mut items = Vec::new();
    for e in &feed.entries {
        let guid = e.id.trim();
        let Some((chain, epoch)) = guid.rsplit('#').next().and_then(|t| t.rsplit_once('_')) else {
            warnings.push(format!("item `{guid}`: no service, region and time in its guid").into());
            continue;
        };
        let Ok(epoch) = epoch.parse::<i64>() else {
            warnings.push(format!("item `{guid}`: unreadable time in its guid").into());
            continue;
        };
        let title = e
            .title
            .as_ref()
            .map(|t| t.content.trim().to_string())
            .unwrap_or_default();
        let (state, rest, impact, resolved) = state_of(&title);
        let at = e
            .published
            .or(e.updated)
            .or_else(|| DateTime::from_timestamp(epoch, 0))
            .unwrap_or(ctx.now);
        let (service, region) = service_region(chain);
        items.push(Item {
            chain: chain.to_string(),
            service,
            region,
            epoch,
            at,
            state,
            title: rest,
            resolved,
            impact,
            body: e
                .summary
                .as_ref()
                .map(|s| html_to_text(&s.content))
                .unwrap_or_default(),
            guid: guid.to_string(),
        });
    }
    items.sort_by_key(|i| (i.chain.clone(), i.epoch));
    let mut by_key: BTreeMap<String, Incident> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut chains: BTreeMap<String, Chain> = std::mem::take(&mut ctx.chains);
    for item in &items {
        let chain = chains.entry(item.chain.clone()).or_default();
        if item.epoch <= chain.closed_through {
            continue; // an update of an incident that is over
        }
        let key = match &chain.open {
            Some(open) if item.epoch >= open.start => open.key.clone(),
            _ => {
                let key = item
                    .guid
                    .rsplit('#')
                    .next()
                    .unwrap_or(&item.guid)
                    .to_string();
                chain.open = Some(OpenChain {
                    key: key.clone(),
                    start: item.epoch,
                    title: item.title.clone(),
                });
                key
            }
        };
        let incident = by_key.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            let mut i = Incident::new(key.clone(), item.title.clone(), Status::Investigating);
            i.url = Some("https://health.aws.amazon.com/health/status".into());
            let name = if item.region.is_empty() {
                item.service.clone()
            } else {
                format!("{} ({})", item.service, item.region)
            };
            i.add_component(Component {
                name,
                group: (!item.region.is_empty()).then(|| item.region.clone()),
            });
            i
        });
        let status = if item.resolved {
            Status::Resolved
        } else {
            Status::Investigating
        };
        incident.status = status;
        incident.impact = incident.impact.max(item.impact);
        incident.updates.push(Update {
            vendor_id: Some(
                item.guid
                    .rsplit('#')
                    .next()
                    .unwrap_or(&item.guid)
                    .to_string(),
            ),
            status,
            label: if item.state.is_empty() {
                status.heading().into()
            } else {
                item.state.clone()
            },
            at: Some(item.at),
            body: item.body.clone(),
        });
        if item.resolved {
            chain.open = None;
            chain.closed_through = item.epoch;
        }
    }
    ctx.chains = chains;
    let incidents = order
        .into_iter()
        .filter_map(|k| by_key.remove(&k))
        .map(|mut i| {
            i.normalize();
            i
        })
        .collect();
    let provider = feed.title.map(|t| {
        t.content
            .trim()
            .trim_end_matches("Service Status")
            .trim()
            .to_string()
    });
    Ok(Snapshot {
        provider: provider.filter(|p| !p.is_empty()),
        components: Vec::new(),
        incidents,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An event AWS says is over (status 0, an end time, `[RESOLVED]`), in
    /// the shape of `currentevents` (../shared/real/aws).
    const RESOLVED_EVENT: &str = r#"[{"date": "1772369485",
        "arn": "arn:aws:health:me-central-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_ABC",
        "region_name": "UAE", "status": "0", "end_time": "1772380285",
        "service": "ec2-me-central-1", "service_name": "Amazon EC2",
        "summary": "[RESOLVED] Increased Error Rates",
        "event_log": [
          {"summary": "Increased Error Rates", "message": "We are investigating.", "status": 2, "timestamp": 1772369485},
          {"summary": "[RESOLVED] Increased Error Rates", "message": "The issue has been resolved.", "status": 0, "timestamp": 1772380285}
        ]}]"#;

    #[test]
    fn an_event_aws_says_is_over_is_resolved() {
        let mut ctx = Context::default();
        let snap = parse_current_events(RESOLVED_EVENT.as_bytes(), &mut ctx).unwrap();
        let i = &snap.incidents[0];
        assert_eq!(i.status, Status::Resolved);
        assert_eq!(i.resolved_at, DateTime::from_timestamp(1_772_380_285, 0));
        assert_eq!(i.title, "Increased Error Rates");
        assert_eq!(
            i.impact,
            Some(Impact::Minor),
            "the worst of its log, not status 0"
        );
        assert_eq!(i.updates.last().unwrap().label, "Resolved");
        assert_eq!(i.updates[0].status, Status::Investigating);
        // The chain is closed: the service's next event is a new incident.
        assert!(ctx.chains["ec2-me-central-1"].open.is_none());
        // Each statement alone ends it too.
        for (from, to) in [
            (r#""status": "0""#, r#""status": "2""#),
            (r#""end_time": "1772380285""#, r#""no_end": "1""#),
            ("[RESOLVED] Increased", "Increased"),
        ] {
            let body = RESOLVED_EVENT.replace(from, to);
            let snap = parse_current_events(body.as_bytes(), &mut Context::default()).unwrap();
            assert_eq!(snap.incidents[0].status, Status::Resolved, "without {from}");
        }
        // None of them: open.
        let open = RESOLVED_EVENT
            .replace(r#""status": "0""#, r#""status": "2""#)
            .replace(r#""end_time": "1772380285""#, r#""no_end": "1""#)
            .replace("[RESOLVED] ", "")
            .replace(r#""status": 0"#, r#""status": 2"#);
        let snap = parse_current_events(open.as_bytes(), &mut Context::default()).unwrap();
        assert_eq!(snap.incidents[0].status, Status::Investigating);
        assert_eq!(snap.incidents[0].resolved_at, None);
    }

    #[test]
    fn chains_split_into_service_and_region() {
        assert_eq!(
            service_region("directconnect-eu-central-1"),
            ("directconnect".into(), "eu-central-1".into())
        );
        assert_eq!(
            service_region("multipleservices-me-south-1"),
            ("multipleservices".into(), "me-south-1".into())
        );
        assert_eq!(
            service_region("ec2-us-gov-west-1"),
            ("ec2".into(), "us-gov-west-1".into())
        );
        assert_eq!(service_region("route53"), ("route53".into(), String::new()));
        let (state, rest, impact, resolved) =
            state_of("Service is operating normally: [RESOLVED] Increased Packet loss");
        assert_eq!(state, "Service is operating normally");
        assert_eq!(rest, "Increased Packet loss");
        assert_eq!(impact, None);
        assert!(resolved);
    }
}
