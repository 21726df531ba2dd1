-- Lists of published articles (the home page's blocks, section fronts
-- with subsections, feeds) ask for "status = published, section in (a
-- list), id not in (a list), newest first". The planner walks an index
-- in (status, published_at, id) order and stops at the LIMIT; with
-- section_id in that index too it checks each candidate's section in the
-- index instead of reading the article's row, which was most of the cost
-- of a section front (a large row per candidate; an editorials section
-- holding 3% of the archive means some 700 candidates for 21 stories).
-- The new index has the old one's columns first, so it serves every
-- query the old one did, and the old one goes.
CREATE INDEX articles_listing ON articles(status, published_at, id, section_id);
DROP INDEX articles_published;
