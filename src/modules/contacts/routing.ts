import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import type { AppContext } from '../core/context.js';
import { cancelJob, scheduleJob } from '../jobs/service.js';
import { type LineSettings, operationalSettings } from '../settings/service.js';
import { type AgentRow, changeAgentState, claimLongestIdleAgent, releaseAgentLoad } from '../staff/agent-state.js';
import { appendContactEvent, type ContactRow, contactById, contactColumns, contactRows } from './contact-row.js';
import { wakeBoard, wakeContact, wakeDesk, wakeQueue } from './wake-ups.js';

export const OFFER_LAPSED_JOB = 'contacts.offer-lapsed';
export const offerJobKey = (contactId: number) => `contacts.offer:${contactId}`;

/** More offers than this in one pass wait for the next trigger, so one call never holds a request long. */
const OFFERS_PER_PASS = 200;

/**
 * Routing mode: hands the line's waiting contacts, head first (priority, then the longest wait),
 * to the longest-idle agents who fit, one pair per transaction, until either side runs out. Each
 * transaction locks its contact and its agent with SKIP LOCKED, so instances routing the same line
 * at once take different pairs and no contact goes to two agents. Returns how many were offered.
 */
export async function routeLine(ctx: AppContext, lineId: string): Promise<number> {
  const settings = await operationalSettings(ctx);
  if (settings.contacts.routingMode !== 'acd') return 0;
  const line = settings.lines.find((candidate) => candidate.id === lineId);
  if (!line) return 0;
  let offered = 0;
  while (offered < OFFERS_PER_PASS) {
    const contact = await ctx.database.db.transaction((tx) => offerNext(ctx, tx, line));
    if (!contact) break;
    offered++;
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

async function offerNext(ctx: AppContext, tx: Db, line: LineSettings): Promise<ContactRow | null> {
  const [head] = await contactRows(
    tx,
    sql`select ${contactColumns} from contacts
      where status = 'waiting' and line = ${line.id}
      order by priority desc, queued_at, id
      limit 1
      for update skip locked`,
  );
  if (!head) return null;
  const at = ctx.clock();
  const agent = await claimLongestIdleAgent(tx, {
    line: line.id,
    channel: head.channel,
    chatCapacity: line.chatCapacity,
    at,
  });
  if (!agent) return null;
  await offerTo(ctx, tx, head, agent, line, at, { expires: true });
  return head;
}

/**
 * Rings one agent with the contact. In routing mode the offer lapses after the line's offer
 * timeout (a job); in card-pop mode the PBX rang the agent and decides what happens next.
 */
export async function offerTo(
  ctx: AppContext,
  tx: Db,
  contact: ContactRow,
  agent: AgentRow,
  line: LineSettings,
  at: Date,
  options: { expires: boolean },
): Promise<void> {
  const offers = contact.offers + 1;
  await tx.execute(sql`update contacts set status = 'offered', offered_to = ${agent.staffId}, offered_at = ${at},
      offers = ${offers} where id = ${contact.id}`);
  await appendContactEvent(tx, { contactId: contact.id, at, kind: 'offered', staffId: agent.staffId });
  if (options.expires) {
    await scheduleJob(tx, {
      kind: OFFER_LAPSED_JOB,
      runAt: new Date(at.getTime() + line.offerTimeoutSeconds * 1000),
      payload: { contactId: contact.id, staffId: agent.staffId, offers },
      key: offerJobKey(contact.id),
    });
  }
  await wakeDesk(tx, agent.staffId);
  await wakeQueue(tx, line.id);
  await wakeBoard(tx);
  await wakeContact(tx, contact);
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
    if (!contact || contact.status !== 'offered' || contact.offeredTo !== staffId || contact.offers !== offers) {
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
