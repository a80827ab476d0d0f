-- Identification: the vocabulary of names kept exact by statement-level triggers (one
-- aggregated upsert per INSERT/UPDATE/DELETE statement, so bulk loads stay fast), and the
-- indexes that fetch candidate rows by exact values.
CREATE FUNCTION name_vocabulary_words(kind text, surname text, first_name text, patronymic text)
RETURNS TABLE (kind text, word text) LANGUAGE sql IMMUTABLE AS $$
  SELECT v.kind, translate(lower(v.word), 'ё', 'е') FROM (VALUES
    ('surname', surname), ('first_name', first_name), ('patronymic', patronymic)
  ) AS v(kind, word)
  WHERE $1 = 'person' AND v.word IS NOT NULL AND v.word <> ''
$$;
--> statement-breakpoint
CREATE FUNCTION name_vocabulary_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    WITH gone AS (
      SELECT w.kind, w.word, count(*)::int AS n FROM old_rows o
      CROSS JOIN LATERAL name_vocabulary_words(o.kind::text, o.surname, o.first_name, o.patronymic) w
      GROUP BY w.kind, w.word
    )
    UPDATE name_vocabulary v SET subscribers = v.subscribers - gone.n
    FROM gone WHERE v.kind = gone.kind AND v.word = gone.word;
    DELETE FROM name_vocabulary WHERE subscribers <= 0;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO name_vocabulary (kind, word, subscribers)
    SELECT w.kind, w.word, count(*)::int FROM new_rows n
    CROSS JOIN LATERAL name_vocabulary_words(n.kind::text, n.surname, n.first_name, n.patronymic) w
    GROUP BY w.kind, w.word
    ON CONFLICT (kind, word) DO UPDATE SET subscribers = name_vocabulary.subscribers + excluded.subscribers;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER subscribers_vocabulary_insert AFTER INSERT ON subscribers
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION name_vocabulary_count();
--> statement-breakpoint
CREATE TRIGGER subscribers_vocabulary_update AFTER UPDATE ON subscribers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION name_vocabulary_count();
--> statement-breakpoint
CREATE TRIGGER subscribers_vocabulary_delete AFTER DELETE ON subscribers
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION name_vocabulary_count();
--> statement-breakpoint
CREATE FUNCTION name_vocabulary_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM name_vocabulary;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER subscribers_vocabulary_truncate AFTER TRUNCATE ON subscribers
  FOR EACH STATEMENT EXECUTE FUNCTION name_vocabulary_clear();
--> statement-breakpoint
INSERT INTO name_vocabulary (kind, word, subscribers)
SELECT w.kind, w.word, count(*)::int FROM subscribers s
CROSS JOIN LATERAL name_vocabulary_words(s.kind::text, s.surname, s.first_name, s.patronymic) w
GROUP BY w.kind, w.word;
--> statement-breakpoint
-- Organisations are found by any word of their name ("Ромашка" in «ООО «Ромашка»»).
CREATE INDEX subscribers_org_name_trgm_idx ON subscribers USING gin (org_name_norm gin_trgm_ops) WHERE kind = 'organisation';
--> statement-breakpoint
-- A contract number read without its prefix and year ("012345") is found by its serial alone.
CREATE INDEX contracts_serial_idx ON contracts ((split_part(number, '-', 3)));
--> statement-breakpoint
-- Houses are compared case-folded ("5а" = "5А").
CREATE INDEX buildings_street_house_idx ON buildings (street_id, lower(house));
