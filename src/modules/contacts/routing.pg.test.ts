import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecondInstance, startTestApp, type TestApp } from '../../testing/test-app.js';
import { routeLine } from './routing.js';

// PostgreSQL only: two app instances, each with its own pool, routing one line at the same moment.
let first: TestApp;
let second: TestApp;
beforeAll(async () => {
  first = await startTestApp();
  second = await startSecondInstance(first);
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

async function addAgents(app: TestApp, count: number, at: Date) {
  await app.database.db.execute(sql`
    with made as (
      insert into staff (login, full_name, role, password_hash)
      select 'router-' || n, 'Агент ' || n, 'l1', 'x' from generate_series(1, ${count}::int) n
      returning id)
    insert into agent_states (staff_id, state, since, lines, skills)
    select id, 'offline', ${at}, array['l1'], array['call', 'chat'] from made`);
}

async function queueContacts(app: TestApp, count: number, at: Date) {
  await app.database.db.execute(sql`
    insert into contacts (call_id, channel, caller_number, line, status, arrived_at, queued_at)
    select 'load-' || n, 'call', '+7343000' || lpad(n::text, 4, '0'), 'l1', 'waiting',
      ${at}::timestamptz + n * interval '1 millisecond', ${at}::timestamptz + n * interval '1 millisecond'
    from generate_series(1, ${count}::int) n`);
}

describe('routing with two instances on one database', () => {
  it('gives 200 agents freed at once 200 different contacts of 1,000 waiting, none twice, none lost', async () => {
    const at = first.ctx.clock();
    await addAgents(first, 200, at);
    await queueContacts(first, 1000, at);
    // Freed at once: every agent available in one statement, then both instances route together,
    // several passes each, as the triggers of 200 agents coming back would.
    await first.database.db.execute(sql`update agent_states set state = 'available', since = ${at}
      where staff_id in (select id from staff where login like 'router-%')`);
    const offered = await Promise.all([
      ...Array.from({ length: 4 }, () => routeLine(first.ctx, 'l1')),
      ...Array.from({ length: 4 }, () => routeLine(second.ctx, 'l1')),
    ]);
    expect(offered.reduce((a, b) => a + b, 0)).toBe(200);

    const [counts] = await first.database.rows<{ offered: number; waiting: number; total: number; agents: number }>(sql`
      select count(*) filter (where status = 'offered')::int as offered,
        count(*) filter (where status = 'waiting')::int as waiting,
        count(*)::int as total,
        count(distinct offered_to)::int as agents
      from contacts where call_id like 'load-%'`);
    expect(counts).toEqual({ offered: 200, waiting: 800, total: 1000, agents: 200 });
    // The head of the queue went first: the 200 offered are the 200 that waited longest.
    const [head] = await first.database.rows<{ n: number }>(sql`
      select count(*)::int as n from contacts
      where call_id like 'load-%' and status = 'offered' and substring(call_id from 6)::int > 200`);
    expect(head?.n).toBe(0);
    const agents = await first.database.rows<{ state: string; calls: number; n: number }>(sql`
      select state, calls, count(*)::int as n from agent_states
      where staff_id in (select id from staff where login like 'router-%') group by state, calls`);
    expect(agents).toEqual([{ state: 'offered', calls: 1, n: 200 }]);
    const [offerEvents] = await first.database.rows<{ n: number; contacts: number }>(sql`
      select count(*)::int as n, count(distinct contact_id)::int as contacts from contact_events
      where kind = 'offered' and contact_id in (select id from contacts where call_id like 'load-%')`);
    expect(offerEvents).toEqual({ n: 200, contacts: 200 });
  }, 120_000);
});
