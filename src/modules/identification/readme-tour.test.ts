import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { generateDemoData } from '../../demo-data/generate.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import type { AppContext } from '../core/context.js';
import { identifyCaller } from './identify.js';

/**
 * The README's tour, step 2, against the demo `npm start` generates (20,000 subscribers, seed 1,
 * src/server/main.ts): every example in backticks that is something a caller says must find
 * someone, and an identifier must find them exactly. The examples are read from README.md itself,
 * so the README and this test cannot drift apart.
 */
const readme = fs.readFileSync(path.join(import.meta.dirname, '../../../README.md'), 'utf8');
const step = /^2\. As `l1`[\s\S]*?(?=^\d\. )/m.exec(readme)?.[0] ?? '';
const notSaid = new Set(['l1', 'Ctrl+K', '/', 'readme-tour.test.ts']);
const examples = [...step.matchAll(/`([^`]+)`/g)].map((match) => match[1]!).filter((text) => !notSaid.has(text));

let database: Database;
let ctx: AppContext;
beforeAll(async () => {
  database = await openTestDatabase();
  await generateDemoData(database, { subscribers: 20_000, seed: 1, replaceExisting: true });
  await database.db.execute(sql`analyze`);
  ctx = testContext(database);
}, 600_000);
afterAll(() => database?.close());

describe('the README tour', () => {
  it('has examples in step 2', () => {
    expect(examples.length).toBeGreaterThan(5);
  });

  it('finds someone for every example a caller might say, exactly for identifiers', async () => {
    const failed: string[] = [];
    for (const example of examples) {
      const result = await identifyCaller(ctx, 'l1', { q: example });
      const identifier = result.reading.identifiers.length > 0;
      if (result.total === 0 || (identifier && !result.exact) || result.notFitting.length > 0) {
        failed.push(
          `${example}: ${result.total} found${result.notFitting.length ? `, not fitting ${JSON.stringify(result.notFitting)}` : ''}`,
        );
      }
    }
    expect(failed).toEqual([]);
  });
});
