import { sql } from 'drizzle-orm';
import type { LineQueue, WaitEstimate } from '../../common/api/contacts.js';
import type { Db } from '../../db/connection.js';
import type { AppContext } from '../core/context.js';
import type { LineSettings } from '../settings/service.js';
import { lineStaffing } from '../staff/agent-state.js';
import { appendContactEvent, type ContactRow } from './contact-row.js';
import { schedulePbxCommand } from './pbx-commands.js';
import { estimateWait, STARTING_AVERAGE_HANDLE_TIME_SECONDS, spokenWait } from './wait-estimate.js';

/** The digit a waiting caller presses to be called back instead. */
export const CALLBACK_DIGIT = '1';

async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

export async function averageHandleTime(db: Db, line: string): Promise<number> {
  const [row] = await rows<{ aht: number }>(
    db,
    sql`select aht_seconds as aht from line_handle_times where line = ${line}`,
  );
  return row ? Number(row.aht) : STARTING_AVERAGE_HANDLE_TIME_SECONDS;
}

/** The line's waiting contacts in queue order (priority first, then who has waited longest), with estimates. */
export async function lineQueue(db: Db, line: LineSettings, open: boolean, now: Date): Promise<LineQueue> {
  const waiting = await rows<{
    id: number;
    channel: 'call' | 'chat';
    callerNumber: string | null;
    priority: number;
    queuedAt: string | Date;
    arrivedAt: string | Date;
  }>(
    db,
    sql`select id, channel, caller_number as "callerNumber", priority, queued_at as "queuedAt", arrived_at as "arrivedAt"
      from contacts where status = 'waiting' and line = ${line.id}
      order by priority desc, queued_at, id`,
  );
  const staffing = await lineStaffing(db, line.id);
  const aht = await averageHandleTime(db, line.id);
  const contacts = waiting.map((contact, index) => ({
    id: Number(contact.id),
    channel: contact.channel,
    callerNumber: contact.callerNumber,
    priority: contact.priority,
    waitedSeconds: Math.max(0, (now.getTime() - new Date(contact.arrivedAt).getTime()) / 1000),
    estimate: estimateFor(index + 1, staffing, aht, line),
  }));
  return {
    line: line.id,
    name: line.name,
    open,
    waiting: contacts.length,
    longestWaitSeconds: contacts.length ? Math.max(...contacts.map((contact) => contact.waitedSeconds)) : null,
    contacts,
  };
}

function estimateFor(
  position: number,
  staffing: { idle: number; serving: number },
  ahtSeconds: number,
  line: LineSettings,
): WaitEstimate {
  return estimateWait({
    position,
    idleAgents: staffing.idle,
    servingAgents: staffing.serving,
    ahtSeconds,
    callbackOfferAfterSeconds: line.callbackOfferAfterSeconds,
  });
}

/**
 * A line's staffing, read once per transaction: a batch of PBX events announces all its arrivals
 * against the count at its start (the agents it moves change it by a few at most, and it lasts
 * milliseconds), instead of reading it again for each.
 */
const staffingOf = new WeakMap<Db, Map<string, Awaited<ReturnType<typeof lineStaffing>>>>();
async function staffingOnce(tx: Db, line: string) {
  const lines = staffingOf.get(tx) ?? new Map();
  staffingOf.set(tx, lines);
  const known = lines.get(line);
  if (known) return known;
  const staffing = await lineStaffing(tx, line);
  lines.set(line, staffing);
  return staffing;
}

/**
 * Tells a waiting caller their place and about how long ("you are 4th, about 3 minutes"), or,
 * when nobody serves the line or the wait passes the line's threshold, offers a callback instead;
 * the offer is recorded on the contact and its timeline.
 */
export async function announceWait(
  ctx: AppContext,
  tx: Db,
  contact: ContactRow,
  line: LineSettings,
  at: Date,
): Promise<WaitEstimate | null> {
  if (!contact.callId || contact.status !== 'waiting') return null;
  const [queue] = await rows<{ ahead: number; aht: number | null }>(
    tx,
    sql`select
        (select count(*)::int from contacts
          where status = 'waiting' and line = ${line.id}
            and (priority > ${contact.priority}
              or (priority = ${contact.priority} and (queued_at, id) < (${contact.queuedAt}::timestamptz, ${contact.id}::bigint)))
        ) as ahead,
        (select aht_seconds from line_handle_times where line = ${line.id}) as aht`,
  );
  const staffing = await staffingOnce(tx, line.id);
  const aht = queue?.aht == null ? STARTING_AVERAGE_HANDLE_TIME_SECONDS : Number(queue.aht);
  const estimate = estimateFor((queue?.ahead ?? 0) + 1, staffing, aht, line);
  const spoken = spokenWait(estimate);
  await schedulePbxCommand(ctx, tx, {
    command: 'announce',
    callId: contact.callId,
    contactId: contact.id,
    announcement: { kind: 'position', position: spoken.position, minutes: spoken.minutes },
  });
  await appendContactEvent(tx, { contactId: contact.id, at, kind: 'announced', details: { ...estimate } });
  if (estimate.offerCallback && contact.callbackOfferedAt === null) {
    await tx.execute(sql`update contacts set callback_offered_at = ${at} where id = ${contact.id}`);
    await appendContactEvent(tx, {
      contactId: contact.id,
      at,
      kind: 'callback_offered',
      details: { estimateSeconds: estimate.seconds, digit: CALLBACK_DIGIT },
    });
    await schedulePbxCommand(ctx, tx, {
      command: 'announce',
      callId: contact.callId,
      contactId: contact.id,
      announcement: { kind: 'callback-offer', digit: CALLBACK_DIGIT },
    });
  }
  return estimate;
}
