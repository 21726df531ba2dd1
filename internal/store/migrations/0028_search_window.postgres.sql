-- The search index holds each story's day of publication beside its words
-- (btree_gin: a GIN index over an ordinary value), so that one index scan
-- finds the matches of a query published in a range of days: the newest
-- window of the archive, or a reader's date range. Before, the index gave
-- every match of the words and PostgreSQL visited each one's row to read
-- its date: 12,000 rows (7,400 pages) for "match season coach" at 100,000
-- stories, to keep the newest 200. With the window it visits about the
-- matches of the window only (see docs/search.md, "PostgreSQL's
-- candidates"). Days, not times: a range of days is a few entries of the
-- index, where a range of times is one entry per story, and reading tens of
-- thousands of entries cost more than the rows saved. The index also
-- answers a search by its words alone, as the one it replaces did.
--
-- btree_gin ships with PostgreSQL (Debian's postgresql package) and is a
-- trusted extension: the database owner may create it. Building the index
-- reads every story's vector once: about a minute at 100,000 stories.
--
-- The site goes on reading stories while the index is built: building
-- takes a SHARE lock on articles, which holds back writes (a newsroom save
-- waits) but not reads. So the old index is not dropped here: DROP INDEX
-- takes an ACCESS EXCLUSIVE lock, held to the end of the transaction,
-- which first held back every read of a story for the whole build, and
-- after the build (a lock taken up from SHARE) made PostgreSQL abort the
-- migration as a deadlock when a save had read a story and was waiting to
-- write it. The old index is renamed (a lock on the index alone) and the
-- store drops it after the migrations, concurrently (dropOldSearchIndex).
CREATE EXTENSION IF NOT EXISTS btree_gin;
ALTER INDEX articles_search RENAME TO articles_search_words;
CREATE INDEX articles_search ON articles USING GIN (search_vector, (published_at / 86400000000));
