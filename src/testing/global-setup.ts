import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPglite, openPostgres } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { generateDemoData } from '../demo-data/generate.js';
import { TEST_DEMO } from './demo.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDumpPath: string;
    postgresTemplate: string;
    postgresAdminUrl: string;
  }
}

function databaseUrl(base: string, database: string) {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Builds the migrated demo database once per run; test files copy it (testing/database.ts). */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const template = `linedesk_test_${process.pid}_template`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
    const database = await openPostgres(databaseUrl(adminUrl, template), 2);
    await migrate(database);
    await generateDemoData(database, TEST_DEMO);
    await database.db.execute(sql`analyze`);
    await database.close();
    project.provide('postgresTemplate', template);
    project.provide('postgresAdminUrl', adminUrl);
    project.provide('pgliteDumpPath', '');
    return async () => {
      const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [
        `linedesk_test_${process.pid}_%`,
      ]);
      for (const { datname } of rows) {
        await admin.query(`drop database if exists ${datname} with (force)`);
      }
      await admin.end();
    };
  }
  const database = await openPglite(undefined);
  await migrate(database);
  await generateDemoData(database, TEST_DEMO);
  await database.db.execute(sql`analyze`);
  const dump = await database.pglite?.dumpDataDir('gzip');
  await database.close();
  if (!dump) throw new Error('PGlite dump failed');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedesk-test-'));
  const dumpPath = path.join(dir, 'template.tar.gz');
  fs.writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteDumpPath', dumpPath);
  project.provide('postgresTemplate', '');
  project.provide('postgresAdminUrl', '');
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
