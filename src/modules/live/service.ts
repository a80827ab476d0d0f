import { sql } from 'drizzle-orm';
import type { LiveData } from '../../common/api/live.js';
import type { Role } from '../../common/api/staff.js';
import type { Database, Db } from '../../db/connection.js';
import { writeBehind } from '../../db/write-behind.js';
import type { AppContext } from '../core/context.js';

/**
 * The channel every instance's hub listens on: "new events are committed, read them". Its payload
 * names the hub that sent it (so that hub skips its own echo), never an event or its data.
 */
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

/** Told of each publish in this process, before the publisher commits (see onLocalPublish). */
type LocalPublishListener = (id: number) => void;
const localListeners = new Set<LocalPublishListener>();

/**
 * Calls `listener` with the id of each event published in this process, right after its row is
 * written and before its transaction commits (it may yet roll back). This process's hubs read soon
 * after and wake the other instances once the row is there (hub.ts); returns the unsubscribe.
 */
export function onLocalPublish(listener: LocalPublishListener): () => void {
  localListeners.add(listener);
  return () => {
    localListeners.delete(listener);
  };
}

/**
 * Writes a wake-up in the caller's transaction (pass the transaction), so only a change that
 * commits wakes anyone, and tells this process's hubs. Nothing else happens inside the
 * transaction: no lock and no NOTIFY, which would serialise the commits of every writing
 * transaction (docs/decisions.md, "Live channel"). Ids are therefore drawn in one order and
 * committed in another; the hub and the streams live with that.
 */
export async function publishLive(db: Db, event: LiveEvent): Promise<void> {
  if (!TOPIC.test(event.topic)) throw new Error(`live topic ${JSON.stringify(event.topic)} is not a plain name`);
  const row = {
    topic: event.topic,
    staffId: event.staffId ?? null,
    roles: event.roles ?? null,
    data: JSON.stringify(event.data ?? {}),
  };
  if (row.data.length > DATA_LIMIT)
    throw new Error(`live event ${event.topic} carries ${row.data.length} characters of data`);
  // In a write-behind transaction (db/write-behind.ts) the wake-ups go out together at its end.
  if (writeBehind(db, 'live_events', row, insertLiveEvents)) return;
  await insertLiveEvents(db, [row]);
}

interface LiveEventToWrite {
  topic: string;
  staffId: number | null;
  roles: Role[] | null;
  data: string;
}

/** One statement for all; a wake-up said twice is written once (it means "refetch", nothing more). */
async function insertLiveEvents(db: Db, rows: LiveEventToWrite[]): Promise<void> {
  const distinct = new Map(rows.map((row) => [JSON.stringify(row), row]));
  const values = [...distinct.values()].map(
    (row) =>
      sql`(${row.topic}, ${row.staffId}::int, ${row.roles ? sql`${sql.param(row.roles)}::text[]` : sql`null`}, ${row.data}::jsonb)`,
  );
  const written = (await db.execute(sql`
    insert into live_events (topic, staff_id, roles, data)
    values ${sql.join(values, sql`, `)}
    returning id`)) as unknown as { rows: { id: number | string }[] };
  for (const { id } of written.rows) {
    for (const listener of localListeners) {
      try {
        listener(Number(id));
      } catch {
        // A hub's bookkeeping must never fail the caller's change; its poll reads the event anyway.
      }
    }
  }
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

/**
 * The committed events after `afterId`, oldest first; `to` narrows them to one staff member's;
 * `alsoIds`: ids at or below `afterId` that are wanted too (the hub's late ones).
 */
export async function liveEventsAfter(
  database: Database,
  afterId: number,
  limit: number,
  options: { to?: { staffId: number; role: Role }; alsoIds?: number[] } = {},
): Promise<StoredLiveEvent[]> {
  const { to, alsoIds = [] } = options;
  const filter = to
    ? sql`and (staff_id is null or staff_id = ${to.staffId}) and (roles is null or ${to.role} = any(roles))`
    : sql``;
  // Each branch walks the primary key, whatever the planner believes of this fast-changing table:
  // `id > x or id = any(…)`, or a bare `id > x` after stale statistics, was read in full (6.5-21 ms
  // a read under load, against 0.1).
  const newer = sql`(select id, topic, staff_id, roles, data from live_events
    where id > ${afterId} ${filter} order by id limit ${limit})`;
  const late = sql`(select id, topic, staff_id, roles, data from live_events
    where id = any(${sql.param(alsoIds)}::bigint[]) and id <= ${afterId} ${filter})`;
  const rows = await database.rows<LiveEventRow>(
    alsoIds.length > 0 ? sql`${newer} union all ${late} order by id limit ${limit}` : newer,
  );
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
