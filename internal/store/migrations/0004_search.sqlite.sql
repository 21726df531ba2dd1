-- split:none (trigger bodies hold semicolons)
-- Full-text search on SQLite: an FTS5 index over the articles table itself
-- (external content: the text is stored once, in articles). Porter stemming
-- finds "recognizing" for "recognize"; unicode61 with remove_diacritics 2
-- folds case and accents, so "cafe" finds "café". Drafts are indexed too,
-- for the newsroom; the public search filters on status.
--
-- Triggers keep the index in step with every insert, update and delete,
-- whatever code path makes them: no caller can forget. An update that does
-- not touch the text (a publish, an unpublish, a move) costs nothing here.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    headline, summary, body,
    content = 'articles', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, headline, summary, body)
    VALUES (new.id, new.headline, new.summary, new.body);
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, headline, summary, body)
    VALUES ('delete', old.id, old.headline, old.summary, old.body);
END;

CREATE TRIGGER articles_fts_update AFTER UPDATE OF headline, summary, body ON articles
WHEN old.headline IS NOT new.headline OR old.summary IS NOT new.summary OR old.body IS NOT new.body BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, headline, summary, body)
    VALUES ('delete', old.id, old.headline, old.summary, old.body);
    INSERT INTO articles_fts (rowid, headline, summary, body)
    VALUES (new.id, new.headline, new.summary, new.body);
END;

-- Index the articles that are there already.
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
