import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { staff } from '../staff/schema.js';
import { accounts } from '../subscribers/schema.js';

/**
 * The distinct words of people's names with how many subscribers carry each: fuzzy matching of
 * what a caller says runs over these few thousand words, and exact btree lookups fetch the rows
 * (docs/benchmarks.md, "Budgets": the floors measured on this machine). Kept exact by statement-level triggers on
 * `subscribers` (migration 0003), so it never drifts from the rows.
 */
export const nameVocabulary = pgTable(
  'name_vocabulary',
  {
    kind: text().notNull(), // surname, first_name, patronymic
    word: text().notNull(), // folded: lower case, ё → е
    subscribers: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.word] })],
);

/**
 * What an operator can ask a caller, one narrow row per account: when a surname alone is said,
 * how its thousands of namesakes' answers split is counted from one index range of this table
 * instead of four tables per namesake (docs/identification.md, "A surname said alone"). Names are
 * folded as the vocabulary folds them. Never written by the application: triggers keep it equal
 * to the `askable_facts_source` view over subscribers, accounts, contracts, buildings and phones
 * (migration 0009), and the index also INCLUDEs the facts, which Drizzle cannot say.
 */
export const askableFacts = pgTable(
  'askable_facts',
  {
    accountId: integer()
      .primaryKey()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    surnameNorm: text(),
    sortKey: text().notNull(),
    firstName: text(),
    patronymic: text(),
    buildingId: integer().notNull(),
    streetId: integer().notNull(),
    birthYear: text(),
    phoneLast4: text(),
  },
  (t) => [index('askable_facts_surname_idx').on(t.surnameNorm)],
);

/**
 * The answers each staff member had checked in one minute (migration 0010): counted before they
 * are checked, given back when they fit someone, so wrong answers beyond
 * IDENTIFY_WRONG_ANSWERS_PER_MINUTE are refused on every app instance (answer-limit.ts).
 */
export const identifyWrongAnswers = pgTable(
  'identify_wrong_answers',
  {
    staffId: integer()
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    minute: timestamp({ withTimezone: true }).notNull(),
    tries: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.minute] })],
);
