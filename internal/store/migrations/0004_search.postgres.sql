-- Full-text search on PostgreSQL: a tsvector kept by the database itself (a
-- generated column, so no code path can forget it) with a GIN index.
--
-- The text search configuration is English (stemming: "recognizing" finds
-- "recognize"; common words left out) with the unaccent dictionary in front
-- of the stemmer, so "cafe" finds "café". Putting unaccent inside the
-- configuration, rather than calling unaccent() around the text, keeps every
-- function in the column's expression immutable, which a generated column
-- and its index need, and applies the same folding to queries for free.
-- unaccent ships with PostgreSQL (Debian's postgresql package includes it)
-- and is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TEXT SEARCH CONFIGURATION newsdesk_english (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION newsdesk_english
    ALTER MAPPING FOR word, hword, hword_part WITH unaccent, english_stem;

-- Weights: A for the headline, B for the summary, D for the body; ranking
-- counts a headline match ten times a body match.
ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('newsdesk_english', headline), 'A') ||
    setweight(to_tsvector('newsdesk_english', summary), 'B') ||
    setweight(to_tsvector('newsdesk_english', body), 'D')
) STORED;

CREATE INDEX articles_search ON articles USING GIN (search_vector);
