//! The `html` platform: any status page or incident page of a vendor's own
//! design, read with the extractor. One page may list several incidents.

use crate::{no_min_interval, Context, Endpoint, ParseError, Platform, Probe, Role, Spec};
use statuswatch_extract::{extract_all, looks_like_html};
use statuswatch_model::Snapshot;
use url::Url;

/// Pages of a vendor's own design, in the registry.
pub static SPEC: Spec = Spec {
    name: "html",
    aliases: &["page"],
    about: "any other page (a custom status page, an incident page), read with the extractor",
    endpoints,
    probes,
    min_interval: no_min_interval,
};

/// This platform.
pub const PLATFORM: Platform = Platform::of(&SPEC);

/// A web page read with the extractor.
pub static PAGE: Role = Role {
    platform: "html",
    name: "page",
    parse: |body, ctx| parse_page(body, ctx),
};

/// The page itself.
fn endpoints(url: &Url) -> Vec<Endpoint> {
    vec![Endpoint::required(url.clone(), &PAGE)]
}

/// Last of all: the page itself.
fn probes(input: &Url, _asked: bool) -> Vec<Probe> {
    vec![Probe {
        url: input.clone(),
        role: &PAGE,
        platform: PLATFORM,
        source_url: input.clone(),
    }]
}

/// Parses an HTML page (or its text) into the incidents it shows.
pub fn parse_page(body: &[u8], ctx: &Context) -> Result<Snapshot, ParseError> {
    let text = String::from_utf8_lossy(body);
    let first = text.trim_start().chars().next();
    if matches!(first, Some('{') | Some('[')) {
        return Err(ParseError::WrongShape(
            "expected a web page, got JSON".into(),
        ));
    }
    if text.trim_start().starts_with("<?xml") || (first == Some('<') && !looks_like_html(&text)) {
        return Err(ParseError::WrongShape(
            "expected a web page, got XML".into(),
        ));
    }
    let mut snapshot = Snapshot::default();
    for x in extract_all(&text, ctx.now)? {
        if snapshot.provider.is_none() {
            snapshot.provider = x.provider;
        }
        // A part of the page with no time at all (no dated update, no start,
        // no window) is not an incident.
        let i = &x.incident;
        if i.updates.iter().any(|u| u.at.is_some())
            || i.started_at.is_some()
            || i.scheduled_for.is_some()
        {
            snapshot.incidents.push(x.incident);
        } else {
            snapshot
                .warnings
                .extend(x.warnings.into_iter().map(statuswatch_model::Warning::from));
        }
    }
    Ok(snapshot)
}
