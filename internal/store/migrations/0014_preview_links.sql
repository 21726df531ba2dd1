-- Preview links: addresses that show a draft's current saved text, as its
-- public page would, to someone with no newsroom account (a lawyer, a
-- source). Only the hash of each token is stored, as for sessions, so a
-- copy of the database opens no draft. A link ends at expires_at or when
-- revoked (revoked_at > 0); uses and last_used_at count its opening, and
-- nothing is kept of who opened it.
CREATE TABLE preview_links (
    id           {{id}},
    token_hash   TEXT NOT NULL UNIQUE,
    article_id   BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    note         TEXT NOT NULL DEFAULT '',
    created_by   BIGINT REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    revoked_at   BIGINT NOT NULL DEFAULT 0,
    revoked_by   BIGINT REFERENCES users(id),
    uses         BIGINT NOT NULL DEFAULT 0,
    last_used_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX preview_links_article ON preview_links(article_id, created_at);
