-- A surname said alone at 1,000,000 subscribers has thousands of namesakes, and the next question
-- is the one that splits all of them best (issue 4): counting how their first names, patronymics,
-- streets, birth years and phones split read four tables per namesake, 280-440 ms for Морозов's
-- 2,487 (docs/benchmarks.md). One narrow row per account, indexed by surname with the facts
-- INCLUDEd, makes that count one index range; identification fetches candidates through it. The view below is the definition; triggers keep
-- the table equal to it for the accounts each statement touches; the application never writes it.
CREATE TABLE "askable_facts" (
	"account_id" integer PRIMARY KEY NOT NULL,
	"surname_norm" text COLLATE "C",
	"sort_key" text COLLATE "C" NOT NULL,
	"first_name" text,
	"patronymic" text,
	"building_id" integer NOT NULL,
	"street_id" integer NOT NULL,
	"birth_year" text,
	"phone_last4" text
);
--> statement-breakpoint
ALTER TABLE "askable_facts" ADD CONSTRAINT "askable_facts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- Same name and key as the Drizzle schema says; the INCLUDE makes the split an index-only scan,
-- and a surname in the houses said ("Перевалов Ленина 5") one index range filtered by building.
CREATE INDEX "askable_facts_surname_idx" ON "askable_facts" USING btree ("surname_norm")
  INCLUDE (sort_key, account_id, first_name, patronymic, building_id, street_id, birth_year, phone_last4);
--> statement-breakpoint
-- Names folded as the vocabulary folds them (an empty name is no name); the phone is the first on
-- record, the primary one first, as the card lists them.
CREATE VIEW askable_facts_source AS
SELECT a.id AS account_id, s.surname_norm, s.sort_key,
  nullif(translate(lower(s.first_name), 'ё', 'е'), '') AS first_name,
  nullif(translate(lower(s.patronymic), 'ё', 'е'), '') AS patronymic,
  c.building_id, b.street_id, left(s.birth_date::text, 4) AS birth_year,
  (SELECT right(p.phone, 4) FROM subscriber_phones p WHERE p.subscriber_id = s.id
    ORDER BY p.is_primary DESC, p.id LIMIT 1) AS phone_last4
FROM accounts a
JOIN subscribers s ON s.id = a.subscriber_id
JOIN contracts c ON c.account_id = a.id
JOIN buildings b ON b.id = c.building_id;
--> statement-breakpoint
-- Two transactions changing one account's facts at once (a rename, a new phone) take turns at the
-- account's row lock: the second then reads the first's committed change (each statement of this
-- function sees what has been committed before it starts) instead of writing a copy without it.
CREATE FUNCTION askable_facts_refresh(account_ids integer[]) RETURNS void LANGUAGE sql AS $$
  SELECT 1 FROM accounts WHERE id IN (SELECT unnest(account_ids)) ORDER BY id FOR NO KEY UPDATE;
  DELETE FROM askable_facts WHERE account_id IN (SELECT unnest(account_ids));
  INSERT INTO askable_facts SELECT * FROM askable_facts_source WHERE account_id IN (SELECT unnest(account_ids));
$$;
--> statement-breakpoint
-- A bulk load (the demo generator) sets linedesk.askable_facts to 'deferred' for its transaction
-- and calls this once at the end: one join over everything instead of one per COPY batch.
CREATE FUNCTION askable_facts_rebuild() RETURNS void LANGUAGE sql AS $$
  DELETE FROM askable_facts;
  INSERT INTO askable_facts SELECT * FROM askable_facts_source;
$$;
--> statement-breakpoint
-- Inserts and deletes of contracts and phones come in batches (a bulk load, an import): one
-- recomputation per statement for the accounts it touched.
CREATE FUNCTION askable_facts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('linedesk.askable_facts', true) = 'deferred' THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'contracts' THEN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM askable_facts_refresh(array(SELECT account_id FROM old_rows));
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
      PERFORM askable_facts_refresh(array(SELECT account_id FROM new_rows));
    END IF;
  ELSIF TG_TABLE_NAME = 'subscriber_phones' THEN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM askable_facts_refresh(array(
        SELECT a.id FROM accounts a WHERE a.subscriber_id IN (SELECT subscriber_id FROM old_rows)));
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
      PERFORM askable_facts_refresh(array(
        SELECT a.id FROM accounts a WHERE a.subscriber_id IN (SELECT subscriber_id FROM new_rows)));
    END IF;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER contracts_askable_facts_insert AFTER INSERT ON contracts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION askable_facts_follow();
--> statement-breakpoint
CREATE TRIGGER contracts_askable_facts_update AFTER UPDATE ON contracts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION askable_facts_follow();
--> statement-breakpoint
CREATE TRIGGER contracts_askable_facts_delete AFTER DELETE ON contracts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION askable_facts_follow();
--> statement-breakpoint
CREATE TRIGGER subscriber_phones_askable_facts_insert AFTER INSERT ON subscriber_phones
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION askable_facts_follow();
--> statement-breakpoint
CREATE TRIGGER subscriber_phones_askable_facts_update AFTER UPDATE ON subscriber_phones
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION askable_facts_follow();
--> statement-breakpoint
CREATE TRIGGER subscriber_phones_askable_facts_delete AFTER DELETE ON subscriber_phones
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION askable_facts_follow();
--> statement-breakpoint
-- Updates of a name, a birth date, an account's holder or a building's street are rare and come
-- one row at a time; their row-level triggers fire only when what the facts hold changed (a
-- balance or an account state does not).
CREATE FUNCTION askable_facts_follow_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('linedesk.askable_facts', true) = 'deferred' THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'subscribers' THEN
    PERFORM askable_facts_refresh(array(SELECT a.id FROM accounts a WHERE a.subscriber_id = NEW.id));
  ELSIF TG_TABLE_NAME = 'accounts' THEN
    PERFORM askable_facts_refresh(ARRAY[NEW.id]);
  ELSIF TG_TABLE_NAME = 'buildings' THEN
    PERFORM askable_facts_refresh(array(SELECT c.account_id FROM contracts c WHERE c.building_id = NEW.id));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER subscribers_askable_facts AFTER UPDATE ON subscribers FOR EACH ROW
  WHEN ((OLD.surname, OLD.first_name, OLD.patronymic, OLD.birth_date, OLD.org_name)
    IS DISTINCT FROM (NEW.surname, NEW.first_name, NEW.patronymic, NEW.birth_date, NEW.org_name))
  EXECUTE FUNCTION askable_facts_follow_row();
--> statement-breakpoint
CREATE TRIGGER accounts_askable_facts AFTER UPDATE ON accounts FOR EACH ROW
  WHEN (OLD.subscriber_id IS DISTINCT FROM NEW.subscriber_id)
  EXECUTE FUNCTION askable_facts_follow_row();
--> statement-breakpoint
CREATE TRIGGER buildings_askable_facts AFTER UPDATE ON buildings FOR EACH ROW
  WHEN (OLD.street_id IS DISTINCT FROM NEW.street_id)
  EXECUTE FUNCTION askable_facts_follow_row();
--> statement-breakpoint
SELECT askable_facts_rebuild();
