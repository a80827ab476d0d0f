import { sql } from 'drizzle-orm';
import type { Askable } from '../../common/api/identification.js';
import {
  anyOf,
  candidatesAsJson,
  type Fetched,
  parseCandidates,
  placeOnCityPlan,
  type StatementBudget,
} from './candidates.js';
import { FETCH_CAP } from './limits.js';
import type { WordMatch } from './word-match.js';

/**
 * A surname said alone: at 1,000,000 subscribers a common one has thousands of namesakes. The
 * list shows 20 and the next question needs only how their answers split, so both come from one
 * statement: the namesakes' askable facts (one narrow row per account, migration 0009) are
 * counted in SQL from one index range (Σ n_v² per question, the same figures next-question.ts
 * computes from facts in memory) and only the 20 shown are read whole.
 */

/** How the candidates' answers to one question split: how many different answers, and Σ n_v². */
export interface AnswerSplit {
  distinctAnswers: number;
  sumOfSquares: number;
}

/** The splits of the questions, counted here in SQL or by next-question.ts from facts in memory. */
export type AnswerSplits = Partial<Record<Askable, AnswerSplit>>;

export interface Namesakes {
  /** The 20 shown, best first. */
  rows: Fetched[];
  /** How many candidates (accounts) carry the surnames, up to FETCH_CAP. */
  total: number;
  splits: AnswerSplits;
}

const splitOf = (column: string) =>
  sql.raw(
    `(select json_build_array(count(*), coalesce(sum(k * k), 0)) from (select count(*) as k from n group by ${column}) g)::text`,
  );

interface SummaryRow {
  total: number;
  rows: string | null;
  first_name: string;
  patronymic: string;
  street: string;
  birth_year: string;
  phone_last4: string;
}

export async function fetchNamesakes(budget: StatementBudget, surnames: readonly WordMatch[]): Promise<Namesakes> {
  budget.statements++;
  const [row] = await budget.ctx.database.named<SummaryRow>(
    'identify_namesakes',
    sql`
    with n as materialized (
      -- The facts hold names folded as vocabulary.ts's fold() and answers.ts's askableFactsOf() fold them.
      select account_id, sort_key, surname_norm, first_name, patronymic, street_id, birth_year, phone_last4
      from askable_facts
      where surname_norm = ${anyOf(
        surnames.map((match) => match.word),
        'text',
      )}
      limit ${sql.raw(String(FETCH_CAP))}
    ),
    shown as (
      -- The order of candidate-fit.ts's byRank: the surname's quality (its score), then the name.
      select account_id from n
      order by (${sql.param(surnames.map((match) => match.quality))}::float8[])[array_position(${sql.param(
        surnames.map((match) => match.word),
      )}::text[], n.surname_norm)] desc, sort_key, account_id
      limit ${sql.param(budget.shown)}::int
    )
    select
      (select count(*)::int from n) as total,
      ${candidatesAsJson('shown')} as rows,
      ${splitOf('first_name')} as first_name,
      ${splitOf('patronymic')} as patronymic,
      ${splitOf('street_id')} as street,
      ${splitOf('birth_year')} as birth_year,
      ${splitOf('phone_last4')} as phone_last4`,
    // One plan for every surname: an index range of the facts, however many namesakes.
    { plan: 'generic' },
  );
  if (!row) return { rows: [], total: 0, splits: {} };
  const split = (value: string): AnswerSplit => {
    const [distinctAnswers, sumOfSquares] = JSON.parse(value) as [number, number];
    return { distinctAnswers, sumOfSquares: Number(sumOfSquares) };
  };
  return {
    rows: await placeOnCityPlan(budget, parseCandidates(row.rows)),
    total: row.total,
    splits: {
      firstName: split(row.first_name),
      patronymic: split(row.patronymic),
      street: split(row.street),
      birthYear: split(row.birth_year),
      phoneLast4: split(row.phone_last4),
    },
  };
}
