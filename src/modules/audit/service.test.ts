import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import type { AppContext } from '../core/context.js';
import { listStaff } from '../staff/service.js';
import { subscribers } from '../subscribers/schema.js';
import type { AuditNames } from './names.js';
import { auditRowsWithNames, listAudit, recordAudit } from './service.js';

let database: Database;
let ctx: AppContext;
let l1: number;
let l2: number;
let subscriberId: number;
let otherSubscriberId: number;

// What src/server wires in production: the staff module's list, the subscribers' names.
const names = (): AuditNames => ({
  staff: () => listStaff(ctx),
  subscribers: async (ids) => {
    const rows = await database.db
      .select({ id: subscribers.id, surname: subscribers.surname, orgName: subscribers.orgName })
      .from(subscribers)
      .where(inArray(subscribers.id, ids));
    return new Map(rows.map((row) => [row.id, row.orgName ?? row.surname ?? '']));
  },
});

const at = (minute: number) => new Date(Date.UTC(2031, 0, 1, 12, minute));

beforeAll(async () => {
  database = await openTestDatabase();
  ctx = testContext(database);
  const staff = await database.rows<{ id: number; login: string }>(
    sql`select id, login from staff where login in ('l1', 'l2')`,
  );
  l1 = staff.find((member) => member.login === 'l1')!.id;
  l2 = staff.find((member) => member.login === 'l2')!.id;
  const two = await database.rows<{ id: number }>(sql`select id from subscribers order by id limit 2`);
  subscriberId = two[0]!.id;
  otherSubscriberId = two[1]!.id;
  // Rows of a year of their own, so the demo's rows never mix in.
  const db = database.db;
  await recordAudit(
    db,
    { staffId: l1, action: 'subscriber.card_opened', targetType: 'subscriber', targetId: subscriberId },
    at(0),
  );
  await recordAudit(
    db,
    { staffId: l1, action: 'identify.answered', targetType: 'subscriber', targetId: subscriberId, details: { fit: 1 } },
    at(1),
  );
  await recordAudit(db, { staffId: l2, action: 'identify.refused', details: { limitPerMinute: 10 } }, at(2));
  await recordAudit(
    db,
    { staffId: l2, action: 'subscriber.card_opened', targetType: 'subscriber', targetId: otherSubscriberId },
    at(3),
  );
  await recordAudit(
    db,
    { staffId: l2, action: 'staff.renamed', targetType: 'staff', targetId: l1, details: { from: 'a', to: 'b' } },
    at(4),
  );
  await recordAudit(db, { staffId: null, action: 'staff.login_failed', details: { login: 'nobody' } }, at(5));
});
afterAll(async () => database?.close());

const inTestYear = { from: at(0), to: at(60), limit: 100 };
const actionsOf = (rows: { action: string }[]) => rows.map((row) => row.action);

describe('the audit log, filtered', () => {
  it('lists the rows newest first, within the time asked', async () => {
    const rows = await listAudit(database.db, inTestYear);
    expect(actionsOf(rows)).toEqual([
      'staff.login_failed',
      'staff.renamed',
      'subscriber.card_opened',
      'identify.refused',
      'identify.answered',
      'subscriber.card_opened',
    ]);
    const window = await listAudit(database.db, { from: at(1), to: at(3), limit: 100 });
    expect(actionsOf(window)).toEqual(['identify.refused', 'identify.answered']);
  });

  it('narrows by staff member, subscriber and action, a family of actions by its prefix', async () => {
    expect(actionsOf(await listAudit(database.db, { ...inTestYear, staffId: l1 }))).toEqual([
      'identify.answered',
      'subscriber.card_opened',
    ]);
    const onSubscriber = await listAudit(database.db, { ...inTestYear, subscriberId });
    expect(onSubscriber.map((row) => row.targetId)).toEqual([String(subscriberId), String(subscriberId)]);
    expect(actionsOf(await listAudit(database.db, { ...inTestYear, action: 'identify.' }))).toEqual([
      'identify.refused',
      'identify.answered',
    ]);
    expect(actionsOf(await listAudit(database.db, { ...inTestYear, action: 'identify.refused', staffId: l1 }))).toEqual(
      [],
    );
  });

  it('pages by the last id seen without skipping or repeating a row', async () => {
    const all = await listAudit(database.db, inTestYear);
    const seen: number[] = [];
    let beforeId: number | undefined;
    for (;;) {
      const page = await listAudit(database.db, { ...inTestYear, limit: 4, beforeId });
      seen.push(...page.map((row) => Number(row.id)));
      if (page.length < 4) break;
      beforeId = Number(page.at(-1)!.id);
    }
    expect(seen).toEqual(all.map((row) => Number(row.id)));
  });

  it('names the staff member and the target instead of their ids', async () => {
    const rows = await auditRowsWithNames(await listAudit(database.db, inTestYear), names());
    const staff = await listStaff(ctx);
    const l1Name = staff.find((member) => member.id === l1)!.fullName;
    const l2Name = staff.find((member) => member.id === l2)!.fullName;
    const [subscriber] = await database.rows<{ surname: string | null; org_name: string | null }>(
      sql`select surname, org_name from subscribers where id = ${subscriberId}`,
    );
    const renamed = rows.find((row) => row.action === 'staff.renamed')!;
    expect(renamed).toMatchObject({ staffLogin: 'l2', staffName: l2Name, targetName: l1Name });
    const opened = rows.filter((row) => row.action === 'subscriber.card_opened').at(-1)!;
    expect(opened).toMatchObject({ staffLogin: 'l1', staffName: l1Name });
    expect(opened.targetName).toBe(subscriber!.org_name ?? subscriber!.surname);
    expect(rows.find((row) => row.action === 'staff.login_failed')).toMatchObject({
      staffId: null,
      staffName: null,
      targetName: null,
    });
  });

  it('keeps the ids and leaves names null when no names are wired', async () => {
    const rows = await auditRowsWithNames(await listAudit(database.db, { ...inTestYear, staffId: l1 }), undefined);
    expect(rows.every((row) => row.staffId === l1 && row.staffName === null && row.targetName === null)).toBe(true);
  });
});
