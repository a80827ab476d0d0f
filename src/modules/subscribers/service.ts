import { and, asc, desc, eq, gt, gte, like, lt, ne, type SQL, sql } from 'drizzle-orm';
import type { Role, SignedInStaff } from '../../common/api/staff.js';
import type {
  SubscriberCard,
  SubscriberList,
  SubscriberListItem,
  SubscriberListQuery,
  Tariff,
} from '../../common/api/subscribers.js';
import type { Db } from '../../db/connection.js';
import type { AppContext } from '../../server/context.js';
import { Problem } from '../../server/problem.js';
import { recordAudit } from '../audit/service.js';
import { connectionOfAccount } from '../network/service.js';
import { formatAddress } from './address.js';
import { initials, maskDate, maskPhone, showsInFull } from './masking.js';
import {
  accounts,
  accountTariffs,
  buildings,
  contracts,
  equipment,
  ledgerEntries,
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

function isoDate(value: Date | string): string {
  return typeof value === 'string' ? value : value.toISOString().slice(0, 10);
}

/** The price of a tariff on a day: the latest price row that has taken effect by then. */
function currentPriceSql(day: string) {
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

async function accountOf(db: Db, subscriberId: number, accountId: number | undefined) {
  const owned = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.subscriberId, subscriberId))
    .orderBy(asc(accounts.id));
  if (owned.length === 0) return null;
  if (accountId === undefined) return owned[0]?.id ?? null;
  return owned.some((row) => row.id === accountId) ? accountId : undefined;
}

/**
 * Everything the card shows, in full. Opening it is an access to personal data, so it is audited
 * (who, when, which subscriber, from where) in the same transaction as the read.
 */
export async function openSubscriberCard(
  ctx: AppContext,
  me: SignedInStaff,
  subscriberId: number,
  requestedAccountId: number | undefined,
  ip: string,
): Promise<SubscriberCard> {
  const { db } = ctx.database;
  const today = isoDate(ctx.clock());
  const [holder] = await db.select().from(subscribers).where(eq(subscribers.id, subscriberId));
  if (!holder) throw new Problem('subscriber.not_found', 404, 'No such subscriber');
  const accountId = await accountOf(db, subscriberId, requestedAccountId);
  if (accountId === undefined) throw new Problem('account.not_found', 404, 'This subscriber has no such account');
  if (accountId === null) throw new Problem('account.not_found', 404, 'This subscriber has no account');

  const [phones, main, others, ledger, devices, history, connection] = await Promise.all([
    db
      .select()
      .from(subscriberPhones)
      .where(eq(subscriberPhones.subscriberId, subscriberId))
      .orderBy(desc(subscriberPhones.isPrimary), asc(subscriberPhones.id)),
    db
      .select({
        account: accounts,
        contract: contracts,
        building: buildings,
        street: streets,
        tariff: tariffs,
        price: currentPriceSql(today),
      })
      .from(accounts)
      .innerJoin(contracts, eq(contracts.accountId, accounts.id))
      .innerJoin(buildings, eq(buildings.id, contracts.buildingId))
      .innerJoin(streets, eq(streets.id, buildings.streetId))
      .innerJoin(tariffs, eq(tariffs.id, accounts.tariffId))
      .where(eq(accounts.id, accountId)),
    db
      .select({ account: accounts, contract: contracts, building: buildings, street: streets })
      .from(accounts)
      .innerJoin(contracts, eq(contracts.accountId, accounts.id))
      .innerJoin(buildings, eq(buildings.id, contracts.buildingId))
      .innerJoin(streets, eq(streets.id, buildings.streetId))
      .where(and(eq(accounts.subscriberId, subscriberId), ne(accounts.id, accountId))),
    db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.accountId, accountId))
      .orderBy(desc(ledgerEntries.occurredAt), desc(ledgerEntries.id))
      .limit(10),
    db.select().from(equipment).where(eq(equipment.accountId, accountId)).orderBy(asc(equipment.id)),
    db
      .select({ tariffName: tariffs.name, validFrom: accountTariffs.validFrom, validTo: accountTariffs.validTo })
      .from(accountTariffs)
      .innerJoin(tariffs, eq(tariffs.id, accountTariffs.tariffId))
      .where(eq(accountTariffs.accountId, accountId))
      .orderBy(desc(accountTariffs.validFrom)),
    connectionOfAccount(db, accountId),
  ]);
  const current = main[0];
  if (!current) throw new Problem('account.not_found', 404, 'This account has no contract');
  const announced = await db
    .select()
    .from(tariffPrices)
    .where(and(eq(tariffPrices.tariffId, current.tariff.id), gt(tariffPrices.effectiveFrom, today)))
    .orderBy(asc(tariffPrices.effectiveFrom));

  await recordAudit(db, {
    staffId: me.id,
    action: 'subscriber.card_opened',
    targetType: 'subscriber',
    targetId: subscriberId,
    ip,
    details: { accountId },
  });

  const displayName =
    holder.kind === 'organisation'
      ? (holder.orgName ?? '')
      : [holder.surname, holder.firstName, holder.patronymic].filter(Boolean).join(' ');
  const addressParts = {
    ...current.street,
    street: current.street.name,
    ...current.building,
    apartment: current.contract.apartment,
  };
  const openHistory = history.find((row) => row.validTo === null);
  return {
    id: holder.id,
    kind: holder.kind,
    holder: {
      surname: holder.surname,
      firstName: holder.firstName,
      patronymic: holder.patronymic,
      birthDate: holder.birthDate,
      orgName: holder.orgName,
      inn: holder.inn,
      displayName,
      email: holder.email,
      phones: phones.map((row) => ({ phone: row.phone, kind: row.kind, isPrimary: row.isPrimary === 1 })),
      hasCodeWord: holder.codeWordHash !== null,
    },
    contract: { id: current.contract.id, number: current.contract.number, signedOn: current.contract.signedOn },
    account: {
      id: current.account.id,
      number: current.account.number,
      balanceKopecks: Number(current.account.balanceKopecks),
      state: current.account.state,
      openedOn: current.account.openedOn,
    },
    address: {
      buildingId: current.building.id,
      city: current.street.city,
      streetType: current.street.streetType,
      street: current.street.name,
      house: current.building.house,
      korpus: current.building.korpus,
      stroenie: current.building.stroenie,
      litera: current.building.litera,
      apartment: current.contract.apartment,
      text: formatAddress(addressParts),
    },
    otherAccounts: others.map((row) => ({
      id: row.account.id,
      number: row.account.number,
      address: formatAddress({
        ...row.street,
        street: row.street.name,
        ...row.building,
        apartment: row.contract.apartment,
      }),
    })),
    tariff: {
      current: {
        id: current.tariff.id,
        code: current.tariff.code,
        name: current.tariff.name,
        downloadMbps: current.tariff.downloadMbps,
        monthlyFeeKopecks: Number(current.price ?? 0),
      },
      since: openHistory?.validFrom ?? current.account.openedOn,
      announced: announced.map((row) => ({
        effectiveFrom: row.effectiveFrom,
        monthlyFeeKopecks: Number(row.monthlyFeeKopecks),
        announcedAt: row.announcedAt.toISOString(),
      })),
      history,
    },
    lastLedgerEntries: ledger.map((row) => ({
      id: Number(row.id),
      kind: row.kind,
      amountKopecks: Number(row.amountKopecks),
      occurredAt: row.occurredAt.toISOString(),
      description: row.description,
    })),
    equipment: devices.map((row) => ({
      id: row.id,
      kind: row.kind,
      model: row.model,
      mac: row.mac,
      serial: row.serial,
      ownership: row.ownership,
      installedOn: row.installedOn,
    })),
    connection,
  };
}
