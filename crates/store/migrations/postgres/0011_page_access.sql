-- A page of one's own can be private: `access_hash` is the SHA-256 (hex) of
-- its key (a token or a password), NULL while the page is public. Its
-- incidents are then left out of every public view (dashboard, API, feeds,
-- badges), served only under /status/<slug> to who holds the key.
-- `logo_url` and `accent` (a #rrggbb colour) dress the page.
ALTER TABLE pages ADD COLUMN access_hash TEXT;
ALTER TABLE pages ADD COLUMN logo_url TEXT;
ALTER TABLE pages ADD COLUMN accent TEXT;

-- People subscribed to a page by email: pending until they follow the
-- confirmation link (double opt-in); `token` is the secret of their
-- confirmation and one-click unsubscribe links. `components` is a JSON
-- list of component names ('[]': every component).
CREATE TABLE page_subscribers (
    id           TEXT   PRIMARY KEY,
    slug         TEXT   NOT NULL REFERENCES pages (slug) ON DELETE CASCADE,
    email        TEXT   NOT NULL,
    components   TEXT   NOT NULL DEFAULT '[]',
    token        TEXT   NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    confirmed_at BIGINT,
    UNIQUE (slug, email)
);
