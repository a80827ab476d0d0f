import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Database } from './connection.js';

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

// Any constant shared by every Linedesk instance; "LNDSK" in ASCII.
const MIGRATION_LOCK_KEY = 0x4c4e44534b;

/**
 * Applies the committed migrations that this database has not seen, in one transaction under a
 * transaction-scoped advisory lock: two instances starting at once migrate once (Drizzle's own
 * migrate() reads the last applied migration before it locks anything), and a transaction lock
 * stays correct behind PgBouncer in transaction mode. The bookkeeping table is Drizzle's, so
 * drizzle-kit sees the same history.
 */
export async function migrate(database: Database): Promise<{ applied: string[] }> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const journal = await import(path.join(migrationsFolder, 'meta/_journal.json'), { with: { type: 'json' } });
  const tags: string[] = journal.default.entries.map((entry: { tag: string }) => entry.tag);
  const applied: string[] = [];
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.execute(sql`create schema if not exists drizzle`);
    await tx.execute(
      sql`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`,
    );
    const result = await tx.execute(sql`select max(created_at) as last from drizzle.__drizzle_migrations`);
    const last = Number((result as unknown as { rows: { last: string | null }[] }).rows[0]?.last ?? 0);
    for (const [index, migration] of migrations.entries()) {
      if (migration.folderMillis <= last) continue;
      for (const statement of migration.sql) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`,
      );
      applied.push(tags[index] ?? String(migration.folderMillis));
    }
  });
  return { applied };
}
