-- foreign_keys:off (a rebuild of a table others refer to: see store.migrate)
-- split:none (trigger bodies hold semicolons)
--
-- An article's text goes to the end of its row. SQLite stores a row's
-- columns in order and spills what does not fit in a page into a chain of
-- overflow pages; a column after the text (status, the times, the photo,
-- the revision...) is reached only by reading that whole chain, some 10 KB
-- an article. Every list of cards (fronts, tag and author pages, feeds
-- without bodies) paid it per card: at 10,000 articles, a fifth of a full
-- export's CPU went to overflow pages. With the text last, a card reads one
-- page, and a full article page reads the text it shows anyway.
--
-- SQLite changes a column's place only by copying the table (its
-- documented twelve steps): a new table in the new order, every row
-- copied with its id, the old table dropped, the new one renamed, its
-- indexes and triggers made again. The full-text indexes are external
-- content keyed by article id, which the copy keeps, so they stay valid.
-- PostgreSQL keeps long text out of line (TOAST) and needs none of this.
CREATE TABLE articles_new (
    id              INTEGER PRIMARY KEY,
    section_id      BIGINT NOT NULL REFERENCES sections(id),
    slug            TEXT NOT NULL,
    headline        TEXT NOT NULL,
    summary         TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    published_at    BIGINT NOT NULL DEFAULT 0,
    updated_at      BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    modified_at     BIGINT NOT NULL,
    publish_at      BIGINT NOT NULL DEFAULT 0,
    revision        INTEGER NOT NULL DEFAULT 0,
    created_by      BIGINT REFERENCES users(id),
    photo_media_id  BIGINT REFERENCES media(id),
    photo_alt       TEXT NOT NULL DEFAULT '',
    photo_caption   TEXT NOT NULL DEFAULT '',
    photo_credit    TEXT NOT NULL DEFAULT '',
    seo_title       TEXT NOT NULL DEFAULT '',
    seo_description TEXT NOT NULL DEFAULT '',
    body_html       TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL DEFAULT '',
    UNIQUE (section_id, slug)
);

INSERT INTO articles_new (id, section_id, slug, headline, summary, status, published_at, updated_at,
    created_at, modified_at, publish_at, revision, created_by, photo_media_id, photo_alt,
    photo_caption, photo_credit, seo_title, seo_description, body_html, body)
SELECT id, section_id, slug, headline, summary, status, published_at, updated_at,
    created_at, modified_at, publish_at, revision, created_by, photo_media_id, photo_alt,
    photo_caption, photo_credit, seo_title, seo_description, body_html, body
FROM articles;

-- Its indexes and the full-text triggers go with it.
DROP TABLE articles;
ALTER TABLE articles_new RENAME TO articles;

CREATE INDEX articles_section_published ON articles(section_id, status, published_at, id);
CREATE INDEX articles_due ON articles(status, publish_at);
CREATE INDEX articles_modified ON articles(status, modified_at);
CREATE INDEX articles_search_filter ON articles(id, status, published_at, section_id);
CREATE INDEX articles_listing ON articles(status, published_at, id, section_id);

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
