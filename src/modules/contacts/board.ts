import { sql } from 'drizzle-orm';
import {
  type AgentStateName,
  agentStateNames,
  type Board,
  type BoardAgent,
  type BoardLine,
} from '../../common/api/contacts.js';
import type { AppContext } from '../core/context.js';
import { instantOf, wallClockAt } from '../settings/business-hours.js';
import { isLineOpen, type LineSettings, operationalSettings } from '../settings/service.js';
import { type AgentRow, agentTimeInStates, listAgents } from '../staff/agent-state.js';
import { staffNames } from '../staff/service.js';
import { agentsNeeded, erlangC } from './erlang.js';
import {
  type AgentTime,
  abandonRate,
  averageHandleTime,
  averageSpeedOfAnswer,
  type LineCounts,
  occupancy,
  serviceLevel,
} from './service-level.js';
import { STARTING_AVERAGE_HANDLE_TIME_SECONDS } from './wait-estimate.js';

/** Erlang C reads the traffic of the last half hour (docs/metrics.md, "Erlang C"). */
const FORECAST_WINDOW_SECONDS = 30 * 60;

/** What the contacts table says about each line, in one statement. */
interface ContactFigures {
  lines: (LineCounts & {
    line: string;
    offered: number;
    abandoned: number;
    recentArrivals: number;
    waiting: number;
    longestQueuedAt: string | null;
    runningAht: number | null;
  })[];
  current: { staffId: number; contactId: number }[];
}

/**
 * Today's counts per line (arrived since the ISP's midnight), the arrivals of the last half hour,
 * the queue now, the running AHT, and each agent's current contact. Every part reads by an index:
 * today's contacts by contacts_arrived_idx (a day's rows, however long the history), the queue and
 * the agents' contacts by the partial indexes on status, so the board costs the same after months.
 */
async function contactFigures(
  ctx: AppContext,
  lines: LineSettings[],
  shortAbandonSeconds: number,
  dayStart: Date,
  now: Date,
): Promise<ContactFigures> {
  const windowStart = new Date(Math.min(dayStart.getTime(), now.getTime() - FORECAST_WINDOW_SECONDS * 1000));
  const recentFrom = new Date(now.getTime() - FORECAST_WINDOW_SECONDS * 1000);
  const ids = lines.map((line) => line.id);
  const targets = lines.map((line) => line.targetSeconds);
  const [row] = await ctx.database.named<ContactFigures>(
    'contacts_board',
    sql`with rules as (
        select line, target from unnest(${sql.param(ids)}::text[], ${sql.param(targets)}::int[]) as r(line, target)
      ), recent as (
        select line, outside_hours, arrived_at >= ${dayStart}::timestamptz as today,
          extract(epoch from answered_at - queued_at) as waited,
          coalesce(answered_at is null and outcome = 'abandoned', false) as abandoned,
          coalesce(answered_at is null and outcome = 'abandoned'
            and extract(epoch from ended_at - queued_at) <= ${shortAbandonSeconds}::int, false) as short,
          case when status = 'ended' and answered_at is not null and after_work_until is not null
            then extract(epoch from after_work_until - answered_at) end as handle,
          arrived_at > ${recentFrom}::timestamptz as recent
        from contacts
        where arrived_at >= ${windowStart}::timestamptz and arrived_at <= ${now}::timestamptz
      ), figures as (
        select r.line,
          count(c.line) filter (where c.today and not c.outside_hours)::int as offered,
          count(c.waited) filter (where c.today)::int as answered,
          count(c.waited) filter (where c.today and c.waited <= r.target)::int as "answeredWithinTarget",
          count(c.line) filter (where c.today and c.abandoned)::int as abandoned,
          count(c.line) filter (where c.today and c.abandoned and not c.short)::int as "abandonedAfterThreshold",
          count(c.line) filter (where c.today and c.short)::int as "shortAbandoned",
          coalesce(sum(greatest(0, c.waited)) filter (where c.today), 0)::float8 as "secondsToAnswer",
          count(c.handle) filter (where c.today)::int as handled,
          coalesce(sum(c.handle) filter (where c.today), 0)::float8 as "handleSeconds",
          count(c.line) filter (where c.recent and not c.outside_hours and not c.short)::int as "recentArrivals"
        from rules r left join recent c on c.line = r.line
        group by r.line
      ), queue as (
        select line, count(*)::int as waiting, min(queued_at) as longest
        from (select line, queued_at from contacts where status = 'waiting'
          union all select line, queued_at from contacts where status = 'offered') q
        group by line
      ), current as (
        select staff_id, max(id) as contact_id from (
          select agent_id as staff_id, id from contacts
          where status in ('offered', 'connected', 'after_work') and agent_id is not null
          union all select offered_to, id from contacts where status = 'offered') a
        group by staff_id
      )
      select
        (select json_agg(json_build_object('line', f.line, 'offered', f.offered, 'answered', f.answered,
            'answeredWithinTarget', f."answeredWithinTarget", 'abandoned', f.abandoned,
            'abandonedAfterThreshold', f."abandonedAfterThreshold", 'shortAbandoned', f."shortAbandoned",
            'secondsToAnswer', f."secondsToAnswer", 'handled', f.handled, 'handleSeconds', f."handleSeconds",
            'recentArrivals', f."recentArrivals", 'waiting', coalesce(q.waiting, 0), 'longestQueuedAt', q.longest,
            'runningAht', h.aht_seconds))
          from figures f left join queue q on q.line = f.line left join line_handle_times h on h.line = f.line) as lines,
        coalesce((select json_agg(json_build_object('staffId', staff_id, 'contactId', contact_id)) from current), '[]') as current`,
  );
  return { lines: row?.lines ?? [], current: row?.current ?? [] };
}

/** Each agent's time in each state today, for occupancy. */
function agentTimes(rows: { staffId: number; state: AgentStateName; seconds: number }[]): Map<number, AgentTime> {
  const times = new Map<number, AgentTime>();
  for (const { staffId, state, seconds } of rows) {
    const time = times.get(staffId) ?? {
      onContactSeconds: 0,
      afterContactWorkSeconds: 0,
      loggedInSeconds: 0,
      breakSeconds: 0,
    };
    if (state !== 'offline') time.loggedInSeconds += seconds;
    if (state === 'on_contact') time.onContactSeconds += seconds;
    if (state === 'after_contact_work') time.afterContactWorkSeconds += seconds;
    if (state === 'break') time.breakSeconds += seconds;
    times.set(staffId, time);
  }
  return times;
}

const sumTimes = (times: (AgentTime | undefined)[]): AgentTime =>
  times.reduce<AgentTime>(
    (sum, time) =>
      time
        ? {
            onContactSeconds: sum.onContactSeconds + time.onContactSeconds,
            afterContactWorkSeconds: sum.afterContactWorkSeconds + time.afterContactWorkSeconds,
            loggedInSeconds: sum.loggedInSeconds + time.loggedInSeconds,
            breakSeconds: sum.breakSeconds + time.breakSeconds,
          }
        : sum,
    { onContactSeconds: 0, afterContactWorkSeconds: 0, loggedInSeconds: 0, breakSeconds: 0 },
  );

/** Agents who take the line's contacts now: not on a break, not offline (docs/metrics.md, "Serving agents"). */
const serves = (agent: AgentRow) => agent.state !== 'break' && agent.state !== 'offline';

/**
 * Erlang C from the last half hour's arrivals and the line's running AHT (a line with none yet
 * starts where the wait estimate does); null without arrivals, when there is no traffic to read.
 */
function forecastOf(line: LineSettings, recentArrivals: number, runningAht: number | null, serving: number) {
  if (recentArrivals === 0) return null;
  const arrivalsPerSecond = recentArrivals / FORECAST_WINDOW_SECONDS;
  const ahtSeconds = runningAht ?? STARTING_AVERAGE_HANDLE_TIME_SECONDS;
  const now = erlangC({ arrivalsPerSecond, ahtSeconds, agents: serving, targetSeconds: line.targetSeconds });
  // 100 % within the target is no finite number of agents: nothing to say then.
  const needed =
    line.targetPercent < 100
      ? agentsNeeded(arrivalsPerSecond, ahtSeconds, line.targetSeconds, line.targetPercent / 100)
      : null;
  return {
    arrivalsPerHour: arrivalsPerSecond * 3_600,
    trafficErlangs: now.trafficErlangs,
    agentsServing: serving,
    probabilityOfWaiting: now.probabilityOfWaiting,
    averageSpeedOfAnswerSeconds: Number.isFinite(now.averageSpeedOfAnswerSeconds)
      ? now.averageSpeedOfAnswerSeconds
      : null,
    serviceLevel: now.serviceLevel,
    agentsNeeded: needed?.agents ?? null,
  };
}

/**
 * The supervisor's board: per line the queue now, today's figures (docs/metrics.md) and the
 * Erlang C forecast; per agent their state, since when, and the contact they are on. Four
 * statements (contacts, agents, their time today, names), each by an index.
 */
export async function boardOf(ctx: AppContext): Promise<Board> {
  const now = ctx.clock();
  const zone = ctx.config.timezone;
  const dayStart = instantOf(wallClockAt(now, zone).date, 0, zone);
  const settings = await operationalSettings(ctx);
  const { db } = ctx.database;
  const [figures, agents, times, names] = await Promise.all([
    contactFigures(ctx, settings.lines, settings.contacts.shortAbandonSeconds, dayStart, now),
    listAgents(db),
    agentTimeInStates(db, dayStart, now),
    staffNames(ctx),
  ]);
  const byLine = new Map(figures.lines.map((line) => [line.line, line]));
  const timeOf = agentTimes(times);
  const contactOf = new Map(figures.current.map((row) => [row.staffId, row.contactId]));
  const nameOf = new Map(names.map((member) => [member.id, member]));

  const lines: BoardLine[] = [];
  for (const line of settings.lines) {
    const counts = byLine.get(line.id);
    const lineAgents = agents.filter((agent) => agent.lines.includes(line.id));
    const byState: Record<string, number> = Object.fromEntries(agentStateNames.map((state) => [state, 0]));
    for (const agent of lineAgents) byState[agent.state] = (byState[agent.state] ?? 0) + 1;
    const { open } = await isLineOpen(ctx, line.id, now);
    lines.push({
      line: line.id,
      name: line.name,
      open,
      waiting: counts?.waiting ?? 0,
      longestWaitSeconds: counts?.longestQueuedAt
        ? Math.max(0, (now.getTime() - new Date(counts.longestQueuedAt).getTime()) / 1000)
        : null,
      offeredToday: counts?.offered ?? 0,
      answeredToday: counts?.answered ?? 0,
      abandonedToday: counts?.abandoned ?? 0,
      serviceLevel: counts ? serviceLevel(counts) : null,
      targetSeconds: line.targetSeconds,
      targetPercent: line.targetPercent,
      abandonRate: counts ? abandonRate(counts) : null,
      averageSpeedOfAnswerSeconds: counts ? averageSpeedOfAnswer(counts) : null,
      averageHandleTimeSeconds: counts ? averageHandleTime(counts) : null,
      occupancy: occupancy(sumTimes(lineAgents.map((agent) => timeOf.get(agent.staffId)))),
      agents: byState,
      forecast: forecastOf(
        line,
        counts?.recentArrivals ?? 0,
        counts?.runningAht ?? null,
        lineAgents.filter(serves).length,
      ),
    });
  }

  const boardAgents: BoardAgent[] = agents
    .map((agent) => {
      const member = nameOf.get(agent.staffId);
      return {
        staffId: agent.staffId,
        name: member?.fullName ?? '',
        login: member?.login ?? '',
        state: agent.state,
        since: agent.since.toISOString(),
        breakReason: agent.breakReason,
        lines: agent.lines,
        contactId: contactOf.get(agent.staffId) ?? null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'ru') || a.staffId - b.staffId);
  return { lines, agents: boardAgents, now: now.toISOString() };
}
