/**
 * The demo ISP: a city, its network, subscribers with accounts, contracts, tariffs, a year of
 * payments, equipment and connections, the demo staff logins and agents, and three months of the
 * hotline's contacts (contacts.ts) — all in one transaction.
 *
 * Deterministic: the same seed, size and reference day give the same rows, ids included, on
 * PGlite and on PostgreSQL. Names, addresses, numbers and the network depend on the seed and the
 * size only; dates (contracts, payments, tariff changes) are counted back from the reference day,
 * by default today in the city. Payments go back 12 months (6 past 200,000 subscribers).
 *
 * Streaming: subscribers are made and inserted in chunks, so a million needs about as much memory
 * as a few thousand plus the city plan (a few tens of MB).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/connection.js';
import { demoAgents, seedDemoStaff } from '../modules/staff/demo.js';
import { accountNumberFor, contractNumberFor } from '../modules/subscribers/identifiers.js';
import { BulkWriter, copierFor, type Executor } from './bulk-insert.js';
import { cityToday, dayOf, epochAt, isoOf, monthStart, yearOf } from './calendar.js';
import { apartmentOf, buildCity, CITY } from './city.js';
import { ConnectionMaker } from './connections.js';
import { writeContactHistory } from './contacts.js';
import { type AccountMoney, type Fate, LedgerWriter, ledgerMonthsFor, type TariffPeriod } from './ledger.js';
import { attachmentOf, planNetwork, writeNetwork } from './network.js';
import { Random } from './random.js';
import { SubscriberMaker } from './subscribers.js';
import { demoTables } from './tables.js';
import { introducedOn, PriceBook, pickCurrentTariff, pickEarlierTariff } from './tariffs.js';

export const DEMO_LIMITS = { min: 1, max: 1_000_000 } as const;

export interface DemoDataOptions {
  subscribers: number;
  seed: number;
  /** The reference day (YYYY-MM-DD) the history is counted back from; default: today in the city. */
  today?: string;
  /**
   * When the contact history ends (every demo agent is offline from then): default the moment of
   * generation when `today` is not given, else the start of the reference day, so a demo made for
   * a fixed day starts that day with no contacts yet.
   */
  historyUntil?: Date;
  /** Empty the demo tables first (in the same transaction); otherwise they must be empty. */
  replaceExisting?: boolean;
  onProgress?: (done: number, total: number, stage: string) => void;
}

export interface DemoDataResult {
  seconds: number;
  counts: Record<string, number>;
  /** Seconds the database spent inserting each table's rows (overlapping the generation of the next ones). */
  insertSeconds: Record<string, number>;
}

/** Tables the demo owns, emptied by `replaceExisting` (CASCADE also empties history that points at them). */
export const DEMO_TABLES = [
  'askable_facts',
  'ledger_entries',
  'account_tariffs',
  'equipment',
  'service_connections',
  'contracts',
  'accounts',
  'subscriber_phones',
  'subscribers',
  'tariff_prices',
  'tariffs',
  'network_node_buildings',
  'network_ports',
  'network_nodes',
  'buildings',
  'streets',
  'contact_events',
  'contacts',
  'pbx_events',
  'line_handle_times',
  'agent_state_changes',
  'agent_states',
  'staff_sessions',
  'login_throttle',
  'audit_log',
  'staff',
] as const;

/**
 * Drops the demo tables' non-unique indexes and foreign keys for the bulk load and returns what
 * makes them again, in the same transaction: one index build over sorted rows, and one join per
 * foreign key, cost a fraction of keeping them up row by row over 15 million rows (the 1 M demo
 * has a 15-minute budget). The definitions are read back from the catalog, so they are exactly
 * what the migrations made. Unique indexes stay: constraints and ON CONFLICT rely on them.
 */
async function dropIndexesForLoad(
  tx: Executor,
  only: { tables: readonly string[]; indexes: boolean } = { tables: DEMO_TABLES, indexes: true },
): Promise<() => Promise<void>> {
  const tables = sql.raw(only.tables.map((table) => `'${table}'`).join(', '));
  const { rows: foreignKeys } = (await tx.execute(sql`
    select conrelid::regclass::text as "table", conname as name, pg_get_constraintdef(oid) as definition
    from pg_constraint where contype = 'f' and conrelid::regclass::text in (${tables})`)) as unknown as {
    rows: { table: string; name: string; definition: string }[];
  };
  const { rows: indexes } = (await tx.execute(sql`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i
    where ${only.indexes} and i.indrelid::regclass::text in (${tables}) and not i.indisunique and not i.indisprimary`)) as unknown as {
    rows: { name: string; definition: string }[];
  };
  for (const key of foreignKeys) await tx.execute(sql.raw(`alter table ${key.table} drop constraint "${key.name}"`));
  for (const index of indexes) await tx.execute(sql.raw(`drop index ${index.name}`));
  return async () => {
    await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
    for (const index of indexes) await tx.execute(sql.raw(index.definition));
    for (const key of foreignKeys) {
      await tx.execute(sql.raw(`alter table ${key.table} add constraint "${key.name}" ${key.definition}`));
    }
  };
}

/** The contact history's tables (contacts.ts). */
const HISTORY_TABLES = ['contacts', 'contact_events', 'agent_state_changes'] as const;

/** Tables whose ids the generator assigns; their identity sequences are moved past the last id. */
const ID_TABLES = [
  'streets',
  'buildings',
  'tariffs',
  'network_nodes',
  'network_ports',
  'subscribers',
  'subscriber_phones',
  'accounts',
  'account_tariffs',
  'contracts',
  'equipment',
  'service_connections',
  'ledger_entries',
  'contacts',
  'contact_events',
  'agent_state_changes',
] as const;

const CHUNK = 5_000;
const SHARE_ORGANISATIONS = 0.015;
const SHARE_SECOND_ADDRESS = 0.01;
const SHARE_DEBTORS = 0.065;
const SHARE_SUSPENDED = 0.01;
// Besides those who signed before their plan existed (about 15 %), so about 30 % have changed plan.
const SHARE_TARIFF_CHANGED = 0.18;

/**
 * Signing days rise with the subscriber id: the base grew over ~17 years, faster lately
 * (a truncated exponential of the contract's age, mean 5 years).
 */
function signingDay(index: number, total: number, today: number, random: Random): number {
  const meanDays = 1_800;
  const maxDays = 6_200;
  const u = 1 - (index + random.next()) / total;
  const age = -meanDays * Math.log(1 - u * (1 - Math.exp(-maxDays / meanDays)));
  return today - 1 - Math.floor(age);
}

async function assertEmpty(executor: Executor): Promise<void> {
  const result = (await executor.execute(
    sql`select exists(select 1 from subscribers) or exists(select 1 from streets) or exists(select 1 from tariffs) or exists(select 1 from network_nodes) as used`,
  )) as { rows: { used: boolean }[] };
  if (result.rows[0]?.used) {
    throw new Error(
      'The demo tables are not empty: generate into an empty database, or pass replaceExisting (npm run demo-data does).',
    );
  }
}

export async function generateDemoData(database: Database, options: DemoDataOptions): Promise<DemoDataResult> {
  const started = performance.now();
  const total = options.subscribers;
  if (!Number.isInteger(total) || total < DEMO_LIMITS.min || total > DEMO_LIMITS.max) {
    throw new RangeError(`subscribers must be a whole number ${DEMO_LIMITS.min}..${DEMO_LIMITS.max}, got ${total}`);
  }
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
    throw new RangeError(`seed must be a whole number 0..4294967295, got ${options.seed}`);
  }
  const today = options.today ? dayOf(options.today) : cityToday();
  const historyUntil = Math.floor(
    options.historyUntil
      ? options.historyUntil.getTime() / 1000
      : options.today
        ? epochAt(today, 0)
        : Date.now() / 1000,
  );
  const progress = options.onProgress ?? (() => {});
  const root = new Random(options.seed);

  progress(0, total, 'city');
  const planRandom = root.fork('plan');
  const secondAddress = new Uint8Array(total);
  let extraAccounts = 0;
  for (let i = 0; i < total; i++) {
    if (planRandom.chance(SHARE_SECOND_ADDRESS)) {
      secondAddress[i] = 1;
      extraAccounts++;
    }
  }
  const city = buildCity(total, total + extraAccounts, root.fork('city'));
  const slotOrder = new Int32Array(total + extraAccounts);
  for (let i = 0; i < slotOrder.length; i++) slotOrder[i] = i;
  root.fork('addresses').shuffle(slotOrder);
  progress(0, total, 'network');
  const network = planNetwork(city, root.fork('network'));
  const prices = new PriceBook(today);

  let counts: Record<string, number> = {};
  let insertSeconds: Record<string, number> = {};
  await database.db.transaction(async (tx) => {
    if (options.replaceExisting) {
      await tx.execute(sql.raw(`truncate ${DEMO_TABLES.join(', ')} restart identity cascade`));
      // Timers of the old demo's contacts and agents would act on the new rows that take their ids;
      // the recurring sweeps (key every:…) stay.
      await tx.execute(sql`delete from jobs where key is null or key not like 'every:%'`);
    } else {
      await assertEmpty(tx);
    }
    const copier = copierFor(tx);
    const writer = new BulkWriter(tx, copier);
    const t = demoTables();
    // Only the COPY path (PostgreSQL) loads millions of rows; PGlite's demos are small.
    const rebuild = copier ? await dropIndexesForLoad(tx) : null;
    // The identification facts (migration 0009) are made once at the end, in one join, rather
    // than after every batch of contracts and phones (deferred until this transaction ends).
    await tx.execute(sql`select set_config('linedesk.askable_facts', 'deferred', true)`);

    for (const street of city.streets) t.streets.add(street.id, CITY, street.type, street.name);
    for (const b of city.buildings)
      t.buildings.add(b.id, b.street.id, b.house, b.korpus, b.stroenie, b.litera, b.floors, b.entrances);
    prices.insertRows(t.tariffs, t.tariffPrices);
    await writer.flush([t.streets, t.buildings, t.tariffs, t.tariffPrices]);
    await writeNetwork(network, t, () => writer.flush([t.nodes, t.ports, t.nodeBuildings]));

    progress(0, total, 'subscribers');
    const peopleRandom = root.fork('subscribers');
    const accountRandom = root.fork('accounts');
    const subscribersMade = new SubscriberMaker(options.seed, peopleRandom, t);
    await subscribersMade.codeWords.prepare(total);
    const connectionsMade = new ConnectionMaker(options.seed, root.fork('connections'), t);
    const ledger = new LedgerWriter(prices, today, root.fork('ledger'), t.ledger, ledgerMonthsFor(total));
    // Subscribers of a building reach the network in signing order: port 1 for the first, and so on.
    const signedInBuilding = new Int32Array(city.buildings.length);
    let accountId = 0;
    let accountTariffId = 0;
    let extraSlot = total;

    const openAccount = (subscriberId: number, slot: number, signedDay: number, organisation: boolean) => {
      const id = ++accountId;
      const buildingIndex = city.slotBuilding[slot] as number;
      const building = city.buildings[buildingIndex];
      if (!building) throw new Error(`no building for slot ${slot}`);
      const k = signedInBuilding[buildingIndex] as number;
      signedInBuilding[buildingIndex] = k + 1;
      const gpon = building.technology === 'gpon';
      const serial = 1_000_000 + id;

      const current = pickCurrentTariff(accountRandom, gpon, organisation);
      const periods: TariffPeriod[] = [{ tariffId: current, fromDay: signedDay }];
      // Whoever signed before today's plan existed was on another one first.
      const switchFrom = Math.max(monthStart(signedDay, 1), introducedOn(current, today));
      const mustHaveChanged = signedDay < introducedOn(current, today);
      if (switchFrom < today && (mustHaveChanged || accountRandom.chance(SHARE_TARIFF_CHANGED))) {
        const earlier = pickEarlierTariff(accountRandom, current, signedDay, today);
        if (earlier !== null) {
          const months = Math.max(1, Math.round((today - switchFrom) / 30.4));
          const switched = Math.min(
            monthStart(switchFrom, Math.floor(accountRandom.next() * months)),
            monthStart(today),
          );
          periods.splice(0, 1, { tariffId: earlier, fromDay: signedDay }, { tariffId: current, fromDay: switched });
        }
      }
      periods.forEach((period, index) => {
        const next = periods[index + 1];
        t.accountTariffs.add(
          ++accountTariffId,
          id,
          period.tariffId,
          isoOf(period.fromDay),
          next ? isoOf(next.fromDay) : null,
        );
      });

      const roll = accountRandom.next();
      const fate: Fate =
        roll < SHARE_DEBTORS ? 'debtor' : roll < SHARE_DEBTORS + SHARE_SUSPENDED ? 'suspended' : 'normal';
      const money: AccountMoney = { accountId: id, openedDay: signedDay, tariffs: periods, organisation, fate };
      const outcome = ledger.write(money);
      t.accounts.add(
        id,
        accountNumberFor(serial),
        subscriberId,
        outcome.balance,
        outcome.state,
        current,
        isoOf(signedDay),
      );
      t.contracts.add(
        id,
        contractNumberFor(yearOf(signedDay), id),
        isoOf(signedDay),
        subscriberId,
        id,
        building.id,
        organisation ? null : apartmentOf(building, slot - building.firstSlot),
      );
      connectionsMade.make({
        accountId: id,
        accountSerial: serial,
        signedDay,
        today,
        attachment: attachmentOf(network, building, buildingIndex, k),
        gpon,
      });
    };

    for (let start = 0; start < total; start += CHUNK) {
      const end = Math.min(total, start + CHUNK);
      for (let i = start; i < end; i++) {
        const id = i + 1;
        const signedDay = signingDay(i, total, today, peopleRandom);
        const organisation = peopleRandom.chance(SHARE_ORGANISATIONS);
        subscribersMade.make(
          { id, organisation, latestBirthYear: yearOf(signedDay) - 18 },
          epochAt(signedDay, peopleRandom.int(9, 19), peopleRandom.int(0, 59)),
        );
        openAccount(id, slotOrder[i] as number, signedDay, organisation);
        if (secondAddress[i]) {
          // A second address signed later: a dacha, the parents' flat, a small office.
          const secondDay = signedDay + Math.floor(peopleRandom.next() * (today - 1 - signedDay));
          openAccount(id, slotOrder[extraSlot++] as number, secondDay, organisation);
        }
      }
      await writer.flush([
        t.subscribers,
        t.phones,
        t.accounts,
        t.accountTariffs,
        t.contracts,
        t.equipment,
        t.connections,
        t.ledger,
      ]);
      progress(end, total, 'subscribers');
    }
    await writer.finish();

    progress(total, total, 'contacts');
    // On PGlite too the history's foreign keys go for its load: checked row by row they cost more
    // than the rows themselves (about 2 s of 4 at 20,000 subscribers), checked once after, little.
    const restoreHistoryKeys = copier ? null : await dropIndexesForLoad(tx, { tables: HISTORY_TABLES, indexes: false });
    const staffIds = await seedDemoStaff({ db: tx }, new Date(historyUntil * 1000));
    await writeContactHistory({
      subscribers: total,
      today,
      until: historyUntil,
      agents: demoAgents.map((agent) => ({
        staffId: staffIds.get(agent.login) as number,
        line: agent.role,
        extension: agent.extension as string,
      })),
      random: root.fork('contacts'),
      tables: t,
      executor: tx,
      flush: () => writer.flush([t.contacts, t.contactEvents, t.agentStateChanges, t.lineHandleTimes]),
    });
    await writer.finish();
    await restoreHistoryKeys?.();

    progress(total, total, 'finishing');
    if (rebuild) await rebuild();
    const factsStarted = performance.now();
    await tx.execute(sql`select askable_facts_rebuild()`);
    writer.milliseconds.askable_facts = performance.now() - factsStarted;
    const facts = (await tx.execute(sql`select count(*)::int as n from askable_facts`)) as unknown as {
      rows: { n: number }[];
    };
    writer.counts.askable_facts = facts.rows[0]?.n ?? 0;
    for (const table of ID_TABLES) {
      await tx.execute(
        sql.raw(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`),
      );
    }
    const meta = JSON.stringify({
      subscribers: total,
      seed: options.seed,
      today: isoOf(today),
      ledgerMonths: ledgerMonthsFor(total),
      generatedAt: new Date().toISOString(),
    });
    await tx.execute(
      sql`insert into app_meta (key, value, updated_at) values ('demo_data', ${meta}, now())
          on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
    );
    counts = writer.counts;
    insertSeconds = Object.fromEntries(
      Object.entries(writer.milliseconds).map(([table, ms]) => [table, Math.round(ms / 100) / 10]),
    );
  });
  return { seconds: Math.round((performance.now() - started) / 100) / 10, counts, insertSeconds };
}
