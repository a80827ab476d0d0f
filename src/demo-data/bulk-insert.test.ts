import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/connection.js';
import { openTestDatabase, testEngine } from '../testing/database.js';
import { BulkWriter, type Copier, copierFor, type PgliteQueryable, pgliteCopier, TableBuffer } from './bulk-insert.js';

let database: Database;

beforeAll(async () => {
  database = await openTestDatabase();
  await database.db.execute(sql`create type mood as enum ('calm', 'angry')`);
  for (const name of ['via_copy', 'via_insert', 'streamed']) {
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

function buffer(table: string, source = rows) {
  const buffer = new TableBuffer(table, [
    'id:int8',
    'name:text',
    'mood:mood',
    'born:date',
    { name: 'at', type: 'timestamptz', epoch: true },
    { name: 'note', type: 'text', dictionary: true },
  ]);
  for (const row of source) buffer.add(...row);
  return buffer;
}

/** The generator's COPY on PostgreSQL; on PGlite, where it copies not, '/dev/blob' checks the same COPY text. */
function copierOf(tx: unknown): Copier {
  const copier = copierFor(tx);
  if (testEngine() === 'postgres') {
    expect(copier).not.toBeNull();
    return copier as Copier;
  }
  expect(copier).toBeNull();
  return pgliteCopier((tx as { session: { client: PgliteQueryable } }).session.client);
}

const read = (table: string) =>
  database.rows<Record<string, unknown>>(
    sql.raw(
      `select id, name, mood::text, born::text, extract(epoch from at)::int8 as at, note from ${table} order by id`,
    ),
  );

describe('bulk inserts', () => {
  it('write the same rows by COPY and by INSERT ... unnest, escapes, nulls and time zones included', async () => {
    await database.db.transaction(async (tx) => {
      const viaCopy = buffer('via_copy');
      const viaInsert = buffer('via_insert');
      const copying = new BulkWriter(tx, copierOf(tx), 3);
      await copying.flush([viaCopy]);
      const inserting = new BulkWriter(tx, null, 3);
      await inserting.flush([viaInsert]);
      await copying.finish();
      await inserting.finish();
      expect(copying.counts).toEqual({ via_copy: 4 });
      expect(inserting.counts).toEqual({ via_insert: 4 });
    });
    const copied = await read('via_copy');
    expect(copied).toEqual(await read('via_insert'));
    expect(copied.map((row) => [row.id, row.name, row.mood, row.born, row.at, row.note])).toEqual(rows);
  });

  it('copy a batch of many chunks whole, each chunk ending on a row', async () => {
    const many = Array.from({ length: 5_000 }, (_, index) => {
      const [, name, mood, born, at, note] = rows[index % rows.length]!;
      return [index + 1, name, mood, born, at, `${note} №${index + 1}`] as (typeof rows)[number];
    });
    const streamed = buffer('streamed', many);
    const chunks = [...streamed.copyChunks(streamed.take(10_000)[0]!)];
    expect(chunks.length).toBeGreaterThan(4);
    expect(chunks.every((chunk) => chunk.endsWith('\n'))).toBe(true);
    await database.db.transaction(async (tx) => {
      const writer = new BulkWriter(tx, copierOf(tx));
      await writer.flush([buffer('streamed', many)]);
      await writer.finish();
      expect(writer.counts).toEqual({ streamed: 5_000 });
    });
    const copied = await read('streamed');
    expect(copied.map((row) => [row.id, row.name, row.mood, row.born, row.at, row.note])).toEqual(many);
  });

  it.each([
    ['INSERT', false],
    ['COPY', true],
  ])('report a failed %s batch on the next flush or at the end, not as an unhandled rejection', async (_, copy) => {
    await expect(
      database.db.transaction(async (tx) => {
        const writer = new BulkWriter(tx, copy ? copierOf(tx) : null);
        await writer.flush([buffer('via_insert')]); // duplicate ids: fails in the background
        await writer.finish();
      }),
    ).rejects.toThrow();
  });
});
