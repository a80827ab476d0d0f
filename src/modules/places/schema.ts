import { sql } from 'drizzle-orm';
import { integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { folded } from '../core/text.js';

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
