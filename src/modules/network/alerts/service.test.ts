import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/connection.js';
import { openTestDatabase } from '../../../testing/database.js';
import { alertsOfNodes } from './service.js';

let database: Database;
let nodes: { id: number; name: string }[];
beforeAll(async () => {
  database = await openTestDatabase();
  nodes = await database.rows(sql`select id, name from network_nodes order by id limit 2`);
});
afterAll(() => database?.close());

const at = (time: string) => new Date(`2026-12-06T${time}Z`);

async function storeAlert(fields: {
  externalId: string;
  nodeId: number | null;
  status: 'firing' | 'resolved';
  startedAt: Date;
  endedAt?: Date;
}) {
  await database.rows(sql`
    insert into monitoring_alerts (source, external_id, node_id, node_identifier, name, severity, status, summary,
      started_at, ended_at, updated_at)
    values ('alertmanager', ${fields.externalId}, ${fields.nodeId}, 'x', ${`Alert ${fields.externalId}`}, 'critical',
      ${fields.status}, null, ${fields.startedAt}, ${fields.endedAt ?? null}, ${fields.endedAt ?? fields.startedAt})`);
}

describe("a node's alerts for the card", () => {
  it('are those firing and those resolved since the given time, newest first, and none of unknown nodes', async () => {
    const [first, second] = nodes;
    if (!first || !second) throw new Error('the demo has nodes');
    await storeAlert({ externalId: 'old-firing', nodeId: first.id, status: 'firing', startedAt: at('01:00:00') });
    await storeAlert({
      externalId: 'resolved-lately',
      nodeId: first.id,
      status: 'resolved',
      startedAt: at('02:00:00'),
      endedAt: at('05:00:00'),
    });
    await storeAlert({
      externalId: 'resolved-long-ago',
      nodeId: first.id,
      status: 'resolved',
      startedAt: at('03:00:00'),
      endedAt: at('03:30:00'),
    });
    await storeAlert({ externalId: 'other-node', nodeId: second.id, status: 'firing', startedAt: at('04:00:00') });
    await storeAlert({ externalId: 'no-node', nodeId: null, status: 'firing', startedAt: at('04:00:00') });

    const alerts = await alertsOfNodes(database.db, [first.id], at('04:00:00'));
    expect(alerts).toEqual([
      {
        source: 'alertmanager',
        node: first.name,
        name: 'Alert resolved-lately',
        severity: 'critical',
        status: 'resolved',
        acknowledged: false,
        summary: null,
        startedAt: '2026-12-06T02:00:00.000Z',
        endedAt: '2026-12-06T05:00:00.000Z',
        updatedAt: '2026-12-06T05:00:00.000Z',
      },
      expect.objectContaining({ name: 'Alert old-firing', status: 'firing', endedAt: null }),
    ]);
    expect((await alertsOfNodes(database.db, [first.id, second.id], at('04:00:00'))).map((a) => a.name)).toEqual([
      'Alert other-node',
      'Alert resolved-lately',
      'Alert old-firing',
    ]);
    expect(await alertsOfNodes(database.db, [], at('04:00:00'))).toEqual([]);
  });
});
