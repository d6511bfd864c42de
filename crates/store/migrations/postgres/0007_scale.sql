-- The worst known state of a source's components (a ComponentStatus word;
-- 'unknown' when it lists components but none in a known state; NULL when it
-- lists none), written with the components, so the dashboard and /metrics
-- count sources by state without reading every component list.
ALTER TABLE sources ADD COLUMN component_state TEXT;

-- Every serve node's heartbeat: who it is, when it was last seen, and how
-- its polling goes. A node not seen for a few beats is shown as gone.
CREATE TABLE nodes (
    id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid BIGINT NOT NULL,
    version TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    seen_at BIGINT NOT NULL,
    polls BIGINT NOT NULL DEFAULT 0,
    failures BIGINT NOT NULL DEFAULT 0,
    lag_ms BIGINT NOT NULL DEFAULT 0,
    interval_ms BIGINT NOT NULL DEFAULT 0,
    in_flight BIGINT NOT NULL DEFAULT 0
);

-- What the dashboard and /metrics count, in an index they scan instead of
-- the rows (which hold each source's component list and fetch state), in the
-- order they group by.
CREATE INDEX sources_groups ON sources (platform, component_state, baselined, consecutive_failures, last_warning, paused);

-- The dashboard's listing of every provider, by name, a page at a time.
CREATE INDEX sources_by_name ON sources (LOWER(COALESCE(provider, name)), id);

-- /metrics counts the outbox by status without reading its rows.
CREATE INDEX deliveries_by_status ON deliveries (status);
