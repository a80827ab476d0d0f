import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, pgEnum, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { folded } from '../core/text.js';
import { buildings } from '../places/schema.js';

export const subscriberKind = pgEnum('subscriber_kind', ['person', 'organisation']);
export const accountState = pgEnum('account_state', ['active', 'blocked_debt', 'suspended', 'closed']);
export const ledgerKind = pgEnum('ledger_kind', ['payment', 'charge', 'adjustment']);
export const equipmentOwnership = pgEnum('equipment_ownership', ['owned', 'rented']);
export const phoneKind = pgEnum('phone_kind', ['mobile', 'home', 'work']);

export const subscribers = pgTable(
  'subscribers',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    kind: subscriberKind().notNull(),
    surname: text(),
    firstName: text(),
    patronymic: text(),
    birthDate: date({ mode: 'string' }),
    orgName: text(),
    inn: text(),
    email: text(),
    // Verification compares the caller's answer with this hash; the word itself is never stored.
    codeWordHash: text(),
    surnameNorm: text().generatedAlwaysAs(folded('surname')),
    orgNameNorm: text().generatedAlwaysAs(folded('org_name')),
    // Lists sort people and organisations together by this key, the same on both engines.
    sortKey: text()
      .notNull()
      .generatedAlwaysAs(folded("coalesce(surname || ' ' || coalesce(first_name, ''), org_name, '')")),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('subscribers_surname_norm_idx').on(t.surnameNorm, t.id),
    index('subscribers_sort_key_idx').on(t.sortKey, t.id),
    index('subscribers_inn_idx').on(t.inn),
    index('subscribers_email_idx').on(sql`lower(${t.email})`),
  ],
);

export const subscriberPhones = pgTable(
  'subscriber_phones',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    subscriberId: integer()
      .notNull()
      .references(() => subscribers.id),
    phone: text().notNull(), // E.164
    kind: phoneKind().notNull(),
    isPrimary: integer().notNull().default(0),
  },
  (t) => [
    index('subscriber_phones_phone_idx').on(t.phone),
    index('subscriber_phones_subscriber_idx').on(t.subscriberId),
  ],
);

export const tariffs = pgTable('tariffs', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  code: text().notNull().unique(),
  name: text().notNull(),
  downloadMbps: integer().notNull(),
  isArchived: integer().notNull().default(0),
});

/** Price history of a tariff, including announced future prices (effective_from in the future). */
export const tariffPrices = pgTable(
  'tariff_prices',
  {
    tariffId: integer()
      .notNull()
      .references(() => tariffs.id),
    effectiveFrom: date({ mode: 'string' }).notNull(),
    monthlyFeeKopecks: bigint({ mode: 'number' }).notNull(),
    announcedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tariffId, t.effectiveFrom] })],
);

export const accounts = pgTable(
  'accounts',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    number: text().notNull().unique(), // 8 digits, the last a Luhn check digit (docs/identifiers.md)
    subscriberId: integer()
      .notNull()
      .references(() => subscribers.id),
    balanceKopecks: bigint({ mode: 'number' }).notNull().default(0),
    state: accountState().notNull().default('active'),
    tariffId: integer()
      .notNull()
      .references(() => tariffs.id),
    openedOn: date({ mode: 'string' }).notNull(),
  },
  (t) => [index('accounts_subscriber_idx').on(t.subscriberId), index('accounts_state_idx').on(t.state)],
);

/** Which tariff an account was on and when; the open row (valid_to null) is the current one. */
export const accountTariffs = pgTable(
  'account_tariffs',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    accountId: integer()
      .notNull()
      .references(() => accounts.id),
    tariffId: integer()
      .notNull()
      .references(() => tariffs.id),
    validFrom: date({ mode: 'string' }).notNull(),
    validTo: date({ mode: 'string' }),
  },
  (t) => [index('account_tariffs_account_idx').on(t.accountId, t.validFrom)],
);

export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    accountId: integer()
      .notNull()
      .references(() => accounts.id),
    kind: ledgerKind().notNull(),
    // Signed: payments positive, charges negative, so the balance is their sum.
    amountKopecks: bigint({ mode: 'number' }).notNull(),
    occurredAt: timestamp({ withTimezone: true }).notNull(),
    description: text().notNull(),
  },
  (t) => [index('ledger_entries_account_idx').on(t.accountId, t.occurredAt)],
);

export const contracts = pgTable(
  'contracts',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    number: text().notNull().unique(), // LD-YYYY-NNNNNN (docs/identifiers.md)
    signedOn: date({ mode: 'string' }).notNull(),
    holderId: integer()
      .notNull()
      .references(() => subscribers.id),
    accountId: integer()
      .notNull()
      .references(() => accounts.id)
      .unique(),
    buildingId: integer()
      .notNull()
      .references(() => buildings.id),
    apartment: text(),
  },
  // contracts_building_idx also INCLUDEs account_id and holder_id (migration 0008; Drizzle cannot say so).
  (t) => [index('contracts_holder_idx').on(t.holderId), index('contracts_building_idx').on(t.buildingId, t.apartment)],
);

export const equipment = pgTable(
  'equipment',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    accountId: integer()
      .notNull()
      .references(() => accounts.id),
    kind: text().notNull(), // router, ont, stb
    model: text().notNull(),
    mac: text().notNull(),
    serial: text().notNull(),
    ownership: equipmentOwnership().notNull(),
    installedOn: date({ mode: 'string' }).notNull(),
  },
  (t) => [index('equipment_account_idx').on(t.accountId), index('equipment_mac_idx').on(t.mac)],
);
