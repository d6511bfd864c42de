//! The `html` platform: any status page or incident page of a vendor's own
//! design, read with the extractor. One page may list several incidents.

use crate::{Context, ParseError};
use statuswatch_extract::{extract_all, looks_like_html};
use statuswatch_model::Snapshot;

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
    for x in extract_all(&text, ctx.now) {
        if snapshot.provider.is_none() {
            snapshot.provider = x.provider;
        }
        // A part of the page without a dated timeline is not an incident.
        if x.incident.updates.iter().any(|u| u.at.is_some()) {
            snapshot.incidents.push(x.incident);
        } else {
            snapshot.warnings.extend(x.warnings);
        }
    }
    Ok(snapshot)
}
