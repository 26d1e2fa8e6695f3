-- Schema version 8: the language each article was analysed in ('en', 'fr'), given or detected.
-- NULL for a duplicate (it has its original's language) and for stores written before this
-- version, which held English articles only: those are taken as 'en'.

ALTER TABLE articles ADD COLUMN IF NOT EXISTS lang TEXT;
UPDATE articles SET lang = 'en' WHERE lang IS NULL AND duplicate_of IS NULL;
