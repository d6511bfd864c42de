//! HTML to the text a browser shows, with block structure kept as lines.

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
/// `<br>` become line breaks; scripts, styles and templates are dropped.
pub fn html_to_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let mut out = String::new();
    let mut hidden = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    if matches!(
                        e.name(),
                        "script" | "style" | "template" | "noscript" | "head"
                    ) {
                        hidden += 1;
                    } else if hidden == 0 {
                        block_break(&mut out, e.name());
                    }
                }
                Node::Text(t) if hidden == 0 => out.push_str(t),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if matches!(
                        e.name(),
                        "script" | "style" | "template" | "noscript" | "head"
                    ) {
                        hidden = hidden.saturating_sub(1);
                    } else if hidden == 0 && is_block(e.name()) && e.name() != "li" {
                        out.push('\n');
                    }
                }
            }
        }
    }
    tidy(&out)
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
