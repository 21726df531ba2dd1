-- Autosaves are kept per editor page, named by the draft token the page
-- was given: a new story's text is no longer one slot shared by every new
-- story, and a save closes its page's token, so an autosave that reaches
-- the server after the save (one sent as the page unloaded, or still on its
-- way) is refused instead of showing the saved story as "never saved".
-- seq orders one page's autosaves, so a late one cannot replace a newer.
-- A closed row keeps no text; it only refuses its token's late autosaves.
CREATE TABLE autosave_drafts (
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    article_id BIGINT NOT NULL,
    token      TEXT NOT NULL,
    seq        BIGINT NOT NULL DEFAULT 0,
    saved_at   BIGINT NOT NULL,
    base       INTEGER NOT NULL DEFAULT 0,
    data       TEXT NOT NULL,
    closed     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, article_id, token)
);
INSERT INTO autosave_drafts (user_id, article_id, token, seq, saved_at, base, data, closed)
    SELECT user_id, article_id, 'before-drafts', 0, saved_at, base, data, 0 FROM autosaves;
DROP TABLE autosaves;
ALTER TABLE autosave_drafts RENAME TO autosaves;
