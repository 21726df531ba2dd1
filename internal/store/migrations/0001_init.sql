-- The content model. Portable SQL for SQLite and PostgreSQL: {{id}} becomes
-- each engine's auto-increment primary key. Times are Unix microseconds
-- (UTC) in BIGINT columns, 0 meaning "none": one representation on both
-- engines, sortable, and exact.

CREATE TABLE sections (
    id          {{id}},
    parent_id   BIGINT REFERENCES sections(id),
    slug        TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    path        TEXT NOT NULL UNIQUE
);
CREATE INDEX sections_parent ON sections(parent_id);

CREATE TABLE authors (
    id     {{id}},
    slug   TEXT NOT NULL UNIQUE,
    name   TEXT NOT NULL,
    bio    TEXT NOT NULL DEFAULT '',
    agency INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tags (
    id   {{id}},
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE media (
    id         {{id}},
    hash       TEXT NOT NULL UNIQUE,
    type       TEXT NOT NULL,
    size       BIGINT NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

CREATE TABLE articles (
    id             {{id}},
    section_id     BIGINT NOT NULL REFERENCES sections(id),
    slug           TEXT NOT NULL,
    headline       TEXT NOT NULL,
    summary        TEXT NOT NULL DEFAULT '',
    body           TEXT NOT NULL DEFAULT '',
    body_html      TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    published_at   BIGINT NOT NULL DEFAULT 0,
    updated_at     BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    modified_at    BIGINT NOT NULL,
    photo_media_id BIGINT REFERENCES media(id),
    photo_alt      TEXT NOT NULL DEFAULT '',
    photo_caption  TEXT NOT NULL DEFAULT '',
    photo_credit   TEXT NOT NULL DEFAULT '',
    UNIQUE (section_id, slug)
);
-- Fronts, feeds and the home page list published articles newest first.
CREATE INDEX articles_published ON articles(status, published_at, id);
CREATE INDEX articles_section_published ON articles(section_id, status, published_at, id);

CREATE TABLE article_authors (
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    author_id  BIGINT NOT NULL REFERENCES authors(id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_author ON article_authors(author_id, article_id);

CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag_id     BIGINT NOT NULL REFERENCES tags(id),
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags(tag_id, article_id);

-- Corrections are append-only: the store has no statement that updates or
-- deletes one.
CREATE TABLE corrections (
    id         {{id}},
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    at         BIGINT NOT NULL,
    text       TEXT NOT NULL
);
CREATE INDEX corrections_article ON corrections(article_id, at);

-- Editors' order of the home page's top stories.
CREATE TABLE top_stories (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL
);

-- Every committed change bumps this log, so other instances (and the page
-- cache) learn that something changed.
CREATE TABLE changes (
    id   {{id}},
    at   BIGINT NOT NULL,
    what TEXT NOT NULL
);
