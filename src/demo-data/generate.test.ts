import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPglite } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { verifyCodeWord } from '../modules/subscribers/code-word.js';
import { isValidAccountNumber, isValidInn, parseContractNumber } from '../modules/subscribers/identifiers.js';
import { generateDemoData } from './generate.js';
import { demoCodeWord } from './subscribers.js';

const DEMO = { subscribers: 1_000, seed: 7, today: '2025-06-15' } as const;

let database: Database;

const rows = <T>(query: ReturnType<typeof sql>) => database.rows<T>(query);
const one = async <T>(query: ReturnType<typeof sql>) => (await rows<T>(query))[0] as T;

/** Everything users see, folded into one digest: names, numbers, addresses, money, network. */
async function fingerprint(): Promise<string> {
  const { digest } = await one<{ digest: string }>(sql`
    select md5(string_agg(line, '|' order by line)) as digest from (
      select concat_ws(';', s.id, s.surname, s.first_name, s.patronymic, s.birth_date, s.org_name, s.inn, s.email, s.code_word_hash, s.created_at,
        a.id, a.number, a.balance_kopecks, a.state, a.tariff_id, c.number, c.signed_on, c.building_id, c.apartment) as line
      from subscribers s join accounts a on a.subscriber_id = s.id join contracts c on c.account_id = a.id
      union all select concat_ws(';', id, subscriber_id, phone, kind) from subscriber_phones
      union all select concat_ws(';', id, account_id, kind, amount_kopecks, occurred_at, description) from ledger_entries
      union all select concat_ws(';', id, name, management_ip, uplink_node_id, building_id) from network_nodes
      union all select concat_ws(';', id, account_id, method, pppoe_login, node_id, port_id, vlan, option82_circuit_id, mac, static_ip) from service_connections
      union all select concat_ws(';', id, account_id, model, mac, serial, installed_on) from equipment
      union all select concat_ws(';', b.id, s.street_type, s.name, b.house, b.korpus, b.litera) from buildings b join streets s on s.id = b.street_id
    ) lines`);
  return digest;
}

describe('the demo ISP generator', () => {
  let first: Awaited<ReturnType<typeof generateDemoData>>;
  let firstFingerprint: string;

  beforeAll(async () => {
    database = await openPglite(undefined);
    await migrate(database);
    first = await generateDemoData(database, DEMO);
    firstFingerprint = await fingerprint();
  });
  afterAll(() => database?.close());

  it('makes the same rows, ids included, for the same seed, size and day', async () => {
    await generateDemoData(database, { ...DEMO, replaceExisting: true });
    expect(await fingerprint()).toBe(firstFingerprint);
    const { n } = await one<{ n: number }>(sql`select max(id)::int as n from subscribers`);
    expect(n).toBe(DEMO.subscribers);
  });

  it('refuses to write over existing demo data unless told to replace it', async () => {
    await expect(generateDemoData(database, DEMO)).rejects.toThrow(/not empty/);
    expect(await fingerprint()).toBe(firstFingerprint);
  });

  it('reports the rows it wrote and records the generation in app_meta', async () => {
    expect(first.counts.subscribers).toBe(DEMO.subscribers);
    expect(first.counts.accounts).toBeGreaterThan(DEMO.subscribers);
    const meta = await one<{ value: string }>(sql`select value from app_meta where key = 'demo_data'`);
    expect(JSON.parse(meta.value)).toMatchObject({ subscribers: DEMO.subscribers, seed: DEMO.seed, today: DEMO.today });
  });

  it('gives many namesakes for the most common surnames', async () => {
    const top = await rows<{ family: string; n: number }>(sql`
      select regexp_replace(surname_norm, 'а$', '') as family, count(*)::int as n
      from subscribers where kind = 'person' group by 1 order by 2 desc limit 3`);
    expect(top[0]?.n).toBeGreaterThanOrEqual(6);
    const { distinct } = await one<{ distinct: number }>(
      sql`select count(distinct surname)::int as distinct from subscribers`,
    );
    expect(distinct).toBeGreaterThan(300);
  });

  it('spells surnames with ё, both with and without the dots, and has short and double surnames', async () => {
    const counts = await one<{ yo: number; short: number; double: number; female: number }>(sql`
      select count(*) filter (where surname like '%ё%')::int as yo,
             count(*) filter (where char_length(surname) <= 3)::int as short,
             count(*) filter (where surname like '%-%')::int as double,
             count(*) filter (where surname like '%ова' or surname like '%ская')::int as female
      from subscribers`);
    expect(counts.yo).toBeGreaterThan(10);
    expect(counts.short).toBeGreaterThan(3);
    expect(counts.female).toBeGreaterThan(100);
    const { plain } = await one<{ plain: number }>(sql`
      select count(*)::int as plain from subscribers s
      where s.surname not like '%ё%' and exists (select 1 from subscribers t where t.surname like '%ё%' and t.surname_norm = s.surname_norm)`);
    expect(plain).toBeGreaterThan(0);
  });

  it('makes only adults, born 1940..2005, at least 18 when they signed', async () => {
    const { bad } = await one<{ bad: number }>(sql`
      select count(*)::int as bad from subscribers s join contracts c on c.holder_id = s.id
      where s.kind = 'person' and (s.birth_date < '1940-01-01' or s.birth_date > '2005-12-31'
        or extract(year from c.signed_on) - extract(year from s.birth_date) < 18)`);
    expect(bad).toBe(0);
  });

  it('gives organisations a valid ИНН and a contact phone', async () => {
    const organisations = await rows<{ inn: string; org_name: string; phones: number }>(sql`
      select inn, org_name, (select count(*)::int from subscriber_phones p where p.subscriber_id = s.id) as phones
      from subscribers s where kind = 'organisation'`);
    expect(organisations.length).toBeGreaterThanOrEqual(5);
    for (const organisation of organisations) {
      expect(isValidInn(organisation.inn), organisation.inn).toBe(true);
      expect(organisation.inn).toHaveLength(organisation.org_name.startsWith('ИП ') ? 12 : 10);
      expect(organisation.phones).toBeGreaterThan(0);
    }
  });

  it('keeps every management address in 127.0.0.0/8 and builds the topology core ← aggregation ← access', async () => {
    const { outside } = await one<{ outside: number }>(
      sql`select count(*)::int as outside from network_nodes where not (management_ip::inet << '127.0.0.0/8'::inet)`,
    );
    expect(outside).toBe(0);
    const kinds = await rows<{ kind: string; uplink_kind: string | null }>(sql`
      select distinct n.kind::text, u.kind::text as uplink_kind from network_nodes n left join network_nodes u on u.id = n.uplink_node_id`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        { kind: 'core', uplink_kind: null },
        { kind: 'aggregation', uplink_kind: 'core' },
        { kind: 'access_switch', uplink_kind: 'aggregation' },
        { kind: 'olt', uplink_kind: 'aggregation' },
      ]),
    );
    expect(kinds).toHaveLength(4);
  });

  it('keeps every balance equal to the sum of its ledger, with debtors blocked', async () => {
    const { mismatched } = await one<{ mismatched: number }>(sql`
      select count(*)::int as mismatched from accounts a
      where a.balance_kopecks <> coalesce((select sum(amount_kopecks) from ledger_entries l where l.account_id = a.id), 0)`);
    expect(mismatched).toBe(0);
    const states = await one<{ blocked: number; negative_active: number; total: number }>(sql`
      select count(*) filter (where state = 'blocked_debt')::int as blocked,
             count(*) filter (where state <> 'blocked_debt' and balance_kopecks < 0)::int as negative_active,
             count(*)::int as total
      from accounts`);
    expect(states.negative_active).toBe(0);
    expect(states.blocked / states.total).toBeGreaterThan(0.03);
    expect(states.blocked / states.total).toBeLessThan(0.1);
  });

  it('gives every subscriber an account, a contract at an address and a connection', async () => {
    const gaps = await one<Record<string, number>>(sql`
      select
        (select count(*)::int from subscribers s where not exists (select 1 from accounts a where a.subscriber_id = s.id)) as no_account,
        (select count(*)::int from accounts a where not exists (select 1 from contracts c where c.account_id = a.id and c.holder_id = a.subscriber_id)) as no_contract,
        (select count(*)::int from accounts a where not exists (select 1 from service_connections sc where sc.account_id = a.id)) as no_connection,
        (select count(*)::int from accounts a where not exists (select 1 from account_tariffs t where t.account_id = a.id and t.valid_to is null and t.tariff_id = a.tariff_id)) as no_current_tariff,
        (select count(*)::int from subscribers s where not exists (select 1 from subscriber_phones p where p.subscriber_id = s.id and p.is_primary = 1)) as no_phone`);
    expect(gaps).toEqual({ no_account: 0, no_contract: 0, no_connection: 0, no_current_tariff: 0, no_phone: 0 });
  });

  it('writes numbers in their documented formats', async () => {
    const sample = await rows<{ account: string; contract: string; phone: string; mac: string }>(sql`
      select a.number as account, c.number as contract, p.phone, e.mac
      from accounts a join contracts c on c.account_id = a.id
      join subscriber_phones p on p.subscriber_id = a.subscriber_id and p.is_primary = 1
      join equipment e on e.account_id = a.id
      order by a.id limit 200`);
    for (const row of sample) {
      expect(isValidAccountNumber(row.account)).toBe(true);
      expect(parseContractNumber(row.contract)).not.toBeNull();
      expect(row.phone).toMatch(/^\+7(9\d{9}|343\d{7})$/);
      expect(row.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    }
    const { duplicated } = await one<{ duplicated: number }>(
      sql`select count(*)::int as duplicated from (select mac from equipment group by mac having count(*) > 1) d`,
    );
    expect(duplicated).toBe(0);
  });

  it('stores code words as hashes a demo can verify by the subscriber id', async () => {
    const withWords = await rows<{ id: number; code_word_hash: string }>(
      sql`select id, code_word_hash from subscribers where code_word_hash is not null order by id limit 20`,
    );
    expect(withWords.length).toBe(20);
    for (const { id, code_word_hash } of withWords) {
      const word = demoCodeWord(DEMO.seed, id);
      expect(word).not.toBeNull();
      expect(code_word_hash).toMatch(/^\$argon2id\$/);
      expect(await verifyCodeWord(word as string, code_word_hash)).toBe(true);
      expect(await verifyCodeWord('не то слово', code_word_hash)).toBe(false);
    }
    const { share } = await one<{ share: number }>(
      sql`select avg((code_word_hash is not null)::int)::float as share from subscribers`,
    );
    expect(share).toBeGreaterThan(0.6);
    expect(share).toBeLessThan(0.8);
  });

  it('announces one tariff increase for the start of next month', async () => {
    const future = await rows<{ effective_from: string }>(
      sql`select effective_from::text from tariff_prices where effective_from > ${DEMO.today}::date`,
    );
    expect(future.length).toBeGreaterThan(0);
    expect(new Set(future.map((row) => row.effective_from))).toEqual(new Set(['2025-07-01']));
  });

  it('moves identity sequences past the generated ids', async () => {
    const [{ id }] = (await database.db
      .execute(
        sql`insert into streets (city, street_type, name) values ('Екатеринбург', 'ул', 'Тестовая') returning id`,
      )
      .then((result) => (result as unknown as { rows: { id: number }[] }).rows)) as [{ id: number }];
    const { max } = await one<{ max: number }>(sql`select max(id)::int as max from streets where name <> 'Тестовая'`);
    expect(id).toBe(max + 1);
  });
});
