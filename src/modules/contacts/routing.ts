import { sql } from 'drizzle-orm';
import type { Channel } from '../../common/api/contacts.js';
import type { Db } from '../../db/connection.js';
import { withWriteBehind } from '../../db/write-behind.js';
import type { AppContext } from '../core/context.js';
import { cancelJob, scheduleKeyedJobs } from '../jobs/service.js';
import { type LineSettings, operationalSettings } from '../settings/service.js';
import {
  type AgentRow,
  changeAgentState,
  claimLongestIdleAgent,
  lockIdleCallAgents,
  offerCallsTo,
  releaseAgentLoad,
} from '../staff/agent-state.js';
import { appendContactEvent, type ContactRow, contactById, contactColumns, contactRows } from './contact-row.js';
import { wakeBoard, wakeContact, wakeDesk, wakeQueue } from './wake-ups.js';

export const OFFER_LAPSED_JOB = 'contacts.offer-lapsed';
export const offerJobKey = (contactId: number) => `contacts.offer:${contactId}`;

/** More offers than this in one pass wait for the next trigger, so one call never holds a request long. */
const OFFERS_PER_PASS = 200;
/** Pairs offered in one transaction at most: agents freed together are offered together. */
const PAIRS_PER_TRANSACTION = 20;

/**
 * A routing pass per line at a time in this process: a trigger that comes while one runs (agents
 * freed together, a busy PBX) is served by one more pass after it, shared by every trigger that
 * came meanwhile, instead of a pass each competing for the pool's connections. Other instances
 * route at the same moment; SKIP LOCKED keeps them apart.
 */
interface LinePasses {
  running: Promise<number> | null;
  next: Promise<number> | null;
}
const passesOf = new WeakMap<object, Map<string, LinePasses>>();

/**
 * Routing mode: hands the line's waiting contacts, head first (priority, then the longest wait),
 * to the longest-idle agents who fit, up to PAIRS_PER_TRANSACTION pairs per transaction, until
 * either side runs out. Each transaction locks its agents and then as many contacts with SKIP
 * LOCKED, so instances routing the same line at once take different pairs and no contact goes to
 * two agents. Resolves, once a pass that began after the call is over, with how many it offered.
 */
export function routeLine(ctx: AppContext, lineId: string): Promise<number> {
  const lines = passesOf.get(ctx.database) ?? new Map<string, LinePasses>();
  passesOf.set(ctx.database, lines);
  const passes = lines.get(lineId) ?? { running: null, next: null };
  lines.set(lineId, passes);
  if (!passes.running) {
    passes.running = routeLineNow(ctx, lineId).finally(() => {
      passes.running = null;
    });
    return passes.running;
  }
  passes.next ??= passes.running
    .catch(() => 0)
    .then(() => {
      passes.next = null;
      return routeLine(ctx, lineId);
    });
  return passes.next;
}

async function routeLineNow(ctx: AppContext, lineId: string): Promise<number> {
  const settings = await operationalSettings(ctx);
  if (settings.contacts.routingMode !== 'acd') return 0;
  const line = settings.lines.find((candidate) => candidate.id === lineId);
  if (!line) return 0;
  let offered = 0;
  while (offered < OFFERS_PER_PASS) {
    const paired = await ctx.database.db.transaction((tx) => withWriteBehind(tx, () => offerHeads(ctx, tx, line)));
    offered += paired.length;
    // Fewer than a full transaction's worth: one side ran out (or another instance holds the rest).
    if (paired.length < PAIRS_PER_TRANSACTION) break;
  }
  return offered;
}

/** Every line, as after a restart or from the periodic sweep: nothing waits because a trigger was lost. */
export async function routeAllLines(ctx: AppContext): Promise<number> {
  const settings = await operationalSettings(ctx);
  let offered = 0;
  for (const line of settings.lines) offered += await routeLine(ctx, line.id);
  return offered;
}

const waitingHeads = (tx: Db, line: string, channel: Channel, limit: number) =>
  contactRows(
    tx,
    sql`select ${contactColumns} from contacts
      where status = 'waiting' and line = ${line} and channel = ${channel}
      order by priority desc, queued_at, id
      limit ${limit}
      for update skip locked`,
  );

/**
 * One transaction's pairs: the longest-idle free agents, locked, and as many calls from the head
 * of the line; then one chat, if one waits, for an agent with room for it (chats share an agent
 * up to the line's capacity, so they are paired one at a time). Returns the contacts offered.
 */
async function offerHeads(ctx: AppContext, tx: Db, line: LineSettings): Promise<ContactRow[]> {
  const at = ctx.clock();
  const pairs: OfferPair[] = [];
  const agents = await lockIdleCallAgents(tx, { line: line.id, limit: PAIRS_PER_TRANSACTION });
  if (agents.length > 0) {
    const heads = await waitingHeads(tx, line.id, 'call', agents.length);
    const offered = await offerCallsTo(
      tx,
      agents.slice(0, heads.length).map((agent) => agent.staffId),
      at,
    );
    for (const [index, agent] of offered.entries()) pairs.push({ contact: heads[index] as ContactRow, agent });
  }
  const [chat] = await waitingHeads(tx, line.id, 'chat', 1);
  if (chat) {
    const agent = await claimLongestIdleAgent(tx, {
      line: line.id,
      channel: 'chat',
      chatCapacity: line.chatCapacity,
      at,
    });
    if (agent) pairs.push({ contact: chat, agent });
  }
  await recordOffers(tx, pairs, line, at, { expires: true });
  return pairs.map((pair) => pair.contact);
}

interface OfferPair {
  contact: ContactRow;
  agent: AgentRow;
}

/**
 * Rings one agent with the contact. In routing mode the offer lapses after the line's offer
 * timeout (a job); in card-pop mode the PBX rang the agent and decides what happens next.
 */
export async function offerTo(
  tx: Db,
  contact: ContactRow,
  agent: AgentRow,
  line: LineSettings,
  at: Date,
  options: { expires: boolean },
): Promise<void> {
  await recordOffers(tx, [{ contact, agent }], line, at, options);
}

/** The contacts' side of offers already made to the agents: status, timeline, timers, wake-ups. */
async function recordOffers(
  tx: Db,
  pairs: OfferPair[],
  line: LineSettings,
  at: Date,
  options: { expires: boolean },
): Promise<void> {
  if (pairs.length === 0) return;
  const values = pairs.map(({ contact, agent }) => sql`(${contact.id}::bigint, ${agent.staffId}::int)`);
  await tx.execute(sql`update contacts set status = 'offered', offered_to = v.staff_id, offered_at = ${at},
      offers = contacts.offers + 1
    from (values ${sql.join(values, sql`, `)}) as v(id, staff_id)
    where contacts.id = v.id`);
  for (const { contact, agent } of pairs) {
    await appendContactEvent(tx, { contactId: contact.id, at, kind: 'offered', staffId: agent.staffId });
  }
  if (options.expires) {
    await scheduleKeyedJobs(
      tx,
      pairs.map(({ contact, agent }) => ({
        kind: OFFER_LAPSED_JOB,
        runAt: new Date(at.getTime() + line.offerTimeoutSeconds * 1000),
        payload: { contactId: contact.id, staffId: agent.staffId, offers: contact.offers + 1 },
        key: offerJobKey(contact.id),
      })),
    );
  }
  for (const { contact, agent } of pairs) {
    await wakeDesk(tx, agent.staffId);
    await wakeContact(tx, contact);
  }
  await wakeQueue(tx, line.id);
  await wakeBoard(tx);
}

/**
 * An offer nobody accepted in time: the agent becomes "missed" (not available until they come
 * back) and the contact returns to the head of its line — it keeps the moment it was queued.
 */
export async function offerLapsed(ctx: AppContext, payload: Record<string, unknown>): Promise<void> {
  const contactId = Number(payload.contactId);
  const staffId = Number(payload.staffId);
  const offers = Number(payload.offers);
  const line = await ctx.database.db.transaction(async (tx) => {
    const contact = await contactById(tx, contactId, { lock: true });
    // Accepted, ended or offered again meanwhile: this timer is stale.
    if (contact?.status !== 'offered' || contact.offeredTo !== staffId || contact.offers !== offers) {
      return null;
    }
    const at = ctx.clock();
    await giveBackOffer(tx, contact, staffId, at, 'missed');
    return contact.line;
  });
  if (line) await routeLine(ctx, line);
}

/** The offered contact back to its place in the queue; the agent to `agentState` (missed, or offline when gone). */
export async function giveBackOffer(
  tx: Db,
  contact: ContactRow,
  staffId: number,
  at: Date,
  agentState: 'missed' | 'offline' | 'available',
): Promise<void> {
  await tx.execute(sql`update contacts set status = 'waiting', offered_to = null, offered_at = null
    where id = ${contact.id}`);
  await appendContactEvent(tx, {
    contactId: contact.id,
    at,
    kind: agentState === 'available' ? 'offer_withdrawn' : 'missed',
    staffId,
  });
  const moved = await changeAgentState(tx, {
    staffId,
    to: agentState,
    at,
    from: ['offered'],
    load: { channel: contact.channel, delta: -1 },
  });
  // An agent on chats who was offered one more keeps their state; only the load goes back.
  if (!moved) await releaseAgentLoad(tx, staffId, contact.channel);
  await cancelJob(tx, offerJobKey(contact.id));
  await wakeDesk(tx, staffId);
  await wakeQueue(tx, contact.line);
  await wakeBoard(tx);
  await wakeContact(tx, contact);
}
