import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { openTestDatabase } from '../../testing/database.js';

// PostgreSQL only (*.pg.test.ts runs under `npm run test:pg`): two sessions at once, which PGlite,
// one connection, cannot have.
let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

describe('askable facts under concurrent changes', () => {
  it('keep both of two transactions that change one account at once (a new phone, a rename)', async () => {
    const [holder] = await database.rows<{ subscriber_id: number; account_id: number }>(sql`
      select s.id as subscriber_id, a.id as account_id from subscribers s join accounts a on a.subscriber_id = s.id
      where s.kind = 'person' and (select count(*) from accounts x where x.subscriber_id = s.id) = 1
      order by s.id limit 1`);
    const pool = database.pool!;
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      await first.query('begin');
      await first.query('update subscriber_phones set is_primary = 0 where subscriber_id = $1', [
        holder!.subscriber_id,
      ]);
      await first.query(
        `insert into subscriber_phones (subscriber_id, phone, kind, is_primary) values ($1, '+79990004321', 'mobile', 1)`,
        [holder!.subscriber_id],
      );
      await second.query('begin');
      // The rename's facts wait for the phone's transaction, then are made with its phone.
      const renamed = second.query(`update subscribers set surname = 'Параллельная' where id = $1`, [
        holder!.subscriber_id,
      ]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await first.query('commit');
      await renamed;
      await second.query('commit');
    } finally {
      first.release();
      second.release();
    }
    const [facts] = await database.rows<{ surname_norm: string; phone_last4: string }>(
      sql`select surname_norm, phone_last4 from askable_facts where account_id = ${holder!.account_id}`,
    );
    expect(facts).toEqual({ surname_norm: 'параллельная', phone_last4: '4321' });
  });
});
