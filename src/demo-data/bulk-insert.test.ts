import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPglite } from '../db/connection.js';
import { BulkWriter, copierFor, type PgliteQueryable, pgliteCopier, TableBuffer } from './bulk-insert.js';

let database: Database;

beforeAll(async () => {
  database = await openPglite(undefined);
  await database.db.execute(sql`create type mood as enum ('calm', 'angry')`);
  for (const name of ['via_copy', 'via_insert']) {
    await database.db.execute(
      sql.raw(`create table ${name} (id int8 primary key, name text, mood mood, born date, at timestamptz, note text)`),
    );
  }
});
afterAll(() => database?.close());

const rows: [number, string | null, string | null, string | null, number | null, string][] = [
  [1, 'Петров-Водкин', 'calm', '1975-09-04', 1_700_000_000, 'Абонентская плата за март 2025, «Домашний 100»'],
  [2, "О'Брайен", 'angry', null, 0, 'tab\there, new\nline, back\\slash, cr\r'],
  [3, null, null, '2005-12-31', null, 'Оплата через СБП'],
  [4, 'Ёлкин', 'calm', '1940-01-01', 1_750_000_123, 'Абонентская плата за март 2025, «Домашний 100»'],
];

function buffer(table: string) {
  const buffer = new TableBuffer(table, [
    'id:int8',
    'name:text',
    'mood:mood',
    'born:date',
    { name: 'at', type: 'timestamptz', epoch: true },
    { name: 'note', type: 'text', dictionary: true },
  ]);
  for (const row of rows) buffer.add(...row);
  return buffer;
}

describe('bulk inserts', () => {
  it('write the same rows by COPY and by INSERT ... unnest, escapes, nulls and time zones included', async () => {
    await database.db.transaction(async (tx) => {
      // The generator copies on PostgreSQL only; PGlite's /dev/blob checks the same COPY text here.
      expect(copierFor(tx)).toBeNull();
      const copier = pgliteCopier((tx as unknown as { session: { client: PgliteQueryable } }).session.client);
      const viaCopy = buffer('via_copy');
      const viaInsert = buffer('via_insert');
      const copying = new BulkWriter(tx, copier, 3);
      await copying.flush([viaCopy]);
      const inserting = new BulkWriter(tx, null, 3);
      await inserting.flush([viaInsert]);
      await copying.finish();
      await inserting.finish();
      expect(copying.counts).toEqual({ via_copy: 4 });
      expect(inserting.counts).toEqual({ via_insert: 4 });
    });
    const read = (table: string) =>
      database.rows<Record<string, unknown>>(
        sql.raw(
          `select id, name, mood::text, born::text, extract(epoch from at)::int8 as at, note from ${table} order by id`,
        ),
      );
    const copied = await read('via_copy');
    expect(copied).toEqual(await read('via_insert'));
    expect(copied.map((row) => [row.id, row.name, row.mood, row.born, row.at, row.note])).toEqual(rows);
  });

  it('report a failed batch on the next flush or at the end, not as an unhandled rejection', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        const writer = new BulkWriter(tx, null);
        await writer.flush([buffer('via_insert')]); // duplicate ids: fails in the background
        await writer.finish();
      }),
    ).rejects.toThrow();
  });
});
