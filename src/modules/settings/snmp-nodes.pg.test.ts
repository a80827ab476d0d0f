import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecondInstance, startTestApp, type TestApp } from '../../testing/test-app.js';

// PostgreSQL only: two administrators on two instances editing the SNMP settings at once.
let first: TestApp;
let second: TestApp;
let onFirst: string;
let onSecond: string;
let nodes: string[];
beforeAll(async () => {
  const env = { SETTINGS_KEY: 'b8'.repeat(32) };
  first = await startTestApp({ env });
  second = await startSecondInstance(first, { env });
  onFirst = await first.loginAs('admin');
  onSecond = await second.loginAs('admin');
  const rows = await first.database.rows<{ name: string }>(
    sql`select name from network_nodes where kind = 'access_switch' order by id limit 5`,
  );
  nodes = rows.map((row) => row.name);
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

const put = (t: TestApp, cookie: string, path: string, payload: object) =>
  t.app.inject({ method: 'PUT', url: `/api/settings/snmp${path}`, headers: { cookie }, payload });

describe('two administrators changing the SNMP settings at once', () => {
  it("adding one node's settings: one is added, the other gets 409, one addition audited", async () => {
    for (const node of nodes) {
      const answers = await Promise.all([
        put(first, onFirst, `/nodes/${node}`, { version: 'v2c', community: 'first-community' }),
        put(second, onSecond, `/nodes/${node}`, { version: 'v2c', community: 'second-community' }),
      ]);
      expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
      const [audited] = await first.database.rows<{ n: number }>(
        sql`select count(*)::int as n from audit_log where action = 'settings.snmp_node_added' and target_id = ${node}`,
      );
      expect(audited?.n).toBe(1);
    }
  });

  it('saving the poll settings from one version: one saved, the other gets 409', async () => {
    const polling = {
      intervalSeconds: 120,
      timeoutMs: 1000,
      retries: 1,
      backoffMaxSeconds: 900,
      jitterPercent: 5,
      concurrency: 8,
    };
    const answers = await Promise.all([
      put(first, onFirst, '/polling', polling),
      put(second, onSecond, '/polling', { ...polling, intervalSeconds: 240 }),
    ]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
    const [rows] = await first.database.rows<{ n: number }>(sql`select count(*)::int as n from settings_snmp_polling`);
    expect(rows?.n).toBe(1);
  });
});
