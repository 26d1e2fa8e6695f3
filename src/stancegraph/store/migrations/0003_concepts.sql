-- Schema version 3: the user's concept list and the cache of concept label analyses
-- (networks/concepts.py). A store without these tables (version 2, opened read-only where it
-- cannot be upgraded) reads as having an empty list and an empty cache. See store/SCHEMA.md.
-- IF NOT EXISTS: development builds created these tables on first use, outside the migrations.

CREATE SEQUENCE IF NOT EXISTS concept_ids START 1;

CREATE TABLE IF NOT EXISTS concepts (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS concept_aliases (
    concept_id INTEGER NOT NULL,
    alias TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS concept_label_cache (
    label TEXT PRIMARY KEY,
    info JSON NOT NULL,
    model TEXT,
    embedding FLOAT[]
);
