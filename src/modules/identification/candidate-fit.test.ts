import { describe, expect, it } from 'vitest';
import { type CallerDescription, describeCaller } from './caller-description.js';
import { fold, parseCallerQuery } from './caller-query.js';
import {
  byRank,
  fitCandidates,
  fitOf,
  type ListInPlay,
  narrow,
  preferredList,
  type Scored,
  scoreExactHit,
  scoreRow,
} from './candidate-fit.js';
import type { Fetched } from './candidates.js';
import { readWords } from './readings.js';
import { buildVocabulary } from './vocabulary.js';

const vocabulary = buildVocabulary(
  [
    { kind: 'surname', word: 'иванов', subscribers: 3 },
    { kind: 'surname', word: 'петров', subscribers: 1 },
    { kind: 'surname', word: 'сидоров', subscribers: 1 },
    { kind: 'first_name', word: 'сергей', subscribers: 2 },
  ],
  [
    { id: 1, city: 'Екатеринбург', street_type: 'ул', name: 'Ленина' },
    { id: 2, city: 'Екатеринбург', street_type: 'ул', name: 'Мира' },
  ],
);

/** What the caller said, read as its best reading would be. */
function described(text: string): CallerDescription {
  const query = parseCallerQuery(text, vocabulary.compoundStreets);
  const [reading] = readWords(query, vocabulary);
  return describeCaller(query, reading!, { streets: null, house: null, names: { firstNames: [], patronymics: [] } });
}

let nextId = 1;
function candidate(surname: string, streetId: number, house: string, extra: Partial<Fetched> = {}): Fetched {
  const id = nextId++;
  const street = vocabulary.streetById.get(streetId)!;
  const row = {
    subscriber_id: id,
    account_id: id,
    kind: 'person',
    surname,
    first_name: 'Олег',
    patronymic: null,
    org_name: null,
    sort_key: `${fold(surname)} олег`,
    birth_date: null,
    account_number: String(10_000_000 + id),
    state: 'active',
    contract_number: `LD-2020-${String(id).padStart(6, '0')}`,
    apartment: null,
    building_id: streetId * 100 + Number.parseInt(house, 10),
    street_id: streetId,
    house,
    korpus: null,
    stroenie: null,
    litera: null,
    phones: null,
    ...extra,
  } as const;
  return {
    ...row,
    street,
    building: { id: row.building_id, streetId, house, korpus: row.korpus, stroenie: row.stroenie, litera: row.litera },
    folded: {
      surname: fold(surname),
      firstName: fold(row.first_name ?? ''),
      patronymic: '',
      orgName: '',
      house: fold(house),
    },
  };
}

const surnames = (list: readonly Scored[]) => list.map((scored) => `${scored.row.surname} ${scored.row.house}`);

describe('how a candidate fits what the caller said', () => {
  it('counts a house only on a street said, and a house said without a street a quarter on any street', () => {
    expect(fitOf(candidate('Иванов', 1, '5'), described('Иванов Ленина 5')).house).toBe(1);
    expect(fitOf(candidate('Иванов', 2, '5'), described('Иванов Ленина 5')).house).toBe(0);
    expect(fitOf(candidate('Иванов', 2, '5'), described('Иванов 5')).house).toBe(0.25);
  });

  it('scores each part it fits by its weight: surname 3, street 2, house 2', () => {
    expect(scoreRow(candidate('Иванов', 1, '5'), described('Иванов Ленина 5')).score).toBe(7);
    expect(scoreRow(candidate('Иванов', 1, '5'), described('Иванов Ленина 5')).matched).toEqual([
      'surname',
      'street',
      'house',
    ]);
  });

  it('narrows to those who fit each part someone fits, and only ranks by a part nobody fits', () => {
    const rows = [candidate('Иванов', 1, '5'), candidate('Петров', 1, '5'), candidate('Иванов', 1, '7')];
    const ivanov = described('Иванов Ленина 5');
    expect(surnames(fitCandidates(ivanov, { rows, overflow: false, neighbours: [] }).inPlay)).toEqual(['Иванов 5']);
    // Nobody on Ленина is a Сидоров: the address narrows, the surname only ranks.
    const sidorov = described('Сидоров Ленина 5');
    expect(surnames(fitCandidates(sidorov, { rows, overflow: false, neighbours: [] }).inPlay)).toEqual([
      'Иванов 5',
      'Петров 5',
    ]);
  });

  it('narrows a house to the exact building when one fits: "5а" over "5"', () => {
    const rows = [candidate('Иванов', 1, '5'), candidate('Петров', 1, '5а')];
    const description = described('Ленина 5а');
    expect(
      surnames(
        narrow(
          rows.map((row) => scoreRow(row, description)),
          ['street', 'house'],
        ),
      ),
    ).toEqual(['Петров 5а']);
  });

  it('calls a list complete when someone fits every part said, and never when a house is said without a street', () => {
    const rows = [candidate('Иванов', 1, '5')];
    expect(fitCandidates(described('Иванов Ленина 5'), { rows, overflow: false, neighbours: [] }).complete).toBe(true);
    expect(fitCandidates(described('Иванов Мира 5'), { rows, overflow: false, neighbours: [] }).complete).toBe(false);
    expect(fitCandidates(described('Иванов 5'), { rows, overflow: false, neighbours: [] }).complete).toBe(false);
  });
});

describe('which reading is shown', () => {
  const list = (best: number, complete: boolean): ListInPlay => ({
    description: described('Иванов'),
    inPlay: [],
    overflow: false,
    best,
    complete,
  });

  it('shows the first complete reading even when an earlier incomplete one scored higher (docs/identification.md, section 3)', () => {
    const incomplete = list(7, false);
    const complete = list(5, true);
    expect(preferredList([incomplete, complete])).toBe(complete);
  });

  it('shows the best-scoring reading, the earliest of equals, when none is complete', () => {
    const [first, second, third] = [list(3, false), list(5, false), list(5, false)];
    expect(preferredList([first, second, third])).toBe(second);
    expect(preferredList([])).toBeNull();
  });
});

describe('the order of the list', () => {
  it('ranks by score, then by name, then by account', () => {
    const description = described('Иванов Ленина 5');
    const [onHouse, elsewhere, petrov, alexander] = [
      candidate('Иванов', 1, '5'),
      candidate('Иванов', 1, '7'),
      candidate('Петров', 1, '5', { sort_key: 'а петров' }),
      candidate('Иванов', 1, '5', { sort_key: 'иванов александр' }),
    ].map((row) => scoreRow(row, description));
    expect([petrov!, elsewhere!, onHouse!, alexander!].sort(byRank)).toEqual([alexander, onHouse, elsewhere, petrov]);
    const twin = { ...onHouse!, row: { ...onHouse!.row, account_id: onHouse!.row.account_id + 100 } };
    expect([twin, onHouse!].sort(byRank)).toEqual([onHouse, twin]);
  });

  it('puts a row an exact identifier found above any fit of words, by the identifiers it matched', () => {
    const hit = scoreExactHit(candidate('Иванов', 1, '5', { fields: ['phone', 'account'] }));
    expect(hit).toMatchObject({ score: 102, matched: ['account', 'phone'] });
    expect(hit.score).toBeGreaterThan(scoreRow(candidate('Иванов', 1, '5'), described('Иванов Ленина 5')).score);
  });
});
