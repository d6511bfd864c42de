-- Columns to filter and search incidents without reading every body, for the
-- web app's provider pages, history filters and search.
ALTER TABLE incidents ADD COLUMN kind TEXT NOT NULL DEFAULT 'incident';
ALTER TABLE incidents ADD COLUMN impact TEXT;
ALTER TABLE incidents ADD COLUMN resolved_at BIGINT;
-- Lower-cased title and update text, for search.
ALTER TABLE incidents ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE incidents SET
    kind = COALESCE(body::jsonb->>'kind', 'incident'),
    impact = body::jsonb->>'impact',
    resolved_at = CASE WHEN body::jsonb->>'resolved_at' IS NULL THEN NULL
        ELSE (EXTRACT(EPOCH FROM (body::jsonb->>'resolved_at')::timestamptz) * 1000)::BIGINT END,
    search_text = lower((body::jsonb->>'title') || ' ' ||
        COALESCE((SELECT string_agg(u->>'body', ' ') FROM jsonb_array_elements(body::jsonb->'updates') u), ''));
CREATE INDEX incidents_source_newest ON incidents (source_id, (COALESCE(started_at, detected_at)) DESC);
-- Open incidents are few: the dashboard, badges and provider pages read them
-- through these without touching the many that are over.
CREATE INDEX incidents_open ON incidents ((COALESCE(started_at, detected_at)) DESC) WHERE status NOT IN ('resolved', 'postmortem', 'completed');
CREATE INDEX incidents_source_open ON incidents (source_id, (COALESCE(started_at, detected_at)) DESC) WHERE status NOT IN ('resolved', 'postmortem', 'completed');
