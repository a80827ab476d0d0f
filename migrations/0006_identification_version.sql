-- Identification keeps the name vocabulary and the streets in memory (vocabulary.ts). Instead of
-- reloading them on a timer (at 1,000,000 subscribers a reload held the server for 180-380 ms),
-- it reloads them when this version has moved: every statement that changes a vocabulary word,
-- a street or a building bumps it (statement-level, so a bulk load bumps it once per statement),
-- and a server reads it with a one-row primary-key SELECT every few seconds.
CREATE TABLE identification_version (
	id integer PRIMARY KEY CHECK (id = 1),
	version bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO identification_version (id, version) VALUES (1, 0);
--> statement-breakpoint
CREATE FUNCTION identification_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE identification_version SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER name_vocabulary_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON name_vocabulary
  FOR EACH STATEMENT EXECUTE FUNCTION identification_version_bump();
--> statement-breakpoint
CREATE TRIGGER streets_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON streets
  FOR EACH STATEMENT EXECUTE FUNCTION identification_version_bump();
--> statement-breakpoint
CREATE TRIGGER buildings_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON buildings
  FOR EACH STATEMENT EXECUTE FUNCTION identification_version_bump();
