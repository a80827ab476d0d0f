import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Board, BoardLine } from '../../common/api/contacts.js';
import type { Role } from '../../common/api/staff.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { boardOf } from './board.js';
import { agentsNeeded, erlangC } from './erlang.js';

// The demo's history ends at the start of the test day (2026-11-25 in the city, UTC+5), so "today"
// holds only the rows each test inserts.
const noon = new Date('2026-11-25T07:00:00Z'); // 12:00 in the city
let now = noon;
let t: TestApp;
const ids: Record<string, number> = {};

const at = (secondsFromNow: number) => new Date(now.getTime() + secondsFromNow * 1000);

/** A contact of today on a line: arrived `ago` seconds before now; answered or abandoned after `wait` seconds. */
async function contact(fields: {
  line?: string;
  ago: number;
  answeredAfter?: number;
  abandonedAfter?: number;
  handleSeconds?: number;
  status?: 'waiting' | 'offered' | 'connected' | 'after_work' | 'ended';
  agent?: number;
  outsideHours?: boolean;
}): Promise<number> {
  const arrived = at(-fields.ago);
  const answered =
    fields.answeredAfter === undefined ? null : new Date(arrived.getTime() + fields.answeredAfter * 1000);
  const abandoned =
    fields.abandonedAfter === undefined ? null : new Date(arrived.getTime() + fields.abandonedAfter * 1000);
  const afterWork =
    answered && fields.handleSeconds !== undefined ? new Date(answered.getTime() + fields.handleSeconds * 1000) : null;
  const status = fields.status ?? (answered || abandoned || fields.outsideHours ? 'ended' : 'waiting');
  const [row] = await t.database.rows<{ id: number }>(sql`
    insert into contacts (channel, line, status, arrived_at, queued_at, answered_at, ended_at, after_work_until,
      outcome, agent_id, offered_to, outside_hours)
    values ('call', ${fields.line ?? 'l1'}, ${status}, ${arrived}, ${arrived}, ${answered},
      ${abandoned ?? (afterWork ? answered : fields.outsideHours ? arrived : null)}, ${afterWork},
      ${abandoned ? 'abandoned' : answered ? 'resolved' : null}, ${fields.agent ?? null}, ${fields.agent ?? null},
      ${fields.outsideHours ?? false})
    returning id`);
  return row?.id ?? 0;
}

const line = (board: Board, id: string) => board.lines.find((candidate) => candidate.line === id) as BoardLine;

beforeAll(async () => {
  t = await startTestApp({ clock: () => now });
  for (const row of await t.database.rows<{ id: number; login: string }>(sql`select id, login from staff`)) {
    ids[row.login] = row.id;
  }
});
afterAll(() => t?.close());
beforeEach(async () => {
  now = noon;
  await t.database.db.execute(sql`delete from contacts where arrived_at >= '2026-11-24T19:00:00Z'`);
  await t.database.db.execute(sql`delete from agent_state_changes where at >= '2026-11-24T19:00:00Z'`);
  await t.database.db.execute(sql`update agent_states set state = 'offline', calls = 0, chats = 0`);
});

describe("the supervisor's board", () => {
  it('shows no figure for a day with no contacts, not 100 %', async () => {
    const board = await boardOf(t.ctx);
    expect(board.lines.map((row) => row.line)).toEqual(['l1', 'l2', 'l3']);
    for (const row of board.lines) {
      expect(row).toMatchObject({
        waiting: 0,
        longestWaitSeconds: null,
        offeredToday: 0,
        answeredToday: 0,
        abandonedToday: 0,
        serviceLevel: null,
        abandonRate: null,
        averageSpeedOfAnswerSeconds: null,
        averageHandleTimeSeconds: null,
        occupancy: null,
        forecast: null,
      });
    }
    expect(line(board, 'l1')).toMatchObject({ targetSeconds: 20, targetPercent: 80 });
  });

  it('leaves short abandons out of the service level and the abandon rate (the docs/metrics.md example)', async () => {
    for (const wait of [3, 20, 21, 45]) await contact({ ago: 3_000, answeredAfter: wait, handleSeconds: 200 });
    for (const wait of [2, 5, 30]) await contact({ ago: 3_000, abandonedAfter: wait });
    await contact({ ago: 90 });
    const l1 = line(await boardOf(t.ctx), 'l1');
    expect(l1).toMatchObject({
      waiting: 1,
      longestWaitSeconds: 90,
      offeredToday: 8,
      answeredToday: 4,
      abandonedToday: 3,
      serviceLevel: 0.4,
      abandonRate: 0.2,
      averageSpeedOfAnswerSeconds: 22.25,
      averageHandleTimeSeconds: 200,
    });
  });

  it("counts yesterday's contacts and a closed line's callers in no figure of today", async () => {
    await contact({ ago: 13 * 3_600, answeredAfter: 10, handleSeconds: 100 }); // 23:00 yesterday in the city
    await contact({ ago: 60, outsideHours: true });
    await contact({ ago: 600, answeredAfter: 50, handleSeconds: 300 });
    expect(line(await boardOf(t.ctx), 'l1')).toMatchObject({
      offeredToday: 1,
      answeredToday: 1,
      serviceLevel: 0,
      abandonRate: 0,
      averageSpeedOfAnswerSeconds: 50,
      averageHandleTimeSeconds: 300,
    });
  });

  it('averages handle time only over contacts whose after-contact work has ended', async () => {
    await contact({ ago: 900, answeredAfter: 10, handleSeconds: 240 });
    await contact({ ago: 400, answeredAfter: 10, handleSeconds: 30, status: 'after_work', agent: ids.l1 });
    expect(line(await boardOf(t.ctx), 'l1').averageHandleTimeSeconds).toBe(240);
  });

  it("computes the line's occupancy today from its agents' state changes", async () => {
    // l1: logged in 09:00-12:00 (3 h), 30 min break, 1 h on contacts and after-contact work: 1 ÷ 2.5.
    const changes: [string, string][] = [
      ['2026-11-25T04:00:00Z', 'available'],
      ['2026-11-25T05:00:00Z', 'on_contact'],
      ['2026-11-25T05:40:00Z', 'after_contact_work'],
      ['2026-11-25T06:00:00Z', 'break'],
      ['2026-11-25T06:30:00Z', 'available'],
    ];
    for (const [moment, state] of changes) {
      await t.database.db.execute(sql`insert into agent_state_changes (staff_id, state, at)
        values (${ids.l1}, ${state}, ${moment})`);
    }
    await t.database.db.execute(
      sql`update agent_states set state = 'available', since = '2026-11-25T06:30:00Z' where staff_id = ${ids.l1}`,
    );
    const board = await boardOf(t.ctx);
    expect(line(board, 'l1').occupancy).toBeCloseTo(0.4, 10);
    expect(line(board, 'l1').agents).toMatchObject({ available: 1, offline: 4, break: 0 });
    // The other lines' agents were offline all day: no occupancy to speak of.
    expect(line(board, 'l2').occupancy).toBeNull();
  });

  it('carries an agent working since yesterday into today from midnight', async () => {
    await t.database.db.execute(sql`insert into agent_state_changes (staff_id, state, at)
      values (${ids['l1-2']}, 'on_contact', '2026-11-24T18:00:00Z')`);
    await t.database.db.execute(
      sql`update agent_states set state = 'on_contact', since = '2026-11-24T18:00:00Z' where staff_id = ${ids['l1-2']}`,
    );
    expect(line(await boardOf(t.ctx), 'l1').occupancy).toBe(1);
  });

  it('says which lines are open: the 1st line closes at 22:00, the engineers never', async () => {
    expect(line(await boardOf(t.ctx), 'l1').open).toBe(true);
    now = new Date('2026-11-25T17:30:00Z'); // 22:30 in the city
    const late = await boardOf(t.ctx);
    expect(line(late, 'l1').open).toBe(false);
    expect(line(late, 'l2').open).toBe(false);
    expect(line(late, 'l3').open).toBe(true);
  });

  it('forecasts with Erlang C from the last half hour, and not without arrivals', async () => {
    for (const ago of [100, 500, 900, 1_700]) await contact({ ago, answeredAfter: 10, handleSeconds: 200 });
    await contact({ ago: 1_900, answeredAfter: 10, handleSeconds: 200 }); // before the half hour
    await contact({ ago: 300, abandonedAfter: 3 }); // a short abandon: not traffic
    await t.database.db.execute(
      sql`update agent_states set state = 'available' where staff_id in (${ids.l1}, ${ids['l1-2']})`,
    );
    await t.database.db.execute(sql`update agent_states set state = 'break' where staff_id = ${ids['l1-3']}`);
    await t.database.db.execute(sql`insert into line_handle_times (line, aht_seconds, handled, updated_at)
      values ('l1', 360, 100, ${now}) on conflict (line) do update set aht_seconds = 360`);
    const board = await boardOf(t.ctx);
    const forecast = line(board, 'l1').forecast;
    // 4 arrivals in 30 minutes = 8 an hour, of 360 s (the running AHT) each: 0.8 Erlang on 2 serving agents.
    const model = erlangC({ arrivalsPerSecond: 4 / 1_800, ahtSeconds: 360, agents: 2, targetSeconds: 20 });
    expect(forecast).toEqual({
      arrivalsPerHour: 8,
      trafficErlangs: model.trafficErlangs,
      agentsServing: 2,
      probabilityOfWaiting: model.probabilityOfWaiting,
      averageSpeedOfAnswerSeconds: model.averageSpeedOfAnswerSeconds,
      serviceLevel: model.serviceLevel,
      agentsNeeded: agentsNeeded(4 / 1_800, 360, 20, 0.8)?.agents,
    });
    expect(forecast?.trafficErlangs).toBeCloseTo(0.8, 10);
    // Two agents give 78.6 % in 20 s, short of 80 %: a third is needed.
    expect(forecast?.agentsNeeded).toBe(3);
    expect(line(board, 'l2').forecast).toBeNull();
  });

  it('forecasts an overloaded line honestly: nobody serving, every contact waits', async () => {
    await contact({ ago: 60 });
    const forecast = line(await boardOf(t.ctx), 'l1').forecast;
    expect(forecast).toMatchObject({
      arrivalsPerHour: 2,
      agentsServing: 0,
      probabilityOfWaiting: 1,
      averageSpeedOfAnswerSeconds: null,
      serviceLevel: 0,
      agentsNeeded: 1,
    });
  });

  it('names each agent with their state, since when and the contact they are on', async () => {
    const id = await contact({ ago: 200, answeredAfter: 20, status: 'connected', agent: ids.l1 });
    await t.database.db.execute(
      sql`update agent_states set state = 'on_contact', since = ${at(-180)} where staff_id = ${ids.l1}`,
    );
    await t.database.db.execute(
      sql`update agent_states set state = 'break', break_reason = 'обед', since = ${at(-60)} where staff_id = ${ids['l2-2']}`,
    );
    const board = await boardOf(t.ctx);
    expect(board.agents).toHaveLength(10);
    expect(board.agents.find((agent) => agent.login === 'l1')).toEqual({
      staffId: ids.l1,
      name: 'Анна Первова (1-я линия)',
      login: 'l1',
      state: 'on_contact',
      since: at(-180).toISOString(),
      breakReason: null,
      lines: ['l1'],
      contactId: id,
    });
    expect(board.agents.find((agent) => agent.login === 'l2-2')).toMatchObject({
      state: 'break',
      breakReason: 'обед',
      contactId: null,
    });
    expect(line(board, 'l2').agents).toMatchObject({ break: 1, offline: 2 });
    expect(board.now).toBe(now.toISOString());
  });
});

describe('GET /api/board', () => {
  it('answers supervisors and administrators', async () => {
    for (const role of ['supervisor', 'admin'] as Role[]) {
      const response = await t.app.inject({
        method: 'GET',
        url: '/api/board',
        headers: { cookie: await t.loginAs(role) },
      });
      expect(response.statusCode, role).toBe(200);
      expect(response.json<Board>().lines).toHaveLength(3);
    }
  });

  it('refuses the lines, technicians and anyone signed out', async () => {
    for (const role of ['l1', 'l2', 'l3', 'tech'] as Role[]) {
      const response = await t.app.inject({
        method: 'GET',
        url: '/api/board',
        headers: { cookie: await t.loginAs(role) },
      });
      expect(response.statusCode, role).toBe(403);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/board' })).statusCode).toBe(401);
  });
});
