//! HTML to the text a browser shows, with block structure kept as lines.

use crate::html::{Limits, TooComplex};
use ego_tree::iter::Edge;
use scraper::node::Node;
use scraper::Html;

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
        Ok(doc) => tidy(&visible_text(&doc).concat()),
        Err(_) => tidy(&strip_tags(html)),
    }
}

/// An HTML page read once: its visible text, that text cut at the page's
/// headings, and the title its markup marks.
#[derive(Debug, Clone, Default)]
pub struct HtmlRead {
    /// The visible text.
    pub text: String,
    /// The text cut into parts at its `h1`–`h4` headings, each part starting
    /// with its heading's line.
    pub parts: Vec<String>,
    /// The incident's title as the markup marks it ([`html_title`]).
    pub title: Option<String>,
}

/// Reads an HTML page within `limits`.
pub fn read_html(html: &str, limits: &Limits) -> Result<HtmlRead, TooComplex> {
    let doc = crate::html::parse(html, limits)?;
    let parts = visible_text(&doc);
    Ok(HtmlRead {
        text: tidy(&parts.concat()),
        parts: parts
            .iter()
            .map(|p| tidy(p))
            .filter(|p| !p.is_empty())
            .collect(),
        title: marked_title(&doc),
    })
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

/// Walks the document once; a new part starts at each heading.
fn visible_text(doc: &Html) -> Vec<String> {
    const HIDDEN: [&str; 5] = ["script", "style", "template", "noscript", "head"];
    let mut parts: Vec<String> = vec![String::new()];
    let mut hidden = 0usize;
    let mut in_time = None;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) if HIDDEN.contains(&e.name()) => hidden += 1,
                Node::Element(e) if hidden == 0 => {
                    if matches!(e.name(), "h1" | "h2" | "h3" | "h4") {
                        parts.push(String::new());
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
                Node::Text(_) if in_time.is_some() => {}
                Node::Text(t) if hidden == 0 => parts.last_mut().expect("never empty").push_str(t),
                _ => {}
            },
            Edge::Close(node) => {
                if in_time == Some(node.id()) {
                    in_time = None;
                }
                if let Node::Element(e) = node.value() {
                    if HIDDEN.contains(&e.name()) {
                        hidden = hidden.saturating_sub(1);
                    } else if hidden == 0 && is_block(e.name()) && e.name() != "li" {
                        parts.last_mut().expect("never empty").push('\n');
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
}
