-- A revision per source and per page, raised by every change a page's views
-- show (whoever writes: this process, the CLI, another node), so that a
-- rendered page learns with one small query whether it is stale.
ALTER TABLE sources ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE pages ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- A source's own columns that its page (or a page showing it) reads. A
-- watched source's poll time is left out (it moves at every poll); a page's
-- source has it set when something is published.
CREATE TRIGGER sources_revision
AFTER UPDATE OF name, url, provider, paused, components, last_poll_at ON sources
WHEN NEW.revision = OLD.revision AND (
       NEW.name IS NOT OLD.name
    OR NEW.url IS NOT OLD.url
    OR NEW.provider IS NOT OLD.provider
    OR NEW.paused IS NOT OLD.paused
    OR NEW.components IS NOT OLD.components
    OR (NEW.platform = 'page' AND NEW.last_poll_at IS NOT OLD.last_poll_at))
BEGIN
    UPDATE sources SET revision = revision + 1 WHERE id = NEW.id;
END;

CREATE TRIGGER incidents_revision_insert AFTER INSERT ON incidents
BEGIN
    UPDATE sources SET revision = revision + 1 WHERE id = NEW.source_id;
END;
CREATE TRIGGER incidents_revision_update AFTER UPDATE ON incidents
BEGIN
    UPDATE sources SET revision = revision + 1 WHERE id = NEW.source_id;
END;
CREATE TRIGGER incidents_revision_delete AFTER DELETE ON incidents
BEGIN
    UPDATE sources SET revision = revision + 1 WHERE id = OLD.source_id;
END;

CREATE TRIGGER pages_revision AFTER UPDATE ON pages
WHEN NEW.revision = OLD.revision
BEGIN
    UPDATE pages SET revision = revision + 1 WHERE slug = NEW.slug;
END;
CREATE TRIGGER page_externals_revision_insert AFTER INSERT ON page_externals
BEGIN
    UPDATE pages SET revision = revision + 1 WHERE slug = NEW.slug;
END;
CREATE TRIGGER page_externals_revision_update AFTER UPDATE ON page_externals
BEGIN
    UPDATE pages SET revision = revision + 1 WHERE slug = NEW.slug;
END;
CREATE TRIGGER page_externals_revision_delete AFTER DELETE ON page_externals
BEGIN
    UPDATE pages SET revision = revision + 1 WHERE slug = OLD.slug;
END;
