-- A revision per source and per page, raised by every change a page's views
-- show (whoever writes: this process, the CLI, another node), so that a
-- rendered page learns with one small query whether it is stale.
ALTER TABLE sources ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE pages ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- A source's own columns that its page (or a page showing it) reads. A
-- watched source's poll time is left out (it moves at every poll); a page's
-- source has it set when something is published.
CREATE FUNCTION statuswatch_source_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.revision = OLD.revision AND (
           NEW.name IS DISTINCT FROM OLD.name
        OR NEW.url IS DISTINCT FROM OLD.url
        OR NEW.provider IS DISTINCT FROM OLD.provider
        OR NEW.paused IS DISTINCT FROM OLD.paused
        OR NEW.components IS DISTINCT FROM OLD.components
        OR (NEW.platform = 'page' AND NEW.last_poll_at IS DISTINCT FROM OLD.last_poll_at)) THEN
        NEW.revision := OLD.revision + 1;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER sources_revision BEFORE UPDATE ON sources
FOR EACH ROW EXECUTE FUNCTION statuswatch_source_revision();

CREATE FUNCTION statuswatch_incident_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE sources SET revision = revision + 1 WHERE id = OLD.source_id;
        RETURN OLD;
    END IF;
    UPDATE sources SET revision = revision + 1 WHERE id = NEW.source_id;
    RETURN NEW;
END $$;
CREATE TRIGGER incidents_revision AFTER INSERT OR UPDATE OR DELETE ON incidents
FOR EACH ROW EXECUTE FUNCTION statuswatch_incident_revision();

CREATE FUNCTION statuswatch_page_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.revision = OLD.revision THEN
        NEW.revision := OLD.revision + 1;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER pages_revision BEFORE UPDATE ON pages
FOR EACH ROW EXECUTE FUNCTION statuswatch_page_revision();

CREATE FUNCTION statuswatch_page_externals_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE pages SET revision = revision + 1 WHERE slug = OLD.slug;
        RETURN OLD;
    END IF;
    UPDATE pages SET revision = revision + 1 WHERE slug = NEW.slug;
    RETURN NEW;
END $$;
CREATE TRIGGER page_externals_revision AFTER INSERT OR UPDATE OR DELETE ON page_externals
FOR EACH ROW EXECUTE FUNCTION statuswatch_page_externals_revision();
