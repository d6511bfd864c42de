-- What the last good poll could not read: a secondary endpoint (a history
-- feed, an incidents list) that answered 404 or 410. The poll itself
-- succeeded with what the rest answered.
ALTER TABLE sources ADD COLUMN last_warning TEXT;
