-- The outbox: one row per event and channel, written in the transaction that
-- recorded the event; the dispatcher delivers them in order per incident and channel.
CREATE TABLE deliveries (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        TEXT    NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    incident_id     TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending', -- pending | delivered | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    UNIQUE (event_id, channel)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_order ON deliveries (incident_id, channel, seq) WHERE status = 'pending';
