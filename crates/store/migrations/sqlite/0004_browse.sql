-- Columns to filter and search incidents without reading every body, for the
-- web app's provider pages, history filters and search.
ALTER TABLE incidents ADD COLUMN kind TEXT NOT NULL DEFAULT 'incident';
ALTER TABLE incidents ADD COLUMN impact TEXT;
ALTER TABLE incidents ADD COLUMN resolved_at INTEGER;
-- Lower-cased title and update text, for search.
ALTER TABLE incidents ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE incidents SET
    kind = COALESCE(json_extract(body, '$.kind'), 'incident'),
    impact = json_extract(body, '$.impact'),
    resolved_at = CASE WHEN json_extract(body, '$.resolved_at') IS NULL THEN NULL
        ELSE CAST(ROUND((julianday(json_extract(body, '$.resolved_at')) - 2440587.5) * 86400000) AS INTEGER) END,
    search_text = lower(json_extract(body, '$.title') || ' ' ||
        COALESCE((SELECT group_concat(json_extract(value, '$.body'), ' ') FROM json_each(body, '$.updates')), ''));
CREATE INDEX incidents_source_newest ON incidents (source_id, COALESCE(started_at, detected_at) DESC);
-- Open incidents are few: the dashboard, badges and provider pages read them
-- through these without touching the many that are over.
CREATE INDEX incidents_open ON incidents (COALESCE(started_at, detected_at) DESC) WHERE status NOT IN ('resolved', 'postmortem', 'completed');
CREATE INDEX incidents_source_open ON incidents (source_id, COALESCE(started_at, detected_at) DESC) WHERE status NOT IN ('resolved', 'postmortem', 'completed');
