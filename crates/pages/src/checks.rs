//! What an operator's statement must be to be taken: words, names, texts,
//! keys, addresses and colours checked, and the key's stored form.

use crate::error::{invalid, PageError, Result};
use sha2::{Digest, Sha256};
use statuswatch_model::{Component, ComponentState, Impact, Status};
use statuswatch_store::{Page, Source};

/// The words a status may be among `allowed`.
pub(crate) fn status(word: &str, allowed: &[Status]) -> Result<Status> {
    let words: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
    match Status::parse(word.trim()) {
        Some(s) if allowed.contains(&s) => Ok(s),
        _ => invalid(format!("status `{word}`: one of {}", words.join(", "))),
    }
}

pub(crate) fn impact(word: &str) -> Result<Impact> {
    match Impact::parse(word.trim()) {
        Some(i) if i != Impact::Maintenance => Ok(i),
        _ => invalid(format!(
            "impact `{word}`: one of none, minor, major, critical"
        )),
    }
}

/// A name (a title, a component's): one line, not empty, at most 1,000
/// characters, no control character (a CR or an ESC would reach feeds,
/// calendars and terminals).
pub(crate) fn required(what: &str, text: &str) -> Result<String> {
    let t = text.trim();
    if t.is_empty() {
        return invalid(format!("the {what} is empty"));
    }
    if t.chars().count() > 1000 {
        return invalid(format!("the {what} is longer than 1000 characters"));
    }
    if let Some(c) = t.chars().find(|c| c.is_control()) {
        return invalid(format!(
            "the {what} holds a control character ({}); it must be one line of text",
            c.escape_unicode()
        ));
    }
    Ok(t.to_string())
}

/// A message: lines of text (CRLF and CR read as line breaks), at most
/// 100,000 characters, no other control character than a tab.
pub(crate) fn message_text(what: &str, text: &str) -> Result<String> {
    let t = text.replace("\r\n", "\n").replace('\r', "\n");
    if t.chars().count() > 100_000 {
        return invalid(format!("the {what} is longer than 100,000 characters"));
    }
    if let Some(c) = t
        .chars()
        .find(|c| c.is_control() && *c != '\n' && *c != '\t')
    {
        return invalid(format!(
            "the {what} holds a control character ({}) that is no line break",
            c.escape_unicode()
        ));
    }
    Ok(t)
}

/// A page's key as stored: its Argon2id hash with a random salt (PHC
/// string), so a copy of the database gives no key back but to a slow guess.
pub fn access_hash(key: &str) -> String {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt =
        SaltString::encode_b64(&rand::random::<[u8; 16]>()).expect("16 bytes are a valid salt");
    argon2::Argon2::default()
        .hash_password(key.as_bytes(), &salt)
        .expect("Argon2 with its default parameters hashes any key")
        .to_string()
}

/// Whether `key` is the key whose stored form is `stored`: an Argon2 hash,
/// or the unsalted SHA-256 (hex) of releases before it (see
/// [`access_hash_is_outdated`]).
pub fn access_matches(stored: &str, key: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    if access_hash_is_outdated(stored) {
        let legacy = hex::encode(Sha256::digest(key.as_bytes()));
        return legacy.len() == stored.len()
            && legacy
                .bytes()
                .zip(stored.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
    }
    PasswordHash::new(stored).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(key.as_bytes(), &h)
            .is_ok()
    })
}

/// Whether a stored key is in the unsalted form of earlier releases (to be
/// hashed again the next time the key is given).
pub fn access_hash_is_outdated(stored: &str) -> bool {
    stored.len() == 64 && stored.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A new random key for a private page (32 characters).
pub fn new_key() -> String {
    format!(
        "{}{}{}",
        crate::domain::new_id(),
        crate::domain::new_id(),
        &crate::domain::new_id()[..8]
    )
}

/// Whether `s` is a colour in `#rrggbb` form.
pub fn valid_accent(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether `address` is a plausible email address to confirm: one `@`,
/// something on each side, a dot in the domain, no spaces or brackets.
pub fn valid_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && address.len() <= 254
        && !address
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c))
}

/// The logo and accent `page` would have after a change (`None` keeps,
/// empty clears), or why they cannot be.
pub(crate) fn look(
    page: &Page,
    logo: Option<&str>,
    accent: Option<&str>,
) -> Result<(Option<String>, Option<String>)> {
    let logo = match logo.map(str::trim) {
        None => page.logo_url.clone(),
        Some("") => None,
        Some(l) => {
            let ok = match url::Url::parse(l) {
                Ok(u) => matches!(u.scheme(), "https" | "http") && u.host().is_some(),
                Err(_) => l.starts_with('/') && !l.starts_with("//"),
            };
            if !ok || l.len() > 2000 || l.chars().any(|c| c.is_whitespace() || c == '"') {
                return invalid(format!(
                    "logo `{l}`: an http(s) address or a path on this server (/assets/logo.png)"
                ));
            }
            Some(l.to_string())
        }
    };
    let accent = match accent.map(str::trim) {
        None => page.accent.clone(),
        Some("") => None,
        Some(a) if valid_accent(a) => Some(a.to_ascii_lowercase()),
        Some(a) => return invalid(format!("accent `{a}`: a colour as #rrggbb (#0b7285)")),
    };
    Ok((logo, accent))
}

/// Whether `key` may be a private page's key.
pub(crate) fn check_key(key: &str) -> Result<()> {
    if key.chars().count() < 8 {
        return invalid("a page's key (token or password) needs at least 8 characters");
    }
    Ok(())
}

/// The page's components named by `names` (by name, or `Group/Name`).
pub(crate) fn resolve(source: &Source, names: &[String]) -> Result<Vec<Component>> {
    names
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .map(|n| {
            let matches: Vec<&ComponentState> = source
                .components
                .iter()
                .filter(|c| {
                    c.name == n
                        || c.group
                            .as_deref()
                            .is_some_and(|g| format!("{g}/{}", c.name) == n)
                })
                .collect();
            match matches.as_slice() {
                [one] => Ok(Component {
                    name: one.name.clone(),
                    group: one.group.clone(),
                }),
                [] => {
                    let all: Vec<&str> =
                        source.components.iter().map(|c| c.name.as_str()).collect();
                    if all.is_empty() {
                        return Err(PageError::NotFound(format!(
                            "no component `{n}`: the page has none yet"
                        )));
                    }
                    Err(PageError::NotFound(format!(
                        "no component `{n}`; the page's components: {}",
                        all.join(", ")
                    )))
                }
                _ => invalid(format!(
                    "`{n}` names components in several groups; write it as Group/{n}"
                )),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_accents_and_keys() {
        assert!(valid_email("ops@example.com"));
        assert!(valid_email("first.last+tag@sub.example.org"));
        for bad in [
            "",
            "ops",
            "ops@",
            "@example.com",
            "ops@example",
            "ops @example.com",
            "a@b@c.com",
            "<ops@example.com>",
            "ops@example.com\r\nBcc: x@y.z",
        ] {
            assert!(!valid_email(bad), "{bad:?} accepted");
        }
        assert!(valid_accent("#0b7285"));
        assert!(!valid_accent("0b7285"));
        assert!(!valid_accent("#0b728"));
        assert!(!valid_accent("#0b728g"));
        assert!(!valid_accent("red;}body{"));
        let k = new_key();
        assert_eq!(k.len(), 32);
        assert_ne!(k, new_key());
        let stored = access_hash("secret-key");
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert_ne!(stored, access_hash("secret-key"), "salted");
        assert!(access_matches(&stored, "secret-key"));
        assert!(!access_matches(&stored, "secret-kez"));
        // The unsalted SHA-256 of earlier releases is still read.
        let legacy = hex::encode(Sha256::digest(b"secret-key"));
        assert!(access_hash_is_outdated(&legacy));
        assert!(access_matches(&legacy, "secret-key"));
        assert!(!access_matches(&legacy, "secret-kez"));
        assert!(!access_hash_is_outdated(&stored));
    }

    #[test]
    fn names_are_one_line_and_messages_have_no_controls() {
        assert_eq!(required("title", "  API down ").unwrap(), "API down");
        for bad in [
            "API\r\ndown",
            "API\ndown",
            "API\rdown",
            "\u{1b}[2JAPI",
            "A\u{0}B",
        ] {
            let e = required("title", bad).unwrap_err().to_string();
            assert!(e.contains("control character"), "{bad:?}: {e}");
        }
        assert_eq!(
            message_text("message", "one\r\ntwo\rthree\tfour").unwrap(),
            "one\ntwo\nthree\tfour"
        );
        let e = message_text("message", "looking\u{1b}]52;c;eA==\u{7}").unwrap_err();
        assert!(e.to_string().contains("control character (\\u{1b})"), "{e}");
    }
}
