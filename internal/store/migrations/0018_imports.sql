-- What each import from another system made of each of its items: the
-- source ("wordpress", "ghost") and the source's own id for the item lead
-- to the article or page it became, so importing the same export again
-- updates that article in place instead of adding another. digest is a
-- hash of the item as last imported: an item that has not changed is
-- passed over without converting its body or reading its photos again.
-- page_id has no foreign key: pages come in their own migration, and a
-- deleted page's row is found stale and replaced.
CREATE TABLE imported (
    source     TEXT NOT NULL,
    source_id  TEXT NOT NULL,
    article_id BIGINT REFERENCES articles(id) ON DELETE CASCADE,
    page_id    BIGINT,
    digest     TEXT NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (source, source_id)
);
CREATE INDEX imported_article ON imported(article_id);

-- An old address may also lead to a fixed path on this site (a tag page,
-- a feed, a standing page) rather than to an article or a section.
ALTER TABLE redirects ADD COLUMN to_path TEXT;
