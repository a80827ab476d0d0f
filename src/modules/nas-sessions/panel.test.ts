import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import type { AppContext } from '../core/context.js';
import { sessionPanel } from './panel.js';
import { type AccountingRecord, accountingRecord, recordAccounting } from './service.js';
import { markStaleSessions } from './sweeps.js';

let database: Database;
let ctx: AppContext;
let login: string;
let subscriberId: number;
beforeAll(async () => {
  database = await openTestDatabase();
  ctx = testContext(database, { clock: () => new Date('2026-11-25T12:00:00Z') });
  const [row] = await database.rows<{ login: string; subscriber_id: number }>(sql`
    select sc.pppoe_login as login, a.subscriber_id from service_connections sc join accounts a on a.id = sc.account_id
    where sc.method = 'pppoe' order by sc.id limit 1`);
  login = row?.login ?? '';
  subscriberId = row?.subscriber_id ?? 0;
});
afterAll(() => database?.close());

const record = (fields: Partial<AccountingRecord>): AccountingRecord =>
  accountingRecord({
    nas: 'bras-1',
    status: 'start',
    sessionId: 's',
    eventAt: new Date('2026-11-25T09:00:00Z'),
    userName: login,
    ...fields,
  });

describe("the subscriber's session panel", () => {
  it('is empty for a subscriber the NAS never reported', async () => {
    expect(await sessionPanel(ctx, subscriberId)).toEqual({
      current: null,
      timeline: [],
      application: null,
      readAt: '2026-11-25T12:00:00.000Z',
    });
  });

  it('shows the session online with its address and bytes, and the earlier one with its cause in words', async () => {
    await recordAccounting(ctx, record({ sessionId: 'a' }));
    await recordAccounting(
      ctx,
      record({
        sessionId: 'a',
        status: 'stop',
        eventAt: new Date('2026-11-25T10:00:00Z'),
        terminateCause: { code: 4, words: 'Idle Timeout' },
      }),
    );
    await recordAccounting(ctx, record({ sessionId: 'b', eventAt: new Date('2026-11-25T10:01:00Z') }));
    await recordAccounting(
      ctx,
      record({
        sessionId: 'b',
        status: 'interim',
        eventAt: new Date('2026-11-25T10:06:00Z'),
        framedIp: '100.64.0.5',
        inputBytes: 100,
        outputBytes: 2 ** 32 + 1,
      }),
    );
    const panel = await sessionPanel(ctx, subscriberId);
    expect(panel.current).toMatchObject({
      acctSessionId: 'b',
      state: 'open',
      startedAt: '2026-11-25T10:01:00.000Z',
      framedIp: '100.64.0.5',
      bytesDown: 2 ** 32 + 1,
      bytesUp: 100,
    });
    expect(panel.current?.changes.map((change) => change.change)).toEqual(['started', 'address']);
    expect(panel.timeline.map((session) => [session.acctSessionId, session.state, session.terminateCause])).toEqual([
      ['b', 'open', null],
      ['a', 'closed', 'Idle Timeout'],
    ]);
  });

  it('shows the session stale once its NAS, listed nowhere, sent no Interim for 2.5 × 300 s', async () => {
    // No NAS is listed in this database: the common interval applies. The clock reads 12:00.
    await recordAccounting(ctx, record({ nas: 'gone-nas', sessionId: 'c', eventAt: new Date('2026-11-25T11:47:29Z') }));
    await recordAccounting(ctx, record({ nas: 'gone-nas', sessionId: 'd', eventAt: new Date('2026-11-25T11:47:31Z') }));
    await markStaleSessions(ctx);
    const states = Object.fromEntries(
      (await sessionPanel(ctx, subscriberId)).timeline.map((s) => [s.acctSessionId, s.state]),
    );
    expect(states).toMatchObject({ c: 'stale', d: 'open' });
  });

  it("shows a subscriber with two flats the account's own session when the card names the account", async () => {
    const [two] = await database.rows<{ subscriber_id: number; accounts: number[]; logins: string[] }>(sql`
      select a.subscriber_id, array_agg(a.id order by a.id) as accounts, array_agg(sc.pppoe_login order by a.id) as logins
      from accounts a join service_connections sc on sc.account_id = a.id and sc.method = 'pppoe'
      group by a.subscriber_id having count(*) = 2 order by a.subscriber_id limit 1`);
    expect(two, 'the demo data has a subscriber with two PPPoE accounts').toBeDefined();
    const [first, second] = two!.accounts;
    const [firstLogin, secondLogin] = two!.logins;
    await recordAccounting(ctx, record({ sessionId: 'flat-1', userName: firstLogin }));
    await recordAccounting(ctx, record({ sessionId: 'flat-2', userName: secondLogin }));
    const ids = (panel: Awaited<ReturnType<typeof sessionPanel>>) => panel.timeline.map((s) => s.acctSessionId);
    expect(ids(await sessionPanel(ctx, two!.subscriber_id, first))).toEqual(['flat-1']);
    expect(ids(await sessionPanel(ctx, two!.subscriber_id, second))).toEqual(['flat-2']);
    expect(ids(await sessionPanel(ctx, two!.subscriber_id)).sort()).toEqual(['flat-1', 'flat-2']);
    // Another subscriber's account shows nothing of theirs.
    expect(ids(await sessionPanel(ctx, subscriberId, first))).toEqual([]);
  });
});
