//! A page that lists many incidents (a history) read into each of them.

use super::*;

/// A key for an incident read from a page, stable while the page grows: the
/// time and heading of its first update (titles get edited; first updates do
/// not), or its title when nothing is dated.
pub fn incident_key(i: &Incident) -> String {
    match i.updates.iter().find(|u| u.at.is_some()) {
        Some(u) => stable_hash(&[
            &u.at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            &u.label.to_lowercase(),
        ]),
        None => stable_hash(&[&i.title]),
    }
}

/// Reads a page that may hold several incidents (an incident-history page, a
/// custom status page listing its incidents), the same way [`extract`]
/// reads a page that holds one: a page is cut into several incidents only
/// when it lists several, never because its one incident has headings.
///
/// The HTML is cut at its headings (`h1`–`h4`). A part is an incident of a
/// list when its heading reads as a title (not a status word, not a section
/// of the page such as `Updates` or `Summary`) and its own timeline has a
/// dated update under a status heading (`Resolved`, `Investigating`): the
/// unit every history page repeats. With two or more such parts, each is an
/// incident; with one that is not the page's own heading, it is the page's
/// one incident under a page title (`Acme Status`); otherwise the whole page
/// is one incident, read exactly as [`extract`] reads it. Plain text is one
/// incident. HTML beyond the parse budget is refused.
pub fn extract_all(input: &str, now: DateTime<Utc>) -> Result<Vec<Extraction>, TooComplex> {
    let _memo = stamp::remember();
    if !looks_like_html(input) {
        return Ok(vec![extract_text(&tidy(input), None, now)]);
    }
    let read = read_html(input, &Limits::default())?;
    let mut whole = extract_text(&read.text, read.title.as_deref(), now);
    // The site's own name, where its markup gives it, names the vendor
    // better than words counted in its text.
    if let Some(site) = &read.site {
        whole.provider = Some(site.clone());
    }
    // The incidents a list of parts holds: those reading as one, titled.
    let listed_in = |parts: &[String], skip_day: bool| -> Vec<(usize, Extraction)> {
        parts
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                let p = if skip_day {
                    without_day_header(p)
                } else {
                    p.as_str()
                };
                listed_heading(p)
            })
            .map(|(k, p)| (k, extract_text(p, None, now)))
            .filter(|(_, x)| {
                x.incident
                    .updates
                    .iter()
                    .any(|u| u.at.is_some() && heading_status(&u.label).flatten().is_some())
            })
            .collect()
    };
    let mut listed = listed_in(&read.parts, false);
    // Blocks the page repeats (a history's incidents, a day list's), where
    // headings do not cut it: the run listing the most incidents; and the
    // blocks the markup names incidents, the innermost that read as one.
    if listed.len() < 2 {
        let named: Vec<String> = {
            let texts: Vec<String> = read
                .incident_blocks
                .iter()
                .map(|(_, _, t)| t.clone())
                .collect();
            let reading = listed_in(&texts, true);
            let spans: Vec<(usize, usize)> = reading
                .iter()
                .map(|(k, _)| (read.incident_blocks[*k].0, read.incident_blocks[*k].1))
                .collect();
            reading
                .iter()
                .enumerate()
                .filter(|(n, _)| {
                    let (a, b) = spans[*n];
                    !spans
                        .iter()
                        .enumerate()
                        .any(|(m, &(c, d))| m != *n && a <= c && d <= b && (c, d) != (a, b))
                })
                .map(|(_, (k, _))| texts[*k].clone())
                .collect()
        };
        if let Some(run) = read
            .runs
            .iter()
            .chain(std::iter::once(&named))
            .map(|r| listed_in(r, true))
            .filter(|l| l.len() >= 2)
            .max_by_key(Vec::len)
        {
            listed = run;
        }
    }
    let split = match listed.len() {
        0 => false,
        // One incident under a page title (`Acme Status`), not the page's own heading.
        1 => !listed[0]
            .1
            .incident
            .title
            .eq_ignore_ascii_case(&whole.incident.title),
        _ => true,
    };
    if !split {
        return Ok(vec![whole]);
    }
    let mut seen = std::collections::HashSet::new();
    let found = listed
        .iter_mut()
        .map(|(_, x)| {
            // The site's name where the markup gives it; else the part's own,
            // else the page's.
            if read.site.is_some() || x.provider.is_none() {
                x.provider.clone_from(&whole.provider);
            }
            if !seen.insert(x.incident.vendor_id.clone()) {
                // Two incidents starting in the same minute with the same heading.
                x.incident.vendor_id = stable_hash(&[&x.incident.vendor_id, &x.incident.title]);
            }
            x.clone()
        })
        .collect();
    Ok(found)
}

/// A block's text without the day headers above its title (`Jan 15, 2021`).
pub(super) fn without_day_header(block: &str) -> &str {
    let mut rest = block.trim_start();
    while let Some(first) = rest.lines().next() {
        let line = page::lines(first);
        if line.first().is_some_and(|l| day_line(l).is_some()) {
            rest = rest[first.len()..].trim_start();
        } else {
            break;
        }
    }
    rest
}

/// Whether a part of a page starts with a heading that can title an
/// incident of a list: not a status word (an update's heading), not a
/// section of one incident's page, not the page's furniture.
pub(super) fn listed_heading(part: &str) -> bool {
    let Some(first) = part.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return false;
    };
    let line = &page::lines(first)[0];
    let lower = first.to_ascii_lowercase();
    const SECTIONS: &[&str] = &[
        "updates",
        "update",
        "timeline",
        "incident timeline",
        "summary",
        "postmortem",
        "post-mortem",
        "post mortem",
        "root cause",
        "root cause analysis",
        "impact",
        "resolution",
        "details",
        "description",
        "affected components",
        "affected services",
        "components",
        "history",
        "incident history",
        "past incidents",
        "status updates",
        "latest updates",
        "what happened",
        "next steps",
        "background",
        "overview",
    ];
    // `Resolved - This incident has been resolved.`: an update, not a title.
    let inline_update = page::leading_label(first).is_some_and(|(_, end)| {
        let rest = first[end..].trim_start();
        rest.starts_with("- ") || rest.starts_with("– ") || rest.starts_with(':') || rest == "-"
    });
    !SECTIONS.contains(&lower.trim_end_matches(':'))
        && !inline_update
        && page::heading(line).is_none()
        && !page::chrome(first)
        && day_line(line).is_none()
        && first.chars().count() <= 220
}
