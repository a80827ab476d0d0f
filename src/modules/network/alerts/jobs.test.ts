import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/connection.js';
import { testContext } from '../../../testing/context.js';
import { openTestDatabase } from '../../../testing/database.js';
import { alertJobs, alertRecurringJobs, PRUNE_ALERTS_JOB } from './jobs.js';
import { recordAlerts } from './service.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

describe('the prune job', () => {
  it('forgets alerts resolved more than 30 days ago, keeps later ones and every firing one, daily', async () => {
    const now = new Date('2026-11-25T09:00:00Z');
    const ctx = testContext(database, { clock: () => now });
    const alert = (externalId: string, startedAt: string, endedAt: string | null) => ({
      source: 'alertmanager' as const,
      externalId,
      identifiers: ['no-such-node'],
      name: externalId,
      severity: 'warning',
      status: endedAt === null ? ('firing' as const) : ('resolved' as const),
      summary: null,
      startedAt: new Date(startedAt),
      endedAt: endedAt === null ? null : new Date(endedAt),
    });
    await recordAlerts(ctx, [
      alert('resolved-long-ago', '2026-10-01T00:00:00Z', '2026-10-26T08:59:59Z'),
      alert('resolved-lately', '2026-10-01T00:00:00Z', '2026-10-26T09:00:01Z'),
      alert('firing-for-months', '2026-08-01T00:00:00Z', null),
    ]);
    await alertJobs[PRUNE_ALERTS_JOB]?.(ctx, {});
    const left = await database.rows<{ external_id: string }>(
      sql`select external_id from monitoring_alerts order by external_id`,
    );
    expect(left.map((row) => row.external_id)).toEqual(['firing-for-months', 'resolved-lately']);
    expect(alertRecurringJobs).toEqual([{ kind: PRUNE_ALERTS_JOB, seconds: 86_400 }]);
  });
});
