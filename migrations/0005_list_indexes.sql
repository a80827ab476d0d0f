-- The subscriber list sorts accounts by their holder's name and filters them by account fields
-- (state, tariff, debt). With the name only on `subscribers`, a state filter walked the name index
-- and probed `accounts` for every subscriber until a page of matches turned up (~800 probes per
-- page for a 6 % state; 4.5 s p95 with OFFSET at 1 M, docs/benchmarks.md). A copy of the holder's
-- sort key on each account lets one index answer order, filter and keyset cursor together.
-- Triggers keep the copy equal to the holder's key: set on insert and on a change of holder,
-- passed on when the holder's name changes. Never written by the application.
ALTER TABLE accounts ADD COLUMN sort_key text COLLATE "C";
--> statement-breakpoint
UPDATE accounts a SET sort_key = s.sort_key FROM subscribers s WHERE s.id = a.subscriber_id;
--> statement-breakpoint
ALTER TABLE accounts ALTER COLUMN sort_key SET NOT NULL;
--> statement-breakpoint
CREATE FUNCTION accounts_take_holder_sort_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT s.sort_key INTO NEW.sort_key FROM subscribers s WHERE s.id = NEW.subscriber_id;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER accounts_holder_sort_key BEFORE INSERT OR UPDATE OF subscriber_id, sort_key ON accounts
  FOR EACH ROW EXECUTE FUNCTION accounts_take_holder_sort_key();
--> statement-breakpoint
CREATE FUNCTION subscribers_pass_sort_key_to_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE accounts SET sort_key = NEW.sort_key WHERE subscriber_id = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER subscribers_sort_key_to_accounts AFTER UPDATE ON subscribers
  FOR EACH ROW WHEN (OLD.sort_key IS DISTINCT FROM NEW.sort_key)
  EXECUTE FUNCTION subscribers_pass_sort_key_to_accounts();
--> statement-breakpoint
-- The list's order, and its keyset cursor (sort_key, subscriber_id, id), for every filter...
CREATE INDEX accounts_list_idx ON accounts (sort_key, subscriber_id, id);
--> statement-breakpoint
-- ...and within one account state.
CREATE INDEX accounts_state_list_idx ON accounts (state, sort_key, subscriber_id, id);
--> statement-breakpoint
-- A page's 50 phones (the primary one, else the first) read from the index alone, without a sort.
CREATE INDEX subscriber_phones_first_idx ON subscriber_phones (subscriber_id, is_primary DESC, id) INCLUDE (phone);
