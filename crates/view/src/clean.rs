//! Vendor text made safe for the format that writes it, once per format, at
//! the edge that writes it. A vendor's update may carry any character: a NUL
//! makes an XML document ill-formed for every reader of a feed, an ESC
//! sequence in a terminal sets its title, clears the screen or writes to the
//! clipboard (OSC 52), a bare CR hides a line or ends an iCalendar line.
//! JSON needs nothing here (serde escapes every control character) and the
//! HTML pages neither (maud escapes markup; browsers show controls as text).

use std::borrow::Cow;

/// Whether XML 1.0 allows `c` in a document (`Char` of the specification).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` with the characters XML 1.0 forbids left out, for writers that
/// escape markup themselves.
pub fn xml_chars(s: &str) -> Cow<'_, str> {
    if s.chars().all(xml_char) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|c| xml_char(*c)).collect())
    }
}

/// `s` as XML (or HTML) text or attribute value: markup escaped, characters
/// XML forbids left out. The one escape of every HTML and XML statuswatch
/// writes by hand (feeds, emails, calendars' HTML); maud escapes the web's
/// pages itself. Slack's and Google Chat's markup has its own
/// ([`markup_escape`]), iCalendar text its own ([`ics_text`]).
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// `s` as text in Slack's and Google Chat's markup (mrkdwn): `&`, `<` and
/// `>` escaped, as those platforms ask, so vendor text makes no link or
/// mention.
pub fn markup_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Characters a terminal acts on rather than shows: C0 and C1 controls
/// (ESC, BEL, CR, backspace...), DEL, and the bidirectional overrides that
/// reorder what follows them.
fn terminal_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// `s` for a terminal: every control character written as its escape
/// (`\u001b`, the form JSON uses, so a JSON document stays one), so vendor
/// text is shown, never obeyed; newlines and tabs kept.
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(terminal_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if terminal_control(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` for an iCalendar text property: controls left out but newlines (a
/// bare CR, or any other control, would break the content line it is on).
pub fn ics_text(s: &str) -> Cow<'_, str> {
    let bad = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.replace("\r\n", "\n")
            .chars()
            .filter(|c| !bad(*c))
            .collect(),
    )
}

/// Whether `url` is a web address (`http:` or `https:`), the only links
/// served to people: a vendor's `javascript:` or `data:` link is not.
pub fn web_address(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(char::is_control)
}

/// Whether `s` holds a line break or another control character: a name
/// (a title, a component) must be one line.
pub fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_leaves_out_what_it_forbids() {
        assert_eq!(xml_chars("a\u{0}b\u{1b}c\u{FFFE}d\te"), "abcd\te");
        assert!(matches!(xml_chars("plain"), Cow::Borrowed(_)));
        assert_eq!(
            xml_escape("<b>&\"'\u{0}</b>"),
            "&lt;b&gt;&amp;&quot;&apos;&lt;/b&gt;"
        );
    }

    #[test]
    fn terminals_show_controls_as_escapes() {
        let osc52 = "ok\u{1b}]52;c;ZXZpbA==\u{7}\r\u{202E}gnp.exe";
        let shown = for_terminal(osc52);
        assert_eq!(shown, "ok\\u001b]52;c;ZXZpbA==\\u0007\\u000d\\u202egnp.exe");
        // A JSON document stays one (serde leaves C1 controls and bidi
        // overrides raw inside strings).
        let json = serde_json::to_string(&"a\u{85}b\u{202e}c\u{1b}").unwrap();
        let back: String = serde_json::from_str(&for_terminal(&json)).unwrap();
        assert_eq!(back, "a\u{85}b\u{202e}c\u{1b}");
        assert!(!shown.chars().any(|c| c.is_control()));
        assert_eq!(for_terminal("two\nlines\tand tab"), "two\nlines\tand tab");
    }

    #[test]
    fn only_web_addresses_are_links() {
        assert!(web_address("https://status.example.com/incidents/1"));
        assert!(web_address("HTTP://x.example/"));
        assert!(!web_address("javascript:alert(1)"));
        assert!(!web_address(" https://x.example/"));
        assert!(!web_address("data:text/html,<script>"));
        assert!(!web_address("https://x.example/\n"));
        assert!(!web_address("https://x.example/\u{0}"));
    }

    #[test]
    fn calendars_keep_newlines_only() {
        assert_eq!(ics_text("a\r\nb\rc\u{0}d\ne"), "a\nbcd\ne");
    }
}
