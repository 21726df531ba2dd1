-- split:none (trigger bodies hold semicolons)
-- Full-text search on SQLite: an FTS5 index over the articles table itself
-- (external content: the text is stored once, in articles). Porter stemming
-- finds "recognizing" for "recognize"; unicode61 with remove_diacritics 2
-- folds case and accents, so "cafe" finds "café". Drafts are indexed too,
-- for the newsroom; the public search filters on status.
--
-- A second, small index holds only the headline and the summary: for a
-- query with a very common word, the search ranks by whether the headline
-- or the summary matches, and asking this index costs a fraction of asking
-- the whole one (see internal/store/search.go).
--
-- Triggers keep both indexes in step with every insert, update and delete,
-- whatever code path makes them: no caller can forget. An update that does
-- not touch the text (a publish, an unpublish, a move) costs nothing here.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    headline, summary, body,
    content = 'articles', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE articles_titles_fts USING fts5(
    headline, summary,
    content = 'articles', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, headline, summary, body)
    VALUES (new.id, new.headline, new.summary, new.body);
    INSERT INTO articles_titles_fts (rowid, headline, summary)
    VALUES (new.id, new.headline, new.summary);
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, headline, summary, body)
    VALUES ('delete', old.id, old.headline, old.summary, old.body);
    INSERT INTO articles_titles_fts (articles_titles_fts, rowid, headline, summary)
    VALUES ('delete', old.id, old.headline, old.summary);
END;

CREATE TRIGGER articles_fts_update AFTER UPDATE OF headline, summary, body ON articles
WHEN old.headline IS NOT new.headline OR old.summary IS NOT new.summary OR old.body IS NOT new.body BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, headline, summary, body)
    VALUES ('delete', old.id, old.headline, old.summary, old.body);
    INSERT INTO articles_fts (rowid, headline, summary, body)
    VALUES (new.id, new.headline, new.summary, new.body);
    INSERT INTO articles_titles_fts (articles_titles_fts, rowid, headline, summary)
    VALUES ('delete', old.id, old.headline, old.summary);
    INSERT INTO articles_titles_fts (rowid, headline, summary)
    VALUES (new.id, new.headline, new.summary);
END;

-- What a search filters and ranks on, for each article, in an index of its
-- own: these columns come after the body in an article's row, which SQLite
-- can reach only by reading the body's overflow pages, some 10 KB per
-- candidate. The search query names this index (INDEXED BY).
CREATE INDEX articles_search_filter ON articles(id, status, published_at, section_id);

-- Index the articles that are there already.
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
INSERT INTO articles_titles_fts (articles_titles_fts) VALUES ('rebuild');
