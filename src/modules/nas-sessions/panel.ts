import { sql } from 'drizzle-orm';
import type { NasSession, SessionPanel } from '../../common/api/nas-sessions.js';
import type { AppContext } from '../core/context.js';
import { latestApplication } from './network-application.js';

const KEPT_DAYS = 30;
const iso = (value: Date | string) => new Date(value).toISOString();

interface Row {
  nas: string;
  acct_session_id: string;
  state: NasSession['state'];
  start_seen: boolean;
  started_at: string | Date;
  last_event_at: string | Date;
  ended_at: string | Date | null;
  terminate_cause_words: string | null;
  framed_ip: string | null;
  framed_ipv6_prefix: string | null;
  delegated_ipv6_prefix: string | null;
  input_bytes: string;
  output_bytes: string;
  changes: { at: string; change: string; details: Record<string, unknown> }[] | string;
}

/**
 * A subscriber's sessions for the card: the current one and 30 days of them with their changes,
 * in one statement (by the index on subscriber and start), and the account's latest change on its
 * way to the network.
 */
export async function sessionPanel(ctx: AppContext, subscriberId: number, accountId?: number): Promise<SessionPanel> {
  const now = ctx.clock();
  const since = new Date(now.getTime() - KEPT_DAYS * 86_400_000);
  const rows = await ctx.database.rows<Row>(sql`
    select s.nas, s.acct_session_id, s.state, s.start_seen, s.started_at, s.last_event_at, s.ended_at,
      s.terminate_cause_words, s.framed_ip, s.framed_ipv6_prefix, s.delegated_ipv6_prefix,
      s.input_bytes::text, s.output_bytes::text,
      coalesce((select json_agg(json_build_object('at', c.at, 'change', c.change, 'details', c.details) order by c.at, c.id)
        from nas_session_changes c where c.session_id = s.id), '[]'::json) as changes
    from nas_sessions s
    where s.subscriber_id = ${subscriberId} and (s.ended_at is null or s.ended_at >= ${since})
      ${accountId === undefined ? sql`` : sql`and s.account_id = ${accountId}`}
    order by s.started_at desc, s.id desc`);
  const timeline = rows.map(
    (row): NasSession => ({
      nas: row.nas,
      acctSessionId: row.acct_session_id,
      state: row.state,
      startSeen: row.start_seen,
      startedAt: iso(row.started_at),
      lastEventAt: iso(row.last_event_at),
      endedAt: row.ended_at === null ? null : iso(row.ended_at),
      terminateCause: row.terminate_cause_words,
      framedIp: row.framed_ip,
      framedIpv6Prefix: row.framed_ipv6_prefix,
      delegatedIpv6Prefix: row.delegated_ipv6_prefix,
      bytesDown: Number(row.output_bytes),
      bytesUp: Number(row.input_bytes),
      changes: (typeof row.changes === 'string' ? JSON.parse(row.changes) : row.changes).map(
        (change: { at: string; change: string; details: Record<string, unknown> }) => ({
          ...change,
          at: iso(change.at),
        }),
      ),
    }),
  );
  return {
    current: timeline.find((session) => session.state !== 'closed') ?? null,
    timeline,
    application: await latestApplication(ctx, subscriberId, accountId),
    readAt: now.toISOString(),
  };
}
