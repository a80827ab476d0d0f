import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import type { AppContext } from '../core/context.js';
import { AccountingBatcher } from './accounting-batches.js';
import { type AccountingRecord, accountingRecord, recordAccountingBatch } from './service.js';

let database: Database;
let ctx: AppContext;
let login: string;
let subscriberId: number;

beforeAll(async () => {
  database = await openTestDatabase();
  ctx = testContext(database);
  const [connection] = await database.rows<{ login: string; subscriber_id: number }>(sql`
    select sc.pppoe_login as login, a.subscriber_id from service_connections sc join accounts a on a.id = sc.account_id
    where sc.method = 'pppoe' order by sc.id limit 1`);
  login = connection?.login ?? '';
  subscriberId = connection?.subscriber_id ?? 0;
});
afterAll(() => database?.close());

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 9, minute));
const record = (fields: Partial<AccountingRecord>): AccountingRecord =>
  accountingRecord({ nas: 'bras-b', status: 'start', sessionId: 's', eventAt: at(0), ...fields });

/** Start, two Interims (the first bringing the address), Stop: one session's life. */
const life = (sessionId: string, nas = 'bras-b'): AccountingRecord[] => [
  record({ nas, sessionId, userName: login }),
  record({ nas, sessionId, status: 'interim', eventAt: at(5), framedIp: '100.64.9.9', inputBytes: 10 }),
  record({ nas, sessionId, status: 'interim', eventAt: at(10), inputBytes: 20 }),
  record({
    nas,
    sessionId,
    status: 'stop',
    eventAt: at(15),
    inputBytes: 30,
    terminateCause: { code: 1, words: 'User Request' },
  }),
];

const stateOf = async (nas: string, prefix: string) =>
  database.rows<{
    id: string;
    generation: number;
    state: string;
    ended_by: string | null;
    input_bytes: string;
    changes: string;
  }>(sql`
    select s.acct_session_id as id, s.generation, s.state, s.ended_by, s.input_bytes::text,
      (select string_agg(c.change, ',' order by c.at, c.id) from nas_session_changes c where c.session_id = s.id) as changes
    from nas_sessions s where s.nas = ${nas} and s.acct_session_id like ${`${prefix}%`}
    order by s.acct_session_id, s.generation`);

describe('records that arrive together', () => {
  it('are written in few transactions, each session as if its records came one by one', async () => {
    let batches = 0;
    const batcher = new AccountingBatcher(ctx, {
      apply: (c, records) => {
        batches++;
        return recordAccountingBatch(c, records);
      },
    });
    const records = Array.from({ length: 25 }, (_, i) => life(`many-${String(i).padStart(2, '0')}`)).flat();
    // A resend of each Stop, as a NAS sends it with a new Acct-Delay-Time.
    const resends = records.filter((r) => r.status === 'stop');
    const outcomes = await Promise.all([...records, ...resends].map((r) => batcher.apply(r)));
    expect(outcomes.slice(0, records.length).every((outcome) => outcome === 'applied')).toBe(true);
    expect(outcomes.slice(records.length)).toEqual(resends.map(() => 'repeated'));
    expect(batches).toBeLessThan(10);
    const rows = await stateOf('bras-b', 'many-');
    expect(rows).toHaveLength(25);
    for (const row of rows) {
      expect(row).toMatchObject({ generation: 1, state: 'closed', ended_by: 'stop', input_bytes: '30' });
      expect(row.changes).toBe('started,address,stopped');
    }
    const [woken] = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from live_events where topic = 'session' and (data->>'subscriberId')::int = ${subscriberId}`,
    );
    expect(woken?.n).toBeGreaterThan(0);
  });

  it('keep one session in its order while another batch of it is under way', async () => {
    const batcher = new AccountingBatcher(ctx, { maxRecords: 2, concurrency: 4 });
    const outcomes = await Promise.all(life('ordered-1').map((r) => batcher.apply(r)));
    expect(outcomes).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(await stateOf('bras-b', 'ordered-')).toMatchObject([
      { state: 'closed', input_bytes: '30', changes: 'started,address,stopped' },
    ]);
  });

  it('take Accounting-On after what came before it and before what came after', async () => {
    const batcher = new AccountingBatcher(ctx);
    const outcomes = await Promise.all(
      [
        record({ nas: 'bras-on', sessionId: 'on-1', eventAt: at(0) }),
        record({ nas: 'bras-on', sessionId: 'on-2', eventAt: at(0) }),
        record({ nas: 'bras-on', sessionId: null, status: 'accounting_on', eventAt: at(1) }),
        record({ nas: 'bras-on', sessionId: 'on-1', eventAt: at(2) }),
      ].map((r) => batcher.apply(r)),
    );
    expect(outcomes).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect((await stateOf('bras-on', 'on-')).map((row) => [row.id, row.generation, row.state, row.ended_by])).toEqual([
      ['on-1', 1, 'closed', 'accounting_on'],
      ['on-1', 2, 'open', null],
      ['on-2', 1, 'closed', 'accounting_on'],
    ]);
  });

  it('fail only the record that cannot be stored: the rest of its batch is written and answered', async () => {
    const batcher = new AccountingBatcher(ctx);
    // PostgreSQL text cannot hold a NUL octet: that insert fails as a broken database would.
    const settled = await Promise.allSettled(
      [record({ sessionId: 'alone-1' }), record({ sessionId: 'alone-\u0000' }), record({ sessionId: 'alone-2' })].map(
        (r) => batcher.apply(r),
      ),
    );
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await stateOf('bras-b', 'alone-')).map((row) => row.id)).toEqual(['alone-1', 'alone-2']);
  });
});
