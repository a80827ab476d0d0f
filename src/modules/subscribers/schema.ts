import { sql } from 'drizzle-orm';
import {
  bigint,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

// Case and ё folding done in SQL, identically on PGlite and PostgreSQL (DESIGN.md: pg_trgm does
// not fold ё/е and PGlite runs the C collation), so search and sort keys never depend on locale.
const folded = (column: string) => sql.raw(`translate(lower(${column}), 'ё', 'е')`);

export const subscriberKind = pgEnum('subscriber_kind', ['person', 'organisation']);
export const accountState = pgEnum('account_state', ['active', 'blocked_debt', 'suspended', 'closed']);
export const ledgerKind = pgEnum('ledger_kind', ['payment', 'charge', 'adjustment']);
export const equipmentOwnership = pgEnum('equipment_ownership', ['owned', 'rented']);
export const phoneKind = pgEnum('phone_kind', ['mobile', 'home', 'work']);

export const streets = pgTable(
  'streets',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    city: text().notNull(),
    // ул, пр-кт, пер, б-р, ш, наб, пл, мкр, проезд, туп
    streetType: text().notNull(),
    name: text().notNull(),
    nameNorm: text().notNull().generatedAlwaysAs(folded('name')),
  },
  (t) => [uniqueIndex('streets_city_type_name_uq').on(t.city, t.streetType, t.name)],
);

/** A building is where subscribers meet the network: many share one, apartments tell them apart. */
export const buildings = pgTable(
  'buildings',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    streetId: integer()
      .notNull()
      .references(() => streets.id),
    house: text().notNull(), // "5", "5А", "5/2"
    korpus: text(),
    stroenie: text(),
    litera: text(),
    floors: integer(),
    entrances: integer(),
  },
  (t) => [
    uniqueIndex('buildings_address_uq').on(
      t.streetId,
      t.house,
      sql`coalesce(${t.korpus}, '')`,
      sql`coalesce(${t.stroenie}, '')`,
      sql`coalesce(${t.litera}, '')`,
    ),
  ],
);

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

/**
 * The distinct words of people's names with how many subscribers carry each: fuzzy matching of
 * what a caller says runs over these few thousand words, and exact btree lookups fetch the rows
 * (DESIGN.md, "Measured on this machine"). Kept exact by statement-level triggers on
 * `subscribers` (migration 0003), so it never drifts from the rows.
 */
export const nameVocabulary = pgTable(
  'name_vocabulary',
  {
    kind: text().notNull(), // surname, first_name, patronymic
    word: text().notNull(), // folded: lower case, ё → е
    subscribers: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.word] })],
);

/**
 * What an operator can ask a caller, one narrow row per account: when a surname alone is said,
 * how its thousands of namesakes' answers split is counted from one index range of this table
 * instead of four tables per namesake (docs/identification.md, "A surname said alone"). Names are
 * folded as the vocabulary folds them. Never written by the application: triggers keep it equal
 * to the `askable_facts_source` view over subscribers, accounts, contracts, buildings and phones
 * (migration 0009), and the index also INCLUDEs the facts, which Drizzle cannot say.
 */
export const askableFacts = pgTable(
  'askable_facts',
  {
    accountId: integer()
      .primaryKey()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    surnameNorm: text(),
    sortKey: text().notNull(),
    firstName: text(),
    patronymic: text(),
    buildingId: integer().notNull(),
    streetId: integer().notNull(),
    birthYear: text(),
    phoneLast4: text(),
  },
  (t) => [index('askable_facts_surname_idx').on(t.surnameNorm)],
);
