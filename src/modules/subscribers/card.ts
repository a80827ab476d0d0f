import { and, asc, desc, eq, gt, ne } from 'drizzle-orm';
import type { SignedInStaff } from '../../common/api/staff.js';
import type { SubscriberCard } from '../../common/api/subscribers.js';
import type { Db } from '../../db/connection.js';
import type { AppContext } from '../../server/context.js';
import { Problem } from '../../server/problem.js';
import { recordAudit } from '../audit/service.js';
import { connectionOfAccount } from '../network/service.js';
import { formatAddress } from './address.js';
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
import { currentPriceSql, isoDate } from './service.js';

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
