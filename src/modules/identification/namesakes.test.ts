import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import type { Database } from '../../db/connection.js';
import { openTestDatabase } from '../../testing/database.js';
import { askableFactsOf } from './answers.js';
import { describeCaller, readAnswers } from './caller-description.js';
import { parseCallerQuery } from './caller-query.js';
import { byRank, scoreRow } from './candidate-fit.js';
import { candidatesWhere, fetchCandidates, type StatementBudget } from './candidates.js';
import { SHOWN } from './limits.js';
import { fetchNamesakes } from './namesakes.js';
import { splitsOf } from './next-question.js';
import { readWords } from './readings.js';
import { vocabularyOf } from './vocabulary.js';

/**
 * A surname said alone counts its namesakes' answers in SQL and reads only the 20 shown: the
 * figures must be those next-question.ts computes from every namesake's row in memory, and the
 * 20 those the list would show first.
 */

let database: Database;
let budget: () => Promise<StatementBudget>;
beforeAll(async () => {
  database = await openTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const ctx = { config, database, log: pino({ level: 'silent' }), clock: () => new Date() };
  budget = async () => ({
    ctx,
    vocabulary: await vocabularyOf(database),
    statements: 0,
    mayCountInSql: true,
    shown: SHOWN,
  });
});
afterAll(async () => {
  await database.close();
});

const commonSurnames = (limit = 3) =>
  database.rows<{ surname_norm: string; accounts: number }>(sql`
    select surname_norm, count(*)::int as accounts from askable_facts where surname_norm is not null
    group by surname_norm order by count(*) desc, surname_norm limit ${limit}`);

describe('namesakes counted in SQL', () => {
  it('count every namesake and split their answers as the rows in memory split them', async () => {
    for (const { surname_norm, accounts } of await commonSurnames()) {
      const surnames = [{ word: surname_norm, quality: 1, distance: 0 }];
      const counted = await fetchNamesakes(await budget(), surnames);
      const everyone = await fetchCandidates(await budget(), [candidatesWhere.surnameIn([surname_norm])]);
      expect(counted.total, surname_norm).toBe(accounts);
      expect(everyone).toHaveLength(accounts);
      const inMemory = splitsOf(
        everyone.map((row) => askableFactsOf(row)),
        new Set(),
      );
      for (const attribute of ['firstName', 'patronymic', 'street', 'birthYear', 'phoneLast4'] as const) {
        expect(counted.splits[attribute], `${surname_norm}: ${attribute}`).toEqual(inMemory[attribute]);
      }
    }
  });

  it('read only the namesakes the list shows first, in its order: a surname said before its typo readings', async () => {
    // The commonest surnames, as if the others were typo readings of the first, until more than 20 carry them.
    const common = await commonSurnames(12);
    const taken: typeof common = [];
    for (const surname of common) {
      if (taken.reduce((sum, known) => sum + known.accounts, 0) > SHOWN) break;
      taken.push(surname);
    }
    const vocabulary = (await budget()).vocabulary;
    const query = parseCallerQuery(taken[0]!.surname_norm);
    const said = describeCaller(query, readWords(query, vocabulary)[0]!, readAnswers({}, vocabulary));
    const qualities = [1, 0.8, 0.7, 0.6];
    const description = {
      ...said,
      surnames: taken.map((surname, index) => ({
        word: surname.surname_norm,
        quality: qualities[index % qualities.length]!,
        distance: index === 0 ? 0 : 1,
      })),
    };
    const counted = await fetchNamesakes(await budget(), description.surnames);
    const everyone = await fetchCandidates(await budget(), [
      candidatesWhere.surnameIn(description.surnames.map((match) => match.word)),
    ]);
    expect(everyone.length).toBeGreaterThan(SHOWN);
    const ranked = everyone.map((row) => scoreRow(row, description)).sort(byRank);
    const shown = counted.rows.map((row) => scoreRow(row, description)).sort(byRank);
    expect(shown.map((scored) => scored.row.account_id)).toEqual(
      ranked.slice(0, SHOWN).map((scored) => scored.row.account_id),
    );
    // "Show more": the same order, as many as asked.
    const wider = await fetchNamesakes({ ...(await budget()), shown: everyone.length }, description.surnames);
    expect(
      wider.rows
        .map((row) => scoreRow(row, description))
        .sort(byRank)
        .map((scored) => scored.row.account_id),
    ).toEqual(ranked.map((scored) => scored.row.account_id));
  });

  it('find nobody for a surname nobody carries, in one statement', async () => {
    const spent = await budget();
    const counted = await fetchNamesakes(spent, [{ word: 'несуществующев', quality: 1, distance: 0 }]);
    expect(counted).toMatchObject({ rows: [], total: 0 });
    expect(spent.statements).toBe(1);
  });
});
