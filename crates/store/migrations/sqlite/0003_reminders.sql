-- When a maintenance starts, and when its reminder was recorded.
ALTER TABLE incidents ADD COLUMN scheduled_for INTEGER;
ALTER TABLE incidents ADD COLUMN reminded_at INTEGER;
UPDATE incidents
SET scheduled_for = CAST(ROUND((julianday(json_extract(body, '$.scheduled_for')) - 2440587.5) * 86400000) AS INTEGER)
WHERE json_extract(body, '$.scheduled_for') IS NOT NULL;
CREATE INDEX incidents_upcoming ON incidents (scheduled_for) WHERE reminded_at IS NULL AND status = 'scheduled';
