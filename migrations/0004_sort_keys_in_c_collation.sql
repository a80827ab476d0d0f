-- Folded search and sort keys compare byte by byte (COLLATE "C") on every engine: PGlite's
-- default is C already, PostgreSQL's is whatever the cluster was created with. With "C" a prefix
-- LIKE ('иванов%') can use the btree index, and folded Russian text (lower case, ё → е) sorts
-- in alphabetical order, identically on both engines.
ALTER TABLE subscribers ALTER COLUMN sort_key TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE subscribers ALTER COLUMN surname_norm TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE subscribers ALTER COLUMN org_name_norm TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE streets ALTER COLUMN name_norm TYPE text COLLATE "C";
