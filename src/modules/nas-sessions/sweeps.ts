import { sql } from 'drizzle-orm';
import type { AppContext } from '../core/context.js';
import { publishLive } from '../live/service.js';
import { listedNases } from '../settings/nas.js';

/** A NAS no longer listed still has sessions on record: judged by a common interim interval. */
const UNLISTED_INTERVAL_SECONDS = 300;
/** Sessions and their timeline are kept this long after they end (the card's 30-day timeline). */
const KEPT_DAYS = 30;

/**
 * Marks stale every open session without an Interim for 2.5 × its NAS's interim interval (the
 * interval is per NAS, from the settings: it travels only in Access-Accept). Idempotent: a
 * session already stale is not marked again.
 */
export async function markStaleSessions(ctx: AppContext): Promise<number> {
  const now = ctx.clock();
  const intervals = (await listedNases(ctx)).map((nas) => sql`(${nas.name}::text, ${nas.interimIntervalSeconds}::int)`);
  const listed =
    intervals.length > 0 ? sql`values ${sql.join(intervals, sql`, `)}` : sql`select null::text, null::int where false`;
  return ctx.database.db.transaction(async (tx) => {
    const { rows } = (await tx.execute(sql`
      with intervals(nas, seconds) as (${listed}),
      -- Locked in the order of their ids, as the accounting batches lock them: neither waits in a circle.
      locked as (
        select s.id from nas_sessions s
        left join intervals i on i.nas = s.nas
        where s.state = 'open'
          and s.last_event_at < ${now}::timestamptz
            - make_interval(secs => 2.5 * coalesce(i.seconds, ${UNLISTED_INTERVAL_SECONDS}))
        order by s.id for update of s),
      stale as (
        update nas_sessions s set state = 'stale'
        from locked where s.id = locked.id and s.state = 'open'
        returning s.id, s.subscriber_id),
      lines as (
        insert into nas_session_changes (session_id, at, change, details)
        select id, ${now}, 'stale', '{}'::jsonb from stale)
      -- One row: the subscribers once (a row per session, each with every subscriber, grew as the square).
      select count(*)::int as stale, array_agg(distinct subscriber_id) filter (where subscriber_id is not null) as subscribers
      from stale`)) as unknown as {
      rows: { stale: number; subscribers: number[] | null }[];
    };
    for (const subscriberId of rows[0]?.subscribers ?? []) {
      await publishLive(tx, { topic: 'session', data: { subscriberId } });
    }
    return rows[0]?.stale ?? 0;
  });
}

/** Forgets sessions ended more than 30 days ago, and older lines of the timeline. */
export async function pruneSessionHistory(ctx: AppContext): Promise<void> {
  const before = new Date(ctx.clock().getTime() - KEPT_DAYS * 86_400_000);
  await ctx.database.db.execute(sql`delete from nas_sessions where ended_at < ${before}`);
  await ctx.database.db.execute(sql`delete from nas_session_changes where at < ${before}`);
}
