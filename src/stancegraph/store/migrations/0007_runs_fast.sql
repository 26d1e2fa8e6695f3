-- Schema version 7: whether an ingest run found quotes with the CRF tagger (`ingest --fast`,
-- issue 17). Runs recorded before read as NULL (not known). See store/SCHEMA.md.

ALTER TABLE runs ADD COLUMN IF NOT EXISTS fast BOOLEAN;
