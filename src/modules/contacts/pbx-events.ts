import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { cancelJob } from '../jobs/service.js';
import { type LineSettings, operationalSettings } from '../settings/service.js';
import { agentByExtension, changeAgentState } from '../staff/agent-state.js';
import { type ArrivalFacts, arrivalFacts, recordArrival, wakeForArrival } from './arrival.js';
import { appendContactEvent, type ContactRow, contactByCallId, contactById } from './contact-row.js';
import { startAfterWork } from './desk.js';
import type { PbxEvent, PbxEventResult } from './pbx.js';
import { schedulePbxCommand } from './pbx-commands.js';
import { giveBackOffer, offerJobKey, offerTo, routeLine } from './routing.js';
import { CALLBACK_DIGIT } from './wait.js';
import { wakeBoard, wakeContact, wakeDesk, wakeQueue } from './wake-ups.js';

const callNotOffered = (callId: string) =>
  new Problem(
    'pbx.call_not_offered',
    404,
    'No call with this id was offered',
    `Call ${callId} has no "offered" event on record: send that first.`,
  );

async function storedResult(db: Db, eventId: string): Promise<PbxEventResult | null> {
  const result = (await db.execute(sql`select result from pbx_events where event_id = ${eventId}`)) as unknown as {
    rows: { result: PbxEventResult }[];
  };
  return result.rows[0]?.result ?? null;
}

/**
 * Applies one event a PBX reported. A repeat (the same event id) gets the first result and changes
 * nothing more; an event older than what is on record changes only what it alone knows (a
 * recording, an answer time); an event about a call never offered is refused (404) and leaves no
 * trace, so the PBX may send it again once the offer is in.
 */
export async function applyPbxEvent(
  ctx: AppContext,
  event: PbxEvent,
): Promise<{ result: PbxEventResult; repeated: boolean }> {
  const seen = await storedResult(ctx.database.db, event.eventId);
  if (seen) return { result: seen, repeated: true };
  const settings = await operationalSettings(ctx);
  // Reads that go beyond this module happen before the transaction (PGlite has one connection).
  const facts =
    event.kind === 'offered'
      ? await arrivalFacts(ctx, { from: event.from, dialled: event.dialled, at: event.at })
      : null;
  const line = (id: string): LineSettings =>
    settings.lines.find((candidate) => candidate.id === id) ?? (settings.lines[0] as LineSettings);

  const outcome = await ctx.database.db.transaction(async (tx) => {
    const claimed = (await tx.execute(sql`insert into pbx_events (event_id, call_id, kind, at, received_at, result)
        values (${event.eventId}, ${event.callId}, ${event.kind}, ${event.at}, ${ctx.clock()}, '{}'::jsonb)
        on conflict (event_id) do nothing returning event_id`)) as unknown as { rows: unknown[] };
    if (claimed.rows.length === 0) {
      // The same event, sent twice at once to two instances: the other one applied it.
      const result = await storedResult(tx, event.eventId);
      if (result) return { result, repeated: true, routeLines: [] as string[] };
    }
    const applied =
      event.kind === 'offered'
        ? await offered(ctx, tx, event, facts as ArrivalFacts, settings.contacts.routingMode)
        : await onCall(ctx, tx, event, line);
    await tx.execute(sql`update pbx_events set result = ${JSON.stringify(applied.result)}::jsonb
      where event_id = ${event.eventId}`);
    return { result: applied.result, repeated: false, routeLines: applied.routeLines };
  });
  ctx.log.info(
    {
      callId: event.callId,
      eventId: event.eventId,
      kind: event.kind,
      applied: outcome.result.applied,
      repeated: outcome.repeated,
    },
    'PBX event',
  );
  for (const lineId of outcome.routeLines) await routeLine(ctx, lineId);
  return { result: outcome.result, repeated: outcome.repeated };
}

interface Applied {
  result: PbxEventResult;
  /** Lines to route once the transaction commits. */
  routeLines: string[];
}

const resultOf = (contact: { id: number; status: PbxEventResult['status'] }, applied: string): PbxEventResult => ({
  contactId: contact.id,
  status: contact.status,
  applied,
});

async function offered(
  ctx: AppContext,
  tx: Db,
  event: Extract<PbxEvent, { kind: 'offered' }>,
  facts: ArrivalFacts,
  mode: 'acd' | 'card-pop',
): Promise<Applied> {
  const existing = await contactByCallId(tx, event.callId, { lock: true });
  if (existing) return { result: resultOf(existing, 'already-offered'), routeLines: [] };
  const contact = await recordArrival(ctx, tx, {
    callId: event.callId,
    channel: 'call',
    dialled: event.dialled,
    at: event.at,
    facts,
  });
  if (contact.status !== 'waiting') {
    await wakeForArrival(tx, contact);
    return { result: resultOf(contact, 'outside-hours'), routeLines: [] };
  }
  // Card-pop mode: the PBX's own queue chose the agent; the desk rings with the card.
  if (mode === 'card-pop' && event.agentExtension) {
    const agent = await agentByExtension(tx, event.agentExtension);
    if (agent) {
      await changeAgentState(tx, {
        staffId: agent.staffId,
        to: 'offered',
        at: event.at,
        load: { channel: 'call', delta: 1 },
      });
      await offerTo(ctx, tx, contact, agent, facts.line, event.at, { expires: false });
      // offerTo woke the queue, the desk and the contact.
      return { result: { contactId: contact.id, status: 'offered', applied: 'offered-to-agent' }, routeLines: [] };
    }
  }
  await wakeForArrival(tx, contact);
  return { result: resultOf(contact, 'queued'), routeLines: mode === 'acd' ? [facts.line.id] : [] };
}

async function onCall(
  ctx: AppContext,
  tx: Db,
  event: Exclude<PbxEvent, { kind: 'offered' }>,
  line: (id: string) => LineSettings,
): Promise<Applied> {
  const contact = await contactByCallId(tx, event.callId, { lock: true });
  if (!contact) throw callNotOffered(event.callId);
  const newest = contact.lastEventAt && contact.lastEventAt > event.at ? contact.lastEventAt : event.at;
  await tx.execute(sql`update contacts set last_event_at = ${newest} where id = ${contact.id}`);
  const done = (applied: string, routeLines: string[] = []) => ({ result: resultOf(contact, applied), routeLines });
  switch (event.kind) {
    case 'recording': {
      await tx.execute(sql`update contacts set recording_url = ${event.url} where id = ${contact.id}`);
      await appendContactEvent(tx, {
        contactId: contact.id,
        at: event.at,
        kind: 'recording',
        details: { url: event.url },
      });
      await wakeContact(tx, contact);
      return done('recording');
    }
    case 'dtmf':
      return dtmf(ctx, tx, contact, event);
    case 'answered':
      return answered(tx, contact, event);
    case 'ended':
      return ended(ctx, tx, contact, event, line(contact.line));
  }
}

async function dtmf(
  ctx: AppContext,
  tx: Db,
  contact: ContactRow,
  event: Extract<PbxEvent, { kind: 'dtmf' }>,
): Promise<Applied> {
  await appendContactEvent(tx, {
    contactId: contact.id,
    at: event.at,
    kind: 'dtmf',
    details: { digits: event.digits },
  });
  const waiting = contact.status === 'waiting' || contact.status === 'offered';
  if (!(waiting && contact.callbackOfferedAt && event.digits === CALLBACK_DIGIT)) {
    return { result: resultOf(contact, 'dtmf'), routeLines: [] };
  }
  // The caller chose to be called back: the call is released and the choice recorded; calling
  // back is the contact-handling work that follows.
  if (contact.status === 'offered' && contact.offeredTo) {
    await giveBackOffer(tx, contact, contact.offeredTo, event.at, 'available');
  }
  await tx.execute(sql`update contacts set status = 'ended', outcome = 'callback', callback_chosen = true,
      ended_at = ${event.at} where id = ${contact.id}`);
  await appendContactEvent(tx, { contactId: contact.id, at: event.at, kind: 'callback_chosen' });
  if (contact.callId) {
    await schedulePbxCommand(ctx, tx, {
      command: 'announce',
      callId: contact.callId,
      contactId: contact.id,
      announcement: { kind: 'callback-confirmed' },
    });
    await schedulePbxCommand(ctx, tx, { command: 'hangUp', callId: contact.callId, contactId: contact.id });
  }
  await wakeQueue(tx, contact.line);
  await wakeContact(tx, contact);
  return {
    result: { contactId: contact.id, status: 'ended', applied: 'callback-chosen' },
    routeLines: contact.status === 'offered' ? [contact.line] : [],
  };
}

/**
 * The PBX bridged the caller to an agent. In card-pop mode that is how the agent takes the
 * contact; in routing mode the agent accepted on the desk already and this confirms the time. An
 * answer older than an end on record (the two crossed) still counts: the contact was answered.
 */
async function answered(tx: Db, contact: ContactRow, event: Extract<PbxEvent, { kind: 'answered' }>): Promise<Applied> {
  await tx.execute(sql`update contacts set answered_at = least(coalesce(answered_at, ${event.at}::timestamptz), ${event.at}::timestamptz)
    where id = ${contact.id}`);
  await appendContactEvent(tx, {
    contactId: contact.id,
    at: event.at,
    kind: 'answered',
    details: { extension: event.agentExtension ?? null },
  });
  if (contact.status === 'ended' && contact.outcome === 'abandoned' && contact.endedAt && event.at <= contact.endedAt) {
    await tx.execute(sql`update contacts set outcome = null where id = ${contact.id}`);
    await wakeContact(tx, contact);
    return { result: resultOf(contact, 'answered-before-end'), routeLines: [] };
  }
  if (contact.status === 'waiting' || contact.status === 'offered') {
    const agent = event.agentExtension ? await agentByExtension(tx, event.agentExtension) : null;
    const staffId = agent?.staffId ?? contact.offeredTo;
    if (staffId) {
      await changeAgentState(tx, {
        staffId,
        to: 'on_contact',
        at: event.at,
        load: contact.offeredTo === staffId ? undefined : { channel: contact.channel, delta: 1 },
      });
      await tx.execute(sql`update contacts set status = 'connected', agent_id = ${staffId} where id = ${contact.id}`);
      await cancelJob(tx, offerJobKey(contact.id));
      await wakeDesk(tx, staffId);
      await wakeQueue(tx, contact.line);
      await wakeBoard(tx);
      await wakeContact(tx, contact);
      return { result: { contactId: contact.id, status: 'connected', applied: 'answered' }, routeLines: [] };
    }
  }
  await wakeContact(tx, contact);
  return { result: resultOf(contact, 'answered'), routeLines: [] };
}

/** The call is over on the PBX: an abandon while it waited or rang, the start of after-contact work if it was connected. */
async function ended(
  ctx: AppContext,
  tx: Db,
  contact: ContactRow,
  event: Extract<PbxEvent, { kind: 'ended' }>,
  line: LineSettings,
): Promise<Applied> {
  if (contact.status === 'waiting' || contact.status === 'offered') {
    if (contact.status === 'offered' && contact.offeredTo) {
      await giveBackOffer(tx, contact, contact.offeredTo, event.at, 'available');
    }
    await tx.execute(sql`update contacts set status = 'ended', outcome = 'abandoned', ended_at = ${event.at}
      where id = ${contact.id}`);
    await appendContactEvent(tx, {
      contactId: contact.id,
      at: event.at,
      kind: 'abandoned',
      details: { waitedSeconds: Math.max(0, Math.round((event.at.getTime() - contact.arrivedAt.getTime()) / 1000)) },
    });
    await wakeQueue(tx, contact.line);
    await wakeBoard(tx);
    await wakeContact(tx, contact);
    return {
      result: { contactId: contact.id, status: 'ended', applied: 'abandoned' },
      routeLines: contact.status === 'offered' ? [contact.line] : [],
    };
  }
  if (contact.status === 'connected') {
    await appendContactEvent(tx, { contactId: contact.id, at: event.at, kind: 'caller_hung_up' });
    await startAfterWork(ctx, tx, contact, line, event.at);
    await wakeContact(tx, contact);
    const after = await contactById(tx, contact.id);
    return { result: resultOf(after ?? contact, 'after-work'), routeLines: [] };
  }
  // Already over: keep the earliest end the PBX reports.
  await tx.execute(sql`update contacts set ended_at = least(coalesce(ended_at, ${event.at}::timestamptz), ${event.at}::timestamptz)
    where id = ${contact.id}`);
  return { result: resultOf(contact, 'already-ended'), routeLines: [] };
}
