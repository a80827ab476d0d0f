import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { testContext } from '../../testing/context.js';
import { openAnotherPool, openTestDatabase } from '../../testing/database.js';
import type { AppContext } from '../core/context.js';
import { type AccountingRecord, accountingRecord, recordAccounting } from './service.js';

// PostgreSQL only: two instances (each its own pool) taking records of the same NAS at once, as
// when a NAS fails over between two Linedesk servers, or resends to the other one.
let database: Database;
let other: Database;
let first: AppContext;
let second: AppContext;
beforeAll(async () => {
  database = await openTestDatabase();
  other = await openAnotherPool(database);
  first = testContext(database);
  second = testContext(other);
});
afterAll(async () => {
  await other?.close();
  await database?.close();
});

const at = (iso: string) => new Date(`2026-11-25T${iso}Z`);

const record = (fields: Partial<AccountingRecord>): AccountingRecord =>
  accountingRecord({ nas: 'bras-1', status: 'start', sessionId: 's', eventAt: at('09:00:00'), ...fields });

const sessions = (sessionId: string, nas = 'bras-1') =>
  database.rows<{ generation: number; state: string; start_seen: boolean }>(
    sql`select generation, state, start_seen from nas_sessions
        where nas = ${nas} and acct_session_id = ${sessionId} order by generation`,
  );

describe('two instances applying records of one session at once', () => {
  it('one Start on both: one session, applied once and recognised as repeated once', async () => {
    for (let round = 0; round < 10; round++) {
      const start = record({ sessionId: `twice-${round}` });
      const outcomes = await Promise.all([recordAccounting(first, start), recordAccounting(second, start)]);
      expect(outcomes.sort()).toEqual(['applied', 'repeated']);
      expect(await sessions(`twice-${round}`)).toEqual([{ generation: 1, state: 'open', start_seen: true }]);
    }
  });

  it('an Interim without Start on both: one "start not seen" session', async () => {
    for (let round = 0; round < 10; round++) {
      const interim = record({ sessionId: `interim-${round}`, status: 'interim' });
      await Promise.all([recordAccounting(first, interim), recordAccounting(second, interim)]);
      expect(await sessions(`interim-${round}`)).toEqual([{ generation: 1, state: 'open', start_seen: false }]);
    }
  });

  it('a Stop and the next Start of a reused id on two instances: two generations, the first closed', async () => {
    for (let round = 0; round < 10; round++) {
      const sessionId = `reuse-${round}`;
      await recordAccounting(first, record({ sessionId }));
      await Promise.all([
        recordAccounting(first, record({ sessionId, status: 'stop', eventAt: at('09:01:00') })),
        recordAccounting(second, record({ sessionId, eventAt: at('09:02:00') })),
      ]);
      const rows = await sessions(sessionId);
      expect(rows.filter((row) => row.state === 'open')).toHaveLength(1);
      expect(rows.map((row) => row.generation)).toEqual([1, 2]);
      expect(rows[0]?.state).toBe('closed');
      // Whichever came first, the first generation ended by its Stop, at the Stop's time.
      const [ended] = await database.rows<{ ended_by: string }>(
        sql`select ended_by from nas_sessions where acct_session_id = ${sessionId} and generation = 1`,
      );
      expect(ended?.ended_by).toBe('stop');
    }
  });

  it('two NASes reusing one Acct-Session-Id at once keep two separate sessions', async () => {
    await Promise.all([
      recordAccounting(first, record({ sessionId: 'shared-id' })),
      recordAccounting(second, record({ nas: 'bras-2', sessionId: 'shared-id' })),
    ]);
    expect(await sessions('shared-id')).toHaveLength(1);
    expect(await sessions('shared-id', 'bras-2')).toHaveLength(1);
  });

  it('Accounting-On on one instance while the other takes Starts: what began before it closes, what began after stays open', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => recordAccounting(first, record({ nas: 'bras-3', sessionId: `old-${i}` }))),
    );
    await Promise.all([
      recordAccounting(
        second,
        record({ nas: 'bras-3', status: 'accounting_on', sessionId: null, eventAt: at('09:10:00') }),
      ),
      ...Array.from({ length: 20 }, (_, i) =>
        recordAccounting(first, record({ nas: 'bras-3', sessionId: `new-${i}`, eventAt: at('09:11:00') })),
      ),
    ]);
    const states = await database.rows<{ old: boolean; state: string; n: number }>(sql`
      select acct_session_id like 'old-%' as old, state, count(*)::int as n from nas_sessions
      where nas = 'bras-3' group by 1, 2 order by 1, 2`);
    expect(states).toEqual([
      { old: false, state: 'open', n: 20 },
      { old: true, state: 'closed', n: 20 },
    ]);
  });
});
