import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import type { AppContext } from '../core/context.js';
import { saveNas } from '../settings/nas.js';
import { type AccountingRecord, accountingRecord, recordAccounting } from './service.js';
import { markStaleSessions, pruneSessionHistory } from './sweeps.js';

let database: Database;
let ctx: AppContext;
let now = new Date('2026-11-25T09:00:00Z');
let pppoe: { login: string; mac: string; account_id: number; subscriber_id: number };
let ipoe: { circuit: string; remote: string; mac: string; account_id: number; subscriber_id: number };

beforeAll(async () => {
  database = await openTestDatabase();
  ctx = testContext(database, { clock: () => now });
  [pppoe] = (await database.rows<typeof pppoe>(sql`
    select sc.pppoe_login as login, sc.mac, sc.account_id, a.subscriber_id
    from service_connections sc join accounts a on a.id = sc.account_id
    where sc.method = 'pppoe' and sc.mac is not null order by sc.id limit 1`)) as [typeof pppoe];
  [ipoe] = (await database.rows<typeof ipoe>(sql`
    select sc.option82_circuit_id as circuit, sc.option82_remote_id as remote, sc.mac, sc.account_id, a.subscriber_id
    from service_connections sc join accounts a on a.id = sc.account_id
    where sc.method = 'ipoe' and sc.option82_circuit_id is not null order by sc.id limit 1`)) as [typeof ipoe];
  const [admin] = await database.rows<{ id: number }>(sql`select id from staff where role = 'admin' limit 1`);
  await saveNas(
    ctx,
    { id: admin?.id ?? 1 },
    'bras-2',
    { address: '127.0.0.2', vendor: 'cisco', interimIntervalSeconds: 120, secret: 'sixteen chars or more' },
    null,
  );
});
afterAll(() => database?.close());

const at = (iso: string) => new Date(`2026-11-25T${iso}Z`);

const record = (fields: Partial<AccountingRecord>): AccountingRecord =>
  accountingRecord({ nas: 'bras-1', status: 'start', sessionId: 's', eventAt: at('09:00:00'), ...fields });

interface SessionRow {
  generation: number;
  state: string;
  start_seen: boolean;
  started_at: number;
  ended_by: string | null;
  terminate_cause_words: string | null;
  framed_ip: string | null;
  delegated_ipv6_prefix: string | null;
  input_bytes: string;
  account_id: number | null;
  subscriber_id: number | null;
}

const sessions = (sessionId: string, nas = 'bras-1') =>
  database.rows<SessionRow>(sql`
    select generation, state, start_seen, extract(epoch from started_at)::int as started_at, ended_by, terminate_cause_words, framed_ip, delegated_ipv6_prefix,
      input_bytes::text, account_id, subscriber_id
    from nas_sessions where nas = ${nas} and acct_session_id = ${sessionId} order by generation`);

const timeline = (sessionId: string) =>
  database.rows<{ change: string }>(sql`
    select c.change from nas_session_changes c join nas_sessions s on s.id = c.session_id
    where s.acct_session_id = ${sessionId} order by c.at, c.id`);

describe('a session from Start to Stop', () => {
  it('opens on Start, takes its address from an Interim, and closes on Stop with its cause in words', async () => {
    const s = 'life-1';
    expect(await recordAccounting(ctx, record({ sessionId: s, userName: pppoe.login }))).toBe('applied');
    const interim = record({
      sessionId: s,
      status: 'interim',
      eventAt: at('09:05:00'),
      framedIp: '100.64.1.9',
      delegatedIpv6Prefix: '2001:db8:ff00::/56',
      inputBytes: 2 ** 32 + 10,
      outputBytes: 20,
    });
    expect(await recordAccounting(ctx, interim)).toBe('applied');
    // Resent with a new Acct-Delay-Time: the same event time, nothing changes.
    expect(await recordAccounting(ctx, interim)).toBe('repeated');
    expect(await recordAccounting(ctx, record({ sessionId: s, status: 'interim', eventAt: at('09:10:00') }))).toBe(
      'applied',
    );
    const stop = record({
      sessionId: s,
      status: 'stop',
      eventAt: at('09:20:00'),
      terminateCause: { code: 2, words: 'Lost Carrier' },
      inputBytes: 2 ** 32 + 99,
    });
    expect(await recordAccounting(ctx, stop)).toBe('applied');
    expect(await recordAccounting(ctx, stop)).toBe('repeated');
    // A late Interim never reopens it.
    expect(await recordAccounting(ctx, record({ sessionId: s, status: 'interim', eventAt: at('09:15:00') }))).toBe(
      'late',
    );
    expect(await sessions(s)).toMatchObject([
      {
        generation: 1,
        state: 'closed',
        start_seen: true,
        ended_by: 'stop',
        terminate_cause_words: 'Lost Carrier',
        framed_ip: '100.64.1.9',
        delegated_ipv6_prefix: '2001:db8:ff00::/56',
        input_bytes: String(2 ** 32 + 99),
        account_id: pppoe.account_id,
        subscriber_id: pppoe.subscriber_id,
      },
    ]);
    // Only changes of state: the Interim that only moved counters is not on the timeline.
    expect((await timeline(s)).map((row) => row.change)).toEqual(['started', 'address', 'stopped']);
    const wakeUps = await database.rows<{ data: { subscriberId: number } }>(
      sql`select data from live_events where topic = 'session'`,
    );
    expect(wakeUps.map((row) => row.data.subscriberId)).toContain(pppoe.subscriber_id);
  });

  it('opens a new generation when a Start reuses the id of a closed session', async () => {
    const s = 'reuse-1';
    await recordAccounting(ctx, record({ sessionId: s }));
    await recordAccounting(ctx, record({ sessionId: s, status: 'stop', eventAt: at('09:01:00') }));
    expect(await recordAccounting(ctx, record({ sessionId: s, eventAt: at('09:02:00') }))).toBe('applied');
    // The first Start resent late is still recognised as that first generation's.
    expect(await recordAccounting(ctx, record({ sessionId: s }))).toBe('repeated');
    expect((await sessions(s)).map((row) => [row.generation, row.state])).toEqual([
      [1, 'closed'],
      [2, 'open'],
    ]);
  });

  it('gives a Stop overtaken by the next Start of its id to the earlier generation', async () => {
    const s = 'overtaken-1';
    await recordAccounting(ctx, record({ sessionId: s }));
    await recordAccounting(ctx, record({ sessionId: s, eventAt: at('09:02:00') }));
    const stop = record({
      sessionId: s,
      status: 'stop',
      eventAt: at('09:01:00'),
      terminateCause: { code: 6, words: 'Admin Reset' },
    });
    expect(await recordAccounting(ctx, stop)).toBe('late');
    expect(
      (await sessions(s)).map((row) => [row.generation, row.state, row.ended_by, row.terminate_cause_words]),
    ).toEqual([
      [1, 'closed', 'stop', 'Admin Reset'],
      [2, 'open', null, null],
    ]);
  });

  it('keeps an Interim without a Start as "start not seen", dated back by Acct-Session-Time', async () => {
    await recordAccounting(
      ctx,
      record({ sessionId: 'nostart-1', status: 'interim', eventAt: at('09:30:00'), sessionSeconds: 600 }),
    );
    expect(await sessions('nostart-1')).toMatchObject([
      { state: 'open', start_seen: false, started_at: at('09:20:00').getTime() / 1000 },
    ]);
    // Its Start, overtaken on the way, then dates it and opens nothing new.
    expect(await recordAccounting(ctx, record({ sessionId: 'nostart-1', eventAt: at('09:19:59') }))).toBe('late');
    expect(await sessions('nostart-1')).toMatchObject([
      { start_seen: true, started_at: at('09:19:59').getTime() / 1000 },
    ]);
  });

  it('stores a Stop without a Start closed', async () => {
    await recordAccounting(
      ctx,
      record({ sessionId: 'stoponly-1', status: 'stop', terminateCause: { code: 1, words: 'User Request' } }),
    );
    expect(await sessions('stoponly-1')).toMatchObject([{ state: 'closed', start_seen: false, ended_by: 'stop' }]);
  });
});

describe('Accounting-On and -Off', () => {
  it('close every open session of that NAS only, and the next Start opens a new generation', async () => {
    await recordAccounting(ctx, record({ sessionId: 'on-a', eventAt: at('10:00:00') }));
    await recordAccounting(ctx, record({ sessionId: 'on-b', eventAt: at('10:00:00') }));
    await recordAccounting(ctx, record({ nas: 'bras-2', sessionId: 'on-a', eventAt: at('10:00:00') }));
    await recordAccounting(ctx, record({ status: 'accounting_on', sessionId: 'whatever', eventAt: at('10:05:00') }));
    expect((await sessions('on-a')).map((row) => [row.state, row.ended_by])).toEqual([['closed', 'accounting_on']]);
    expect((await sessions('on-b'))[0]?.state).toBe('closed');
    expect((await sessions('on-a', 'bras-2'))[0]?.state).toBe('open');
    await recordAccounting(ctx, record({ sessionId: 'on-a', eventAt: at('10:06:00') }));
    expect((await sessions('on-a')).map((row) => [row.generation, row.state])).toEqual([
      [1, 'closed'],
      [2, 'open'],
    ]);
  });
});

describe('matching a session to a subscriber', () => {
  const matched = async (sessionId: string, fields: Partial<AccountingRecord>) => {
    await recordAccounting(ctx, record({ sessionId, ...fields }));
    return (await sessions(sessionId))[0]?.account_id;
  };

  it('finds the account by the MAC of the CPE in any written form', async () => {
    const hex = pppoe.mac.replace(/[^0-9A-Fa-f]/g, '');
    const forms = [
      pppoe.mac.toUpperCase(),
      pppoe.mac.toLowerCase().replaceAll(':', '-'),
      `${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8)}`.toLowerCase(),
      hex.toUpperCase(),
    ];
    for (const [i, form] of forms.entries()) {
      expect(await matched(`mac-${i}`, { callingStationId: form }), form).toBe(pppoe.account_id);
    }
  });

  it('finds the account by Option 82: the port by circuit id on the switch by remote id (its MAC as octets)', async () => {
    const remote = Buffer.from(ipoe.remote.replace(/[^0-9A-Fa-f]/g, ''), 'hex');
    expect(await matched('o82-1', { circuitId: Buffer.from(ipoe.circuit), remoteId: remote })).toBe(ipoe.account_id);
  });

  it('finds none for a login nobody has, and none in a session without keys', async () => {
    expect(await matched('none-1', { userName: 'nobody-at-all' })).toBeNull();
    expect(await matched('none-2', {})).toBeNull();
  });

  it('matches a session whose first record named nobody once an Interim brings the key', async () => {
    await recordAccounting(ctx, record({ sessionId: 'later-1' }));
    await recordAccounting(
      ctx,
      record({ sessionId: 'later-1', status: 'interim', eventAt: at('09:01:00'), userName: pppoe.login }),
    );
    expect((await sessions('later-1'))[0]?.subscriber_id).toBe(pppoe.subscriber_id);
  });
});

describe('stale sessions and the 30-day history', () => {
  it("marks stale a session without an Interim for 2.5 × its NAS's interval; an Interim brings it back", async () => {
    now = at('11:00:00');
    await recordAccounting(ctx, record({ nas: 'bras-2', sessionId: 'stale-1', eventAt: at('11:00:00') }));
    now = at('11:04:59'); // 2.5 × 120 s = 5 minutes
    await markStaleSessions(ctx);
    expect((await sessions('stale-1', 'bras-2'))[0]?.state).toBe('open');
    now = at('11:05:01');
    await markStaleSessions(ctx);
    await markStaleSessions(ctx);
    expect((await sessions('stale-1', 'bras-2'))[0]?.state).toBe('stale');
    await recordAccounting(
      ctx,
      record({ nas: 'bras-2', sessionId: 'stale-1', status: 'interim', eventAt: at('11:06:00') }),
    );
    expect((await sessions('stale-1', 'bras-2'))[0]?.state).toBe('open');
    expect((await timeline('stale-1')).map((row) => row.change)).toEqual(['started', 'stale', 'resumed']);
  });

  it('forgets sessions ended more than 30 days ago', async () => {
    now = new Date('2026-12-30T00:00:00Z');
    await pruneSessionHistory(ctx);
    expect(await sessions('life-1')).toEqual([]);
    expect((await sessions('stale-1', 'bras-2')).length).toBe(1);
  });
});
