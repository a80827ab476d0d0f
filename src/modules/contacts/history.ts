import { sql } from 'drizzle-orm';
import type { ContactDetail, ContactEvent, ContactSummary, SubscriberContacts } from '../../common/api/contacts.js';
import type { Role, SignedInStaff } from '../../common/api/staff.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { operationalSettings } from '../settings/service.js';
import { staffNames } from '../staff/service.js';
import { maskPhone } from '../subscribers/masking.js';
import { type ContactRow, contactColumns, contactRows, contactSummaryOfRow } from './contact-row.js';

/** The card lists a subscriber's newest contacts; older ones are a report's business. */
export const CONTACTS_LISTED = 50;

/**
 * A field technician goes to the door, not to the phone: the numbers a subscriber's contacts came
 * from (some not the subscriber's own: "my wife called") are masked for them, as every list masks
 * phones (subscribers/masking.ts); the hotline's roles, who call back, see them in full.
 */
const callerNumberMaskedFor: readonly Role[] = ['tech'];

export function callerNumberShown(role: Role, callerNumber: string | null): string | null {
  if (callerNumber === null || !callerNumberMaskedFor.includes(role)) return callerNumber;
  return /^\+\d{6,}$/.test(callerNumber) ? maskPhone(callerNumber) : '***';
}

/** Staff names by id, for the agent of a contact and the people on its timeline. */
async function namesById(ctx: AppContext): Promise<Map<number, string>> {
  return new Map((await staffNames(ctx)).map((member) => [member.id, member.fullName]));
}

/** The row as a role sees it, with its agent's (or the offered agent's) name. */
export function contactSummaryOf(
  row: ContactRow,
  names: ReadonlyMap<number, string>,
  role: Role,
  now: Date,
): ContactSummary {
  const agent = row.agentId ?? row.offeredTo;
  const summary = contactSummaryOfRow(row, agent === null ? null : (names.get(agent) ?? null), now);
  return { ...summary, callerNumber: callerNumberShown(role, summary.callerNumber) };
}

/**
 * The subscriber's contacts for the card, newest first (up to CONTACTS_LISTED): each marked with
 * the earlier contact it repeats, as it was marked when it arrived (arrival.ts), so the mark does
 * not move when the window setting changes later.
 */
export async function subscriberContacts(
  ctx: AppContext,
  me: SignedInStaff,
  subscriberId: number,
): Promise<SubscriberContacts> {
  const rows = await contactRows(
    ctx.database.db,
    sql`select ${contactColumns} from contacts where subscriber_id = ${subscriberId}
      order by arrived_at desc, id desc limit ${CONTACTS_LISTED}`,
  );
  if (rows.length === 0) {
    const [known] = await ctx.database.rows<{ id: number }>(sql`select id from subscribers where id = ${subscriberId}`);
    if (!known) throw new Problem('subscriber.not_found', 404, 'No such subscriber');
  }
  const [settings, names] = await Promise.all([operationalSettings(ctx), namesById(ctx)]);
  const now = ctx.clock();
  return {
    contacts: rows.map((row) => contactSummaryOf(row, names, me.role, now)),
    repeatWindowHours: settings.contacts.repeatWindowHours,
  };
}

/** One contact and its timeline, oldest event first, with the names of the staff on it. */
export async function contactDetail(ctx: AppContext, me: SignedInStaff, contactId: number): Promise<ContactDetail> {
  const [row] = await contactRows(ctx.database.db, sql`select ${contactColumns} from contacts where id = ${contactId}`);
  if (!row) throw new Problem('contacts.contact_not_found', 404, 'No such contact');
  const [events, names] = await Promise.all([
    ctx.database.rows<{ id: number; at: string | Date; kind: string; staffId: number | null; details: unknown }>(
      sql`select id, at, kind, staff_id as "staffId", details from contact_events
        where contact_id = ${contactId} order by at, id`,
    ),
    namesById(ctx),
  ]);
  const timeline: ContactEvent[] = events.map((event) => ({
    id: Number(event.id),
    at: new Date(event.at).toISOString(),
    kind: event.kind,
    staffId: event.staffId,
    staffName: event.staffId === null ? null : (names.get(event.staffId) ?? null),
    details: event.details ?? null,
  }));
  return { contact: contactSummaryOf(row, names, me.role, ctx.clock()), timeline };
}
