-- Sources added through the web or the API, on someone else's behalf: their
-- requests go through the fetcher that refuses internal addresses.
ALTER TABLE sources ADD COLUMN on_behalf BOOLEAN NOT NULL DEFAULT FALSE;
