import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { withWriteBehind } from '../../db/write-behind.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { cancelJob } from '../jobs/service.js';
import { type LineSettings, operationalSettings } from '../settings/service.js';
import { agentByExtension, changeAgentState, releaseAgentLoad } from '../staff/agent-state.js';
import { type ArrivalFacts, arrivalFacts, recordArrival, wakeForArrival } from './arrival.js';
import { appendContactEvent, type ContactRow, contactById, contactColumns, contactRows } from './contact-row.js';
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

/** What one event came to: applied (or a repeat of one applied before), or refused. */
export type PbxEventOutcome = { result: PbxEventResult; repeated: boolean } | { refused: Problem };

async function storedResults(db: Db, eventIds: string[]): Promise<Map<string, PbxEventResult>> {
  const result = (await db.execute(
    sql`select event_id as "eventId", result from pbx_events where event_id = any(${sql.param(eventIds)}::text[])`,
  )) as unknown as { rows: { eventId: string; result: PbxEventResult }[] };
  return new Map(result.rows.map((row) => [row.eventId, row.result]));
}

/** One event alone: its outcome, a refusal thrown as the Problem it is. */
export async function applyPbxEvent(
  ctx: AppContext,
  event: PbxEvent,
): Promise<{ result: PbxEventResult; repeated: boolean }> {
  const [outcome] = await applyPbxEvents(ctx, [event]);
  if (!outcome) throw new Error('no outcome for the event');
  if ('refused' in outcome) throw outcome.refused;
  return outcome;
}

/**
 * Applies what a PBX reported, in the order given, in one transaction: one commit and one
 * statement per table for the lot, which is what lets a busy PBX's batches through (budget: 1,000
 * events/s, docs/benchmarks.md). A repeat (an event id on record) gets the first result and changes
 * nothing more; an event older than what is on record changes only what it alone knows (a
 * recording, an answer time); an event about a call never offered is refused (404) and leaves no
 * trace, so the PBX may send it again once the offer is in, while the rest of the batch applies.
 * Should the transaction fail, nothing of the batch is applied and a resend applies it whole.
 */
export async function applyPbxEvents(ctx: AppContext, events: PbxEvent[]): Promise<PbxEventOutcome[]> {
  if (events.length === 0) return [];
  const settings = await operationalSettings(ctx);
  // Reads that go beyond this module happen before the transaction (PGlite has one connection).
  // A repeated offer is looked up again for nothing; repeats are rare, a read of every batch's
  // ids to spare that would cost every batch a round trip.
  const facts = new Map<string, ArrivalFacts>();
  for (const event of events) {
    if (event.kind === 'offered' && !facts.has(event.eventId)) {
      facts.set(event.eventId, await arrivalFacts(ctx, { from: event.from, dialled: event.dialled, at: event.at }));
    }
  }
  const line = (id: string): LineSettings =>
    settings.lines.find((candidate) => candidate.id === id) ?? (settings.lines[0] as LineSettings);
  const applied = await ctx.database.db.transaction((tx) =>
    withWriteBehind(tx, () => applyInTransaction(ctx, tx, events, facts, line, settings.contacts.routingMode)),
  );
  const answered = new Set<string>();
  const outcomes = events.map((event): PbxEventOutcome => {
    const outcome = applied.outcomes.get(event.eventId);
    if (!outcome) throw new Error(`event ${event.eventId} has no outcome`);
    // The same event twice in one batch: the second is a repeat of the first.
    const repeat = answered.has(event.eventId) && 'result' in outcome;
    answered.add(event.eventId);
    return repeat ? { result: outcome.result, repeated: true } : outcome;
  });
  events.forEach((event, index) => {
    const outcome = outcomes[index] as PbxEventOutcome;
    ctx.log.info(
      {
        callId: event.callId,
        eventId: event.eventId,
        kind: event.kind,
        ...('refused' in outcome
          ? { refused: outcome.refused.code }
          : { applied: outcome.result.applied, repeated: outcome.repeated }),
      },
      'PBX event',
    );
  });
  for (const lineId of applied.routeLines) await routeLine(ctx, lineId);
  return outcomes;
}

async function applyInTransaction(
  ctx: AppContext,
  tx: Db,
  events: PbxEvent[],
  facts: Map<string, ArrivalFacts>,
  line: (id: string) => LineSettings,
  mode: 'acd' | 'card-pop',
): Promise<{ outcomes: Map<string, PbxEventOutcome>; routeLines: Set<string> }> {
  const receivedAt = ctx.clock();
  // Claimed here: an id on record is a repeat, and the same event sent at once to two instances is
  // applied by one (the other's insert waits for the first to commit, then finds the id taken).
  const claims = events.map(
    (event) =>
      sql`(${event.eventId}, ${event.callId}, ${event.kind}, ${event.at}::timestamptz, ${receivedAt}::timestamptz, '{}'::jsonb)`,
  );
  const claimed = (await tx.execute(sql`insert into pbx_events (event_id, call_id, kind, at, received_at, result)
      values ${sql.join(claims, sql`, `)}
      on conflict (event_id) do nothing returning event_id as "eventId"`)) as unknown as {
    rows: { eventId: string }[];
  };
  const ours = new Set(claimed.rows.map((row) => row.eventId));
  const outcomes = new Map<string, PbxEventOutcome>();
  const onRecord = events.filter((event) => !ours.has(event.eventId)).map((event) => event.eventId);
  if (onRecord.length > 0) {
    for (const [eventId, result] of await storedResults(tx, onRecord)) {
      outcomes.set(eventId, { result, repeated: true });
    }
  }
  const callIds = [...new Set(events.map((event) => event.callId))];
  const calls = new Map(
    (
      await contactRows(
        tx,
        sql`select ${contactColumns} from contacts where call_id = any(${sql.param(callIds)}::text[])
          order by id for update`,
      )
    ).map((contact) => [contact.callId as string, contact]),
  );
  const routeLines = new Set<string>();
  const results: { eventId: string; result: PbxEventResult }[] = [];
  const refused: string[] = [];
  const newestEvent = new Map<number, Date>();
  for (const [index, event] of events.entries()) {
    if (outcomes.has(event.eventId)) continue; // on record, or earlier in this batch
    let contact = calls.get(event.callId) ?? null;
    let done: Applied;
    if (event.kind === 'offered') {
      done = contact
        ? { result: resultOf(contact, 'already-offered'), routeLines: [] }
        : await offered(ctx, tx, event, facts.get(event.eventId) as ArrivalFacts, mode);
    } else if (!contact) {
      outcomes.set(event.eventId, { refused: callNotOffered(event.callId) });
      refused.push(event.eventId);
      continue;
    } else {
      const newest = newestEvent.get(contact.id) ?? contact.lastEventAt;
      newestEvent.set(contact.id, newest && newest > event.at ? newest : event.at);
      done = await onCall(ctx, tx, contact, event, line);
    }
    outcomes.set(event.eventId, { result: done.result, repeated: false });
    results.push({ eventId: event.eventId, result: done.result });
    for (const lineId of done.routeLines) routeLines.add(lineId);
    // A later event of this call in the batch sees the contact as this one left it.
    if (events.slice(index + 1).some((later) => later.callId === event.callId)) {
      contact = await contactById(tx, done.result.contactId);
      if (contact?.callId) calls.set(contact.callId, contact);
    }
  }
  if (results.length > 0) {
    const values = results.map(({ eventId, result }) => sql`(${eventId}, ${JSON.stringify(result)})`);
    await tx.execute(sql`update pbx_events set result = v.result::jsonb
      from (values ${sql.join(values, sql`, `)}) as v(event_id, result)
      where pbx_events.event_id = v.event_id`);
  }
  if (newestEvent.size > 0) {
    const values = [...newestEvent].map(([id, at]) => sql`(${id}::bigint, ${at}::timestamptz)`);
    await tx.execute(sql`update contacts set last_event_at = greatest(coalesce(contacts.last_event_at, v.at), v.at)
      from (values ${sql.join(values, sql`, `)}) as v(id, at)
      where contacts.id = v.id`);
  }
  // A refused event leaves no trace: the PBX may send it again once the offer is in.
  if (refused.length > 0) {
    await tx.execute(sql`delete from pbx_events where event_id = any(${sql.param(refused)}::text[])`);
  }
  return { outcomes, routeLines };
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
      await offerTo(tx, contact, agent, facts.line, event.at, { expires: false });
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
  contact: ContactRow,
  event: Exclude<PbxEvent, { kind: 'offered' }>,
  line: (id: string) => LineSettings,
): Promise<Applied> {
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
    case 'unanswered':
      return unanswered(tx, contact, event);
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
  const answeredAt = sql`answered_at = least(coalesce(answered_at, ${event.at}::timestamptz), ${event.at}::timestamptz),
    picked_up_at = least(coalesce(picked_up_at, ${event.at}::timestamptz), ${event.at}::timestamptz)`;
  await appendContactEvent(tx, {
    contactId: contact.id,
    at: event.at,
    kind: 'answered',
    details: { extension: event.agentExtension ?? null },
  });
  if (contact.status === 'ended' && contact.outcome === 'abandoned' && contact.endedAt && event.at <= contact.endedAt) {
    await tx.execute(sql`update contacts set ${answeredAt}, outcome = null where id = ${contact.id}`);
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
      await tx.execute(sql`update contacts set ${answeredAt}, status = 'connected', agent_id = ${staffId}
        where id = ${contact.id}`);
      if (contact.status === 'offered') await cancelJob(tx, offerJobKey(contact.id));
      await wakeDesk(tx, staffId);
      await wakeQueue(tx, contact.line);
      await wakeBoard(tx);
      await wakeContact(tx, contact);
      return { result: { contactId: contact.id, status: 'connected', applied: 'answered' }, routeLines: [] };
    }
  }
  await tx.execute(sql`update contacts set ${answeredAt} where id = ${contact.id}`);
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
    return { result: { contactId: contact.id, status: 'after_work', applied: 'after-work' }, routeLines: [] };
  }
  // Already over: keep the earliest end the PBX reports.
  await tx.execute(sql`update contacts set ended_at = least(coalesce(ended_at, ${event.at}::timestamptz), ${event.at}::timestamptz)
    where id = ${contact.id}`);
  return { result: resultOf(contact, 'already-ended'), routeLines: [] };
}

/**
 * The agent's phone did not pick the call up (rang out, busy, refused). A call the agent accepted
 * on the desk but never picked up — or, in card-pop mode, one ringing at them — goes back to the
 * head of its line (it keeps the moment it was queued) and the agent is `missed`, as when an offer
 * lapses; the line is routed again so the next agent gets it. Only about the agent of that
 * extension: a late report about one the call has left (a transfer's target, an earlier offer)
 * changes nothing, nor does one about a call picked up or over.
 */
async function unanswered(
  tx: Db,
  contact: ContactRow,
  event: Extract<PbxEvent, { kind: 'unanswered' }>,
): Promise<Applied> {
  const unchanged = (applied: string) => ({ result: resultOf(contact, applied), routeLines: [] });
  if (contact.status === 'after_work' || contact.status === 'ended') return unchanged('already-ended');
  if (contact.pickedUpAt) return unchanged('already-answered');
  const rung =
    contact.status === 'connected' ? contact.agentId : contact.status === 'offered' ? contact.offeredTo : null;
  const agent = rung === null ? null : await agentByExtension(tx, event.agentExtension);
  if (rung === null || agent?.staffId !== rung) return unchanged('not-ringing');
  await appendContactEvent(tx, {
    contactId: contact.id,
    at: event.at,
    kind: 'unanswered',
    staffId: rung,
    details: { extension: event.agentExtension },
  });
  if (contact.status === 'offered') {
    await giveBackOffer(tx, contact, rung, event.at, 'missed');
  } else {
    await tx.execute(sql`update contacts set status = 'waiting', agent_id = null, offered_to = null, offered_at = null,
        answered_at = null, hold_started_at = null
      where id = ${contact.id}`);
    await appendContactEvent(tx, { contactId: contact.id, at: event.at, kind: 'missed', staffId: rung });
    const moved = await changeAgentState(tx, {
      staffId: rung,
      to: 'missed',
      at: event.at,
      from: ['on_contact'],
      load: { channel: contact.channel, delta: -1 },
    });
    if (!moved) await releaseAgentLoad(tx, rung, contact.channel);
    await wakeDesk(tx, rung);
    await wakeQueue(tx, contact.line);
    await wakeBoard(tx);
    await wakeContact(tx, contact);
  }
  return {
    result: { contactId: contact.id, status: 'waiting', applied: 'requeued' },
    routeLines: [contact.line],
  };
}
