import { sql } from 'drizzle-orm';
import type { Channel } from '../../common/api/contacts.js';
import type { Db } from '../../db/connection.js';
import type { AppContext } from '../core/context.js';
import { findCallerByPhone } from '../identification/identify.js';
import { isLineOpen, type LineSettings, lineForDialled, operationalSettings } from '../settings/service.js';
import { normaliseLocalPhone, normalisePhone } from '../subscribers/phone.js';
import { appendContactEvent, type ContactRow, contactColumns, contactRows } from './contact-row.js';
import { schedulePbxCommand } from './pbx-commands.js';
import { announceWait } from './wait.js';
import { wakeContact, wakeQueue } from './wake-ups.js';

/** Business customers are answered first (the "priority first"); callbacks due will rank above them. */
export const PRIORITY_BUSINESS = 10;

/** What is known about a new contact before its transaction opens (PGlite has one connection: no reads inside). */
export interface ArrivalFacts {
  line: LineSettings;
  open: boolean;
  opensAt: Date | null;
  callerNumber: string | null;
  subscriberIds: number[];
  business: boolean;
  repeatWindowHours: number;
  /** In card-pop mode the PBX keeps the queue and tells its callers; Linedesk announces nothing. */
  announces: boolean;
}

/** The caller's number as stored: E.164 when it reads as a Russian number (local ones with the ISP's area code). */
export function callerNumberOf(ctx: AppContext, from: string | null): string | null {
  if (!from) return null;
  return normalisePhone(from) ?? normaliseLocalPhone(from, ctx.config.ispAreaCode) ?? from.slice(0, 64);
}

export async function arrivalFacts(
  ctx: AppContext,
  input: { from: string | null; dialled: string | null; at: Date },
): Promise<ArrivalFacts> {
  const settings = await operationalSettings(ctx);
  const line = await lineForDialled(ctx, input.dialled);
  const routing = settings.contacts.routingMode === 'acd';
  // The PBX that queues and routes itself also keeps its own hours: what it offers is recorded as it comes.
  const { open, opensAt } = routing ? await isLineOpen(ctx, line.id, input.at) : { open: true, opensAt: null };
  const callerNumber = callerNumberOf(ctx, input.from);
  // Caller ID through identification, as the search screen does it: one fit pops the card,
  // several are the candidates the agent asks between.
  const lookup = callerNumber?.startsWith('+') ? await findCallerByPhone(ctx, 'l1', callerNumber) : null;
  const candidates = lookup?.candidates ?? [];
  const subscriberIds = [...new Set(candidates.map((candidate) => candidate.subscriberId))];
  const business = subscriberIds.length === 1 && candidates.some((candidate) => candidate.kind === 'organisation');
  return {
    line,
    open,
    opensAt,
    callerNumber,
    subscriberIds,
    business,
    repeatWindowHours: settings.contacts.repeatWindowHours,
    announces: routing,
  };
}

/**
 * Records a new contact in the caller's transaction: queued on its line, or, outside the line's
 * hours, ended at once with the caller told when it opens. A contact from a subscriber who called
 * within the repeat window points at that earlier contact. The caller sends `wakeForArrival`.
 */
export async function recordArrival(
  ctx: AppContext,
  tx: Db,
  input: { callId: string | null; channel: Channel; dialled: string | null; at: Date; facts: ArrivalFacts },
): Promise<ContactRow> {
  const { facts, at } = input;
  const subscriberId = facts.subscriberIds.length === 1 ? (facts.subscriberIds[0] ?? null) : null;
  const windowStart = new Date(at.getTime() - facts.repeatWindowHours * 3_600_000);
  const earlier = subscriberId
    ? sql`(select id from contacts where subscriber_id = ${subscriberId}
          and arrived_at >= ${windowStart} and arrived_at < ${at}
        order by arrived_at desc limit 1)`
    : sql`null`;
  const [contact] = await contactRows(
    tx,
    sql`insert into contacts (call_id, channel, caller_number, dialled, line, priority, status, arrived_at, queued_at,
        ended_at, subscriber_id, subscribers_fitting, repeat_of, outside_hours, last_event_at)
      values (${input.callId}, ${input.channel}, ${facts.callerNumber}, ${input.dialled}, ${facts.line.id},
        ${facts.business ? PRIORITY_BUSINESS : 0}, ${facts.open ? 'waiting' : 'ended'}, ${at}, ${at},
        ${facts.open ? null : at}, ${subscriberId}, ${facts.subscriberIds.length}, ${earlier},
        ${!facts.open}, ${at})
      returning ${contactColumns}`,
  );
  if (!contact) throw new Error('contact insert returned nothing');
  if (facts.open) {
    await appendContactEvent(tx, {
      contactId: contact.id,
      at,
      kind: 'queued',
      details: { line: facts.line.id, repeatOf: contact.repeatOf },
    });
    if (contact.callId && facts.announces) await announceWait(ctx, tx, contact, facts.line, at);
  } else {
    await appendContactEvent(tx, {
      contactId: contact.id,
      at,
      kind: 'outside_hours',
      details: { line: facts.line.id, opensAt: facts.opensAt?.toISOString() ?? null },
    });
    if (contact.callId && facts.announces) {
      await schedulePbxCommand(ctx, tx, {
        command: 'announce',
        callId: contact.callId,
        contactId: contact.id,
        announcement: { kind: 'outside-hours', opensAt: facts.opensAt?.toISOString() ?? null },
      });
      await schedulePbxCommand(ctx, tx, { command: 'hangUp', callId: contact.callId, contactId: contact.id });
    }
  }
  return contact;
}

/** The wake-ups of a new contact. */
export async function wakeForArrival(tx: Db, contact: ContactRow): Promise<void> {
  await wakeQueue(tx, contact.line);
  await wakeContact(tx, contact);
}
