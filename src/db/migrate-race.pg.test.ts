import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { openPostgres } from './connection.js';
import { migrate, migrationsFolder } from './migrate.js';

// PostgreSQL only (*.pg.test.ts runs under `npm run test:pg`): on PGlite one process owns the
// data folder, so two instances can never race there.
const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
  entries: unknown[];
};

describe('migrations on PostgreSQL', () => {
  it('migrate once when two instances start at the same moment on PostgreSQL', async () => {
    const adminUrl = inject('postgresAdminUrl');
    const name = `linedesk_test_${process.pid}_migrate_race`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const [first, second] = await Promise.all([openPostgres(url.toString(), 1), openPostgres(url.toString(), 1)]);
    try {
      const results = await Promise.all([migrate(first), migrate(second)]);
      expect(results.map((result) => result.applied.length).sort()).toEqual([0, journal.entries.length]);
      const [row] = await first.rows<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(row!.n).toBe(journal.entries.length);
    } finally {
      await first.close();
      await second.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
