//! Pages of one's own: a page, the watched vendors it shows, its subscribers.

use super::*;

/// A watched vendor, or one of its components, shown on a page of one's own.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PageExternal {
    /// The watched source.
    pub source_id: SourceId,
    /// One of its components (by name), or `None` for the vendor as a whole.
    pub component: Option<String>,
    /// The name the page shows ("GitHub Actions").
    pub label: String,
}

/// A status page of one's own, served at `/status/<slug>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Its address: `/status/<slug>`.
    pub slug: String,
    /// Its title (the provider name of its incidents).
    pub title: String,
    /// The source holding its components and incidents.
    pub source_id: SourceId,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Its key's hash while it is private (argon2, in the PHC string form;
    /// a hex SHA-256 from an earlier release until the key is next used);
    /// `None`: public.
    pub access_hash: Option<String>,
    /// Its logo's address, shown above its title.
    pub logo_url: Option<String>,
    /// Its accent colour (`#rrggbb`).
    pub accent: Option<String>,
}

impl Page {
    /// Whether only holders of its key may read it.
    pub fn private(&self) -> bool {
        self.access_hash.is_some()
    }
}

/// Where a page's views stand: raised by every change they show (the
/// page, the vendors it shows, its and their components and incidents),
/// by whoever wrote it. Equal revisions: the same views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRevision {
    /// The page's own (title, key, look, the vendors it shows).
    pub page: i64,
    /// The sum over its source and the sources it shows.
    pub sources: i64,
}

/// Someone subscribed to a page by email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    /// Its id (the outbox channel `subscriber:<id>` reaches it).
    pub id: String,
    /// The page.
    pub slug: String,
    /// The address.
    pub email: String,
    /// Only incidents touching these components (by name); empty: all.
    pub components: Vec<String>,
    /// The secret of its confirmation and unsubscribe links.
    pub token: String,
    /// When it asked.
    pub created_at: DateTime<Utc>,
    /// When it confirmed; `None`: pending, nothing is sent but the
    /// confirmation.
    pub confirmed_at: Option<DateTime<Utc>>,
}
