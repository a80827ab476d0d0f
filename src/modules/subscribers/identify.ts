import { type SQL, sql } from 'drizzle-orm';
import type {
  Askable,
  Candidate,
  Identification,
  IdentifyQuery,
  MatchedField,
  PhoneLookup,
} from '../../common/api/identification.js';
import type { Role } from '../../common/api/staff.js';
import type { AppContext } from '../../server/context.js';
import { formatAddress } from './address.js';
import { type CallerQuery, fold, hasExactIdentifier, isEmptyQuery, parseCallerQuery } from './caller-query.js';
import { initials, showsInFull } from './masking.js';
import { type AskableFacts, QUESTION_CANDIDATE_CAP, suggestNextQuestion } from './next-question.js';
import { normalisePhone } from './phone.js';
import {
  editDistance,
  matchWord,
  type StreetEntry,
  typoAllowance,
  type Vocabulary,
  vocabularyOf,
  type WordMatch,
} from './vocabulary.js';

/**
 * Finding the caller from whatever they say (docs/identification.md): exact identifiers win
 * outright; otherwise the words are read as a name and an address against the vocabularies,
 * candidates are fetched by exact indexed values, ranked, and the question that best splits the
 * rest is suggested.
 */

const SHOWN = 20;
const FETCH_CAP = QUESTION_CANDIDATE_CAP + 1;
/** Candidates within this much of the best score fit "equally well" and are what questions split. */
const LEADING_MARGIN = 0.5;

const weights = {
  exact: 100,
  surname: 3,
  orgName: 3,
  firstName: 2,
  patronymic: 1.5,
  street: 2,
  house: 2,
  building: 1,
  apartment: 2,
} as const;

interface CandidateRow {
  subscriber_id: number;
  account_id: number;
  kind: 'person' | 'organisation';
  surname: string | null;
  first_name: string | null;
  patronymic: string | null;
  org_name: string | null;
  sort_key: string;
  birth_date: string | null;
  email: string | null;
  inn: string | null;
  account_number: string;
  state: Candidate['state'];
  contract_number: string;
  apartment: string | null;
  street_id: number;
  city: string;
  street_type: string;
  street: string;
  street_norm: string;
  house: string;
  korpus: string | null;
  stroenie: string | null;
  litera: string | null;
  phones: string[] | null;
}

const candidateColumns = sql`
  s.id as subscriber_id, a.id as account_id, s.kind, s.surname, s.first_name, s.patronymic, s.org_name,
  s.sort_key, s.birth_date::text as birth_date, s.email, s.inn, a.number as account_number, a.state,
  c.number as contract_number, c.apartment, st.id as street_id, st.city, st.street_type, st.name as street,
  st.name_norm as street_norm, b.house, b.korpus, b.stroenie, b.litera,
  (select array_agg(p.phone order by p.is_primary desc, p.id) from subscriber_phones p where p.subscriber_id = s.id) as phones`;

const candidateJoins = sql`
  from subscribers s
  join accounts a on a.subscriber_id = s.id
  join contracts c on c.account_id = a.id
  join buildings b on b.id = c.building_id
  join streets st on st.id = b.street_id`;

async function fetchCandidates(ctx: AppContext, where: SQL): Promise<CandidateRow[]> {
  return ctx.database.rows<CandidateRow>(
    sql`select ${candidateColumns} ${candidateJoins} where ${where} order by s.sort_key, s.id, a.id limit ${FETCH_CAP}`,
  );
}

async function countCandidates(ctx: AppContext, where: SQL): Promise<number> {
  const [row] = await ctx.database.rows<{ n: number }>(
    sql`select count(*)::int as n from (select 1 ${candidateJoins} where ${where} limit ${FETCH_CAP}) capped`,
  );
  return row?.n ?? 0;
}

const inList = (values: readonly (string | number)[]) =>
  sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );

// ---------------------------------------------------------------------------------------------
// Reading the words: which is the surname, the first name, the patronymic, the street.

type Role4 = 'surname' | 'firstName' | 'patronymic' | 'street';

interface WordReadings {
  token: string;
  surname: WordMatch[];
  firstName: WordMatch[];
  patronymic: WordMatch[];
  street: WordMatch[];
}

export interface Reading {
  surname: WordMatch[];
  surnameToken: string | null;
  firstName: WordMatch[];
  firstNameToken: string | null;
  patronymic: WordMatch[];
  patronymicToken: string | null;
  streets: { entry: StreetEntry; quality: number }[];
  streetToken: string | null;
  /** Words that fit no name or street: searched in organisations' names. */
  otherWords: string[];
  score: number;
}

const bestQuality = (matches: WordMatch[]) => matches.reduce((best, match) => Math.max(best, match.quality), 0);

function readingsOf(token: string, vocabulary: Vocabulary): WordReadings {
  return {
    token,
    surname: matchWord(token, vocabulary.words.surname),
    firstName: matchWord(token, vocabulary.words.first_name, { prefix: false }),
    patronymic: matchWord(token, vocabulary.words.patronymic, { prefix: false }),
    street: matchWord(token, vocabulary.streetNames),
  };
}

/** "Петров Водкин" → "петров-водкин" when that double surname exists. */
function joinDoubleSurnames(words: string[], vocabulary: Vocabulary): string[] {
  const joined: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const pair = `${words[i]}-${words[i + 1]}`;
    if (i + 1 < words.length && vocabulary.counts.surname.has(pair)) {
      joined.push(pair);
      i++;
    } else joined.push(words[i]!);
  }
  return joined;
}

function streetsFor(matches: WordMatch[], vocabulary: Vocabulary, streetType: string | null) {
  const byName = new Map(matches.map((match) => [match.word, match.quality]));
  const found = vocabulary.streets.filter((street) => byName.has(street.name));
  // "пр" is either a проспект or a проезд; other types narrow when the city has that type.
  const typed =
    streetType === null
      ? found
      : found.filter((street) =>
          streetType === 'пр'
            ? street.streetType === 'пр-кт' || street.streetType === 'проезд'
            : street.streetType === streetType,
        );
  return (typed.length ? typed : found).map((entry) => ({ entry, quality: byName.get(entry.name)! }));
}

/**
 * Tries every assignment of the words to surname, first name, patronymic and street (each role
 * once; a handful of words, so at most a few hundred assignments) and ranks them by how well the
 * words fit, with a nudge for the usual order "surname first" and for a word just before a house
 * number being its street.
 */
export function readWords(query: CallerQuery, vocabulary: Vocabulary): Reading[] {
  const words = joinDoubleSurnames(query.words, vocabulary).slice(0, 6);
  const readings = words.map((word) => readingsOf(word, vocabulary));
  const explicitStreet = query.streetWords.length ? query.streetWords.join(' ') : null;
  const explicitStreetMatches = explicitStreet ? matchWord(explicitStreet, vocabulary.streetNames) : [];
  const roles: (Role4 | null)[] = ['surname', 'firstName', 'patronymic', 'street', null];
  const results: Reading[] = [];
  const assign = (index: number, chosen: (Role4 | null)[]) => {
    if (index === words.length) {
      results.push(buildReading(chosen));
      return;
    }
    for (const role of roles) {
      if (role !== null && chosen.includes(role)) continue;
      if (role === 'street' && explicitStreet) continue;
      if (role !== null && readings[index]![role].length === 0) continue;
      assign(index + 1, [...chosen, role]);
    }
  };
  const buildReading = (chosen: (Role4 | null)[]): Reading => {
    const reading: Reading = {
      surname: [],
      surnameToken: null,
      firstName: [],
      firstNameToken: null,
      patronymic: [],
      patronymicToken: null,
      streets: explicitStreet ? streetsFor(explicitStreetMatches, vocabulary, query.streetType) : [],
      streetToken: explicitStreet,
      otherWords: [],
      score: explicitStreetMatches.length ? weights.street * bestQuality(explicitStreetMatches) : 0,
    };
    chosen.forEach((role, index) => {
      const word = readings[index]!;
      if (role === null) {
        reading.otherWords.push(word.token);
        return;
      }
      const matches = word[role];
      reading.score += weights[role] * bestQuality(matches);
      if (role === 'street') {
        reading.streets = streetsFor(matches, vocabulary, query.streetType);
        reading.streetToken = word.token;
        // The word right before the house number is most likely its street.
        if (index === words.length - 1 && query.house !== null) reading.score += 0.5;
      } else {
        reading[role] = matches;
        reading[`${role}Token`] = word.token;
        if (role === 'surname' && index === 0) reading.score += 0.1;
      }
    });
    return reading;
  };
  assign(0, []);
  results.sort((a, b) => b.score - a.score);
  return results.slice(0, 3);
}

// ---------------------------------------------------------------------------------------------
// Scoring a candidate against the query.

const buildingFact = (row: Pick<CandidateRow, 'korpus' | 'stroenie' | 'litera'>) =>
  row.korpus ? `к${row.korpus}` : row.stroenie ? `с${row.stroenie}` : row.litera ? `л${fold(row.litera)}` : null;

/** "5", "5а", "5/2" as the caller said it, against a building's house and litera. */
function houseFit(queryHouse: string, row: Pick<CandidateRow, 'house' | 'litera'>): number {
  const house = fold(row.house);
  if (house === queryHouse) return 1;
  if (row.litera && `${house}${fold(row.litera)}` === queryHouse) return 1;
  const number = (text: string) => /^\d+/.exec(text)?.[0];
  return number(house) === number(queryHouse) ? 0.5 : 0;
}

function matchQuality(value: string | null, matches: WordMatch[]): number {
  if (!value) return 0;
  const folded = fold(value);
  return matches.find((match) => match.word === folded)?.quality ?? 0;
}

interface Scored {
  row: CandidateRow;
  score: number;
  matched: MatchedField[];
}

function scoreCandidate(
  row: CandidateRow,
  query: CallerQuery,
  reading: Reading | null,
  exactBy: MatchedField[],
): Scored {
  const matched: MatchedField[] = [...exactBy];
  let score = exactBy.length ? weights.exact : 0;
  const add = (field: MatchedField, weight: number, quality: number) => {
    if (quality <= 0) return;
    score += weight * quality;
    matched.push(field);
  };
  if (reading) {
    add('surname', weights.surname, matchQuality(row.surname, reading.surname));
    add('firstName', weights.firstName, matchQuality(row.first_name, reading.firstName));
    add('patronymic', weights.patronymic, matchQuality(row.patronymic, reading.patronymic));
    const street = reading.streets.find((candidate) => candidate.entry.id === row.street_id);
    add('street', weights.street, street?.quality ?? 0);
    if (row.kind === 'organisation' && row.org_name) {
      const orgName = fold(row.org_name);
      const words = [...reading.otherWords, reading.surnameToken].filter((word): word is string => Boolean(word));
      if (words.some((word) => word.length >= 3 && orgName.includes(word))) add('orgName', weights.orgName, 1);
    }
  }
  if (query.house !== null) add('house', weights.house, houseFit(query.house, row));
  const wanted = query.korpus
    ? `к${query.korpus}`
    : query.stroenie
      ? `с${query.stroenie}`
      : query.litera
        ? `л${query.litera}`
        : null;
  if (wanted) add('building', weights.building, buildingFact(row) === wanted ? 1 : 0);
  if (query.apartment !== null) add('apartment', weights.apartment, row.apartment === query.apartment ? 1 : 0);
  return { row, score: Math.round(score * 100) / 100, matched };
}

// ---------------------------------------------------------------------------------------------
// The caller's answers to suggested questions.

function factsOf(row: CandidateRow): AskableFacts {
  return {
    firstName: row.first_name ? fold(row.first_name) : null,
    patronymic: row.patronymic ? fold(row.patronymic) : null,
    street: String(row.street_id),
    house: fold(row.house),
    building: buildingFact(row),
    apartment: row.apartment,
    birthYear: row.birth_date ? row.birth_date.slice(0, 4) : null,
    phoneLast4: (row.phones ?? []).map((phone) => phone.slice(-4)),
  };
}

type Answers = Partial<Record<Askable, string>>;

/** How far a candidate is from the caller's answer: 0 fits; larger is further. */
function answerDistance(attribute: Askable, answer: string, row: CandidateRow, vocabulary: Vocabulary): number {
  const folded = fold(answer.trim());
  const nameDistance = (value: string | null) => {
    if (!value) return 99;
    const name = fold(value);
    if (name === folded || (folded.length >= 3 && name.startsWith(folded))) return 0;
    const distance = editDistance(folded, name, 3);
    return distance <= typoAllowance(folded.length) ? 0 : distance;
  };
  const numberDistance = (value: string | null) => {
    if (value === null) return 99;
    if (fold(value) === folded) return 0;
    const a = Number.parseInt(value, 10);
    const b = Number.parseInt(folded, 10);
    return Number.isNaN(a) || Number.isNaN(b) ? 99 : Math.min(98, 1 + Math.abs(a - b));
  };
  switch (attribute) {
    case 'firstName':
      return nameDistance(row.first_name);
    case 'patronymic':
      return nameDistance(row.patronymic);
    case 'street': {
      const asked = parseCallerQuery(answer, vocabulary.compoundStreets);
      const name = [...asked.streetWords, ...asked.words].join(' ') || folded;
      return nameDistance(row.street_norm) === 0
        ? 0
        : editDistance(name, row.street_norm, 3) <= typoAllowance(name.length)
          ? 0
          : 50;
    }
    case 'house':
      return houseFit(folded.replace(/\s+/g, ''), row) === 1 ? 0 : numberDistance(row.house);
    case 'building': {
      const value = /[\dа-я]+$/.exec(folded)?.[0] ?? folded;
      const fact = buildingFact(row);
      return fact !== null && fact.slice(1) === value ? 0 : 50;
    }
    case 'apartment':
      return numberDistance(row.apartment);
    case 'birthYear':
      return numberDistance(row.birth_date ? row.birth_date.slice(0, 4) : null);
    case 'phoneLast4':
      return (row.phones ?? []).some((phone) => phone.endsWith(folded)) ? 0 : 50;
  }
}

function applyAnswers(
  scored: Scored[],
  answers: Answers,
  vocabulary: Vocabulary,
): { remaining: Scored[]; matchedNobody: Askable | null } {
  let remaining = scored;
  for (const [attribute, answer] of Object.entries(answers) as [Askable, string][]) {
    if (!answer?.trim()) continue;
    const distances = remaining.map((candidate) => answerDistance(attribute, answer, candidate.row, vocabulary));
    const fitting = remaining.filter((_, index) => distances[index] === 0);
    if (fitting.length === 0) {
      // Nobody fits: show the nearest by that answer instead of an empty list.
      const nearest = remaining
        .map((candidate, index) => ({ candidate, distance: distances[index]! }))
        .sort((a, b) => a.distance - b.distance || b.candidate.score - a.candidate.score)
        .map((entry) => entry.candidate);
      return { remaining: nearest, matchedNobody: attribute };
    }
    remaining = fitting.map((candidate) => ({ ...candidate, matched: [...candidate.matched, attribute] }));
  }
  return { remaining, matchedNobody: null };
}

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
        city: row.city,
        streetType: row.street_type,
        street: row.street,
        house: row.house,
        korpus: row.korpus,
        stroenie: row.stroenie,
        litera: row.litera,
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

async function findByIdentifiers(ctx: AppContext, query: CallerQuery): Promise<Scored[]> {
  const conditions: { field: MatchedField; where: SQL }[] = [];
  if (query.accountNumbers.length)
    conditions.push({ field: 'account', where: sql`a.number in (${inList(query.accountNumbers)})` });
  for (const contract of query.contracts) {
    const serial = String(contract.serial).padStart(6, '0');
    conditions.push({
      field: 'contract',
      where:
        contract.year === null
          ? sql`split_part(c.number, '-', 3) = ${serial}`
          : sql`c.number = ${`LD-${contract.year}-${serial}`}`,
    });
  }
  if (query.phones.length) {
    conditions.push({
      field: 'phone',
      where: sql`s.id in (select p.subscriber_id from subscriber_phones p where p.phone in (${inList(query.phones)}))`,
    });
  }
  if (query.emails.length) conditions.push({ field: 'email', where: sql`lower(s.email) in (${inList(query.emails)})` });
  if (query.inns.length) conditions.push({ field: 'inn', where: sql`s.inn in (${inList(query.inns)})` });
  const found = new Map<number, Scored>();
  for (const { field, where } of conditions) {
    for (const row of await fetchCandidates(ctx, where)) {
      const known = found.get(row.account_id);
      if (known) known.matched.push(field);
      else found.set(row.account_id, scoreCandidate(row, query, null, [field]));
    }
  }
  return [...found.values()];
}

function knownFromQuery(query: CallerQuery, reading: Reading | null, answers: Answers): Set<Askable> {
  const known = new Set<Askable>(Object.keys(answers).filter((key) => answers[key as Askable]?.trim()) as Askable[]);
  if (reading?.firstName.length) known.add('firstName');
  if (reading?.patronymic.length) known.add('patronymic');
  if (reading?.streets.length) known.add('street');
  if (query.house !== null) known.add('house');
  if (query.apartment !== null) known.add('apartment');
  if (query.korpus ?? query.stroenie ?? query.litera) known.add('building');
  return known;
}

/** Where to look for the candidates of one reading: by address, by surname, or both at once. */
async function candidatesOfReading(
  ctx: AppContext,
  query: CallerQuery,
  reading: Reading,
): Promise<{ rows: CandidateRow[]; overflow: number | null }> {
  const surnames = reading.surname.map((match) => match.word);
  const streetIds = reading.streets.map((street) => street.entry.id);
  let buildingIds: number[] | null = null;
  if (streetIds.length && query.house !== null) {
    const buildings = await ctx.database.rows<{ id: number; house: string; litera: string | null }>(
      sql`select id, house, litera from buildings where street_id in (${inList(streetIds)})`,
    );
    const exact = buildings.filter((building) => houseFit(query.house!, building) === 1);
    const sameNumber = buildings.filter((building) => houseFit(query.house!, building) > 0);
    buildingIds = (exact.length ? exact : sameNumber).map((building) => building.id);
  }
  const address =
    buildingIds !== null
      ? buildingIds.length
        ? sql`c.building_id in (${inList(buildingIds)})`
        : null
      : streetIds.length
        ? sql`b.street_id in (${inList(streetIds)})`
        : null;
  const byName = surnames.length ? sql`s.surname_norm in (${inList(surnames)})` : null;
  // Organisations are searched by the words that read as no name, or by a "surname" that fits
  // no surname exactly ("Ромашка", "Магистральснаб").
  const surnameIsExact = reading.surname.some((match) => match.quality === 1);
  const orgWords = [...reading.otherWords, surnameIsExact ? null : reading.surnameToken].filter(
    (word): word is string => (word?.length ?? 0) >= 3,
  );
  const byOrg = orgWords.length
    ? sql`(s.kind = 'organisation' and (${sql.join(
        orgWords.map((word) => sql`s.org_name_norm like ${`%${word.replace(/[\\%_]/g, '\\$&')}%`}`),
        sql` or `,
      )}))`
    : null;

  const tries: SQL[] = [];
  if (byName && address) tries.push(sql`${byName} and ${address}`);
  else if (byName) tries.push(byName);
  else if (address) tries.push(address);
  // A surname typo beyond the allowance, or a caller who gave the wrong house: fall back to
  // each half alone and let the ranking sort it out.
  const fallbacks: SQL[] = [];
  if (byName && address) fallbacks.push(address, byName);
  if (byOrg) fallbacks.push(byOrg);

  for (const where of tries) {
    const total = await countCandidates(ctx, where);
    if (total >= FETCH_CAP) return { rows: await fetchCandidates(ctx, where), overflow: total };
    if (total > 0) {
      const rows = await fetchCandidates(ctx, where);
      if (byOrg) rows.push(...(await fetchCandidates(ctx, byOrg)));
      return { rows, overflow: null };
    }
  }
  const rows: CandidateRow[] = [];
  for (const where of fallbacks) {
    if ((await countCandidates(ctx, where)) >= FETCH_CAP) continue;
    rows.push(...(await fetchCandidates(ctx, where)));
  }
  return { rows, overflow: null };
}

const emptyReading = {
  surname: null,
  firstName: null,
  patronymic: null,
  street: null,
  house: null,
  apartment: null,
  identifiers: [],
};

/** Finds the caller from one line of whatever they said, narrowed by their answers. */
export async function identifyCaller(ctx: AppContext, role: Role, input: IdentifyQuery): Promise<Identification> {
  const vocabulary = await vocabularyOf(ctx.database);
  const query = parseCallerQuery(input.q, vocabulary.compoundStreets);
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
  for (const key of Object.keys(answers) as Askable[]) if (!answers[key]?.trim()) delete answers[key];
  const identifiers = [
    ...query.accountNumbers,
    ...query.contracts.map((contract) => `${contract.year ?? '*'}-${contract.serial}`),
    ...query.phones,
    ...query.emails,
    ...query.inns,
  ];
  const empty: Identification = {
    exact: false,
    total: 0,
    totalIsCapped: false,
    candidates: [],
    nextQuestion: null,
    answerMatchedNobody: null,
    reading: { ...emptyReading, identifiers },
  };
  if (isEmptyQuery(query)) return empty;

  let scored: Scored[] = [];
  let exact = false;
  let overflow: number | null = null;
  let chosen: Reading | null = null;
  if (hasExactIdentifier(query)) {
    scored = await findByIdentifiers(ctx, query);
    exact = scored.length > 0;
  }
  if (!exact) {
    const readings = readWords(query, vocabulary);
    for (const reading of readings.length ? readings : []) {
      const found = await candidatesOfReading(ctx, query, reading);
      if (found.rows.length === 0) continue;
      chosen = reading;
      overflow = found.overflow;
      const unique = new Map<number, CandidateRow>();
      for (const row of found.rows) unique.set(row.account_id, row);
      scored = [...unique.values()].map((row) => scoreCandidate(row, query, reading, []));
      break;
    }
  }

  const { remaining, matchedNobody } = applyAnswers(scored, answers, vocabulary);
  if (!matchedNobody) {
    remaining.sort(
      (a, b) =>
        b.score - a.score ||
        (a.row.sort_key < b.row.sort_key ? -1 : a.row.sort_key > b.row.sort_key ? 1 : 0) ||
        a.row.account_id - b.row.account_id,
    );
  }
  const topScore = remaining[0]?.score ?? 0;
  const leading = matchedNobody
    ? remaining
    : remaining.filter((candidate) => candidate.score >= topScore - LEADING_MARGIN);
  const total = overflow !== null && Object.keys(answers).length === 0 ? overflow : remaining.length;
  const known = knownFromQuery(query, chosen, answers);
  const nextQuestion =
    exact && leading.length === 1
      ? null
      : suggestNextQuestion(
          leading.map((candidate) => factsOf(candidate.row)),
          known,
          overflow !== null && Object.keys(answers).length === 0 ? overflow : leading.length,
        );
  return {
    exact,
    total: Math.min(total, QUESTION_CANDIDATE_CAP),
    totalIsCapped: total > QUESTION_CANDIDATE_CAP,
    candidates: remaining.slice(0, SHOWN).map((candidate) => toCandidate(candidate, role)),
    nextQuestion,
    answerMatchedNobody: matchedNobody,
    reading: {
      surname: chosen?.surname[0]?.word ?? null,
      firstName: chosen?.firstName[0]?.word ?? null,
      patronymic: chosen?.patronymic[0]?.word ?? null,
      street: chosen?.streets[0]?.entry.name ?? null,
      house: query.house,
      apartment: query.apartment,
      identifiers,
    },
  };
}

/** Caller ID: the subscribers whose phone on record is exactly this number, in any written form. */
export async function findCallerByPhone(ctx: AppContext, role: Role, phoneInput: string): Promise<PhoneLookup | null> {
  const phone = normalisePhone(phoneInput);
  if (!phone) return null;
  const rows = await fetchCandidates(
    ctx,
    sql`s.id in (select p.subscriber_id from subscriber_phones p where p.phone = ${phone})`,
  );
  const query = parseCallerQuery('');
  return { phone, candidates: rows.map((row) => toCandidate(scoreCandidate(row, query, null, ['phone']), role)) };
}
