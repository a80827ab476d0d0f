import {
  type Askable,
  askables,
  type Candidate,
  type Identification,
  type IdentifyQuery,
  type PhoneLookup,
  type ReadIdentifier,
} from '../../common/api/identification.js';
import type { Role } from '../../common/api/staff.js';
import type { AppContext } from '../core/context.js';
import { formatAddress } from '../places/address.js';
import { contractNumberFor } from '../subscribers/identifiers.js';
import { initials, showsInFull } from '../subscribers/masking.js';
import { normalisePhone } from '../subscribers/phone.js';
import { applyAnswers, askableFactsOf } from './answers.js';
import { type AnsweredFacts, describeCaller, type FitPart, readAnswers, withSurnames } from './caller-description.js';
import { type Answers, type CallerQuery, hasExactIdentifier, isEmptyQuery, parseCallerQuery } from './caller-query.js';
import {
  byRank,
  fitCandidates,
  fitsBetter,
  type ListInPlay,
  preferredList,
  type Scored,
  scoreExactHit,
} from './candidate-fit.js';
import { canAfford, STATEMENT_BUDGET, type StatementBudget } from './candidates.js';
import { findByIdentifiers } from './find-by-identifiers.js';
import { fetchForReading, fetchSurnameNeighbours } from './find-by-words.js';
import { FETCH_CAP, LIST_IN_PLAY_CAP, SHOWN, SHOWN_MAX } from './limits.js';
import { chooseQuestion, suggestNextQuestion } from './next-question.js';
import { notFitting } from './not-fitting.js';
import { knownSpelling, MAX_READINGS, READING_MARGIN, type Reading, readWords } from './readings.js';
import { vocabularyOf } from './vocabulary.js';
import { isTypoOf } from './word-match.js';

/**
 * Finding the caller from whatever they say (docs/identification.md): the stages in order. The
 * text is read (caller-query.ts); exact identifiers win outright (find-by-identifiers.ts);
 * otherwise the words are matched against the vocabularies in memory (readings.ts,
 * caller-description.ts), each reading's candidates are fetched by exact indexed values
 * (find-by-words.ts), fitted, narrowed and ranked (candidate-fit.ts); the caller's answers narrow
 * the list (answers.ts) and the question that best splits the rest is suggested (next-question.ts).
 */

function toCandidate(scored: Scored, role: Role): Candidate {
  const { row } = scored;
  return {
    subscriberId: row.subscriber_id,
    accountId: row.account_id,
    kind: row.kind,
    name:
      row.kind === 'organisation' ? (row.org_name ?? '') : initials(row.surname ?? '', row.first_name, row.patronymic),
    address: formatAddress(
      {
        city: row.street.city,
        streetType: row.street.streetType,
        street: row.street.display,
        house: row.building.house,
        korpus: row.building.korpus,
        stroenie: row.building.stroenie,
        litera: row.building.litera,
        apartment: row.apartment,
      },
      showsInFull(role, 'apartment') ? 'full' : 'masked',
    ),
    accountNumber: row.account_number,
    contractNumber: row.contract_number,
    state: row.state,
    matched: [...new Set(scored.matched)],
    score: scored.score,
  };
}

/**
 * What the caller has already said, so it is not asked again: the answers, and each part of the
 * query that someone in play fits (a house that fits nobody may well be asked for again).
 */
function knownFrom(query: CallerQuery, chosen: ListInPlay | null, answers: Answers): Set<Askable> {
  const known = new Set<Askable>(Object.keys(answers) as Askable[]);
  const fitted = (part: FitPart) => chosen?.inPlay.some((candidate) => candidate.fit[part] > 0) ?? false;
  if (fitted('firstName')) known.add('firstName');
  if (fitted('patronymic')) known.add('patronymic');
  if (fitted('street')) known.add('street');
  if (query.house !== null && chosen?.inPlay.some((candidate) => candidate.fit.house === 1)) known.add('house');
  if (fitted('apartment')) known.add('apartment');
  if (fitted('building')) known.add('building');
  return known;
}

/**
 * One reading's list in play. When the rest of the query fits nobody with the surname said, the
 * surname's neighbours are fetched too and the better list kept.
 */
async function tryReading(
  budget: StatementBudget,
  query: CallerQuery,
  reading: Reading,
  answered: AnsweredFacts,
): Promise<ListInPlay> {
  const description = describeCaller(query, reading, answered);
  const found = await fetchForReading(budget, description);
  const first = fitCandidates(description, found);
  if (first.complete || found.overflow || found.neighbours.length || !canAfford(budget)) return first;
  const near = await fetchSurnameNeighbours(budget, description);
  if (near.rows.length === 0) return first;
  const second = fitCandidates(withSurnames(description, near.neighbours), {
    rows: [...found.rows, ...near.rows],
    overflow: false,
    neighbours: [],
  });
  return fitsBetter(second, first) ? second : first;
}

/** Tries the readings best first; stops at one whose best candidate fits everything said. */
async function findByWords(
  budget: StatementBudget,
  query: CallerQuery,
  answered: AnsweredFacts,
): Promise<ListInPlay | null> {
  const readings = readWords(query, budget.vocabulary);
  const tried: ListInPlay[] = [];
  for (const reading of readings.slice(0, MAX_READINGS)) {
    // Another reading is worth its statements only when the words fit it nearly as well.
    if (
      tried.length &&
      (budget.statements > STATEMENT_BUDGET - 3 || reading.prior < readings[0]!.prior - READING_MARGIN)
    ) {
      break;
    }
    const list = await tryReading(budget, query, reading, answered);
    tried.push(list);
    if (list.complete) break;
  }
  return preferredList(tried);
}

function answersOf(input: IdentifyQuery): Answers {
  const answers: Answers = {
    firstName: input.firstName,
    patronymic: input.patronymic,
    street: input.street,
    house: input.house,
    building: input.building,
    apartment: input.apartment,
    birthYear: input.birthYear === undefined ? undefined : String(input.birthYear),
    phoneLast4: input.phoneLast4,
  };
  for (const key of Object.keys(answers) as Askable[]) {
    const value = answers[key]?.trim();
    if (value) answers[key] = value;
    else delete answers[key];
  }
  return answers;
}

/** Finds the caller from one line of whatever they said, narrowed by their answers. */
export async function identifyCaller(ctx: AppContext, role: Role, input: IdentifyQuery): Promise<Identification> {
  const vocabulary = await vocabularyOf(ctx.database);
  const query = parseCallerQuery(input.q, vocabulary.compoundStreets, isTypoOf, {
    areaCode: ctx.config.ispAreaCode,
    knownSpelling: knownSpelling(vocabulary),
  });
  const answers = answersOf(input);
  const shown = Math.min(input.limit ?? SHOWN, SHOWN_MAX);
  const budget: StatementBudget = {
    ctx,
    vocabulary,
    statements: 0,
    mayCountInSql: Object.keys(answers).length === 0,
    shown,
  };
  const identifiers: ReadIdentifier[] = [
    ...query.accountNumbers.map((value) => ({ kind: 'account' as const, value })),
    ...query.contracts.map(({ year, serial }) => ({
      kind: 'contract' as const,
      value: year === null ? String(serial).padStart(6, '0') : contractNumberFor(year, serial),
    })),
    ...query.phones.map((value) => ({ kind: 'phone' as const, value })),
    ...query.emails.map((value) => ({ kind: 'email' as const, value })),
    ...query.inns.map((value) => ({ kind: 'inn' as const, value })),
  ];
  const result: Identification = {
    exact: false,
    total: 0,
    totalIsCapped: false,
    candidates: [],
    nextQuestion: null,
    answerMatchedNobody: null,
    notFitting: [],
    reading: {
      surname: null,
      firstName: null,
      patronymic: null,
      street: null,
      house: query.house,
      apartment: query.apartment,
      identifiers,
    },
  };
  if (isEmptyQuery(query)) return result;

  let scored: Scored[] = [];
  let overflow = false;
  let chosen: ListInPlay | null = null;
  if (hasExactIdentifier(query)) {
    scored = (await findByIdentifiers(budget, query)).map(scoreExactHit);
    result.exact = scored.length > 0;
  }
  if (!result.exact && (query.words.length || query.streetWords.length)) {
    const answered = readAnswers(answers, vocabulary);
    chosen = await findByWords(budget, query, answered);
    if (chosen?.inPlay.length === 0 && (answered.streets || answered.house) && canAfford(budget)) {
      // The answered address fits nobody: read without it, so the answer can show the nearest.
      chosen = await findByWords(budget, query, { ...answered, streets: null, house: null });
    }
    if (chosen) {
      scored = chosen.inPlay;
      overflow = chosen.overflow;
    }
  }

  const { remaining, matchedNobody } = applyAnswers(scored, answers, vocabulary);
  if (!matchedNobody) remaining.sort(byRank);
  const namesakes = chosen?.namesakes;
  const total = overflow ? FETCH_CAP : (namesakes?.total ?? remaining.length);
  result.total = Math.min(total, LIST_IN_PLAY_CAP);
  result.totalIsCapped = total > LIST_IN_PLAY_CAP;
  result.candidates = remaining.slice(0, shown).map((candidate) => toCandidate(candidate, role));
  result.answerMatchedNobody = matchedNobody;
  if (!result.exact && (query.words.length || query.streetWords.length)) {
    result.notFitting = notFitting(query, chosen, vocabulary);
  }
  const known = knownFrom(query, chosen, answers);
  if (result.notFitting.some((part) => part.part === 'house') && !answers.house) {
    // The street has no such house: the house is the question, however well another would split.
    for (const attribute of askables) if (attribute !== 'house') known.add(attribute);
  }
  // An answer that fits nobody keeps the list and the questions that still split it: "cannot be
  // told apart" would be a false hint when the patronymic or the flat still would.
  result.nextQuestion = namesakes
    ? chooseQuestion(namesakes.splits, namesakes.total, known, total)
    : suggestNextQuestion(
        remaining.map((candidate) => askableFactsOf(candidate.row)),
        known,
        total,
      );
  const described = chosen?.description;
  result.reading = {
    ...result.reading,
    surname: described?.surnames[0]?.word ?? null,
    firstName: described?.reading.firstName[0]?.word ?? null,
    patronymic: described?.reading.patronymic[0]?.word ?? null,
    street: described?.streets[0]?.entry.display ?? null,
    house: described?.house ?? query.house,
  };
  return result;
}

/** Caller ID: the subscribers whose phone on record is exactly this number, in any written form. */
export async function findCallerByPhone(ctx: AppContext, role: Role, phoneInput: string): Promise<PhoneLookup | null> {
  const phone = normalisePhone(phoneInput);
  if (!phone) return null;
  const vocabulary = await vocabularyOf(ctx.database);
  const query = parseCallerQuery('');
  query.phones.push(phone);
  const found = await findByIdentifiers({ ctx, vocabulary, statements: 0, mayCountInSql: false, shown: SHOWN }, query);
  return { phone, candidates: found.map((row) => toCandidate(scoreExactHit(row), role)) };
}
