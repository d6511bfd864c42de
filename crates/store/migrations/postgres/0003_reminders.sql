-- When a maintenance starts, and when its reminder was recorded.
ALTER TABLE incidents ADD COLUMN scheduled_for BIGINT;
ALTER TABLE incidents ADD COLUMN reminded_at BIGINT;
UPDATE incidents
SET scheduled_for = (EXTRACT(EPOCH FROM ((body::json ->> 'scheduled_for')::timestamptz)) * 1000)::BIGINT
WHERE body::json ->> 'scheduled_for' IS NOT NULL;
CREATE INDEX incidents_upcoming ON incidents (scheduled_for) WHERE reminded_at IS NULL AND status = 'scheduled';
