import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/connection.js';
import { testContext } from '../../../testing/context.js';
import { openTestDatabase } from '../../../testing/database.js';
import { accessLineJobs, accessLineRecurringJobs, PRUNE_ACCESS_LINE_JOB } from './jobs.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

describe('the prune job', () => {
  it('forgets changes older than 30 days and keeps the rest, daily', async () => {
    const ctx = testContext(database, { clock: () => new Date('2026-11-25T09:00:00Z') });
    const [node] = await database.rows<{ id: number }>(sql`select id from network_nodes order by id limit 1`);
    await database.db.execute(sql`
      insert into access_line_changes (node_id, if_index, at, change, details) values
        (${node?.id}, 1, '2026-10-26T08:59:59Z', 'port-down', '{}'),
        (${node?.id}, 1, '2026-10-26T09:00:01Z', 'port-up', '{}'),
        (${node?.id}, null, '2026-11-25T08:00:00Z', 'node-unreachable', '{}')`);
    await accessLineJobs[PRUNE_ACCESS_LINE_JOB]?.(ctx, {});
    const left = await database.rows<{ change: string }>(sql`select change from access_line_changes order by at`);
    expect(left.map((row) => row.change)).toEqual(['port-up', 'node-unreachable']);
    expect(accessLineRecurringJobs).toEqual([{ kind: PRUNE_ACCESS_LINE_JOB, seconds: 86_400 }]);
  });
});
