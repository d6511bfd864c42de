-- Retention (`[store] keep`): incidents that are over, by when they ended,
-- so that pruning reads only the ones old enough to go.
CREATE INDEX incidents_over ON incidents (COALESCE(resolved_at, updated_at)) WHERE status IN ('resolved', 'postmortem', 'completed');
-- The latest cutoff a retention pass used: an incident a vendor still lists
-- that ended before it was pruned (or never kept) and is not stored again.
CREATE TABLE retention (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_before BIGINT  NOT NULL
);
