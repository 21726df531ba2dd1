-- The search vector of a story is made of its headline, its summary and the
-- first 64 KiB of its body, no more (about 10,000 words: all of nearly every
-- story, and the opening of the longest reads; SQLite's index still holds
-- the whole body). A story's vector grew with its body: 190 KB of distinct
-- words made a vector of 372 KB, and PostgreSQL reads a candidate's whole
-- vector to match and rank it, so a thousand such stories among the newest
-- made every query of common words take 60 to 160 ms on a quiet machine
-- (see docs/performance.md, "Search over hostile stories"). With the bound
-- a vector is at most about a third of that.
--
-- A generated column's expression cannot be altered: the column is made
-- again, which computes every story's vector once (a minute or so at
-- 100,000 stories) and builds the index again.
ALTER TABLE articles DROP COLUMN search_vector;
ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('newsdesk_english', headline), 'A') ||
    setweight(to_tsvector('newsdesk_english', summary), 'B') ||
    setweight(to_tsvector('newsdesk_english', left(body, 65536)), 'D')
) STORED;
CREATE INDEX articles_search ON articles USING GIN (search_vector);
ANALYZE articles;
