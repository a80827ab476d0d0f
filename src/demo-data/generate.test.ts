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

/** The contact history, folded the same way: contacts, timelines, agents' state changes. */
async function historyFingerprint(): Promise<string> {
  const { digest } = await one<{ digest: string }>(sql`
    select md5(string_agg(line, '|' order by line)) as digest from (
      select concat_ws(';', id, call_id, channel, caller_number, line, priority, arrived_at, answered_at, after_work_until,
        agent_id, reason, outcome, subscriber_id, subscribers_fitting, repeat_of, transfers) as line from contacts
      union all select concat_ws(';', id, contact_id, at, kind, staff_id, details) from contact_events
      union all select concat_ws(';', id, staff_id, state, reason, at) from agent_state_changes
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
    const history = await historyFingerprint();
    // A timer of the old demo's contact 1 would act on the new contact 1; a recurring sweep stays.
    await database.db.execute(sql`insert into jobs (kind, key, run_at, payload)
      values ('contacts.offer-lapsed', 'contacts.offer:1', now(), '{"contactId":1}'),
        ('contacts.routing-sweep', 'every:contacts.routing-sweep', now(), '{}')`);
    await generateDemoData(database, { ...DEMO, replaceExisting: true });
    const jobs = await database.rows<{ key: string }>(sql`select key from jobs order by key`);
    expect(jobs.map((job) => job.key)).toEqual(['every:contacts.routing-sweep']);
    expect(await fingerprint()).toBe(firstFingerprint);
    expect(await historyFingerprint()).toBe(history);
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

  describe('three months of contacts', () => {
    // The history ends where the reference day begins (00:00 in the city, UTC+5).
    const historyEnd = '2025-06-14T19:00:00Z';

    it('has about 1.5 contacts per 10 subscribers a month, Monday the busiest day and Sunday the quietest', async () => {
      const { contacts, days } = await one<{ contacts: number; days: number }>(sql`
        select count(*)::int as contacts, count(distinct (arrived_at at time zone 'Asia/Yekaterinburg')::date)::int as days
        from contacts`);
      expect(contacts).toBeGreaterThan(400);
      expect(contacts).toBeLessThan(700);
      expect(days).toBeGreaterThan(85);
      const weekdays = await rows<{ weekday: number; n: number }>(sql`
        select extract(isodow from arrived_at at time zone 'Asia/Yekaterinburg')::int as weekday, count(*)::int as n
        from contacts group by 1 order by 1`);
      const count = (weekday: number) => weekdays.find((row) => row.weekday === weekday)?.n ?? 0;
      expect(weekdays).toHaveLength(7);
      expect(Math.max(...weekdays.map((row) => row.n))).toBe(count(1));
      expect(Math.min(...weekdays.map((row) => row.n))).toBe(count(7));
      expect(count(1)).toBeGreaterThan(1.4 * count(7));
    });

    it('peaks at 10-12 and 18-21 in the city, quiet at night', async () => {
      const hours = await rows<{ hour: number; n: number }>(sql`
        select extract(hour from arrived_at at time zone 'Asia/Yekaterinburg')::int as hour, count(*)::int as n
        from contacts group by 1`);
      const perHour = (from: number, to: number) =>
        hours.filter((row) => row.hour >= from && row.hour < to).reduce((sum, row) => sum + row.n, 0) / (to - from);
      // The hours' weights make either peak about 1.45 times the afternoon; a thousand subscribers' calls are few, so less.
      const peaks = (2 * perHour(10, 12) + 3 * perHour(18, 21)) / 5;
      expect(peaks).toBeGreaterThan(1.2 * perHour(13, 17));
      expect(perHour(10, 12)).toBeGreaterThan(perHour(13, 17));
      expect(perHour(18, 21)).toBeGreaterThan(perHour(13, 17));
      expect(perHour(0, 7)).toBeLessThan(0.2 * perHour(13, 17));
    });

    it('keeps every contact’s times in order, and all of them before the history ends', async () => {
      const { bad } = await one<{ bad: number }>(sql`
        select count(*)::int as bad from contacts where not (
          arrived_at <= queued_at
          and (offered_at is null or queued_at <= offered_at)
          and (answered_at is null or (offered_at <= answered_at and answered_at <= ended_at))
          and (after_work_until is null or ended_at <= after_work_until)
          and ended_at is not null and coalesce(after_work_until, ended_at) <= ${historyEnd}::timestamptz
          and status = 'ended')`);
      expect(bad).toBe(0);
      const { outOfContact } = await one<{ outOfContact: number }>(sql`
        select count(*)::int as "outOfContact" from contact_events e join contacts c on c.id = e.contact_id
        where e.at < c.arrived_at or e.at > coalesce(c.after_work_until, c.ended_at)`);
      expect(outOfContact).toBe(0);
      const { withoutTimeline } = await one<{ withoutTimeline: number }>(sql`
        select count(*)::int as "withoutTimeline" from contacts c
        where not exists (select 1 from contact_events e where e.contact_id = c.id)`);
      expect(withoutTimeline).toBe(0);
    });

    it('answers most, loses some (short and long abandons), transfers some to the 2nd line, closes outside hours', async () => {
      const shares = await one<Record<string, number>>(sql`
        select avg((answered_at is not null)::int)::float as answered,
          avg((outcome = 'abandoned' and ended_at - queued_at <= interval '5 seconds')::int)::float as short,
          avg((outcome = 'abandoned' and ended_at - queued_at > interval '5 seconds')::int)::float as long,
          avg((transfers > 0)::int)::float as transferred,
          avg(outside_hours::int)::float as outside,
          avg((line = 'l1')::int)::float as first_line
        from contacts`);
      expect(shares.answered).toBeGreaterThan(0.7);
      // A thousand subscribers' line is rarely busy: few wait long enough to give up.
      expect(shares.short).toBeGreaterThan(0.005);
      expect(shares.long).toBeGreaterThan(0);
      expect(shares.long).toBeLessThan(0.1);
      expect(shares.transferred).toBeGreaterThan(0.03);
      expect(shares.outside).toBeGreaterThan(0.01);
      expect(shares.first_line).toBeGreaterThan(0.75);
      const { unexplained } = await one<{ unexplained: number }>(sql`
        select count(*)::int as unexplained from contacts
        where (answered_at is not null and (agent_id is null or reason is null or outcome is null or outcome = 'abandoned'))
          or (outside_hours and (agent_id is not null or outcome is not null))
          or (transfers > 0 and line <> 'l2')`);
      expect(unexplained).toBe(0);
    });

    it('marks a repeat contact by the latest earlier contact of the subscriber within 48 hours, and only then', async () => {
      const { repeats } = await one<{ repeats: number }>(sql`select count(repeat_of)::int as repeats from contacts`);
      expect(repeats).toBeGreaterThan(20);
      const { wrong } = await one<{ wrong: number }>(sql`
        select count(*)::int as wrong from contacts c
        left join lateral (select p.id from contacts p
          where p.subscriber_id = c.subscriber_id and p.arrived_at >= c.arrived_at - interval '48 hours'
            and p.arrived_at < c.arrived_at
          order by p.arrived_at desc limit 1) earlier on true
        where c.repeat_of is distinct from earlier.id`);
      expect(wrong).toBe(0);
    });

    it("calls from the subscriber's own number mostly, some from numbers the base does not know", async () => {
      const callers = await one<{
        own: number;
        unknown: number;
        withheld: number;
        unfilled: number;
        total: number;
      }>(sql`
        select count(*) filter (where c.channel = 'call' and p.id is not null)::int as own,
          count(*) filter (where c.channel = 'call' and c.subscriber_id is null and c.caller_number is not null)::int as unknown,
          count(*) filter (where c.channel = 'call' and c.caller_number is null)::int as withheld,
          count(*) filter (where c.subscribers_fitting < 0)::int as unfilled,
          count(*)::int as total
        from contacts c left join subscriber_phones p on p.subscriber_id = c.subscriber_id and p.phone = c.caller_number`);
      expect(callers.unfilled).toBe(0);
      expect(callers.own / callers.total).toBeGreaterThan(0.75);
      expect(callers.unknown).toBeGreaterThan(0);
      expect(callers.withheld).toBeGreaterThan(0);
      const { miscounted } = await one<{ miscounted: number }>(sql`
        select count(*)::int as miscounted from contacts c where c.caller_number like '+7%' and c.subscribers_fitting <>
          (select count(distinct p.subscriber_id) from subscriber_phones p where p.phone = c.caller_number)`);
      expect(miscounted).toBe(0);
    });

    it('gives every agent a desk, offline from the end of the history, and days of state changes that add up', async () => {
      const agents = await rows<{
        login: string;
        state: string;
        since: string;
        lines: string[];
        extension: string;
      }>(sql`
        select s.login, a.state, a.since::text, a.lines, a.extension from agent_states a join staff s on s.id = a.staff_id
        order by s.login`);
      expect(agents.map((agent) => agent.login)).toEqual([
        'l1',
        'l1-2',
        'l1-3',
        'l1-4',
        'l1-5',
        'l2',
        'l2-2',
        'l2-3',
        'l3',
        'l3-2',
      ]);
      for (const agent of agents) {
        expect(agent).toMatchObject({
          state: 'offline',
          since: '2025-06-14 19:00:00+00',
          lines: [agent.login.slice(0, 2)],
        });
      }
      expect(agents.map((agent) => agent.extension)).toEqual([
        '101',
        '102',
        '103',
        '104',
        '105',
        '201',
        '202',
        '203',
        '301',
        '302',
      ]);
      // Each agent's changes never repeat a state, and the last one is offline.
      const { repeated } = await one<{ repeated: number }>(sql`
        select count(*)::int as repeated from (select state, lag(state) over (partition by staff_id order by at, id) as before
          from agent_state_changes) c where c.state = c.before`);
      expect(repeated).toBe(0);
      const { notOffline } = await one<{ notOffline: number }>(sql`
        select count(*)::int as "notOffline" from (select distinct on (staff_id) state from agent_state_changes
          order by staff_id, at desc, id desc) last where state <> 'offline'`);
      expect(notOffline).toBe(0);
      // Every answer has its agent on the contact, and nobody was on two calls at once.
      const { answered, onContact } = await one<{ answered: number; onContact: number }>(sql`
        select (select count(*)::int from contacts where answered_at is not null) + (select count(*)::int from contacts
          where transfers > 0) as answered,
          (select count(*)::int from agent_state_changes where state = 'on_contact') as "onContact"`);
      expect(onContact).toBe(answered);
      const { occupancy } = await one<{ occupancy: number }>(sql`
        with spans as (select state, extract(epoch from lead(at) over (partition by staff_id order by at, id) - at) as seconds
          from agent_state_changes)
        select (sum(seconds) filter (where state in ('on_contact', 'after_contact_work'))
          / sum(seconds) filter (where state not in ('offline', 'break')))::float as occupancy from spans`);
      // Ten agents on shifts for a thousand subscribers' five contacts a day: busy a few minutes a day.
      expect(occupancy).toBeGreaterThan(0.002);
      expect(occupancy).toBeLessThan(0.9);
    });

    it("seeds each line's running handle time from the contacts it handled", async () => {
      const lines = await rows<{ line: string; aht: number; handled: number }>(sql`
        select line, aht_seconds as aht, handled from line_handle_times order by line`);
      expect(lines.map((line) => line.line)).toEqual(['l1', 'l2', 'l3']);
      for (const line of lines) {
        expect(line.aht).toBeGreaterThan(60);
        expect(line.aht).toBeLessThan(1_800);
        expect(line.handled).toBeGreaterThan(0);
      }
    });
  });
});
