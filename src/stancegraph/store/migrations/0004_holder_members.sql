-- Schema version 4: the actors a quote or a stance counts for (issue 10: a quote of "both
-- leaders" counts for each member), a JSON list of corpus actor ids. Rows written before read
-- as an empty list. See store/SCHEMA.md.

ALTER TABLE quotes ADD COLUMN IF NOT EXISTS actors JSON;
ALTER TABLE stances ADD COLUMN IF NOT EXISTS actors JSON;
