-- Credentials written in a source's URL (`https://user:pass@host/`) are kept
-- apart from it: `url` is what every view shows, `auth` (`user:pass`,
-- percent-encoded as written) is only read to make the request. Rows of
-- earlier releases are split when the store opens.
ALTER TABLE sources ADD COLUMN auth TEXT;

-- Secrets of this installation, made on first start and shared by every
-- node (e.g. the key that signs private pages' access cookies). A backup
-- leaves them out.
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Admin sessions ended by signing out, until they would have expired.
CREATE TABLE revoked_sessions (
    nonce      TEXT   PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
