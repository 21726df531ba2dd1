-- The order a writer gave an article's tags in: the page, its JSON-LD
-- keywords, the feeds and the API list them so. Links made before this
-- have position 0 each, and keep the order they were read in before (by
-- name).
ALTER TABLE article_tags ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
