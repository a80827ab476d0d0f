import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { buildApp } from '../../server/app.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import { checkSecretsAtStart } from './secrets.js';
import { operationalSettings, readSecret, writeSecret } from './service.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

const admin = { id: 1 };

describe('a fresh database', () => {
  it('gets the defaults and the shipped calendar once, however many readers ask at once', async () => {
    const ctx = testContext(database);
    const all = await Promise.all([operationalSettings(ctx), operationalSettings(testContext(database))]);
    expect(all[0]?.lines.map((line) => line.id)).toEqual(['l1', 'l2', 'l3']);
    const [counts] = await database.rows<{ documents: number; days: number }>(
      sql`select (select count(*) from settings_documents)::int as documents,
        (select count(*) from production_calendar_days)::int as days`,
    );
    expect(counts).toEqual({ documents: 3, days: 22 });
  });
});

describe('a production server', () => {
  const production = { NODE_ENV: 'production' };

  it('without SETTINGS_KEY stores no secret, and says what to set', async () => {
    const ctx = testContext(database, { env: production });
    await expect(writeSecret(ctx, admin, 'pbx.webhookSecret', 'x'.repeat(32), null)).rejects.toMatchObject({
      code: 'settings.key_missing',
      status: 409,
    });
  });

  it('without SETTINGS_KEY does not start once a secret is stored, and the message names SETTINGS_KEY', async () => {
    const key = 'd4'.repeat(32);
    await writeSecret(
      testContext(database, { env: { ...production, SETTINGS_KEY: key } }),
      admin,
      'pbx.webhookSecret',
      'y'.repeat(32),
      null,
    );
    const keyless = testContext(database, { env: production });
    await expect(checkSecretsAtStart(keyless)).rejects.toThrow(
      /^SETTINGS_KEY: is required in production once a secret is stored \(pbx\.webhookSecret/,
    );
    await expect(buildApp(keyless, { serveWeb: false })).rejects.toThrow(/SETTINGS_KEY/);
    // With its key it starts and reads the secret.
    const keyed = testContext(database, { env: { ...production, SETTINGS_KEY: key } });
    await expect(checkSecretsAtStart(keyed)).resolves.toBeUndefined();
    expect(await readSecret(keyed, 'pbx.webhookSecret')).toBe('y'.repeat(32));
  });
});
