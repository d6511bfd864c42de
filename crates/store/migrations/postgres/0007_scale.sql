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
