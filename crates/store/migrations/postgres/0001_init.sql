-- Timestamps are milliseconds since the epoch (UTC).
CREATE TABLE sources (
    id                   BIGSERIAL PRIMARY KEY,
    name                 TEXT    NOT NULL UNIQUE,
    url                  TEXT    NOT NULL UNIQUE,
    platform             TEXT    NOT NULL,
    provider             TEXT,
    created_at           BIGINT NOT NULL,
    paused               BOOLEAN NOT NULL DEFAULT FALSE,
    next_poll_at         BIGINT NOT NULL,
    last_poll_at         BIGINT,
    last_outcome         TEXT,
    consecutive_failures BIGINT NOT NULL DEFAULT 0,
    last_error           TEXT,
    baselined            BOOLEAN NOT NULL DEFAULT FALSE,
    last_item_count      BIGINT NOT NULL DEFAULT 0,
    fetch_state          TEXT    NOT NULL DEFAULT '{}',
    components           TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX sources_due ON sources (next_poll_at) WHERE NOT paused;

CREATE TABLE incidents (
    id          TEXT    PRIMARY KEY,
    source_id   BIGINT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    vendor_id   TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    started_at  BIGINT,
    detected_at BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    body        TEXT    NOT NULL, -- the model's Incident as JSON
    UNIQUE (source_id, vendor_id)
);
CREATE INDEX incidents_newest ON incidents (COALESCE(started_at, detected_at) DESC);

CREATE TABLE events (
    seq         BIGSERIAL PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE,
    incident_id TEXT    NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    source_id   BIGINT NOT NULL,
    kind        TEXT    NOT NULL,
    occurred_at BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    update_body TEXT,             -- the update as JSON
    incident    TEXT    NOT NULL  -- the incident right after the change, as JSON
);
CREATE INDEX events_incident ON events (incident_id, seq);
