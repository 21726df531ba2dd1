-- Site settings editable at run time (publication name, language, logo,
-- social handles, the mirror list...). One row per key; values are text
-- (JSON where a setting is structured).
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
