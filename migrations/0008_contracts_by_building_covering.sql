-- A building's contracts with their accounts and holders from the index alone: the list filtered by
-- street and house, and identification by an address, read every flat of a building, and those
-- contracts lie in as many heap pages as there are flats (subscribers sign in any order): at 1 M
-- the list by street and house went from p95 40 to 32 ms (docs/benchmarks.md). Same name and key
-- columns as before, so the Drizzle schema (which cannot say INCLUDE) still describes it.
DROP INDEX contracts_building_idx;
--> statement-breakpoint
CREATE INDEX contracts_building_idx ON contracts (building_id, apartment) INCLUDE (account_id, holder_id);
