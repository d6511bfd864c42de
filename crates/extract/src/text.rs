//! HTML to the text a browser shows, with block structure kept as lines.

use crate::html::{Limits, TooComplex};
use ego_tree::iter::Edge;
use scraper::node::Node;
use scraper::Html;
use std::collections::HashMap;

/// Whether the input looks like HTML rather than plain text.
pub fn looks_like_html(input: &str) -> bool {
    let head: String = input
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype")
        || head.starts_with("<html")
        || head.contains("<body")
        || head.contains("<div")
        || head.starts_with("<p")
}

/// The visible text of an HTML document or fragment: block elements and
/// `<br>` become line breaks; scripts, styles and templates are dropped. A
/// fragment beyond the parse budget ([`Limits`]) is read as its text with the
/// tags taken out.
pub fn html_to_text(html: &str) -> String {
    match crate::html::parse(html, &Limits::default()) {
        // A fragment (an update's body in a feed or an API): its line
        // breaks are the writer's, kept as written.
        Ok(doc) => tidy(&walk(&doc, None, false).concat()),
        Err(_) => tidy(&strip_tags(html)),
    }
}

/// An HTML page read once: its visible text, that text cut at the page's
/// headings, the runs of sibling blocks it repeats, and the title its
/// markup marks.
#[derive(Debug, Clone, Default)]
pub struct HtmlRead {
    /// The visible text.
    pub text: String,
    /// The text cut into parts at its `h1`–`h4` headings, each part starting
    /// with its heading's line.
    pub parts: Vec<String>,
    /// Blocks the page repeats: sibling elements of one kind (the same tag
    /// and class), each run's members' texts with the day header above
    /// each, if any (`Jan 15, 2021`). A history page lists its incidents so.
    pub runs: Vec<Vec<String>>,
    /// Blocks whose class names an incident (`incident-container`,
    /// `unresolved-incident`), with where they are in the text (to tell
    /// which holds which), each with the day header above it.
    pub incident_blocks: Vec<(usize, usize, String)>,
    /// The incident's title as the markup marks it ([`html_title`]).
    pub title: Option<String>,
    /// The site's name as its markup gives it (`og:site_name`, a `<title>`
    /// such as `CircleCI Status`).
    pub site: Option<String>,
}

/// Reads an HTML page within `limits`.
pub fn read_html(html: &str, limits: &Limits) -> Result<HtmlRead, TooComplex> {
    read(html, limits, true)
}

/// Reads an HTML page within `limits` as one page: its text, title and
/// site, without the parts and blocks that only a list of incidents needs.
pub(crate) fn read_html_page(html: &str, limits: &Limits) -> Result<HtmlRead, TooComplex> {
    read(html, limits, false)
}

fn read(html: &str, limits: &Limits, blocks: bool) -> Result<HtmlRead, TooComplex> {
    let doc = crate::html::parse(html, limits)?;
    let mut spans = HashMap::new();
    let parts = walk(&doc, blocks.then_some(&mut spans), true);
    let full = parts.concat();
    let mut read = HtmlRead {
        text: tidy(&full),
        site: site_name(&doc),
        title: marked_title(&doc),
        ..HtmlRead::default()
    };
    if blocks {
        let days = Days::of(&full);
        read.runs = runs(&doc, &days, &spans);
        read.incident_blocks = incident_blocks(&doc, &days, &spans);
        read.parts = parts
            .iter()
            .map(|p| tidy(p))
            .filter(|p| !p.is_empty())
            .collect();
    }
    Ok(read)
}

/// Runs of sibling elements read at most.
const MAX_RUNS: usize = 64;

/// The runs of blocks of one kind (the same tag and class, anywhere on the
/// page: a history's incidents sit under different days), two or more each,
/// the outermost of nested ones, largest first.
fn runs(
    doc: &Html,
    days: &Days<'_>,
    spans: &HashMap<ego_tree::NodeId, (usize, usize)>,
) -> Vec<Vec<String>> {
    let mut groups: HashMap<(String, String), Vec<ego_tree::NodeId>> = HashMap::new();
    for node in doc.tree.nodes() {
        let Node::Element(e) = node.value() else {
            continue;
        };
        if !spans.contains_key(&node.id()) {
            continue;
        }
        let class = e.attr("class").unwrap_or("").trim();
        let kind = matches!(e.name(), "article" | "section" | "li" | "tr" | "details");
        if class.is_empty() && !kind {
            continue;
        }
        let sig = (e.name().to_string(), class.to_string());
        // The outermost of nested blocks of one kind.
        let nested = node.ancestors().any(|a| match a.value() {
            Node::Element(x) => x.name() == sig.0 && x.attr("class").unwrap_or("").trim() == sig.1,
            _ => false,
        });
        if !nested {
            groups.entry(sig).or_default().push(node.id());
        }
    }
    let mut found: Vec<(usize, Vec<String>)> = groups
        .into_values()
        .filter(|ids| ids.len() >= 2)
        .map(|ids| {
            let texts: Vec<String> = ids
                .iter()
                .filter_map(|id| spans.get(id))
                .map(|&(a, b)| block_text(days, a, b))
                .filter(|t| !t.is_empty())
                .collect();
            (texts.iter().map(String::len).sum(), texts)
        })
        .filter(|(_, t)| t.len() >= 2)
        .collect();
    found.sort_by_key(|(size, _)| std::cmp::Reverse(*size));
    found.truncate(MAX_RUNS);
    found.into_iter().map(|(_, t)| t).collect()
}

/// A block's text, with the day header above it unless it has its own.
fn block_text(days: &Days<'_>, a: usize, b: usize) -> String {
    let body = tidy(&days.full[a..b]);
    if body.is_empty()
        || body
            .lines()
            .next()
            .is_some_and(|l| day_of(l, false).is_some())
    {
        return body;
    }
    match days.above(a) {
        Some(day) => format!("{day}\n\n{body}"),
        None => body,
    }
}

/// Blocks whose class names an incident, at most [`MAX_RUNS`] of each size.
fn incident_blocks(
    doc: &Html,
    days: &Days<'_>,
    spans: &HashMap<ego_tree::NodeId, (usize, usize)>,
) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for node in doc.tree.nodes() {
        let Node::Element(e) = node.value() else {
            continue;
        };
        if !e
            .attr("class")
            .is_some_and(|c| c.to_ascii_lowercase().contains("incident"))
        {
            continue;
        }
        if let Some(&(a, b)) = spans.get(&node.id()) {
            let text = block_text(days, a, b);
            if !text.is_empty() {
                out.push((a, b, text));
            }
        }
        if out.len() >= 4 * MAX_RUNS {
            break;
        }
    }
    out
}

/// The site's name: `og:site_name`, else a `<title>` naming a status site.
fn site_name(doc: &Html) -> Option<String> {
    let meta = scraper::Selector::parse("meta[property='og:site_name']").ok()?;
    let from_meta = doc
        .select(&meta)
        .next()
        .and_then(|m| m.value().attr("content"))
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let title = scraper::Selector::parse("title").ok()?;
    let from_title = || {
        let t = doc.select(&title).next()?.text().collect::<String>();
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        let first = t.split(" - ").next().unwrap_or(&t).trim().to_string();
        crate::words::site_name(&first).flatten()
    };
    from_meta
        .map(|m| crate::words::site_name(&m).flatten().unwrap_or(m))
        .or_else(from_title)
}

/// The page's text with its day headers found once: each block asks for
/// the header above it, and a page of many blocks must not scan its lines
/// again for each.
struct Days<'a> {
    full: &'a str,
    /// The start of each non-blank line, and the day header it is (with a
    /// year), if it is one, found when first asked.
    lines: Vec<(usize, std::cell::OnceCell<Option<String>>)>,
}

impl<'a> Days<'a> {
    fn of(full: &'a str) -> Self {
        let mut lines = Vec::new();
        let mut at = 0;
        for raw in full.split_inclusive('\n') {
            let line = raw.trim_end_matches(['\n', '\r']);
            if !line.trim().is_empty() {
                lines.push((at, std::cell::OnceCell::new()));
            }
            at += raw.len();
        }
        Days { full, lines }
    }

    /// The day header nearest above `at`, within a few lines.
    fn above(&self, at: usize) -> Option<String> {
        const WITHIN: usize = 8;
        // The line `at` falls in, up to `at`.
        let start = self.full[..at].rfind('\n').map_or(0, |k| k + 1);
        let partial = &self.full[start..at];
        let mut left = WITHIN;
        if !partial.trim().is_empty() {
            if let Some(day) = day_of(partial.trim_end_matches('\r'), true) {
                return Some(day);
            }
            left -= 1;
        }
        let before = self.lines.partition_point(|&(s, _)| s < start);
        self.lines[..before]
            .iter()
            .rev()
            .take(left)
            .find_map(|(start, day)| {
                day.get_or_init(|| {
                    let line = &self.full[*start..];
                    let line = line.split('\n').next().unwrap_or(line);
                    day_of(line.trim_end_matches('\r'), true)
                })
                .clone()
            })
    }
}

/// The day header `line` is (`Jan 15, 2021`), with a year if `year` is
/// asked for. Lines that cannot be one (without a number, or longer than
/// [`crate::page::day_line`] reads: 80 bytes once a bullet is taken off and
/// no-break spaces are made spaces) are not scanned.
fn day_of(line: &str, year: bool) -> Option<String> {
    let line = line.trim();
    let no_break = line.matches('\u{a0}').count();
    if line.len() - no_break > 80 + "‣ ".len() || !line.chars().any(char::is_numeric) {
        return None;
    }
    let l = crate::page::lines(line).into_iter().next()?;
    crate::page::day_line(&l)
        .is_some_and(|s| !year || s.day.is_some_and(|d| d.year.is_some()))
        .then_some(l.text)
}

/// Text with every tag taken out, in one pass (for markup too costly to parse).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether an element holds nothing a reader of the page reads as its
/// content: scripts and styles, and the furniture around the content the
/// markup names as such (navigation, footers, forms and their options,
/// dialogs, what is hidden or marked `aria-hidden`).
fn furniture(e: &scraper::node::Element) -> bool {
    matches!(
        e.name(),
        "script"
            | "style"
            | "template"
            | "noscript"
            | "head"
            | "nav"
            | "footer"
            | "aside"
            | "form"
            | "select"
            | "option"
            | "button"
            | "svg"
            | "iframe"
            | "dialog"
    ) || e.attr("hidden").is_some()
        || e.attr("aria-hidden") == Some("true")
        || e.attr("role").is_some_and(|r| {
            matches!(
                r,
                "navigation" | "contentinfo" | "dialog" | "search" | "menu" | "menubar"
            )
        })
        || e.attr("class").is_some_and(|c| {
            c.split_whitespace()
                .any(|c| matches!(c, "modal" | "sr-only" | "visually-hidden" | "cookie-banner"))
        })
}

/// Whether an element shows its text's line breaks (`pre`, a class or a
/// style asking for `white-space: pre-wrap`).
fn keeps_whitespace(e: &scraper::node::Element) -> bool {
    matches!(e.name(), "pre" | "textarea" | "listing" | "plaintext")
        || e.attr("class").is_some_and(|c| {
            c.contains("pre-wrap") || c.contains("pre-line") || c.contains("whitespace-pre")
        })
        || e.attr("style")
            .is_some_and(|s| s.replace(' ', "").contains("white-space:pre"))
}

/// Walks the document once; a new part starts at each heading. With
/// `spans`, records where each element's text starts and ends in the
/// parts put end to end. With `collapse`, whitespace is collapsed as a
/// browser shows a page (a page's source breaks lines anywhere).
fn walk(
    doc: &Html,
    mut spans: Option<&mut HashMap<ego_tree::NodeId, (usize, usize)>>,
    collapse: bool,
) -> Vec<String> {
    let mut parts: Vec<String> = vec![String::new()];
    // Bytes of the parts before the last one.
    let mut before = 0usize;
    let mut open_at: HashMap<ego_tree::NodeId, usize> = HashMap::new();
    // Elements that keep their text's whitespace, innermost last.
    let mut pre: Vec<ego_tree::NodeId> = Vec::new();
    // The element whose subtree is being skipped, if any.
    let mut hidden: Option<ego_tree::NodeId> = None;
    let mut in_time = None;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(_) if hidden.is_some() => {}
                Node::Element(e) if furniture(e) => hidden = Some(node.id()),
                Node::Element(e) => {
                    if keeps_whitespace(e) {
                        pre.push(node.id());
                    }
                    if matches!(e.name(), "h1" | "h2" | "h3" | "h4") {
                        before += parts.last().map_or(0, String::len);
                        parts.push(String::new());
                    }
                    if spans.is_some() {
                        open_at.insert(node.id(), before + parts.last().map_or(0, String::len));
                    }
                    let cur = parts.last_mut().expect("never empty");
                    block_break(cur, e.name());
                    // `<time datetime="2025-12-02T15:45:00Z">Dec 2, 3:45 PM</time>`:
                    // the attribute is exact where the text lacks year and zone.
                    if e.name() == "time" {
                        if let Some(dt) = e.attr("datetime").filter(|d| d.len() >= 20) {
                            cur.push_str(&format!(" {dt} "));
                            in_time = Some(node.id());
                        }
                    }
                }
                Node::Text(_) if in_time.is_some() || hidden.is_some() => {}
                // As a browser shows it: whitespace collapsed, but where the
                // markup keeps it (`pre`, `white-space: pre-wrap`).
                Node::Text(t) if pre.is_empty() && collapse => {
                    let cur = parts.last_mut().expect("never empty");
                    let mut space = false;
                    for c in t.chars() {
                        if c.is_whitespace() && c != '\u{a0}' {
                            space = true;
                        } else {
                            if space {
                                cur.push(' ');
                                space = false;
                            }
                            cur.push(c);
                        }
                    }
                    if space {
                        cur.push(' ');
                    }
                }
                Node::Text(t) => parts.last_mut().expect("never empty").push_str(t),
                _ => {}
            },
            Edge::Close(node) => {
                if in_time == Some(node.id()) {
                    in_time = None;
                }
                if pre.last() == Some(&node.id()) {
                    pre.pop();
                }
                if hidden == Some(node.id()) {
                    hidden = None;
                    continue;
                }
                if let Node::Element(e) = node.value() {
                    if hidden.is_none() && is_block(e.name()) && e.name() != "li" {
                        parts.last_mut().expect("never empty").push('\n');
                    }
                    if let (Some(spans), Some(start)) =
                        (spans.as_deref_mut(), open_at.remove(&node.id()))
                    {
                        let end = before + parts.last().map_or(0, String::len);
                        if end > start {
                            spans.insert(node.id(), (start, end));
                        }
                    }
                }
            }
        }
    }
    parts
}

fn is_block(element: &str) -> bool {
    matches!(
        element,
        "p" | "div"
            | "ul"
            | "ol"
            | "li"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "tr"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "blockquote"
            | "pre"
            | "small"
            | "time"
    )
}

fn block_break(out: &mut String, element: &str) {
    match element {
        "br" => out.push('\n'),
        "li" => out.push_str("\n- "),
        "td" | "th" => out.push(' '),
        e if is_block(e) => out.push_str("\n\n"),
        _ => {}
    }
}

/// The incident's title as the page's markup marks it: an element whose class
/// names it (`incident-name`, `incident-title`), else the first `h1`, else the
/// document's `<title>` (its last ` - ` part, where pages put the incident).
pub fn html_title(html: &str) -> Option<String> {
    let doc = crate::html::parse(html, &Limits::default()).ok()?;
    marked_title(&doc)
}

fn marked_title(doc: &Html) -> Option<String> {
    let text = |sel: &str| -> Option<String> {
        let sel = scraper::Selector::parse(sel).ok()?;
        let el = doc.select(&sel).next()?;
        let t = el.text().collect::<Vec<_>>().join(" ");
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        (!t.is_empty()).then_some(t)
    };
    text("[class*=incident-name], [class*=incident-title], [class*=incidentTitle]")
        .or_else(|| text("h1"))
        .or_else(|| {
            let t = text("title")?;
            Some(t.rsplit(" - ").next().unwrap_or(&t).trim().to_string())
        })
}

/// Collapses spaces within lines, trims lines, and keeps at most one blank line.
pub fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() || line == "-" {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_with_blocks() {
        let html = "<html><head><title>x</title><style>p{}</style></head><body><h1>Title</h1><p>a <b>b</b></p><p>c<br>d</p><script>alert(1)</script><ul><li>one</li><li>two</li></ul></body></html>";
        assert_eq!(html_to_text(html), "Title\n\na b\n\nc\nd\n\n- one\n- two");
        assert!(looks_like_html("  <!DOCTYPE html><html>"));
        assert!(!looks_like_html(
            "Partial Outage of X\n\nIncident Report for X"
        ));
    }

    #[test]
    fn a_block_takes_the_day_header_above_it() {
        let full = "Jan 15, 2021\nAPI errors\nResolved - fixed.\nJan 14\nOlder\n\
                    1\n2\n3\n4\n5\n6\n7\nFar below";
        let days = Days::of(full);
        let at = |s: &str| full.find(s).unwrap();
        // The nearest header with a year; a day without one is not a header.
        assert_eq!(days.above(at("Older")).as_deref(), Some("Jan 15, 2021"));
        assert_eq!(days.above(at("Resolved")).as_deref(), Some("Jan 15, 2021"));
        // Within eight lines only.
        assert_eq!(days.above(at("Far below")), None);
        // From the middle of a line, the part before counts as a line.
        assert_eq!(days.above(at("2021")), None);
        let block = block_text(&days, at("Older"), full.len());
        assert!(block.starts_with("Jan 15, 2021\n\nOlder"), "{block}");
        // A block with its own day keeps it and takes none.
        let own = block_text(&days, at("Jan 14"), at("\n1\n"));
        assert_eq!(own, "Jan 14\nOlder");
    }
}
