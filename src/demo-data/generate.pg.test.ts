import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/connection.js';
import { openTestDatabase } from '../testing/database.js';
import { generateDemoData } from './generate.js';

// PostgreSQL only (*.pg.test.ts runs under `npm run test:pg`): there the generator loads by COPY
// with the indexes and foreign keys dropped, and must leave them exactly as the migrations made them.
let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

const catalog = () =>
  database.rows<{ line: string }>(sql`
    select pg_get_indexdef(indexrelid) as line from pg_index where indrelid::regclass::text not like 'pg_%'
    union all
    select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) from pg_constraint
    where connamespace = 'public'::regnamespace
    order by line`);

describe('the demo ISP generator on PostgreSQL', () => {
  it('leaves every index and constraint the migrations made, and they hold', async () => {
    const before = await catalog();
    expect(before.some((row) => row.line.includes('ledger_entries_account_idx'))).toBe(true);
    await generateDemoData(database, { subscribers: 1_000, seed: 3, today: '2026-11-25', replaceExisting: true });
    expect(await catalog()).toEqual(before);
    const orphan = await database
      .rows(sql`insert into ledger_entries (account_id, kind, amount_kopecks, occurred_at, description)
        values (999999999, 'payment', 100, now(), 'no such account')`)
      .catch((error: Error) => error);
    expect(String((orphan as Error).cause)).toMatch(/foreign key/);
  });
});
