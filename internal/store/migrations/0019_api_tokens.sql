-- API tokens: credentials for software (a deploy script, a chat bot, a wire
-- feed) that act for the account that made them. Only the hash of each
-- secret is stored, as for sessions and preview links, so a copy of the
-- database lets nobody in. scopes is the token's scopes separated by
-- spaces. A token ends at expires_at (0: never) or when revoked
-- (revoked_at > 0); last_used_at is written at most once a minute.
CREATE TABLE api_tokens (
    id           {{id}},
    token_hash   TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_by   BIGINT NOT NULL REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL DEFAULT 0,
    revoked_at   BIGINT NOT NULL DEFAULT 0,
    revoked_by   BIGINT REFERENCES users(id),
    last_used_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_created ON api_tokens(created_at);
