import { type SQL, sql } from 'drizzle-orm';
import type { AgentStateName, Channel } from '../../common/api/contacts.js';
import type { Role } from '../../common/api/staff.js';
import type { Db } from '../../db/connection.js';

/**
 * An agent's state on the desk. The contacts module drives it (routing, offers, contacts ending)
 * by these functions, always inside the transaction that changes the contact, so the two never
 * disagree; every change is also written to agent_state_changes for occupancy.
 */
export interface AgentRow {
  staffId: number;
  state: AgentStateName;
  since: Date;
  breakReason: string | null;
  lines: string[];
  skills: string[];
  extension: string | null;
  calls: number;
  chats: number;
  lastSeenAt: Date | null;
}

const agentColumns = sql`staff_id as "staffId", state, since, break_reason as "breakReason", lines, skills, extension,
  calls, chats, last_seen_at as "lastSeenAt"`;

async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

const asAgent = (row: AgentRow): AgentRow => ({
  ...row,
  since: new Date(row.since),
  lastSeenAt: row.lastSeenAt ? new Date(row.lastSeenAt) : null,
});

/** The lines a role serves until a supervisor says otherwise. */
export const defaultLinesOf = (role: Role): string[] => (['l1', 'l2', 'l3'].includes(role) ? [role] : []);

/** The agent's row, made (offline, on the role's line) the first time they come to the desk. */
export async function ensureAgent(db: Db, staffId: number, role: Role, at: Date): Promise<AgentRow> {
  await db.execute(sql`insert into agent_states (staff_id, state, since, lines, skills)
    values (${staffId}, 'offline', ${at}, ${sql.param(defaultLinesOf(role))}::text[], array['call', 'chat'])
    on conflict (staff_id) do nothing`);
  const agent = await agentOf(db, staffId);
  if (!agent) throw new Error(`agent ${staffId} vanished`);
  return agent;
}

export async function agentOf(db: Db, staffId: number, options: { lock?: boolean } = {}): Promise<AgentRow | null> {
  const [row] = await rowsOf<AgentRow>(
    db,
    sql`select ${agentColumns} from agent_states where staff_id = ${staffId} ${options.lock ? sql`for update` : sql``}`,
  );
  return row ? asAgent(row) : null;
}

export async function agentByExtension(db: Db, extension: string): Promise<AgentRow | null> {
  const [row] = await rowsOf<AgentRow>(
    db,
    sql`select ${agentColumns} from agent_states where extension = ${extension}`,
  );
  return row ? asAgent(row) : null;
}

/**
 * Moves the agent to `to` if they are now in one of `from` (or in any state when `from` is
 * omitted); returns the new row, or null when the agent was not in such a state. The condition is
 * in the UPDATE itself, so two requests racing on one agent cannot both move it.
 */
export async function changeAgentState(
  db: Db,
  change: {
    staffId: number;
    to: AgentStateName;
    at: Date;
    from?: readonly AgentStateName[];
    breakReason?: string | null;
    /** Contacts taken (+1) or given back (−1) by this change, per channel. */
    load?: { channel: Channel; delta: 1 | -1 };
  },
): Promise<AgentRow | null> {
  const load = change.load;
  const callsDelta = load?.channel === 'call' ? load.delta : 0;
  const chatsDelta = load?.channel === 'chat' ? load.delta : 0;
  // One statement: the change and its line in agent_state_changes (a CTE's insert sees the UPDATE's rows).
  const [row] = await rowsOf<AgentRow>(
    db,
    sql`with moved as (
        update agent_states set
          state = ${change.to},
          since = case when state = ${change.to} then since else ${change.at}::timestamptz end,
          break_reason = ${change.to === 'break' ? (change.breakReason ?? null) : null},
          calls = greatest(0, calls + ${callsDelta}::int),
          chats = greatest(0, chats + ${chatsDelta}::int)
        where staff_id = ${change.staffId}
          ${change.from ? sql`and state::text = any(${sql.param(change.from)}::text[])` : sql``}
        returning ${agentColumns}
      ), logged as (
        insert into agent_state_changes (staff_id, state, reason, at)
        select "staffId", ${change.to}::agent_state, ${change.breakReason ?? null}::text, ${change.at}::timestamptz
        from moved
      )
      select * from moved`,
  );
  return row ? asAgent(row) : null;
}

/**
 * Gives back a contact's place in the agent's load. With `whenFree`, an agent left with nothing on
 * moves to that state (the end of a talk: after-contact work), while one still on other contacts
 * (chats) stays as they are. One statement, the change recorded with it.
 */
export async function releaseAgentLoad(
  db: Db,
  staffId: number,
  channel: Channel,
  whenFree?: { to: AgentStateName; at: Date },
): Promise<void> {
  const calls = sql`greatest(0, calls - ${channel === 'call' ? 1 : 0}::int)`;
  const chats = sql`greatest(0, chats - ${channel === 'chat' ? 1 : 0}::int)`;
  if (!whenFree) {
    await db.execute(sql`update agent_states set calls = ${calls}, chats = ${chats} where staff_id = ${staffId}`);
    return;
  }
  const free = sql`(${calls} = 0 and ${chats} = 0)`;
  await db.execute(sql`
    with released as (
      update agent_states set
        state = case when ${free} then ${whenFree.to}::agent_state else state end,
        since = case when ${free} and state <> ${whenFree.to}::agent_state then ${whenFree.at}::timestamptz else since end,
        break_reason = case when ${free} then null else break_reason end,
        calls = ${calls},
        chats = ${chats}
      where staff_id = ${staffId}
      returning staff_id, calls = 0 and chats = 0 as free
    )
    insert into agent_state_changes (staff_id, state, reason, at)
    select staff_id, ${whenFree.to}::agent_state, null, ${whenFree.at}::timestamptz from released where free`);
}

/**
 * The longest-idle agent who may take a contact of this line and channel, claimed in one
 * statement: `FOR UPDATE SKIP LOCKED` lets several instances route at once without two of them
 * taking one agent (an agent being claimed elsewhere is skipped, not waited for). A call needs an
 * available agent with nothing on; a chat also fits an agent on chats below the line's capacity.
 * The claimed agent is `offered` (if they were available) and carries the contact in their load.
 */
export async function claimLongestIdleAgent(
  db: Db,
  want: { line: string; channel: Channel; skill?: string | null; chatCapacity: number; at: Date },
): Promise<AgentRow | null> {
  const fits =
    want.channel === 'call'
      ? sql`state = 'available' and calls = 0 and chats = 0`
      : sql`state in ('available', 'on_contact') and calls = 0 and chats < ${want.chatCapacity}::int`;
  // The claim and, when the agent was available, its line in agent_state_changes, in one statement.
  const [row] = await rowsOf<AgentRow>(
    db,
    sql`with claimed as (
      update agent_states set
        state = case when state = 'available' then 'offered'::agent_state else state end,
        since = case when state = 'available' then ${want.at}::timestamptz else since end,
        calls = calls + ${want.channel === 'call' ? 1 : 0}::int,
        chats = chats + ${want.channel === 'chat' ? 1 : 0}::int
      where staff_id = (
        select staff_id from agent_states
        where ${fits} and ${want.line} = any(lines) and ${want.channel} = any(skills)
          ${want.skill ? sql`and ${want.skill} = any(skills)` : sql``}
        order by since, staff_id
        limit 1
        for update skip locked)
      returning ${agentColumns}
    ), logged as (
      insert into agent_state_changes (staff_id, state, reason, at)
      select "staffId", 'offered', null, ${want.at}::timestamptz from claimed where state = 'offered'
    )
    select * from claimed`,
  );
  return row ? asAgent(row) : null;
}

/**
 * Up to `limit` agents free for a call on this line, longest idle first, locked for the caller's
 * transaction and skipped by everyone else's (`FOR UPDATE SKIP LOCKED`): routing locks the agents
 * first and then as many waiting contacts, so it never holds contacts it has nobody for.
 */
export async function lockIdleCallAgents(db: Db, want: { line: string; limit: number }): Promise<AgentRow[]> {
  const rows = await rowsOf<AgentRow>(
    db,
    sql`select ${agentColumns} from agent_states
      where state = 'available' and calls = 0 and chats = 0 and ${want.line} = any(lines) and 'call' = any(skills)
      order by since, staff_id
      limit ${want.limit}
      for update skip locked`,
  );
  return rows.map(asAgent);
}

/**
 * The locked agents (lockIdleCallAgents) are offered a call each: `offered`, carrying it in their
 * load; one statement with their lines in agent_state_changes. Returns them in the order given.
 */
export async function offerCallsTo(db: Db, staffIds: number[], at: Date): Promise<AgentRow[]> {
  if (staffIds.length === 0) return [];
  const rows = await rowsOf<AgentRow>(
    db,
    sql`with taken as (
        update agent_states set state = 'offered', since = ${at}::timestamptz, calls = calls + 1
        where staff_id = any(${sql.param(staffIds)}::int[]) and state = 'available'
        returning ${agentColumns}
      ), logged as (
        insert into agent_state_changes (staff_id, state, reason, at)
        select "staffId", 'offered', null, ${at}::timestamptz from taken
      )
      select * from taken`,
  );
  const byId = new Map(rows.map((row) => [row.staffId, asAgent(row)]));
  return staffIds.flatMap((staffId) => byId.get(staffId) ?? []);
}

/** The browser's heartbeat: when the agent's desk was last connected (the disconnect grace period). */
export async function markAgentsSeen(db: Db, staffIds: number[], at: Date): Promise<void> {
  if (staffIds.length === 0) return;
  await db.execute(
    sql`update agent_states set last_seen_at = ${at} where staff_id = any(${sql.param(staffIds)}::int[])`,
  );
}

/** Every agent with their state, for the board (names come from staffNames). */
export async function listAgents(db: Db): Promise<AgentRow[]> {
  const rows = await rowsOf<AgentRow>(db, sql`select ${agentColumns} from agent_states order by staff_id`);
  return rows.map(asAgent);
}

/** How many agents of a line are in each state: idle ones take the next contact, serving ones count for the estimate. */
export async function lineStaffing(
  db: Db,
  line: string,
): Promise<{ idle: number; serving: number; byState: Record<string, number> }> {
  const rows = await rowsOf<{ state: AgentStateName; n: number }>(
    db,
    sql`select state, count(*)::int as n from agent_states where ${line} = any(lines) group by state`,
  );
  const byState: Record<string, number> = {};
  for (const row of rows) byState[row.state] = row.n;
  const idle = byState.available ?? 0;
  const serving = rows.filter((row) => row.state !== 'break' && row.state !== 'offline').reduce((n, r) => n + r.n, 0);
  return { idle, serving, byState };
}

export async function setAgentProfile(
  db: Db,
  staffId: number,
  profile: { lines: string[]; skills: string[]; extension: string | null },
): Promise<AgentRow | null> {
  const [row] = await rowsOf<AgentRow>(
    db,
    sql`update agent_states set lines = ${sql.param(profile.lines)}::text[], skills = ${sql.param(profile.skills)}::text[],
        extension = ${profile.extension}
      where staff_id = ${staffId} returning ${agentColumns}`,
  );
  return row ? asAgent(row) : null;
}

/**
 * Seconds each agent spent in each state between `from` and `to`, from their recorded changes:
 * the state an agent was in at `from` (their last change before it) counts from `from`, the last
 * state up to `to`. Occupancy (docs/metrics.md) is computed from these. One statement: the state
 * at `from` by each agent's newest earlier change (index on staff_id, at), the changes inside by
 * the index on at, so it costs the same after months of history.
 */
export async function agentTimeInStates(
  db: Db,
  from: Date,
  to: Date,
): Promise<{ staffId: number; state: AgentStateName; seconds: number }[]> {
  return rowsOf(
    db,
    sql`with spans as (
        select a.staff_id, before.state, ${from}::timestamptz as at, 0::bigint as id
        from agent_states a
        cross join lateral (select c.state from agent_state_changes c
          where c.staff_id = a.staff_id and c.at < ${from}::timestamptz
          order by c.at desc, c.id desc limit 1) before
        union all
        select staff_id, state, at, id from agent_state_changes
        where at >= ${from}::timestamptz and at < ${to}::timestamptz
      ), timed as (
        select staff_id, state,
          extract(epoch from lead(at, 1, ${to}::timestamptz) over (partition by staff_id order by at, id) - at) as seconds
        from spans
      )
      select staff_id as "staffId", state, sum(seconds)::float8 as seconds from timed group by staff_id, state`,
  );
}
