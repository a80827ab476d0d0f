import { type Static, Type } from 'typebox';
import { Nullable, StrictObject, Text } from '../schema-kit.js';
import { AccountStateSchema } from './subscribers.js';

/** What an operator may ask a caller to tell namesakes apart. */
export const askables = [
  'firstName',
  'patronymic',
  'street',
  'house',
  'building',
  'apartment',
  'birthYear',
  'phoneLast4',
] as const;
export type Askable = (typeof askables)[number];
export const AskableSchema = Type.Union([
  Type.Literal('firstName'),
  Type.Literal('patronymic'),
  Type.Literal('street'),
  Type.Literal('house'),
  Type.Literal('building'),
  Type.Literal('apartment'),
  Type.Literal('birthYear'),
  Type.Literal('phoneLast4'),
]);

export const IdentifyQuery = StrictObject({
  q: Text(200),
  // The caller's answers to suggested questions, typed in place by the operator.
  firstName: Type.Optional(Text(60)),
  patronymic: Type.Optional(Text(60)),
  street: Type.Optional(Text(100)),
  house: Type.Optional(Text(20)),
  building: Type.Optional(Text(20)),
  apartment: Type.Optional(Text(10)),
  birthYear: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100 })),
  phoneLast4: Type.Optional(Text(4, { pattern: '^\\d{4}$' })),
  /** How many candidates to show: 20 at first, 20 more for each "show more", at most 200. */
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
export type IdentifyQuery = Static<typeof IdentifyQuery>;

export const MatchedField = Type.Union([
  Type.Literal('account'),
  Type.Literal('contract'),
  Type.Literal('phone'),
  Type.Literal('email'),
  Type.Literal('inn'),
  Type.Literal('surname'),
  Type.Literal('firstName'),
  Type.Literal('patronymic'),
  Type.Literal('orgName'),
  Type.Literal('street'),
  Type.Literal('house'),
  Type.Literal('building'),
  Type.Literal('apartment'),
  Type.Literal('birthYear'),
  Type.Literal('phoneLast4'),
]);
export type MatchedField = Static<typeof MatchedField>;

export const Candidate = Type.Object({
  subscriberId: Type.Integer(),
  accountId: Type.Integer(),
  kind: Type.Union([Type.Literal('person'), Type.Literal('organisation')]),
  /** Masked per role like the list: surname and initials, street and house. */
  name: Type.String(),
  address: Type.String(),
  accountNumber: Type.String(),
  contractNumber: Type.String(),
  state: AccountStateSchema,
  /** What in the query this candidate matched, for highlighting. */
  matched: Type.Array(MatchedField),
  score: Type.Number(),
});
export type Candidate = Static<typeof Candidate>;

export const NextQuestion = Type.Object({
  attribute: AskableSchema,
  /** Candidates now in play. */
  candidates: Type.Integer(),
  /** Different answers among them: "4 candidates, 4 different houses". */
  distinctAnswers: Type.Integer(),
  /** How many candidates an answer leaves on average. */
  expectedRemaining: Type.Number(),
  /** `too_many`: over 10,000 fit, so ask for the street and house before anything finer. */
  reason: Type.Union([Type.Literal('splits_best'), Type.Literal('too_many')]),
});
export type NextQuestion = Static<typeof NextQuestion>;

/**
 * A part of what the caller said that nobody in the list fits, so the operator hears it back
 * instead of a list that silently ignores it: a word read as nothing ("Несуществующая"), a surname
 * or name nobody at that address has, a house the street does not have (with the nearest houses),
 * a flat nobody lives in.
 */
export const NotFitting = Type.Object({
  part: Type.Union([
    Type.Literal('word'),
    Type.Literal('surname'),
    Type.Literal('firstName'),
    Type.Literal('patronymic'),
    Type.Literal('street'),
    Type.Literal('house'),
    Type.Literal('building'),
    Type.Literal('apartment'),
  ]),
  /** As the caller said it. */
  said: Type.String(),
  /** The nearest that exist: the street's houses nearest to the house said. */
  nearest: Type.Array(Type.String()),
});
export type NotFitting = Static<typeof NotFitting>;

/** An exact identifier read from the query: a contract as "LD-2019-005625" (or "005625" without the year), a phone in E.164. */
export const ReadIdentifier = Type.Object({
  kind: Type.Union([
    Type.Literal('account'),
    Type.Literal('contract'),
    Type.Literal('phone'),
    Type.Literal('email'),
    Type.Literal('inn'),
  ]),
  value: Type.String(),
});
export type ReadIdentifier = Static<typeof ReadIdentifier>;

export const Identification = Type.Object({
  /** True when an exact identifier (account, contract, phone, e-mail, ИНН) found the caller. */
  exact: Type.Boolean(),
  total: Type.Integer(),
  totalIsCapped: Type.Boolean(),
  candidates: Type.Array(Candidate),
  nextQuestion: Nullable(NextQuestion),
  /** Set when the caller's answer to `attribute` fits nobody: the candidates are then the nearest. */
  answerMatchedNobody: Nullable(AskableSchema),
  /** What was said that no candidate in the list fits: the list then fits only part of the query. */
  notFitting: Type.Array(NotFitting),
  /** How the query was read, for the operator to see what the search understood. */
  reading: Type.Object({
    surname: Nullable(Type.String()),
    firstName: Nullable(Type.String()),
    patronymic: Nullable(Type.String()),
    street: Nullable(Type.String()),
    house: Nullable(Type.String()),
    apartment: Nullable(Type.String()),
    /** The exact identifiers read, each with its kind, so an e-mail is never shown as a number. */
    identifiers: Type.Array(ReadIdentifier),
  }),
});
export type Identification = Static<typeof Identification>;

export const PhoneLookup = Type.Object({
  phone: Type.String(),
  candidates: Type.Array(Candidate),
});
export type PhoneLookup = Static<typeof PhoneLookup>;
