// The requests the benchmarks send, built from the benchmark database itself (random subscribers,
// a fixed seed), each with the SQL its endpoint runs, captured for bare-sql.ts. Many different
// ids and queries, so neither PostgreSQL's buffers nor the server's caches see one hot row.
// Budgets served (docs/benchmarks.md): card and list p95 ≤ 30 ms at 1 M (PostgreSQL); lookup by phone,
// account, contract p99 ≤ 10 ms at 1 M (PostgreSQL); free text p95 ≤ 50 ms at 1 M (PostgreSQL),
// ≤ 100 ms at 100 k (PGlite).
import { sql } from 'drizzle-orm';
import type { SubscriberListQuery } from '../src/common/api/subscribers.js';
import { Random } from '../src/demo-data/random.js';
import { openSubscriberCard } from '../src/modules/card/card.js';
import { findCallerByPhone, identifyCaller } from '../src/modules/identification/identify.js';
import { encodeListCursor, listSubscribers } from '../src/modules/subscribers/service.js';
import type { Statement } from './bare-sql.js';
import type { Recorder } from './capture-sql.js';

export type Group = 'card' | 'list' | 'lookup' | 'text';

export interface BenchItem {
  kind: string;
  path: string;
  expect?: string;
  statements: Statement[];
}

interface Sampled {
  id: number;
  kind: 'person' | 'organisation';
  surname: string | null;
  first_name: string | null;
  patronymic: string | null;
  account: string;
  contract: string;
  apartment: string | null;
  street: string;
  street_type: string;
  house: string;
  korpus: string | null;
  stroenie: string | null;
  litera: string | null;
  phone: string | null;
}

async function sample(recorder: Recorder, count: number, rng: Random): Promise<Sampled[]> {
  const [{ max } = { max: 0 }] = await recorder.database.rows<{ max: number }>(
    sql`select max(id)::int as max from subscribers`,
  );
  const ids = new Set<number>();
  while (ids.size < Math.min(count, max)) ids.add(rng.int(1, max));
  const rows = await recorder.database.rows<Sampled>(sql`
    select distinct on (s.id) s.id, s.kind, s.surname, s.first_name, s.patronymic, a.number as account,
      c.number as contract, c.apartment, st.name as street, st.street_type, b.house, b.korpus, b.stroenie, b.litera,
      (select p.phone from subscriber_phones p where p.subscriber_id = s.id order by p.is_primary desc, p.id limit 1) as phone
    from subscribers s
    join accounts a on a.subscriber_id = s.id
    join contracts c on c.account_id = a.id
    join buildings b on b.id = c.building_id
    join streets st on st.id = b.street_id
    where s.id = any(${sql.raw(`array[${[...ids].join(',')}]::int[]`)})
    order by s.id, a.id`);
  recorder.take();
  return rng.shuffle(rows);
}

const query = (path: string, params: Record<string, string | number>) =>
  `${path}?${new URLSearchParams(Object.entries(params).map(([key, value]) => [key, String(value)]))}`;

/** The house as a caller says it: "5", "5а", "5к2", "5 стр. 1". */
function houseText(row: Sampled, rng: Random): string {
  let text = row.house + (row.litera ?? '').toLowerCase();
  if (row.korpus) text += rng.pick([`к${row.korpus}`, ` корп. ${row.korpus}`]);
  if (row.stroenie) text += ` стр. ${row.stroenie}`;
  return text;
}

/** One typo of the kinds the quality set uses: a swapped, missing, doubled or wrong letter (never the first). */
function typo(word: string, rng: Random): string {
  const letters = [...word];
  const at = rng.int(1, letters.length - 2);
  switch (rng.int(0, 3)) {
    case 0:
      [letters[at], letters[at + 1]] = [letters[at + 1]!, letters[at]!];
      break;
    case 1:
      letters.splice(at, 1);
      break;
    case 2:
      letters.splice(at, 0, letters[at]!);
      break;
    default:
      letters[at] = rng.pick([...'аеиоуынтрслвк'].filter((letter) => letter !== letters[at]));
  }
  return letters.join('');
}

const phoneForms = (phone: string): string[] => {
  const d = phone.slice(2); // +7XXXXXXXXXX → XXXXXXXXXX
  return [
    phone,
    `8 ${d.slice(0, 3)} ${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8)}`,
    `+7 (${d.slice(0, 3)}) ${d.slice(3)}`,
    d,
  ];
};

export interface WorkloadSizes {
  card: number;
  list: number;
  lookup: number;
  text: number;
}

/**
 * Builds the requests of each group and captures the SQL each one runs. Opening a card writes an
 * audit row, as the real card does; the capture writes those rows too (on the bench database).
 */
export async function buildWorkloads(
  recorder: Recorder,
  groups: ReadonlySet<Group>,
  sizes: WorkloadSizes,
): Promise<Partial<Record<Group, BenchItem[]>>> {
  // The project's seeded generator: the same sample on every run.
  const rng = new Random(20_251_125);
  const people = (await sample(recorder, Math.max(sizes.card, sizes.lookup, sizes.text, sizes.list) + 200, rng)).filter(
    (row) => row.kind === 'person' && row.surname,
  );
  const all = await sample(recorder, sizes.card, rng);
  const me = await recorder.me('l1');
  const { ctx } = recorder;
  const out: Partial<Record<Group, BenchItem[]>> = {};

  if (groups.has('card')) {
    const items: BenchItem[] = [];
    for (const row of all.slice(0, sizes.card)) {
      await openSubscriberCard(ctx, me, row.id, undefined, '127.0.0.1');
      items.push({
        kind: 'card',
        path: `/api/subscribers/${row.id}`,
        expect: `"id":${row.id},`,
        statements: recorder.take(),
      });
    }
    out.card = items;
  }

  if (groups.has('list')) {
    // Each mix as an operator meets it: a first page, or a following page by the cursor an answer
    // gave (keyset pages: a cursor at a random subscriber's row is a page anywhere in the list).
    // The answer must start with the account the in-process call found.
    const [{ max: maxAccount } = { max: 0 }] = await recorder.database.rows<{ max: number }>(
      sql`select max(id)::int as max from accounts`,
    );
    const items: BenchItem[] = [];
    const each = Math.ceil(sizes.list / 4);
    for (let i = 0; i < each; i++) {
      const row = people[i % people.length]!;
      const surname = row.surname!;
      const [at] = await recorder.database.rows<{ sort_key: string; subscriber_id: number; id: number }>(sql`
        select s.sort_key, s.id as subscriber_id, a.id from accounts a join subscribers s on s.id = a.subscriber_id
        where a.id >= ${rng.int(1, maxAccount)} order by a.id limit 1`);
      recorder.take();
      const deep = encodeListCursor({
        direction: 'after',
        sortKey: at!.sort_key,
        subscriberId: at!.subscriber_id,
        accountId: at!.id,
      });
      const firstOrDeep = () => (rng.int(0, 1) === 0 ? {} : { cursor: deep });
      const mixes: [string, SubscriberListQuery][] = [
        ['no filter', { limit: 50, ...firstOrDeep() }],
        ['surname prefix', { surname: surname.slice(0, rng.int(2, Math.min(5, surname.length))), limit: 50 }],
        ['street+house', { street: row.street, house: row.house, limit: 50 }],
        ['state=blocked_debt', { state: 'blocked_debt', limit: 50, ...firstOrDeep() }],
      ];
      for (const [kind, listQuery] of mixes) {
        const answer = await listSubscribers(ctx, 'l1', listQuery);
        const first = answer.items[0];
        items.push({
          kind,
          path: query('/api/subscribers', listQuery as Record<string, string | number>),
          ...(first ? { expect: `"accountId":${first.accountId},` } : {}),
          statements: recorder.take(),
        });
      }
    }
    out.list = rng.shuffle(items);
  }

  if (groups.has('lookup')) {
    const items: BenchItem[] = [];
    const each = Math.ceil(sizes.lookup / 3);
    const withPhone = people.filter((row) => row.phone);
    for (let i = 0; i < each; i++) {
      const row = withPhone[i % withPhone.length]!;
      const expect = `"subscriberId":${row.id},`;
      const phone = rng.pick(phoneForms(row.phone!));
      await findCallerByPhone(ctx, 'l1', phone);
      items.push({
        kind: 'phone',
        path: `/api/identify/phone/${encodeURIComponent(phone)}`,
        expect,
        statements: recorder.take(),
      });

      const account = rng.pick([row.account, `${row.account.slice(0, 4)} ${row.account.slice(4)}`]);
      await identifyCaller(ctx, 'l1', { q: account });
      items.push({
        kind: 'account',
        path: query('/api/identify', { q: account }),
        expect,
        statements: recorder.take(),
      });

      const [, year, serial] = row.contract.split('-');
      const contract = rng.pick([row.contract, `${year}-${serial}`, serial!]);
      await identifyCaller(ctx, 'l1', { q: contract });
      items.push({
        kind: 'contract',
        path: query('/api/identify', { q: contract }),
        expect,
        statements: recorder.take(),
      });
    }
    out.lookup = rng.shuffle(items);
  }

  if (groups.has('text')) {
    const items: BenchItem[] = [];
    const each = Math.ceil(sizes.text / 5);
    const withFlat = people.filter((row) => row.apartment);
    const longNames = people.filter((row) => row.surname!.length >= 5);
    for (let i = 0; i < each; i++) {
      const row = people[(i * 7 + 3) % people.length]!;
      const flat = withFlat[(i * 11 + 5) % withFlat.length]!;
      const misspelt = longNames[(i * 13 + 1) % longNames.length]!;
      const surname = row.surname!;
      const house = houseText(row, rng);
      const expect = (subscriber: Sampled) => `"subscriberId":${subscriber.id},`;
      const flatHouse = houseText(flat, rng);
      const streetTyped = flat.street_type === 'ул' ? 'ул.' : flat.street_type;
      const texts: [string, string, string | undefined][] = [
        ['surname', surname, undefined],
        ['full name', [surname, row.first_name, row.patronymic].filter(Boolean).join(' '), expect(row)],
        ['surname+street+house', `${surname} ${row.street} ${house}`, expect(row)],
        [
          'address+apartment',
          rng.pick([
            `${streetTyped} ${flat.street}, д. ${flatHouse}, кв. ${flat.apartment}`,
            `${flat.street} ${flatHouse} кв ${flat.apartment}`,
            `${flat.street} ${flatHouse}-${flat.apartment}`,
          ]),
          expect(flat),
        ],
        [
          'typo',
          // A typo in the surname, ё typed as е, with the street and house or the first name.
          (rng.next() < 0.5
            ? `${typo(misspelt.surname!.toLowerCase(), rng)} ${misspelt.street} ${houseText(misspelt, rng)}`
            : `${typo(misspelt.surname!.toLowerCase(), rng)} ${misspelt.first_name ?? ''}`.trim()
          ).replaceAll('ё', 'е'),
          expect(misspelt),
        ],
      ];
      for (const [kind, q, expected] of texts) {
        await identifyCaller(ctx, 'l1', { q });
        items.push({ kind, path: query('/api/identify', { q }), expect: expected, statements: recorder.take() });
      }
    }
    out.text = rng.shuffle(items);
  }
  return out;
}
