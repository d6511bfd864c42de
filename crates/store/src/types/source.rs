//! Sources: what is watched, how its polls went, and how sources are counted and found.

use super::*;

/// A source's id.
pub type SourceId = i64;

/// A source to add.
#[derive(Debug, Clone)]
pub struct NewSource {
    /// Unique, human name.
    pub name: String,
    /// The URL polled (the page's base URL or the feed's URL).
    pub url: String,
    /// The platform's name (`statuspage`, `feed`).
    pub platform: String,
    /// The vendor's name as the page gave it at detection.
    pub provider: Option<String>,
    /// Added through the web or the API, on someone else's behalf: every
    /// request for it goes through the fetcher that refuses internal addresses.
    pub on_behalf: bool,
}

/// How one poll went, as the source's health records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PollOutcome {
    /// The source answered and its answer was read.
    Ok,
    /// The source answered that nothing changed (304, or the same body).
    NotModified,
    /// The poll failed (HTTP error, timeout, garbled answer).
    Error,
    /// The answer was suddenly empty and is held, not applied.
    Suspect,
}

impl PollOutcome {
    /// Every outcome.
    pub const ALL: [PollOutcome; 4] = [
        PollOutcome::Ok,
        PollOutcome::NotModified,
        PollOutcome::Error,
        PollOutcome::Suspect,
    ];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            PollOutcome::Ok => "ok",
            PollOutcome::NotModified => "not_modified",
            PollOutcome::Error => "error",
            PollOutcome::Suspect => "suspect",
        }
    }

    /// Reads the stored word.
    pub fn parse(word: &str) -> Option<PollOutcome> {
        PollOutcome::ALL.into_iter().find(|o| o.as_str() == word)
    }

    /// Whether the source answered well.
    pub fn is_up(self) -> bool {
        matches!(self, PollOutcome::Ok | PollOutcome::NotModified)
    }
}

impl std::fmt::Display for PollOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the last polls of a source went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    /// When it was last polled.
    pub last_poll_at: Option<DateTime<Utc>>,
    /// How the last poll went.
    pub last_outcome: Option<PollOutcome>,
    /// Failed or suspect polls in a row.
    pub consecutive_failures: i64,
    /// The last failure, in words.
    pub last_error: Option<String>,
    /// What the last good poll could not read (a secondary endpoint gone), in words.
    pub warning: Option<String>,
}

/// A source: a vendor's page that is watched, or a page of one's own ([`SourceKind`]).
#[derive(Debug, Clone)]
pub struct Source {
    /// Its id.
    pub id: SourceId,
    /// A vendor's page that is polled, or a page of one's own (written,
    /// never polled).
    pub kind: SourceKind,
    /// Its name.
    pub name: String,
    /// The URL polled.
    pub url: String,
    /// The platform's name.
    pub platform: String,
    /// The vendor's name as the page gives it.
    pub provider: Option<String>,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it is due next.
    pub next_poll_at: DateTime<Utc>,
    /// How its polls went.
    pub health: Health,
    /// Whether its first successful poll (the history baseline) is done.
    pub baselined: bool,
    /// How many items its last good answer listed.
    pub last_item_count: i64,
    /// Validators and body hashes of its endpoints, opaque to the store.
    pub fetch_state: String,
    /// Its components' current states.
    pub components: Vec<ComponentState>,
    /// Whether polling is paused.
    pub paused: bool,
    /// Added on someone else's behalf (see [`NewSource::on_behalf`]).
    pub on_behalf: bool,
    /// Credentials its URL was given with (`user:pass`), kept apart from
    /// [`Source::url`] so no view shows them; only [`Source::fetch_url`]
    /// puts them back, for the request.
    pub auth: Option<Credentials>,
}

impl Source {
    /// The vendor's name: the page's own where it gave one, else the source's name.
    pub fn provider_name(&self) -> &str {
        self.provider.as_deref().unwrap_or(&self.name)
    }

    /// The URL to request: [`Source::url`] with its credentials, if any.
    pub fn fetch_url(&self) -> String {
        match &self.auth {
            Some(c) => with_credentials(&self.url, &c.0),
            None => self.url.clone(),
        }
    }
}

/// Credentials of a source's URL (`user:pass`, as written in it). Never
/// shown: `Debug` prints a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials(pub String);

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials(<redacted>)")
    }
}

/// `url` without the credentials written in it, and those (`user:pass`,
/// percent-encoded as in the URL), if any.
pub fn split_credentials(url: &str) -> (String, Option<String>) {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return (url.to_string(), None);
    };
    if parsed.username().is_empty() && parsed.password().is_none() {
        return (url.to_string(), None);
    }
    let auth = match parsed.password() {
        Some(p) => format!("{}:{p}", parsed.username()),
        None => parsed.username().to_string(),
    };
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    (parsed.to_string(), Some(auth))
}

/// `url` with the credentials `auth` (`user:pass`) written back in.
fn with_credentials(url: &str, auth: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.to_string();
    };
    let (user, pass) = match auth.split_once(':') {
        Some((u, p)) => (u, Some(p)),
        None => (auth, None),
    };
    if parsed.set_username(user).is_err() || parsed.set_password(pass).is_err() {
        return url.to_string();
    }
    parsed.to_string()
}

/// Sources counted by what the dashboard and `/metrics` tell apart: one row
/// per combination that occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceGroup {
    /// The platform.
    pub platform: String,
    /// The worst known state of its components (`None`: it lists none).
    pub component_state: Option<statuswatch_model::ComponentStatus>,
    /// Whether it was read successfully at least once (baselined).
    pub known: bool,
    /// Whether it has an incident or maintenance not over.
    pub open: bool,
    /// Whether its last poll failed.
    pub failing: bool,
    /// Whether its last good poll left a warning.
    pub warned: bool,
    /// Whether polling it is paused.
    pub paused: bool,
    /// How many sources.
    pub count: i64,
}

/// Which sources to list, a page at a time, by provider name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceQuery {
    /// Only those that need attention: an open incident or maintenance, a
    /// component not operational, a failing last poll or a warning.
    pub attention: bool,
    /// Only those whose name, provider or URL contains this (any case).
    pub search: Option<String>,
    /// Rows skipped.
    pub offset: u32,
    /// Rows returned at most.
    pub limit: u32,
    /// Private pages' sources too (left out unless asked).
    pub include_private: bool,
}

/// The platform name of the sources that back pages of one's own.
pub const PAGE_PLATFORM: &str = "page";

/// What a source is: the store tells them apart (by
/// [`PAGE_PLATFORM`]) in one place, so no query has to remember to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A vendor's status page, polled.
    Watched,
    /// A status page of one's own: its incidents are written by its
    /// operators, it is never due for polling.
    Page,
}

impl SourceKind {
    /// The kind of a source stored with `platform`.
    pub fn of_platform(platform: &str) -> Self {
        if platform == PAGE_PLATFORM {
            SourceKind::Page
        } else {
            SourceKind::Watched
        }
    }
}

/// When a page's source is due: never (it is written, not polled).
pub const NEVER_DUE_MS: i64 = 253_402_300_799_000; // 9999-12-31T23:59:59Z
