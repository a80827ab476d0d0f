import type {
  Askable,
  Candidate,
  Identification,
  IdentifyQuery,
  PhoneLookup,
} from '../../common/api/identification.js';
import type { Role } from '../../common/api/staff.js';
import type { AppContext } from '../core/context.js';
import { fold } from '../core/text.js';
import { formatAddress } from '../places/address.js';
import { initials, showsInFull } from '../subscribers/masking.js';
import { normalisePhone } from '../subscribers/phone.js';
import { type CallerQuery, hasExactIdentifier, isEmptyQuery, parseCallerQuery } from './caller-query.js';
import type { FitPart, Scored } from './candidate-fit.js';
import { canAfford, FETCH_CAP, type Search, SHOWN } from './candidates.js';
import { findByIdentifiers } from './find-by-identifiers.js';
import { addressAnswers, type Evaluated, findByWords, type SaidNames } from './find-by-words.js';
import {
  type Answers,
  applyAnswers,
  chooseQuestion,
  factsOf,
  QUESTION_CANDIDATE_CAP,
  suggestNextQuestion,
} from './next-question.js';
import { vocabularyOf } from './vocabulary.js';

/**
 * Finding the caller from whatever they say (docs/identification.md): exact identifiers win
 * outright; otherwise the words are read as a name and an address against the vocabularies in
 * memory, candidates are fetched by exact indexed values (surname, building), narrowed by every
 * other part of the query that someone fits, ranked, and the question that best splits the rest
 * is suggested. The caller's answers narrow the list further.
 */

// ---------------------------------------------------------------------------------------------

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
function knownFrom(query: CallerQuery, chosen: Evaluated | null, answers: Answers): Set<Askable> {
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

const byRank = (a: Scored, b: Scored) =>
  b.score - a.score ||
  (a.row.sort_key < b.row.sort_key ? -1 : a.row.sort_key > b.row.sort_key ? 1 : 0) ||
  a.row.account_id - b.row.account_id;

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
  const query = parseCallerQuery(input.q, vocabulary.compoundStreets);
  const answers = answersOf(input);
  const search: Search = { ctx, vocabulary, statements: 0, summarise: Object.keys(answers).length === 0 };
  const identifiers = [
    ...query.accountNumbers,
    ...query.contracts.map((contract) => `${contract.year ?? '*'}-${contract.serial}`),
    ...query.phones,
    ...query.emails,
    ...query.inns,
  ];
  const result: Identification = {
    exact: false,
    total: 0,
    totalIsCapped: false,
    candidates: [],
    nextQuestion: null,
    answerMatchedNobody: null,
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
  let chosen: Evaluated | null = null;
  if (hasExactIdentifier(query)) {
    scored = await findByIdentifiers(search, query);
    result.exact = scored.length > 0;
  }
  if (!result.exact && (query.words.length || query.streetWords.length)) {
    const names: SaidNames = {
      firstNames: answers.firstName ? [fold(answers.firstName)] : [],
      patronymics: answers.patronymic ? [fold(answers.patronymic)] : [],
    };
    const answered = addressAnswers(query, answers, vocabulary);
    chosen = await findByWords(search, query, answered, names);
    if (chosen?.inPlay.length === 0 && (answered.streets || answered.house) && canAfford(search)) {
      // The answered address fits nobody: read without it, so the answer can show the nearest.
      chosen = await findByWords(search, query, { streets: null, house: null }, names);
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
  result.total = Math.min(total, QUESTION_CANDIDATE_CAP);
  result.totalIsCapped = total > QUESTION_CANDIDATE_CAP;
  result.candidates = remaining.slice(0, SHOWN).map((candidate) => toCandidate(candidate, role));
  result.answerMatchedNobody = matchedNobody;
  const known = knownFrom(query, chosen, answers);
  result.nextQuestion = matchedNobody
    ? null
    : namesakes
      ? chooseQuestion(namesakes.splits, namesakes.total, known, total)
      : suggestNextQuestion(
          remaining.map((candidate) => factsOf(candidate.row)),
          known,
          total,
        );
  const wanted = chosen?.wanted;
  result.reading = {
    ...result.reading,
    surname: wanted?.surnames[0]?.word ?? null,
    firstName: wanted?.reading.firstName[0]?.word ?? null,
    patronymic: wanted?.reading.patronymic[0]?.word ?? null,
    street: wanted?.streets[0]?.entry.display ?? null,
    house: wanted?.house ?? query.house,
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
  const found = await findByIdentifiers({ ctx, vocabulary, statements: 0, summarise: false }, query);
  return { phone, candidates: found.map((candidate) => toCandidate(candidate, role)) };
}
