-- The story budget and who is editing (issue 18).
--
-- A budget line is a story planned before it is written. Its status is
-- kept here only until a story exists (planned, assigned, writing); from
-- then on it follows the linked story's own status, read through
-- article_id, so no way of moving a story (newsroom, API, scheduler) has
-- to remember the budget.
CREATE TABLE budget_lines (
    id          {{id}},
    slug_line   TEXT NOT NULL,
    assignee_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    section_id  BIGINT NOT NULL REFERENCES sections(id),
    due_at      BIGINT NOT NULL,
    words       INTEGER NOT NULL DEFAULT 0,
    notes       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    article_id  BIGINT UNIQUE REFERENCES articles(id) ON DELETE SET NULL,
    created_by  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX budget_lines_due ON budget_lines (due_at);

-- Who has a story open in the editor: one row per account and story,
-- renewed by the editor page's heartbeat. seen_at is the database's clock
-- (store.dbNow), not an instance's, so instances whose clocks differ agree
-- on what is fresh.
CREATE TABLE editing_presence (
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    opened_at  BIGINT NOT NULL,
    seen_at    BIGINT NOT NULL,
    PRIMARY KEY (article_id, user_id)
);
CREATE INDEX editing_presence_seen ON editing_presence (seen_at);

-- The soft lock: the first editor of a story holds it while their
-- heartbeat keeps seen_at fresh; taken_from is the account it was taken
-- from by the last take-over (0: none), told so on its next heartbeat.
CREATE TABLE edit_locks (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    since      BIGINT NOT NULL,
    seen_at    BIGINT NOT NULL,
    taken_from BIGINT NOT NULL DEFAULT 0,
    taken_at   BIGINT NOT NULL DEFAULT 0
);
