import { sql } from 'drizzle-orm';
import type { LiveData } from '../../common/api/live.js';
import type { Role } from '../../common/api/staff.js';
import type { Database, Db } from '../../db/connection.js';
import type { AppContext } from '../core/context.js';

/** The channel every instance's hub listens on; its payload is a live_events id, never the data. */
export const LIVE_CHANNEL = 'linedesk_live';

/**
 * A wake-up for browsers: "this changed, refetch it". Carries ids, never personal data (it is kept
 * for an hour and reaches every stream its filter lets through).
 * `staffId`: only that staff member's streams receive it; `roles`: only streams of staff with one
 * of these roles; both: both must hold; neither: everyone signed in.
 */
export interface LiveEvent {
  topic: string;
  staffId?: number;
  roles?: Role[];
  data?: LiveData;
}

/** A topic becomes the SSE `event:` line, so it must never hold a line break or anything odd. */
const TOPIC = /^[a-z][a-z0-9_.-]{0,63}$/;
const DATA_LIMIT = 2_000;

/**
 * Taken by every publisher until its transaction ends, so live_events ids are handed out in commit
 * order: a hub that has delivered id N can read "after N" and miss nothing (with ids handed out
 * first, a transaction holding id 10 could commit after another's 11 was already delivered).
 * PostgreSQL serialises the commits of notifying transactions anyway; publish last in the
 * transaction, after the writes it announces, so the wait covers only the commit
 * (docs/decisions.md, "Live channel").
 */
const PUBLISH_LOCK_KEY = 0x4c4e444c49; // "LNDLI"

/**
 * Writes a wake-up in the caller's transaction (pass the transaction), so only a change that
 * commits wakes anyone, and NOTIFYs its id (delivered at commit).
 */
export async function publishLive(db: Db, event: LiveEvent): Promise<void> {
  if (!TOPIC.test(event.topic)) throw new Error(`live topic ${JSON.stringify(event.topic)} is not a plain name`);
  const data = JSON.stringify(event.data ?? {});
  if (data.length > DATA_LIMIT) throw new Error(`live event ${event.topic} carries ${data.length} characters of data`);
  const roles = event.roles ? sql`${sql.param(event.roles)}::text[]` : sql`null`;
  // One statement, so the lock is taken before the id is drawn even outside a transaction: the
  // insert reads its row from `turn`, which takes the lock.
  await db.execute(sql`
    with turn as (select pg_advisory_xact_lock(${PUBLISH_LOCK_KEY}::bigint)),
    written as (
      insert into live_events (topic, staff_id, roles, data)
      select ${event.topic}, ${event.staffId ?? null}::int, ${roles}, ${data}::jsonb from turn
      returning id
    )
    select pg_notify(${LIVE_CHANNEL}, id::text) from written`);
}

/** A stored wake-up as the hub and the replay read it. */
export interface StoredLiveEvent {
  id: number;
  topic: string;
  staffId: number | null;
  roles: Role[] | null;
  data: LiveData;
}

interface LiveEventRow {
  id: number;
  topic: string;
  staff_id: number | null;
  roles: Role[] | string | null;
  data: LiveData;
}

/** PGlite hands a text[] back as an array; so does pg, but a literal `{a,b}` is read just in case. */
const rolesOf = (roles: LiveEventRow['roles']): Role[] | null =>
  roles === null ? null : Array.isArray(roles) ? roles : (roles.replace(/^\{|\}$/g, '').split(',') as Role[]);

const fromRow = (row: LiveEventRow): StoredLiveEvent => ({
  id: Number(row.id),
  topic: row.topic,
  staffId: row.staff_id,
  roles: rolesOf(row.roles),
  data: row.data ?? {},
});

/** Whether a staff member of this role receives the event. */
export function concerns(event: Pick<StoredLiveEvent, 'staffId' | 'roles'>, staffId: number, role: Role): boolean {
  return (event.staffId === null || event.staffId === staffId) && (event.roles === null || event.roles.includes(role));
}

/** The committed events after `afterId`, oldest first; `to` narrows them to one staff member's. */
export async function liveEventsAfter(
  database: Database,
  afterId: number,
  limit: number,
  to?: { staffId: number; role: Role },
): Promise<StoredLiveEvent[]> {
  const filter = to
    ? sql`and (staff_id is null or staff_id = ${to.staffId}) and (roles is null or ${to.role} = any(roles))`
    : sql``;
  const rows = await database.rows<LiveEventRow>(sql`
    select id, topic, staff_id, roles, data from live_events
    where id > ${afterId} ${filter}
    order by id limit ${limit}`);
  return rows.map(fromRow);
}

/** The oldest and newest ids kept (null when none), to tell whether a browser's last id can still be resumed from. */
export async function liveEventsKept(database: Database): Promise<{ oldest: number | null; newest: number | null }> {
  const [row] = await database.rows<{ oldest: number | null; newest: number | null }>(
    sql`select min(id) as oldest, max(id) as newest from live_events`,
  );
  const idOrNull = (value: number | null | undefined) => (value === null || value === undefined ? null : Number(value));
  return { oldest: idOrNull(row?.oldest), newest: idOrNull(row?.newest) };
}

/** How long events are kept for browsers that reconnect. */
export const LIVE_KEEP_MS = 60 * 60_000;

/**
 * Deletes events older than `keepMs` (by the database's clock, which wrote them), always keeping
 * the newest, so a browser that saw it resumes without a reset even after a quiet hour.
 */
export async function pruneLiveEvents(ctx: AppContext, keepMs = LIVE_KEEP_MS): Promise<number> {
  const [row] = await ctx.database.rows<{ n: number }>(sql`
    with gone as (
      delete from live_events
      where at < now() - make_interval(secs => ${keepMs / 1000})
        and id < (select max(id) from live_events)
      returning 1)
    select count(*)::int as n from gone`);
  return row?.n ?? 0;
}
