-- The newsroom: accounts, sessions, invitations, login throttling, the
-- workflow's columns on articles, revisions, autosaves, the audit log and
-- redirects from old article addresses.

CREATE TABLE users (
    id            {{id}},
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

-- Only a hash of each session token is stored: a copy of the database
-- does not let anyone in.
CREATE TABLE sessions (
    id           {{id}},
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    address      TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

-- One-time links: invitations, and the first admin's setup link (an
-- invitation to be admin that nobody sent).
CREATE TABLE invitations (
    id         {{id}},
    token_hash TEXT NOT NULL UNIQUE,
    email      TEXT NOT NULL DEFAULT '',
    role       TEXT NOT NULL,
    setup      INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT NOT NULL DEFAULT 0,
    used_by    BIGINT REFERENCES users(id)
);

-- Failed logins by throttle key, shared by every instance.
CREATE TABLE login_failures (
    id  {{id}},
    key TEXT NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);

ALTER TABLE articles ADD COLUMN publish_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN created_by BIGINT REFERENCES users(id);
ALTER TABLE articles ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN seo_title TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN seo_description TEXT NOT NULL DEFAULT '';
-- The scheduler looks for due articles every second.
CREATE INDEX articles_due ON articles(status, publish_at);
CREATE INDEX articles_modified ON articles(status, modified_at);

-- A photo's caption, credit and alt text as first given: the defaults each
-- new use of it starts from.
ALTER TABLE media ADD COLUMN alt TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN caption TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN credit TEXT NOT NULL DEFAULT '';

-- Every save of an article, whole (data is JSON of news.RevisionContent).
-- Append-only: the store has no statement that updates or deletes one.
CREATE TABLE revisions (
    id         {{id}},
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,
    user_id    BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    base       INTEGER NOT NULL DEFAULT 0,
    note       TEXT NOT NULL DEFAULT '',
    data       TEXT NOT NULL,
    UNIQUE (article_id, number)
);

-- What a writer's editor sent last without saving: one row per writer and
-- article (article 0: a story not yet saved), replaced each time.
CREATE TABLE autosaves (
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    article_id BIGINT NOT NULL,
    saved_at   BIGINT NOT NULL,
    base       INTEGER NOT NULL DEFAULT 0,
    data       TEXT NOT NULL,
    PRIMARY KEY (user_id, article_id)
);

CREATE TABLE audit_log (
    id        {{id}},
    at        BIGINT NOT NULL,
    user_id   BIGINT REFERENCES users(id),
    user_name TEXT NOT NULL DEFAULT '',
    action    TEXT NOT NULL,
    target    TEXT NOT NULL DEFAULT '',
    detail    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);

-- Old addresses of articles and sections: the public site answers them
-- with a 301 to where the thing is now.
CREATE TABLE redirects (
    from_path  TEXT PRIMARY KEY,
    article_id BIGINT REFERENCES articles(id) ON DELETE CASCADE,
    section_id BIGINT REFERENCES sections(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE INDEX redirects_article ON redirects(article_id);
