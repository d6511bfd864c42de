//! Azure's status RSS (`azure.status.microsoft/en-us/status/feed/`). It lists
//! only the events active now, one item each (`<services> - <regions>` as the
//! title, free text in sections), with no id, severity or status; a channel
//! with no items means nothing is active.
//!
//! Because the feed never states an end, an event's end is inferred, and
//! marked as inferred: once an event has been missing from
//! [`ABSENT_ANSWERS`] well-formed answers in a row spanning at least
//! [`ABSENT_MINUTES`] minutes, it is resolved with an update labelled
//! `No longer listed`, at the time it was first missing. A failed, garbled
//! or suddenly empty answer never counts (the engine holds it before it
//! reaches here), and an event that comes back within the window continues.

use crate::{
    no_min_interval, Chain, Context, Endpoint, OpenChain, ParseError, Platform, Probe, Role, Spec,
};
use url::Url;

/// Azure, in the registry.
pub static SPEC: Spec = Spec {
    name: "azure",
    aliases: &[],
    about: "Azure's status RSS: the events active now",
    endpoints,
    probes,
    min_interval: no_min_interval,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// The RSS.
pub static RSS: Role = Role {
    platform: "azure",
    name: "rss",
    parse: parse_rss,
};

/// The feed itself.
fn endpoints(url: &Url) -> Vec<Endpoint> {
    vec![Endpoint::required(url.clone(), &RSS)]
}

/// On Azure's status hosts: the pasted feed, else `/en-us/status/feed/`.
fn probes(input: &Url, asked: bool) -> Vec<Probe> {
    let host = input.host_str().unwrap_or_default().to_ascii_lowercase();
    let path = input.path();
    let ours = host.contains("azure")
        && (path.contains("/status") || host.starts_with("azure.status"))
        || host == "azure.status.microsoft";
    if !ours && !asked {
        return Vec::new();
    }
    let url = if path.contains("/status/feed") || asked {
        input.clone()
    } else {
        crate::at_path(input, "/en-us/status/feed/")
    };
    vec![Probe {
        url: url.clone(),
        role: &RSS,
        platform: PLATFORM,
        source_url: url,
    }]
}
use statuswatch_extract::html_to_text;
use statuswatch_model::{stable_hash, Component, Incident, Snapshot, Status, Update};
use std::collections::BTreeMap;

/// Well-formed answers in a row that must omit an event before it is over.
pub const ABSENT_ANSWERS: u32 = 3;
/// Minutes an event must be missing before it is over.
pub const ABSENT_MINUTES: i64 = 10;

/// Whether a category names a region (`East US 2`, `Australia Central`,
/// `Public Non-Regional`) rather than a service.
fn is_region(term: &str) -> bool {
    const PLACES: &[&str] = &[
        "US",
        "Europe",
        "Asia",
        "Australia",
        "Brazil",
        "Canada",
        "India",
        "Japan",
        "Korea",
        "France",
        "Germany",
        "UK",
        "Norway",
        "Switzerland",
        "UAE",
        "Africa",
        "Qatar",
        "Israel",
        "Italy",
        "Poland",
        "Sweden",
        "Spain",
        "Mexico",
        "Zealand",
        "Taiwan",
        "Indonesia",
        "Malaysia",
        "Chile",
        "Austria",
        "Denmark",
        "Belgium",
        "Finland",
        "Greece",
        "China",
        "Non-Regional",
        "Global",
        "Pacific",
        "Gov",
        "DoD",
        "Saudi",
    ];
    term.split_whitespace().any(|w| PLACES.contains(&w))
}

/// Parses the RSS, reading and updating `ctx.chains` (one chain per title).
pub fn parse_rss(body: &[u8], ctx: &mut Context) -> Result<Snapshot, ParseError> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first != Some(b'<') {
        return Err(ParseError::NotFeed("the answer is not XML".into()));
    }
    let (feed, warnings) = crate::feed::read_feed(body)?;
    let now = ctx.now.timestamp();
    let mut chains: BTreeMap<String, Chain> = std::mem::take(&mut ctx.chains);
    let mut incidents = Vec::new();
    let mut listed: Vec<String> = Vec::new();
    for e in &feed.entries {
        let title = e
            .title
            .as_ref()
            .map(|t| t.content.trim().to_string())
            .unwrap_or_default();
        if title.is_empty() {
            continue;
        }
        let at = e.published.or(e.updated).unwrap_or(ctx.now);
        let chain = chains.entry(title.clone()).or_default();
        chain.absent = 0;
        chain.absent_since = None;
        let open = chain.open.get_or_insert_with(|| OpenChain {
            key: stable_hash(&[&title, &at.timestamp().to_string()]),
            start: at.timestamp(),
            title: title.clone(),
        });
        listed.push(title.clone());
        let mut i = Incident::new(open.key.clone(), title.clone(), Status::Investigating);
        i.started_at = chrono::DateTime::from_timestamp(open.start, 0);
        i.url = e.links.first().map(|l| l.href.clone());
        // The item's categories name its services and its regions; the
        // services are the components (a title is `<service> - <issue>`).
        let services: Vec<String> = e
            .categories
            .iter()
            .map(|c| c.term.trim().to_string())
            .filter(|t| !t.is_empty() && !is_region(t))
            .collect();
        if services.is_empty() {
            // No categories: the documented title `<services> - <regions>`.
            let (names, regions) = title.split_once(" - ").unwrap_or((&title, ""));
            for service in names
                .split(['/', ','])
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                if regions.trim().is_empty() {
                    i.add_component(Component {
                        name: service.to_string(),
                        group: None,
                    });
                }
                for region in regions.split(',').map(str::trim).filter(|r| !r.is_empty()) {
                    i.add_component(Component {
                        name: format!("{service} ({region})"),
                        group: Some(region.to_string()),
                    });
                }
            }
        }
        for service in services {
            i.add_component(Component {
                name: service,
                group: None,
            });
        }
        let body = e
            .summary
            .as_ref()
            .map(|s| html_to_text(&s.content))
            .or_else(|| {
                e.content
                    .as_ref()
                    .and_then(|c| c.body.as_deref())
                    .map(html_to_text)
            })
            .unwrap_or_default();
        i.updates.push(Update {
            vendor_id: None,
            status: Status::Investigating,
            label: "Update".into(),
            at: Some(at),
            body,
        });
        i.normalize();
        incidents.push(i);
    }
    // Events no longer listed.
    for (title, chain) in chains.iter_mut() {
        if listed.contains(title) {
            continue;
        }
        let Some(open) = chain.open.clone() else {
            continue;
        };
        chain.absent += 1;
        let since = *chain.absent_since.get_or_insert(now);
        if chain.absent >= ABSENT_ANSWERS && now - since >= ABSENT_MINUTES * 60 {
            let ended = chrono::DateTime::from_timestamp(since, 0);
            let mut i = Incident::new(open.key.clone(), open.title.clone(), Status::Resolved);
            i.started_at = chrono::DateTime::from_timestamp(open.start, 0);
            i.updates.push(Update {
                vendor_id: None,
                status: Status::Resolved,
                label: "No longer listed".into(),
                at: ended,
                body: "Azure's status feed no longer lists this event; statuswatch \
                       infers that it is over (the feed states no end)."
                    .into(),
            });
            i.resolved_at = ended;
            incidents.push(i);
            chain.open = None;
            chain.absent = 0;
            chain.absent_since = None;
        }
    }
    // Forget chains that are over, so the state stays small.
    chains.retain(|_, c| c.open.is_some());
    ctx.chains = chains;
    Ok(Snapshot {
        provider: Some("Microsoft Azure".into()),
        components: Vec::new(),
        incidents,
        warnings,
    })
}
