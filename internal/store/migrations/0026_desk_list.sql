-- The newsroom's article list sorts by any column, both ways, and pages by
-- keyset on (the column, id) (issue 18, store.DeskList). Without a status
-- to narrow it, none of the listing indexes (they lead with status) gives
-- that order, and at 100,000 stories each page sorted the whole table
-- (190 ms on SQLite at 20,000 by headline). Each index below is walked in
-- either direction, and stops at the page. Sorting by section walks the
-- sections by path and each section's stories by id; by status, each
-- status's stories by id.
CREATE INDEX articles_desk_modified ON articles(modified_at, id);
CREATE INDEX articles_desk_published ON articles(published_at, id);
CREATE INDEX articles_desk_headline ON articles(headline, id);
CREATE INDEX articles_desk_status ON articles(status, id);
CREATE INDEX articles_desk_section ON articles(section_id, id);
-- Sorting by author walks the authors' names in order and, for each, the
-- stories whose first byline (position 0) is theirs, by id: this index
-- gives them in order and stops at the page (without it, each author's
-- bylines were all read and sorted: p50 32 ms at 100,000 on SQLite).
CREATE INDEX article_authors_first ON article_authors(author_id, position, article_id);
