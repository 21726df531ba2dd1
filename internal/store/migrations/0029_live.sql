-- Live coverage (issue 19): a story can be live, with a stream of updates.

-- A story is live while it has a row here with started_at set and
-- ended_at 0; once ended it stays an ordinary page that shows every
-- update. A table of its own, not columns of articles (see 0025 on why).
-- Times are microseconds since the epoch, 0 for none.
CREATE TABLE live_coverage (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    started_at BIGINT NOT NULL,
    ended_at   BIGINT NOT NULL DEFAULT 0
);

-- One update of a live story. body is the Markdown as typed, body_html
-- the sanitized HTML internal/markup made of it when it was saved. A
-- deleted update is kept (deleted 1) for the audit log's sake and never
-- shown. author_id is the account that posted it; byline the name the
-- public sees (empty: none).
CREATE TABLE live_updates (
    id         {{id}},
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    body_html  TEXT NOT NULL,
    byline     TEXT NOT NULL DEFAULT '',
    author_id  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    pinned     INTEGER NOT NULL DEFAULT 0,
    deleted    INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX live_updates_article ON live_updates (article_id, deleted, pinned, created_at, id);
