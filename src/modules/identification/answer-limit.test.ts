import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentifyQuery } from '../../common/api/identification.js';
import type { Database } from '../../db/connection.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { identifyCallerAudited, type Requester } from './answer-limit.js';

let database: Database;
let ctx: AppContext;
let l1: Requester;
let l2: Requester;
let holder: { surname: string; house: string; street: string; birth_year: string; id: number };
beforeAll(async () => {
  database = await openTestDatabase();
  ctx = testContext(database, { env: { IDENTIFY_WRONG_ANSWERS_PER_MINUTE: '3' } });
  const staff = await database.rows<{ id: number; login: string }>(sql`select id, login from staff`);
  const member = (login: string): Requester => ({
    staff: { id: staff.find((row) => row.login === login)!.id, role: login as 'l1' | 'l2' },
    ip: '192.0.2.1',
  });
  l1 = member('l1');
  l2 = member('l2');
  const [first] = await database.rows<typeof holder>(sql`
    select s.id, s.surname, st.name as street, b.house, to_char(s.birth_date, 'YYYY') as birth_year
    from subscribers s join accounts a on a.subscriber_id = s.id join contracts c on c.account_id = a.id
    join buildings b on b.id = c.building_id join streets st on st.id = b.street_id
    where s.kind = 'person' and s.birth_date is not null order by s.id limit 1`);
  holder = first!;
});
afterAll(() => database?.close());

/** The HTTP status the route answers with: 200, or the Problem's. */
async function ask(requester: Requester, input: IdentifyQuery) {
  try {
    return { statusCode: 200, result: await identifyCallerAudited(ctx, requester, input), code: null };
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    return { statusCode: error.status, result: null, code: error.code };
  }
}

const auditRows = (action: string) =>
  database.rows<{ staff_id: number; target_id: string | null; details: Record<string, unknown> }>(
    sql`select staff_id, target_id, details from audit_log where action = ${action} order by id`,
  );

describe('identification with answers', () => {
  it('writes no audit row for a query without answers', async () => {
    expect((await ask(l1, { q: holder.surname })).statusCode).toBe(200);
    expect(await auditRows('identify.answered')).toEqual([]);
  });

  it('audits who asked, the query, the answers and how many fit', async () => {
    const q = `${holder.surname} ${holder.street} ${holder.house}`;
    const { result } = await ask(l1, { q, birthYear: Number(holder.birth_year) });
    const [row] = (await auditRows('identify.answered')).slice(-1);
    expect(row!.details).toEqual({
      query: q,
      answers: { birthYear: holder.birth_year },
      fit: result!.total,
      wrongAnswer: null,
    });
  });

  it('refuses wrong answers beyond the limit per minute with a 429 problem, audited, for that member only', async () => {
    const q = `${holder.surname} ${holder.street} ${holder.house}`;
    const statuses: number[] = [];
    for (let year = 1901; year <= 1905; year++) {
      const response = await ask(l1, { q, birthYear: year });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) expect(response.code).toBe('identify.too_many_wrong_answers');
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const wrong = (await auditRows('identify.answered')).filter((row) => row.details.wrongAnswer === 'birthYear');
    expect(wrong).toHaveLength(3);
    expect(wrong[0]!.details.fit).toBe(0);
    expect(await auditRows('identify.refused')).toHaveLength(2);
    // Beyond the limit nothing more is checked, not even a right answer; another member is not held back.
    expect((await ask(l1, { q, birthYear: Number(holder.birth_year) })).statusCode).toBe(429);
    expect((await ask(l2, { q, birthYear: 1901 })).statusCode).toBe(200);
  });

  it('does not count answers that fit someone against the limit', async () => {
    const q = `${holder.surname} ${holder.street} ${holder.house}`;
    for (let i = 0; i < 6; i++)
      expect((await ask(l2, { q, birthYear: Number(holder.birth_year) })).statusCode).toBe(200);
  });
});
