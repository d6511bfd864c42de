//! Splitting a Statuspage feed entry's HTML into updates.

use ego_tree::iter::Edge;
use scraper::node::Node;
use statuswatch_extract::tidy;

/// One update as written in the HTML, before its date and heading are read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RawUpdate {
    /// The text of the `<small>` date (`Aug 21, 00:37 UTC`).
    pub date: String,
    /// The first `<strong>` after the date (`Resolved`).
    pub label: String,
    /// The rest, as text.
    pub body: String,
}

/// Walks the HTML in document order: each `<small>` starts an update, the
/// first `<strong>` after it is its heading, and everything up to the next
/// `<small>` is its body. Text before the first `<small>` is the preamble
/// (where Statuspage puts `THIS IS A SCHEDULED EVENT ...`). Updates are
/// returned in document order (newest first on Statuspage).
pub(crate) fn split_updates(
    html: &str,
) -> Result<(String, Vec<RawUpdate>), statuswatch_extract::TooComplex> {
    let doc = statuswatch_extract::html::parse_fragment(html, &Default::default())?;
    let mut preamble = String::new();
    let mut updates: Vec<RawUpdate> = Vec::new();
    let mut in_small = 0usize;
    let mut label_node = None;
    let mut label_done = true;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => match e.name() {
                    "small" => {
                        if in_small == 0 {
                            updates.push(RawUpdate::default());
                            label_done = false;
                        }
                        in_small += 1;
                    }
                    "strong" | "b" if in_small == 0 && !label_done && label_node.is_none() => {
                        label_node = Some(node.id());
                    }
                    name => {
                        let target = match updates.last_mut() {
                            Some(u) if in_small == 0 && label_node.is_none() => &mut u.body,
                            Some(_) => continue,
                            None => &mut preamble,
                        };
                        block_break(target, name);
                    }
                },
                Node::Text(t) => {
                    let text: &str = t;
                    match updates.last_mut() {
                        Some(u) if in_small > 0 => u.date.push_str(text),
                        Some(u) if label_node.is_some() => u.label.push_str(text),
                        Some(u) => u.body.push_str(text),
                        None => preamble.push_str(text),
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if e.name() == "small" {
                        in_small = in_small.saturating_sub(1);
                    } else if label_node == Some(node.id()) {
                        label_node = None;
                        label_done = true;
                    }
                }
            }
        }
    }
    for u in &mut updates {
        u.date = collapse_spaces(&u.date);
        u.label = collapse_spaces(&u.label);
        let body = tidy(&u.body);
        u.body = body
            .strip_prefix("- ")
            .or_else(|| body.strip_prefix("– "))
            .or_else(|| body.strip_prefix('-'))
            .unwrap_or(&body)
            .trim()
            .to_string();
    }
    Ok((tidy(&preamble), updates))
}

fn block_break(out: &mut String, element: &str) {
    match element {
        "br" => out.push('\n'),
        "p" | "div" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "table" => out.push_str("\n\n"),
        "li" | "tr" => out.push_str("\n- "),
        _ => {}
    }
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_statuspage_markup_and_keeps_only_the_first_strong_as_label() {
        let html = "<p><strong>THIS IS A SCHEDULED EVENT Jan <var>9</var>, <var>14:00</var> - <var>18:00</var> UTC</strong></p>\
            <p><small>Dec <var data-var='date'>17</var>, <var data-var='time'>09:25</var> UTC</small><br><strong>Update</strong> - Changed.<br /><br /><strong> Updated schedule</strong><br />Start: 14:00</p>\
            <p><small>Dec <var data-var='date'>12</var>, <var data-var='time'>21:28</var> UTC</small><br><strong>Scheduled</strong> - Network work.</p>";
        let (pre, ups) = split_updates(html).unwrap();
        assert_eq!(pre, "THIS IS A SCHEDULED EVENT Jan 9, 14:00 - 18:00 UTC");
        assert_eq!(ups.len(), 2);
        assert_eq!(ups[0].date, "Dec 17, 09:25 UTC");
        assert_eq!(ups[0].label, "Update");
        assert_eq!(ups[0].body, "Changed.\n\nUpdated schedule\nStart: 14:00");
        assert_eq!(ups[1].label, "Scheduled");
        assert_eq!(ups[1].body, "Network work.");
    }
}
