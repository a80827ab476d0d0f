import { type SQL, sql } from 'drizzle-orm';
import type {
  Channel,
  ContactOutcome,
  ContactReason,
  ContactStatus,
  ContactSummary,
} from '../../common/api/contacts.js';
import type { Db } from '../../db/connection.js';
import { writeBehind } from '../../db/write-behind.js';

/** A contact as the write side handles it: the row of `contacts`, times as Dates. */
export interface ContactRow {
  id: number;
  callId: string | null;
  channel: Channel;
  callerNumber: string | null;
  dialled: string | null;
  line: string;
  priority: number;
  status: ContactStatus;
  arrivedAt: Date;
  queuedAt: Date;
  offeredTo: number | null;
  offeredAt: Date | null;
  offers: number;
  agentId: number | null;
  /** When the desk's agent accepted (or the PBX's queue's agent answered, card-pop). */
  answeredAt: Date | null;
  /** When the agent's phone picked the call up on the PBX (its `answered` event). */
  pickedUpAt: Date | null;
  endedAt: Date | null;
  afterWorkUntil: Date | null;
  holdStartedAt: Date | null;
  holdSeconds: number;
  reason: ContactReason | null;
  outcome: ContactOutcome | null;
  recordingUrl: string | null;
  subscriberId: number | null;
  subscribersFitting: number;
  repeatOf: number | null;
  outsideHours: boolean;
  callbackOfferedAt: Date | null;
  callbackChosen: boolean | null;
  transfers: number;
  lastEventAt: Date | null;
}

export const contactColumns = sql.raw(`id, call_id as "callId", channel, caller_number as "callerNumber", dialled, line,
  priority, status, arrived_at as "arrivedAt", queued_at as "queuedAt", offered_to as "offeredTo",
  offered_at as "offeredAt", offers, agent_id as "agentId", answered_at as "answeredAt",
  picked_up_at as "pickedUpAt", ended_at as "endedAt",
  after_work_until as "afterWorkUntil", hold_started_at as "holdStartedAt", hold_seconds as "holdSeconds", reason,
  outcome, recording_url as "recordingUrl", subscriber_id as "subscriberId",
  subscribers_fitting as "subscribersFitting", repeat_of as "repeatOf", outside_hours as "outsideHours",
  callback_offered_at as "callbackOfferedAt", callback_chosen as "callbackChosen", transfers,
  last_event_at as "lastEventAt"`);

const timeFields = [
  'arrivedAt',
  'queuedAt',
  'offeredAt',
  'answeredAt',
  'pickedUpAt',
  'endedAt',
  'afterWorkUntil',
  'holdStartedAt',
  'callbackOfferedAt',
  'lastEventAt',
] as const;

/** Both drivers give timestamps back as Dates or strings depending on the path: make them Dates. */
export function asContactRow(raw: Record<string, unknown>): ContactRow {
  const row = { ...raw } as Record<string, unknown>;
  for (const field of timeFields) {
    const value = row[field];
    row[field] = value === null || value === undefined ? null : new Date(value as string);
  }
  return row as unknown as ContactRow;
}

export async function contactRows(db: Db, query: SQL): Promise<ContactRow[]> {
  const result = (await db.execute(query)) as unknown as { rows: Record<string, unknown>[] };
  return result.rows.map(asContactRow);
}

export async function contactById(db: Db, id: number, options: { lock?: boolean } = {}): Promise<ContactRow | null> {
  const [row] = await contactRows(
    db,
    sql`select ${contactColumns} from contacts where id = ${id} ${options.lock ? sql`for update` : sql``}`,
  );
  return row ?? null;
}

export async function contactByCallId(
  db: Db,
  callId: string,
  options: { lock?: boolean } = {},
): Promise<ContactRow | null> {
  const [row] = await contactRows(
    db,
    sql`select ${contactColumns} from contacts where call_id = ${callId} ${options.lock ? sql`for update` : sql``}`,
  );
  return row ?? null;
}

interface TimelineLine {
  contactId: number;
  at: Date;
  kind: string;
  staffId?: number | null;
  details?: Record<string, unknown>;
}

/** One line of the contact's timeline (in a write-behind transaction, written with the others at its end). */
export async function appendContactEvent(db: Db, line: TimelineLine): Promise<void> {
  if (writeBehind(db, 'contact_events', line, insertTimelineLines)) return;
  await insertTimelineLines(db, [line]);
}

async function insertTimelineLines(db: Db, lines: TimelineLine[]): Promise<void> {
  const values = lines.map(
    (line) =>
      sql`(${line.contactId}::bigint, ${line.at}::timestamptz, ${line.kind}, ${line.staffId ?? null}::int,
        ${line.details ? JSON.stringify(line.details) : null}::jsonb)`,
  );
  await db.execute(sql`insert into contact_events (contact_id, at, kind, staff_id, details)
    values ${sql.join(values, sql`, `)}`);
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** Seconds of the hold still running at `at` (0 when not on hold): what ending the hold adds to hold_seconds. */
export const runningHoldSeconds = (row: Pick<ContactRow, 'holdStartedAt'>, at: Date) =>
  row.holdStartedAt ? Math.max(0, Math.round((at.getTime() - row.holdStartedAt.getTime()) / 1000)) : 0;

/** The row as the API shows it. Hold time counts the hold still running. */
export function contactSummaryOfRow(row: ContactRow, agentName: string | null, now: Date): ContactSummary {
  const running = runningHoldSeconds(row, now);
  return {
    id: row.id,
    channel: row.channel,
    callerNumber: row.callerNumber,
    dialled: row.dialled,
    line: row.line,
    priority: row.priority,
    status: row.status,
    arrivedAt: row.arrivedAt.toISOString(),
    offeredAt: iso(row.offeredAt),
    answeredAt: iso(row.answeredAt),
    endedAt: iso(row.endedAt),
    afterWorkUntil: iso(row.afterWorkUntil),
    onHold: row.holdStartedAt !== null,
    holdSeconds: row.holdSeconds + running,
    reason: row.reason,
    outcome: row.outcome,
    subscriberId: row.subscriberId,
    subscribersFitting: row.subscribersFitting,
    repeatOf: row.repeatOf,
    outsideHours: row.outsideHours,
    callbackOffered: row.callbackOfferedAt !== null,
    callbackChosen: row.callbackChosen,
    recordingUrl: row.recordingUrl,
    agentId: row.agentId ?? row.offeredTo,
    agentName,
    transfers: row.transfers,
  };
}
