-- The plain text of each article's body, a passage a line
-- (search.Passages), for search results' snippets: a snippet then parses no
-- Markdown, however many results a search shows and whatever a story
-- holds. NULL until it is filled: the store fills it on every save, and,
-- once after this migration, for the articles already there
-- (Store.fillPassages), which SQL alone cannot (it takes a Markdown parser).
-- On SQLite the new column goes at the end of the row, after the body.
ALTER TABLE articles ADD COLUMN body_passages TEXT;
