-- Marks are how far a background worker has carried the change log out of
-- the program: the purge hook and the WebSub announcer record the newest
-- change they have sent, so an instance that starts after changes made
-- while none ran (an import from the command line, a restart) sends those
-- too. One row per worker, moved forward only.
CREATE TABLE marks (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
