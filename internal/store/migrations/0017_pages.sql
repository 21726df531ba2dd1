-- Standing pages: About, Contact, the corrections and ethics policies,
-- privacy, terms (news.Page). Each is at /{slug}, beside the top sections'
-- fronts, so the store refuses a page slug a top section has and a top
-- section slug a page has (pages.go). footer is the page's place among
-- the footer's links (0: not there); role is the schema.org property of
-- the publisher's JSON-LD that links it (publishingPrinciples,
-- correctionsPolicy...), one page per role. revision is the number of
-- the page's latest revision. As in articles, the text goes last.
CREATE TABLE pages (
    id              {{id}},
    slug            TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    status          TEXT NOT NULL,
    footer          INTEGER NOT NULL DEFAULT 0,
    role            TEXT NOT NULL DEFAULT '',
    seo_title       TEXT NOT NULL DEFAULT '',
    seo_description TEXT NOT NULL DEFAULT '',
    published_at    BIGINT NOT NULL DEFAULT 0,
    updated_at      BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    modified_at     BIGINT NOT NULL,
    revision        INTEGER NOT NULL DEFAULT 0,
    body_html       TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX pages_role ON pages(role) WHERE role <> '';

-- Every save of a page that changed its content, whole (data is JSON of
-- news.PageContent). Append-only, as the articles' revisions.
CREATE TABLE page_revisions (
    id         {{id}},
    page_id    BIGINT NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,
    user_id    BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    data       TEXT NOT NULL,
    UNIQUE (page_id, number)
);
