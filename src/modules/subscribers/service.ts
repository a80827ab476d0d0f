import { and, asc, eq, gte, like, lt, type SQL, sql } from 'drizzle-orm';
import type { Role } from '../../common/api/staff.js';
import type { SubscriberList, SubscriberListItem, SubscriberListQuery, Tariff } from '../../common/api/subscribers.js';
import type { AppContext } from '../../server/context.js';
import { formatAddress } from './address.js';
import { initials, maskDate, maskPhone, showsInFull } from './masking.js';
import {
  accounts,
  buildings,
  contracts,
  streets,
  subscriberPhones,
  subscribers,
  tariffPrices,
  tariffs,
} from './schema.js';

/** Lists count exactly up to here; past it the total reads "more than 10,000". */
export const LIST_TOTAL_CAP = 10_000;

const fold = (text: string) => text.trim().toLowerCase().replaceAll('ё', 'е');
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

export function isoDate(value: Date | string): string {
  return typeof value === 'string' ? value : value.toISOString().slice(0, 10);
}

/** The price of a tariff on a day: the latest price row that has taken effect by then. */
export function currentPriceSql(day: string) {
  return sql<number>`(select ${tariffPrices.monthlyFeeKopecks} from ${tariffPrices}
    where ${tariffPrices.tariffId} = ${tariffs.id} and ${tariffPrices.effectiveFrom} <= ${day}
    order by ${tariffPrices.effectiveFrom} desc limit 1)`;
}

export async function listTariffs(ctx: AppContext): Promise<Tariff[]> {
  const today = isoDate(ctx.clock());
  const rows = await ctx.database.db
    .select({
      id: tariffs.id,
      code: tariffs.code,
      name: tariffs.name,
      downloadMbps: tariffs.downloadMbps,
      monthlyFeeKopecks: currentPriceSql(today),
    })
    .from(tariffs)
    .orderBy(asc(tariffs.downloadMbps), asc(tariffs.id));
  return rows.map((row) => ({ ...row, monthlyFeeKopecks: Number(row.monthlyFeeKopecks ?? 0) }));
}

function listConditions(query: SubscriberListQuery): SQL[] {
  const conditions: SQL[] = [];
  if (query.surname?.trim()) conditions.push(like(subscribers.sortKey, `${escapeLike(fold(query.surname))}%`));
  if (query.street?.trim()) conditions.push(like(streets.nameNorm, `${escapeLike(fold(query.street))}%`));
  if (query.house?.trim()) conditions.push(eq(sql`lower(${buildings.house})`, query.house.trim().toLowerCase()));
  if (query.accountNumber?.trim()) {
    conditions.push(like(accounts.number, `${escapeLike(query.accountNumber.replace(/\s+/g, ''))}%`));
  }
  if (query.state) conditions.push(eq(accounts.state, query.state));
  if (query.tariffId) conditions.push(eq(accounts.tariffId, query.tariffId));
  if (query.kind) conditions.push(eq(subscribers.kind, query.kind));
  if (query.inDebt === true) conditions.push(lt(accounts.balanceKopecks, 0));
  if (query.inDebt === false) conditions.push(gte(accounts.balanceKopecks, 0));
  return conditions;
}

/**
 * The subscriber list: one row per account, sorted by name, with personal data masked per role
 * (masking.ts). The total is exact up to LIST_TOTAL_CAP so a broad filter stays cheap at 1 M rows.
 */
export async function listSubscribers(
  ctx: AppContext,
  role: Role,
  query: SubscriberListQuery,
): Promise<SubscriberList> {
  const { db } = ctx.database;
  const where = and(...listConditions(query));
  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;
  const base = () =>
    db
      .select({
        id: subscribers.id,
        kind: subscribers.kind,
        surname: subscribers.surname,
        firstName: subscribers.firstName,
        patronymic: subscribers.patronymic,
        orgName: subscribers.orgName,
        birthDate: subscribers.birthDate,
        accountId: accounts.id,
        accountNumber: accounts.number,
        balanceKopecks: accounts.balanceKopecks,
        state: accounts.state,
        tariffName: tariffs.name,
        contractNumber: contracts.number,
        apartment: contracts.apartment,
        city: streets.city,
        streetType: streets.streetType,
        street: streets.name,
        house: buildings.house,
        korpus: buildings.korpus,
        stroenie: buildings.stroenie,
        litera: buildings.litera,
        phone: sql<string | null>`(select ${subscriberPhones.phone} from ${subscriberPhones}
          where ${subscriberPhones.subscriberId} = ${subscribers.id}
          order by ${subscriberPhones.isPrimary} desc, ${subscriberPhones.id} limit 1)`,
      })
      .from(subscribers)
      .innerJoin(accounts, eq(accounts.subscriberId, subscribers.id))
      .innerJoin(contracts, eq(contracts.accountId, accounts.id))
      .innerJoin(buildings, eq(buildings.id, contracts.buildingId))
      .innerJoin(streets, eq(streets.id, buildings.streetId))
      .innerJoin(tariffs, eq(tariffs.id, accounts.tariffId))
      .where(where);

  // The count joins only what the filters need: at 1 M rows, counting through five joins costs
  // more than the page itself.
  const needsAddress = Boolean(query.street?.trim() || query.house?.trim());
  const counted = db
    .select({ one: sql`1` })
    .from(accounts)
    .innerJoin(subscribers, eq(subscribers.id, accounts.subscriberId));
  const countable = needsAddress
    ? counted
        .innerJoin(contracts, eq(contracts.accountId, accounts.id))
        .innerJoin(buildings, eq(buildings.id, contracts.buildingId))
        .innerJoin(streets, eq(streets.id, buildings.streetId))
    : counted;
  const countQuery = sql`select count(*)::int as n from (${countable.where(where).limit(LIST_TOTAL_CAP + 1)}) capped`;

  const [rows, countRows] = await Promise.all([
    base().orderBy(asc(subscribers.sortKey), asc(subscribers.id), asc(accounts.id)).limit(limit).offset(offset),
    ctx.database.rows<{ n: number }>(countQuery),
  ]);
  const total = Number(countRows[0]?.n ?? 0);
  const items: SubscriberListItem[] = rows.map((row) => ({
    id: row.id,
    accountId: row.accountId,
    kind: row.kind,
    name:
      row.kind === 'organisation' ? (row.orgName ?? '') : initials(row.surname ?? '', row.firstName, row.patronymic),
    accountNumber: row.accountNumber,
    contractNumber: row.contractNumber,
    address: formatAddress(row, showsInFull(role, 'apartment') ? 'full' : 'masked'),
    phone: row.phone ? (showsInFull(role, 'phone') ? row.phone : maskPhone(row.phone)) : null,
    birthDate: row.birthDate ? (showsInFull(role, 'birthDate') ? row.birthDate : maskDate(row.birthDate)) : null,
    balanceKopecks: Number(row.balanceKopecks),
    state: row.state,
    tariffName: row.tariffName,
  }));
  return { items, total: Math.min(total, LIST_TOTAL_CAP), totalIsCapped: total > LIST_TOTAL_CAP };
}
