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

/// The feed itself.
fn endpoints(url: &Url) -> Vec<Endpoint> {
    vec![Endpoint::required(url.clone(), &RSS)]
}

/// On AWS's status hosts: the pasted feed, else `rss/all.rss`.
fn probes(input: &Url, asked: bool) -> Vec<Probe> {
    let host = input.host_str().unwrap_or_default().to_ascii_lowercase();
    if host != "status.aws.amazon.com" && host != "health.aws.amazon.com" && !asked {
        return Vec::new();
    }
    let url = if input.path().ends_with(".rss") {
        input.clone()
    } else if host == "health.aws.amazon.com" {
        Url::parse("https://status.aws.amazon.com/rss/all.rss").expect("a valid URL")
    } else {
        crate::at_path(input, "/rss/all.rss")
    };
    vec![Probe {
        url: url.clone(),
        role: &RSS,
        platform: PLATFORM,
        source_url: url,
    }]
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
    let feed = feed_rs::parser::parse(body).map_err(|e| ParseError::NotFeed(e.to_string()))?;
    let mut warnings = Vec::new();
    let mut items = Vec::new();
    for e in &feed.entries {
        let guid = e.id.trim();
        let Some((chain, epoch)) = guid.rsplit('#').next().and_then(|t| t.rsplit_once('_')) else {
            warnings.push(format!(
                "item `{guid}`: no service, region and time in its guid"
            ));
            continue;
        };
        let Ok(epoch) = epoch.parse::<i64>() else {
            warnings.push(format!("item `{guid}`: unreadable time in its guid"));
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
