import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openPglite, openPostgres } from '../db/connection.js';

/**
 * A private copy of the run's demo database for one test file: a PostgreSQL database created
 * from the template, or a PGlite loaded from the dump. Tests own their data and can change it.
 */
export async function openTestDatabase(): Promise<Database> {
  const template = inject('postgresTemplate');
  if (template) {
    const adminUrl = inject('postgresAdminUrl');
    const name = template.replace(/_template$/, `_${randomBytes(4).toString('hex')}`);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`create database ${name} template ${template}`);
    } finally {
      await admin.end();
    }
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const database = await openPostgres(url.toString(), 4);
    const close = database.close;
    database.close = async () => {
      await close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    };
    return database;
  }
  const dump = fs.readFileSync(inject('pgliteDumpPath'));
  return openPglite(undefined, new Blob([dump]));
}

export const testEngine = () => (inject('postgresTemplate') ? 'postgres' : 'pglite');

/**
 * A second, independent connection pool to a test database on PostgreSQL: what another instance
 * of the app on the same database would have. PGlite has one process per database, so none there.
 */
export async function openAnotherPool(database: Database): Promise<Database> {
  if (database.engine !== 'postgres') throw new Error('two instances on one database need PostgreSQL');
  const [{ name } = { name: '' }] = await database.rows<{ name: string }>(sql`select current_database() as name`);
  const url = new URL(inject('postgresAdminUrl'));
  url.pathname = `/${name}`;
  return openPostgres(url.toString(), 4);
}
