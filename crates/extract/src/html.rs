//! Parsing HTML within a budget. A tree builder spends time in proportion
//! to the depth of the elements open at each tag, so a page of 40,000
//! nested `<div>`s costs it seconds, and a vendor serving such a page at
//! every poll would hold a CPU. Before the tree is built, one linear pass of
//! the tokenizer counts the elements and follows how deep they nest; a page
//! beyond [`Limits`] is refused, naming what it exceeded. The tree is then
//! built in chunks, and the build stops when it takes longer than the
//! budget's time.

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::LocalName;
use scraper::{Html, HtmlTreeSink};
use std::cell::{Cell, RefCell};
use std::fmt;
use std::time::{Duration, Instant};

/// What one page may cost to parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Elements open inside one another (real status pages stay under 100).
    pub max_depth: usize,
    /// Elements in the page.
    pub max_elements: usize,
    /// Time to build the tree and read it.
    pub max_time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 512,
            max_elements: 300_000,
            max_time: Duration::from_secs(2),
        }
    }
}

/// A page refused for what it would cost to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TooComplex {
    /// Its elements nest deeper than the limit.
    Depth {
        /// The limit.
        limit: usize,
    },
    /// It has more elements than the limit.
    Elements {
        /// The limit.
        limit: usize,
    },
    /// Reading it took longer than the limit.
    Time {
        /// The limit.
        limit: Duration,
    },
}

impl fmt::Display for TooComplex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TooComplex::Depth { limit } => write!(
                f,
                "the page nests elements more than {limit} deep; it is not read (a real status page nests fewer than 100)"
            ),
            TooComplex::Elements { limit } => {
                write!(f, "the page has more than {limit} elements; it is not read")
            }
            TooComplex::Time { limit } => write!(
                f,
                "reading the page took longer than {} ms; it is not read",
                limit.as_millis()
            ),
        }
    }
}

impl std::error::Error for TooComplex {}

/// A deadline for reading one page.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    at: Instant,
    limit: Duration,
}

impl Deadline {
    /// `limit` from now.
    pub fn after(limit: Duration) -> Deadline {
        Deadline {
            at: Instant::now() + limit,
            limit,
        }
    }

    /// An error when the deadline has passed.
    pub fn check(&self) -> Result<(), TooComplex> {
        if Instant::now() > self.at {
            Err(TooComplex::Time { limit: self.limit })
        } else {
            Ok(())
        }
    }
}

/// Elements that hold no others.
fn void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "frame"
            | "keygen"
            | "basefont"
            | "bgsound"
            | "image"
    )
}

/// Elements a sibling of their kind closes (`<li>a<li>b`), so they do not
/// nest when their end tags are left out.
fn closed_by_sibling(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "colgroup"
            | "caption"
            | "rb"
            | "rt"
            | "rp"
            | "rtc"
    )
}

/// How far up the open elements an end tag looks for its start: far enough
/// for any real page, and a constant, so the pass stays linear.
const MATCH_WINDOW: usize = 1024;

/// Counts elements and follows their nesting, as a tree builder would,
/// closely enough to bound its work.
struct Census {
    open: RefCell<Vec<LocalName>>,
    deepest: Cell<usize>,
    elements: Cell<usize>,
    limits: Limits,
    over: Cell<bool>,
}

impl TokenSink for Census {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if self.over.get() {
            return TokenSinkResult::Continue;
        }
        let name: &str = &tag.name;
        let mut open = self.open.borrow_mut();
        match tag.kind {
            TagKind::StartTag => {
                self.elements.set(self.elements.get() + 1);
                if self.elements.get() > self.limits.max_elements {
                    self.over.set(true);
                }
                let raw = match name {
                    "script" => Some(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
                    "textarea" | "title" => Some(RawKind::Rcdata),
                    _ => None,
                };
                if let Some(kind) = raw {
                    // Its text is not markup; the tokenizer reads it raw up to its end tag.
                    if !tag.self_closing {
                        return TokenSinkResult::RawData(kind);
                    }
                    return TokenSinkResult::Continue;
                }
                if name == "plaintext" {
                    return TokenSinkResult::Plaintext;
                }
                if void(name) || tag.self_closing {
                    return TokenSinkResult::Continue;
                }
                if closed_by_sibling(name) && open.last().is_some_and(|top| &**top == name) {
                    open.pop();
                }
                open.push(tag.name.clone());
                if open.len() > self.deepest.get() {
                    self.deepest.set(open.len());
                    if open.len() > self.limits.max_depth {
                        self.over.set(true);
                    }
                }
            }
            TagKind::EndTag => {
                let len = open.len();
                if let Some(k) = open
                    .iter()
                    .rev()
                    .take(MATCH_WINDOW)
                    .position(|n| &**n == name)
                {
                    open.truncate(len - k - 1);
                }
            }
        }
        TokenSinkResult::Continue
    }
}

/// Bytes of markup handed to the tree builder between two looks at the clock.
const CHUNK: usize = 16 * 1024;

/// Parses an HTML document within `limits`.
pub fn parse(html: &str, limits: &Limits) -> Result<Html, TooComplex> {
    let deadline = Deadline::after(limits.max_time);
    census(html, limits)?;
    deadline.check()?;
    let parser = html5ever::driver::parse_document(
        HtmlTreeSink::new(Html::new_document()),
        Default::default(),
    );
    build(parser, html, &deadline)
}

/// Parses an HTML fragment (a feed entry's content, a field of a JSON
/// answer) within `limits`, as the body of a document.
pub fn parse_fragment(html: &str, limits: &Limits) -> Result<Html, TooComplex> {
    let deadline = Deadline::after(limits.max_time);
    census(html, limits)?;
    deadline.check()?;
    let parser = html5ever::driver::parse_fragment(
        HtmlTreeSink::new(Html::new_fragment()),
        Default::default(),
        html5ever::QualName::new(None, html5ever::ns!(html), html5ever::local_name!("body")),
        Vec::new(),
        false,
    );
    build(parser, html, &deadline)
}

/// Feeds the tree builder in chunks, looking at the clock between them.
fn build(
    mut parser: html5ever::driver::Parser<HtmlTreeSink>,
    html: &str,
    deadline: &Deadline,
) -> Result<Html, TooComplex> {
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(CHUNK);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (chunk, tail) = rest.split_at(cut);
        parser.process(StrTendril::from_slice(chunk));
        deadline.check()?;
        rest = tail;
    }
    Ok(parser.finish())
}

/// The linear pass: refuses a page deeper or larger than `limits`.
fn census(html: &str, limits: &Limits) -> Result<(), TooComplex> {
    // Each element the census counts opens with a `<`: markup with no more
    // of them than either limit cannot pass it (a feed entry's few tags).
    if count_byte(html.as_bytes(), b'<') <= limits.max_depth.min(limits.max_elements) {
        return Ok(());
    }
    let tokenizer = Tokenizer::new(
        Census {
            open: RefCell::new(Vec::new()),
            deepest: Cell::new(0),
            elements: Cell::new(0),
            limits: *limits,
            over: Cell::new(false),
        },
        TokenizerOpts::default(),
    );
    let queue = BufferQueue::default();
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(CHUNK);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (chunk, tail) = rest.split_at(cut);
        queue.push_back(StrTendril::from_slice(chunk));
        let _ = tokenizer.feed(&queue);
        if tokenizer.sink.over.get() {
            break;
        }
        rest = tail;
    }
    tokenizer.end();
    let sink = &tokenizer.sink;
    if sink.deepest.get() > limits.max_depth {
        return Err(TooComplex::Depth {
            limit: limits.max_depth,
        });
    }
    if sink.elements.get() > limits.max_elements {
        return Err(TooComplex::Elements {
            limit: limits.max_elements,
        });
    }
    Ok(())
}

/// How many times `b` occurs in `bytes`.
fn count_byte(bytes: &[u8], b: u8) -> usize {
    bytes.iter().filter(|&&x| x == b).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(n: usize) -> String {
        format!(
            "<html><body>{}x{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        )
    }

    #[test]
    fn a_deep_page_is_refused() {
        // (What the refusal costs, a linear pass, is in statuswatch-parse-bench.)
        let err = parse(&nested(40_000), &Limits::default()).unwrap_err();
        assert_eq!(err, TooComplex::Depth { limit: 512 });
        assert!(err.to_string().contains("more than 512 deep"), "{err}");
        assert!(parse(&nested(500), &Limits::default()).is_ok());
    }

    #[test]
    fn markup_with_few_tags_needs_no_census_and_gets_the_same_answer() {
        let tight = Limits {
            max_depth: 3,
            ..Limits::default()
        };
        // Three tags cannot be four deep: the census is skipped, as it would pass.
        assert!(parse_fragment("<b><i><u>a &lt; b</u></i></b>", &tight).is_ok());
        assert_eq!(
            parse_fragment("<b><i><u><s>x</s></u></i></b>", &tight).unwrap_err(),
            TooComplex::Depth { limit: 3 }
        );
    }

    #[test]
    fn unclosed_divs_nest_and_unclosed_list_items_do_not() {
        let divs = format!("<body>{}", "<div>x".repeat(1000));
        assert!(matches!(
            parse(&divs, &Limits::default()),
            Err(TooComplex::Depth { .. })
        ));
        let items = format!("<body><ul>{}</ul>", "<li>item".repeat(5000));
        assert!(parse(&items, &Limits::default()).is_ok());
        let paragraphs = format!("<body>{}", "<p>para".repeat(5000));
        assert!(parse(&paragraphs, &Limits::default()).is_ok());
    }

    #[test]
    fn markup_inside_scripts_is_not_counted() {
        let script = format!(
            "<body><script>var t = '{}';</script><p>ok</p></body>",
            "<div>".repeat(5000)
        );
        let doc = parse(&script, &Limits::default()).unwrap();
        let p = scraper::Selector::parse("p").unwrap();
        assert_eq!(doc.select(&p).count(), 1);
    }

    #[test]
    fn a_wide_page_is_refused_beyond_its_elements() {
        let limits = Limits {
            max_elements: 1000,
            ..Limits::default()
        };
        let wide = format!("<body>{}</body>", "<span>a</span>".repeat(1001));
        assert_eq!(
            parse(&wide, &limits).unwrap_err(),
            TooComplex::Elements { limit: 1000 }
        );
        let fits = format!("<body>{}</body>", "<span>a</span>".repeat(900));
        assert!(parse(&fits, &limits).is_ok());
    }

    #[test]
    fn an_ordinary_page_parses_as_before() {
        let html = "<!doctype html><html><head><title>t</title></head><body><h1>Title</h1><table><tr><td>a<td>b</table></body></html>";
        let ours = parse(html, &Limits::default()).unwrap();
        assert_eq!(ours.html(), Html::parse_document(html).html());
        let fragment = "<p>a<b>b</p><small>Aug 21</small>";
        let ours = parse_fragment(fragment, &Limits::default()).unwrap();
        assert_eq!(ours.html(), Html::parse_fragment(fragment).html());
    }
}
