import { sql } from 'drizzle-orm';
import type { Desk, EndContactRequest, SetAgentState } from '../../common/api/contacts.js';
import type { SignedInStaff } from '../../common/api/staff.js';
import type { Db } from '../../db/connection.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { cancelJob, scheduleJob } from '../jobs/service.js';
import { isLineOpen, type LineSettings, operationalSettings } from '../settings/service.js';
import { type AgentRow, agentOf, changeAgentState, ensureAgent, releaseAgentLoad } from '../staff/agent-state.js';
import {
  appendContactEvent,
  type ContactRow,
  contactById,
  contactColumns,
  contactRows,
  contactSummaryOfRow,
  runningHoldSeconds,
} from './contact-row.js';
import { schedulePbxCommand } from './pbx-commands.js';
import { offerJobKey, routeLine } from './routing.js';
import { lineQueue } from './wait.js';
import { AVERAGE_HANDLE_TIME_SMOOTHING, nextAverageHandleTime } from './wait-estimate.js';
import { wakeBoard, wakeContact, wakeDesk, wakeQueue } from './wake-ups.js';

export const AFTER_WORK_ENDED_JOB = 'contacts.after-work-ended';
const afterWorkJobKey = (contactId: number) => `contacts.after-work:${contactId}`;

const notFound = () => new Problem('contacts.not_found', 404, 'No such contact on your desk');

function lineOf(lines: LineSettings[], id: string): LineSettings {
  const line = lines.find((candidate) => candidate.id === id) ?? lines[0];
  if (!line) throw new Error('no lines configured');
  return line;
}

/** The agent's desk in one answer: their state, the offer ringing, the contacts they are on, their lines' queues. */
export async function deskOf(ctx: AppContext, me: SignedInStaff): Promise<Desk> {
  const now = ctx.clock();
  const settings = await operationalSettings(ctx);
  const agent = await ensureAgent(ctx.database.db, me.id, me.role, now);
  const mine = await contactRows(
    ctx.database.db,
    sql`select ${contactColumns} from contacts
      where (offered_to = ${me.id} and status = 'offered')
         or (agent_id = ${me.id} and status in ('connected', 'after_work'))
      order by arrived_at`,
  );
  const offered = mine.find((contact) => contact.status === 'offered');
  const queues = [];
  for (const id of agent.lines) {
    const line = settings.lines.find((candidate) => candidate.id === id);
    if (!line) continue;
    const { open } = await isLineOpen(ctx, line.id, now);
    queues.push(await lineQueue(ctx.database.db, line, open, now));
  }
  return {
    agent: {
      staffId: agent.staffId,
      state: agent.state,
      since: agent.since.toISOString(),
      breakReason: agent.breakReason,
      lines: agent.lines,
      skills: agent.skills,
      extension: agent.extension,
    },
    offer: offered
      ? {
          contact: contactSummaryOfRow(offered, me.fullName, now),
          expiresAt: new Date(
            (offered.offeredAt ?? now).getTime() + lineOf(settings.lines, offered.line).offerTimeoutSeconds * 1000,
          ).toISOString(),
        }
      : null,
    current: mine
      .filter((contact) => contact.status !== 'offered')
      .map((contact) => contactSummaryOfRow(contact, me.fullName, now)),
    queues,
    now: now.toISOString(),
  };
}

/**
 * Available, break or offline. Not while a contact rings (accept it, or let it lapse) and not to
 * a break or offline while on a contact; coming back from "missed" or a break is what available is for.
 */
export async function setMyState(ctx: AppContext, me: SignedInStaff, request: SetAgentState): Promise<void> {
  if (request.state === 'break' && !request.breakReason) {
    throw new Problem('contacts.break_reason_required', 400, 'Say why you take a break');
  }
  const at = ctx.clock();
  await ensureAgent(ctx.database.db, me.id, me.role, at);
  const agent = await ctx.database.db.transaction(async (tx) => {
    const current = await agentOf(tx, me.id, { lock: true });
    if (!current) throw notFound();
    if (current.state === 'offered') {
      throw new Problem('contacts.offer_pending', 409, 'A contact is ringing for you: accept it first');
    }
    if (current.calls > 0 || current.chats > 0 || current.state === 'on_contact') {
      throw new Problem('contacts.on_contact', 409, 'End the contacts you are on first');
    }
    const moved = await changeAgentState(tx, {
      staffId: me.id,
      to: request.state,
      at,
      breakReason: request.breakReason ?? null,
    });
    await wakeDesk(tx, me.id);
    await wakeBoard(tx);
    return moved;
  });
  if (agent?.state === 'available') await routeAgentLines(ctx, agent);
}

async function routeAgentLines(ctx: AppContext, agent: AgentRow) {
  for (const line of agent.lines) await routeLine(ctx, line);
}

/** The agent takes the contact ringing at them; in routing mode the PBX is told to connect the call to their extension. */
export async function acceptOffer(ctx: AppContext, me: SignedInStaff, contactId: number): Promise<void> {
  const settings = await operationalSettings(ctx);
  await ctx.database.db.transaction(async (tx) => {
    const contact = await contactById(tx, contactId, { lock: true });
    if (!contact) throw notFound();
    if (contact.status !== 'offered' || contact.offeredTo !== me.id) {
      // Rang for this agent once (lapsed, or the caller hung up): say so, rather than "no such contact".
      if (await wasOfferedTo(tx, contact.id, me.id)) {
        throw new Problem('contacts.offer_gone', 409, 'This contact is no longer ringing for you');
      }
      throw notFound();
    }
    const at = ctx.clock();
    const agent = await changeAgentState(tx, { staffId: me.id, to: 'on_contact', at });
    await tx.execute(sql`update contacts set status = 'connected', agent_id = ${me.id},
        answered_at = coalesce(answered_at, ${at}::timestamptz)
      where id = ${contact.id}`);
    await appendContactEvent(tx, { contactId: contact.id, at, kind: 'accepted', staffId: me.id });
    await cancelJob(tx, offerJobKey(contact.id));
    if (contact.callId && settings.contacts.routingMode === 'acd') {
      if (agent?.extension) {
        await schedulePbxCommand(ctx, tx, {
          command: 'connect',
          callId: contact.callId,
          contactId: contact.id,
          extension: agent.extension,
        });
      } else {
        await appendContactEvent(tx, { contactId: contact.id, at, kind: 'no_extension', staffId: me.id });
      }
    }
    await wakeDesk(tx, me.id);
    await wakeQueue(tx, contact.line);
    await wakeBoard(tx);
    await wakeContact(tx, contact);
  });
}

async function wasOfferedTo(tx: Db, contactId: number, staffId: number): Promise<boolean> {
  const result = (await tx.execute(sql`select 1 from contact_events
    where contact_id = ${contactId} and kind = 'offered' and staff_id = ${staffId} limit 1`)) as unknown as {
    rows: unknown[];
  };
  return result.rows.length > 0;
}

async function myContact(tx: Db, me: SignedInStaff, contactId: number): Promise<ContactRow> {
  const contact = await contactById(tx, contactId, { lock: true });
  if (!contact || contact.agentId !== me.id) throw notFound();
  return contact;
}

const secondsBetween = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

export async function holdContact(ctx: AppContext, me: SignedInStaff, contactId: number, hold: boolean): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const contact = await myContact(tx, me, contactId);
    if (contact.status !== 'connected')
      throw new Problem('contacts.not_connected', 409, 'The contact is not on the line');
    const at = ctx.clock();
    if (hold === (contact.holdStartedAt !== null)) return; // already so: nothing to do
    if (hold) {
      await tx.execute(sql`update contacts set hold_started_at = ${at} where id = ${contact.id}`);
    } else {
      const held = runningHoldSeconds(contact, at);
      await tx.execute(sql`update contacts set hold_started_at = null, hold_seconds = hold_seconds + ${held}
        where id = ${contact.id}`);
    }
    await appendContactEvent(tx, { contactId: contact.id, at, kind: hold ? 'held' : 'resumed', staffId: me.id });
    await wakeDesk(tx, me.id);
    await wakeContact(tx, contact);
  });
}

export async function addNote(ctx: AppContext, me: SignedInStaff, contactId: number, text: string): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const contact = await myContact(tx, me, contactId);
    await appendContactEvent(tx, {
      contactId: contact.id,
      at: ctx.clock(),
      kind: 'note',
      staffId: me.id,
      details: { text },
    });
    await wakeContact(tx, contact);
  });
}

/**
 * The end of the conversation, with its reason and outcome: the call is released, the agent goes
 * to timed after-contact work. When the caller hung up first the contact is already in
 * after-contact work and this only records the reason and outcome; a contact whose after-contact
 * work ran out unrecorded can still be given them.
 */
export async function endContact(
  ctx: AppContext,
  me: SignedInStaff,
  contactId: number,
  request: EndContactRequest,
): Promise<void> {
  const settings = await operationalSettings(ctx);
  await ctx.database.db.transaction(async (tx) => {
    const contact = await myContact(tx, me, contactId);
    const at = ctx.clock();
    if (contact.status === 'ended' && contact.outcome !== null) {
      throw new Problem('contacts.already_ended', 409, 'This contact is already ended with an outcome');
    }
    await tx.execute(sql`update contacts set reason = ${request.reason}, outcome = ${request.outcome}
      where id = ${contact.id}`);
    if (request.note) {
      await appendContactEvent(tx, {
        contactId: contact.id,
        at,
        kind: 'note',
        staffId: me.id,
        details: { text: request.note },
      });
    }
    await appendContactEvent(tx, {
      contactId: contact.id,
      at,
      kind: 'ended',
      staffId: me.id,
      details: { reason: request.reason, outcome: request.outcome },
    });
    if (contact.status === 'connected') {
      await startAfterWork(ctx, tx, contact, lineOf(settings.lines, contact.line), at);
      if (contact.callId)
        await schedulePbxCommand(ctx, tx, { command: 'hangUp', callId: contact.callId, contactId: contact.id });
    }
    await wakeDesk(tx, me.id);
    await wakeContact(tx, contact);
  });
}

/** The talk is over (the agent ended it or the caller hung up): timed after-contact work begins. */
export async function startAfterWork(
  _ctx: AppContext,
  tx: Db,
  contact: ContactRow,
  line: LineSettings,
  at: Date,
): Promise<void> {
  const until = new Date(at.getTime() + line.afterContactWorkSeconds * 1000);
  const held = runningHoldSeconds(contact, at);
  await tx.execute(sql`update contacts set status = 'after_work', ended_at = coalesce(ended_at, ${at}::timestamptz),
      after_work_until = ${until}, hold_started_at = null, hold_seconds = hold_seconds + ${held}
    where id = ${contact.id}`);
  // An agent still on other contacts (chats) stays on them; after-contact work is for the last one.
  if (contact.agentId) {
    await releaseAgentLoad(tx, contact.agentId, contact.channel, { to: 'after_contact_work', at });
  }
  await scheduleJob(tx, {
    kind: AFTER_WORK_ENDED_JOB,
    runAt: until,
    payload: { contactId: contact.id },
    key: afterWorkJobKey(contact.id),
  });
  if (contact.agentId) await wakeDesk(tx, contact.agentId);
  await wakeBoard(tx);
}

/** The agent is done writing up before the timer. */
export async function finishAfterWork(ctx: AppContext, me: SignedInStaff, contactId: number): Promise<void> {
  const contact = await contactById(ctx.database.db, contactId);
  if (!contact || contact.agentId !== me.id) throw notFound();
  if (contact.status !== 'after_work') {
    throw new Problem('contacts.not_in_after_work', 409, 'This contact is not in after-contact work');
  }
  await afterWorkEnded(ctx, { contactId });
}

/**
 * After-contact work over (timer or the agent): the contact is ended, its handle time moves the
 * line's average, and the agent is available again unless still on another contact.
 */
export async function afterWorkEnded(ctx: AppContext, payload: Record<string, unknown>): Promise<void> {
  const contactId = Number(payload.contactId);
  const ended = await ctx.database.db.transaction(async (tx) => {
    const contact = await contactById(tx, contactId, { lock: true });
    if (contact?.status !== 'after_work') return null;
    const at = ctx.clock();
    await tx.execute(sql`update contacts set status = 'ended', after_work_until = ${at} where id = ${contact.id}`);
    await appendContactEvent(tx, { contactId: contact.id, at, kind: 'after_work_ended', staffId: contact.agentId });
    await cancelJob(tx, afterWorkJobKey(contact.id));
    let moved: AgentRow | null = null;
    if (contact.agentId) {
      moved = await changeAgentState(tx, {
        staffId: contact.agentId,
        to: 'available',
        at,
        from: ['after_contact_work'],
      });
      await wakeDesk(tx, contact.agentId);
    }
    await wakeBoard(tx);
    await wakeContact(tx, contact);
    return { contact, at, moved };
  });
  if (!ended) return;
  // After the commit, on its own: the line's one row of averages is a lock every ending contact
  // takes, and inside the transaction it was held to the commit (19.7 ms a wait under load). An
  // average that misses one contact in a crash between the two is still the average.
  const { contact, at, moved } = ended;
  if (contact.answeredAt) {
    await recordHandleTime(ctx.database.db, contact.line, secondsBetween(contact.answeredAt, at), at);
  }
  if (moved) await routeAgentLines(ctx, moved);
}

/** One statement, so two contacts ending at once on two instances both move the average. */
async function recordHandleTime(db: Db, line: string, seconds: number, at: Date): Promise<void> {
  await db.execute(sql`insert into line_handle_times (line, aht_seconds, handled, updated_at)
    values (${line}, ${nextAverageHandleTime(null, seconds)}, 1, ${at})
    on conflict (line) do update set
      aht_seconds = line_handle_times.aht_seconds + ${AVERAGE_HANDLE_TIME_SMOOTHING} * (${seconds} - line_handle_times.aht_seconds),
      handled = line_handle_times.handled + 1,
      updated_at = ${at}`);
}
