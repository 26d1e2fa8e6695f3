-- Schema version 6: reserved. This number belongs to a migration of another branch (the french
-- branch's article language is 0008); the merge replaces this file with that migration.
SELECT 1;
