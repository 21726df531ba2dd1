-- Working together (issue 18): notes on a story, the newsroom's
-- notifications, embargoes, and scheduled unpublish and update.

-- An article under embargo may not be published before embargo_until
-- (microseconds since the epoch, 0 for none), whichever way it would be:
-- the store refuses it (articles_embargo.go). unpublish_at is when a
-- published article leaves the site by itself (0: never). A table of its
-- own, not columns of articles: on SQLite a column added to articles
-- comes after the text (migration 0008 put it last), and reading it would
-- walk a long story's overflow pages.
CREATE TABLE article_schedule (
    article_id    BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    embargo_until BIGINT NOT NULL DEFAULT 0,
    unpublish_at  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX article_schedule_unpublish ON article_schedule (unpublish_at);

-- Notes the newsroom leaves on a story: never published, never in the
-- API, feeds or exports. kind is 'note', or 'sent back' for the note that
-- returned a story to its writer.
CREATE TABLE article_notes (
    id         {{id}},
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    user_id    BIGINT REFERENCES users(id),
    kind       TEXT NOT NULL DEFAULT 'note',
    text       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX article_notes_article ON article_notes (article_id, id);

-- What concerns one account: mentioned, a story sent back or assigned to
-- them, their story published or corrected. read_at 0: unread.
CREATE TABLE notifications (
    id         {{id}},
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    article_id BIGINT REFERENCES articles(id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);

-- A saved revision that replaces a published story's text at a time: one
-- per article; the scheduler claims it by deleting the row.
CREATE TABLE scheduled_updates (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    revision   INTEGER NOT NULL,
    due_at     BIGINT NOT NULL,
    user_id    BIGINT REFERENCES users(id)
);
CREATE INDEX scheduled_updates_due ON scheduled_updates (due_at);
