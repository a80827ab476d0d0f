import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPglite } from './connection.js';
import { migrate, migrationsFolder } from './migrate.js';

const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
  entries: { idx: number; when: number; tag: string }[];
};

describe('migrations', () => {
  it('have journal timestamps that strictly increase (an older one would be skipped silently)', () => {
    const whens = journal.entries.map((entry) => entry.when);
    for (let i = 1; i < whens.length; i++) expect(whens[i], journal.entries[i]!.tag).toBeGreaterThan(whens[i - 1]!);
    for (const entry of journal.entries) {
      expect(fs.existsSync(path.join(migrationsFolder, `${entry.tag}.sql`)), entry.tag).toBe(true);
    }
  });

  it('apply once and are a no-op the second time', async () => {
    const database = await openPglite(undefined);
    try {
      expect((await migrate(database)).applied).toHaveLength(journal.entries.length);
      expect((await migrate(database)).applied).toHaveLength(0);
    } finally {
      await database.close();
    }
  });
});
