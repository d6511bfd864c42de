-- A watched vendor (or one of its components) shown on a page of one's own:
-- its state and open incidents are read live from the watched source.
-- `component` is '' for the vendor as a whole.
CREATE TABLE page_externals (
    slug      TEXT   NOT NULL REFERENCES pages (slug) ON DELETE CASCADE,
    source_id BIGINT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    component TEXT   NOT NULL DEFAULT '',
    label     TEXT   NOT NULL,
    position  BIGINT NOT NULL,
    PRIMARY KEY (slug, source_id, component)
);
