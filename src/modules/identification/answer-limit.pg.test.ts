import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Database, openPostgres } from '../../db/connection.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import { Problem } from '../core/problem.js';
import { identifyCallerAudited } from './answer-limit.js';

// PostgreSQL only (*.pg.test.ts runs under `npm run test:pg`): two app instances, each with its own
// pool, on one database, sending wrong answers at once.
const LIMIT = 5;
let first: Database;
let second: Database;
beforeAll(async () => {
  first = await openTestDatabase();
  const [{ name } = { name: '' }] = await first.rows<{ name: string }>(sql`select current_database() as name`);
  const url = new URL(inject('postgresAdminUrl'));
  url.pathname = `/${name}`;
  second = await openPostgres(url.toString(), 4);
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

describe('wrong answers sent at once through two instances', () => {
  it('are checked no more than the limit, the rest refused with 429', async () => {
    const env = { IDENTIFY_WRONG_ANSWERS_PER_MINUTE: String(LIMIT) };
    const instances = [testContext(first, { env }), testContext(second, { env })];
    const [staff] = await first.rows<{ id: number }>(sql`select id from staff where login = 'l1'`);
    const [someone] = await first.rows<{ surname: string }>(
      sql`select surname from subscribers where kind = 'person' order by id limit 1`,
    );
    const outcomes = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        identifyCallerAudited(
          instances[i % 2]!,
          { staff: { id: staff!.id, role: 'l1' }, ip: null },
          { q: someone!.surname, birthYear: 1901 + i },
        ).then(
          (result) => (result.answerMatchedNobody ? 'wrong' : 'fit'),
          (error: unknown) => (error instanceof Problem ? `${error.status} ${error.code}` : `error ${error}`),
        ),
      ),
    );
    const checked = outcomes.filter((outcome) => outcome === 'wrong' || outcome === 'fit');
    expect(outcomes.filter((outcome) => outcome === 'wrong')).toHaveLength(LIMIT);
    expect(checked).toHaveLength(LIMIT);
    expect(outcomes.filter((outcome) => outcome === '429 identify.too_many_wrong_answers')).toHaveLength(24 - LIMIT);
    const [audited] = await first.rows<{ answered: number; refused: number }>(sql`
      select count(*) filter (where action = 'identify.answered')::int as answered,
        count(*) filter (where action = 'identify.refused')::int as refused
      from audit_log where staff_id = ${staff!.id}::int and action like 'identify.%'`);
    expect(audited).toEqual({ answered: LIMIT, refused: 24 - LIMIT });
  });
});
