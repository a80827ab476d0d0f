import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/connection.js';
import { testContext } from '../../../testing/context.js';
import { openAnotherPool, openTestDatabase } from '../../../testing/database.js';
import type { AppContext } from '../../core/context.js';
import { type IncomingAlert, recordAlerts } from './service.js';

// PostgreSQL only: two instances (each its own pool) taking the same alerts at once, as when a
// monitoring system's retry reaches the other Linedesk server while the first request still runs.
let database: Database;
let other: Database;
let first: AppContext;
let second: AppContext;
let nodeName: string;
beforeAll(async () => {
  database = await openTestDatabase();
  other = await openAnotherPool(database);
  first = testContext(database);
  second = testContext(other);
  const [node] = await database.rows<{ name: string }>(sql`select name from network_nodes order by id limit 1`);
  nodeName = node?.name ?? '';
});
afterAll(async () => {
  await other?.close();
  await database?.close();
});

const at = (time: string) => new Date(`2026-12-06T${time}Z`);

const alert = (fields: Partial<IncomingAlert> & { externalId: string }): IncomingAlert => ({
  source: 'alertmanager',
  identifiers: [nodeName],
  name: 'InterfaceDown',
  severity: 'critical',
  status: 'firing',
  summary: null,
  startedAt: at('08:00:00'),
  endedAt: null,
  ...fields,
});

const rowsOf = (externalId: string) =>
  database.rows<{ status: string }>(sql`select status from monitoring_alerts where external_id = ${externalId}`);

describe('two instances recording one alert at once', () => {
  it('the same new alert on both: one row, changed once', async () => {
    for (let round = 0; round < 10; round++) {
      const firing = alert({ externalId: `twice-${round}` });
      const results = await Promise.all([recordAlerts(first, [firing]), recordAlerts(second, [firing])]);
      expect(results.map((r) => r.changed).sort()).toEqual([0, 1]);
      expect(await rowsOf(`twice-${round}`)).toEqual([{ status: 'firing' }]);
    }
  });

  it('its firing on one and its resolution on the other: resolved, whichever commits first', async () => {
    for (let round = 0; round < 10; round++) {
      const externalId = `crossed-${round}`;
      await Promise.all([
        recordAlerts(first, [alert({ externalId })]),
        recordAlerts(second, [alert({ externalId, status: 'resolved', endedAt: at('08:05:00') })]),
      ]);
      expect(await rowsOf(externalId)).toEqual([{ status: 'resolved' }]);
    }
  });

  it('two groups overlapping in opposite orders: no deadlock, every alert once', async () => {
    const group = Array.from({ length: 200 }, (_, i) => alert({ externalId: `group-${i}` }));
    await Promise.all([recordAlerts(first, group), recordAlerts(second, [...group].reverse())]);
    const [{ count } = { count: 0 }] = await database.rows<{ count: number }>(
      sql`select count(*)::int as count from monitoring_alerts where external_id like 'group-%'`,
    );
    expect(count).toBe(200);
  });
});
