import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
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
