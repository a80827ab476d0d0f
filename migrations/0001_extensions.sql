-- Trigram and edit-distance matching for identification (vocabularies of surnames and streets).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
