import { sql } from 'drizzle-orm';
import { askables, type Identification, type IdentifyQuery } from '../../common/api/identification.js';
import type { SignedInStaff } from '../../common/api/staff.js';
import { recordAudit } from '../audit/service.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { identifyCaller } from './identify.js';

/**
 * Identification with answers is an oracle: "Иванов Ленина 5-12" with `birthYear` tried year by
 * year tells the operator the subscriber's birth year. So every identification that carries
 * answers is audited (who, the query, the answers, how many fit), and each staff member may have
 * only `identifyWrongAnswersPerMinute` answers that fit nobody checked in a minute
 * (docs/identification.md, "Answers are audited and limited").
 *
 * The try is counted before it is checked, in one statement on the database (migration 0010), so
 * concurrent requests and several app instances never check more than the limit; a try whose
 * answers fit someone is given back afterwards. The window is the clock's minute: at a minute's
 * turn a burst can reach twice the limit within 60 seconds, which still turns 35 tries into
 * minutes of waiting.
 */

export const WRONG_ANSWERS_REFUSED = 'identify.too_many_wrong_answers';

export interface Requester {
  staff: Pick<SignedInStaff, 'id' | 'role'>;
  ip: string | null;
}

function answersSaid(input: IdentifyQuery): Record<string, string> {
  const said: Record<string, string> = {};
  for (const key of askables) {
    const value = input[key];
    if (value !== undefined && String(value).trim()) said[key] = String(value).trim();
  }
  return said;
}

const minuteOf = (at: Date) => new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();

/** Counts one try for this minute unless the limit is reached; false when it is. Old minutes go. */
async function takeTry(ctx: AppContext, staffId: number, minute: string): Promise<boolean> {
  const limit = ctx.config.identifyWrongAnswersPerMinute;
  const taken = await ctx.database.rows<{ tries: number }>(sql`
    with old as (
      delete from identify_wrong_answers where staff_id = ${staffId}::int and minute < ${minute}::timestamptz
    )
    insert into identify_wrong_answers as t (staff_id, minute, tries) values (${staffId}::int, ${minute}::timestamptz, 1)
    on conflict (staff_id, minute) do update set tries = t.tries + 1 where t.tries < ${limit}::int
    returning t.tries`);
  return taken.length > 0;
}

async function giveBackTry(ctx: AppContext, staffId: number, minute: string): Promise<void> {
  await ctx.database.rows(sql`
    update identify_wrong_answers set tries = tries - 1
    where staff_id = ${staffId}::int and minute = ${minute}::timestamptz and tries > 0`);
}

/** identifyCaller for a staff member: audited and limited when the request carries answers. */
export async function identifyCallerAudited(
  ctx: AppContext,
  requester: Requester,
  input: IdentifyQuery,
): Promise<Identification> {
  const answers = answersSaid(input);
  if (Object.keys(answers).length === 0) return identifyCaller(ctx, requester.staff.role, input);

  const { db } = ctx.database;
  const staffId = requester.staff.id;
  const now = ctx.clock();
  const minute = minuteOf(now);
  const limit = ctx.config.identifyWrongAnswersPerMinute;
  if (!(await takeTry(ctx, staffId, minute))) {
    await recordAudit(
      db,
      {
        staffId,
        action: 'identify.refused',
        ip: requester.ip,
        details: { query: input.q, answers, limitPerMinute: limit },
      },
      now,
    );
    throw new Problem(
      WRONG_ANSWERS_REFUSED,
      429,
      'Too many answers that fit nobody: wait a minute',
      `At most ${limit} wrong answers a minute are checked`,
    );
  }

  let result: Identification;
  try {
    result = await identifyCaller(ctx, requester.staff.role, input);
  } catch (error) {
    await giveBackTry(ctx, staffId, minute);
    throw error;
  }
  const wrong = result.answerMatchedNobody !== null;
  if (!wrong) await giveBackTry(ctx, staffId, minute);
  const only = !wrong && result.total === 1 ? result.candidates[0] : undefined;
  await recordAudit(
    db,
    {
      staffId,
      action: 'identify.answered',
      targetType: only ? 'subscriber' : undefined,
      targetId: only?.subscriberId,
      ip: requester.ip,
      details: { query: input.q, answers, fit: wrong ? 0 : result.total, wrongAnswer: result.answerMatchedNobody },
    },
    now,
  );
  return result;
}
