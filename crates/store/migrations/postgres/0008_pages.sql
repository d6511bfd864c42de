-- Status pages of one's own, served at /status/<slug>. Each is backed by a
-- source (platform 'page', never due for polling) whose components are the
-- page's components and whose incidents are the page's incidents, so they
-- are in the one incident model, with events and alerts like any vendor's.
CREATE TABLE pages (
    slug TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    source_id BIGINT NOT NULL UNIQUE REFERENCES sources(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
