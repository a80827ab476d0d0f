import { asc, between, eq, inArray, sql } from 'drizzle-orm';
import type {
  BusinessHours,
  CalendarDay,
  ContactSettings,
  LineSettings,
  LoadCalendarRequest,
  SaveContactSettingsRequest,
  SaveLinesRequest,
  SettingsView,
} from '../../common/api/settings.js';
import type { Db } from '../../db/connection.js';
import { recordAudit } from '../audit/service.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { staffNames } from '../staff/service.js';
import { type LineOpenness, lineOpenness } from './business-hours.js';
import { parseProductionCalendar } from './calendar.js';
import { dialledKey } from './dialled.js';
import { productionCalendarDays, settingsDocuments } from './schema.js';
import { type StaffRef, secretStatuses } from './secrets.js';
import { type CalendarDocument, forgetSettings, settingsSnapshot } from './store.js';
import { checkContactSettings, checkLines, settingsChanges, tidyLines } from './validation.js';

export { clearSecret, readSecret, type SecretName, writeSecret } from './secrets.js';
export type { BusinessHours, ContactSettings, LineOpenness, LineSettings, StaffRef };

export interface OperationalSettings {
  lines: LineSettings[];
  contacts: ContactSettings;
  /** Grows with every change to any setting or secret: compare it to know whether to recompute. */
  version: number;
}

/**
 * The lines and contact settings as this instance holds them: re-read at most once a second, and
 * only when a cheap version check says they changed, so two instances agree within a second.
 */
export async function operationalSettings(ctx: AppContext): Promise<OperationalSettings> {
  const snapshot = await settingsSnapshot(ctx);
  return { lines: snapshot.lines, contacts: snapshot.contacts, version: snapshot.fingerprint };
}

/**
 * The line a number dialled or a menu choice picks (matched as dialled.ts reads them: '8 800 …'
 * and '+7800…' are one), else the default line for numbers nobody configured.
 */
export async function lineForDialled(ctx: AppContext, dialled: string | null): Promise<LineSettings> {
  const snapshot = await settingsSnapshot(ctx);
  const picked = dialled === null ? undefined : snapshot.lineByDialled.get(dialledKey(dialled, ctx.config.ispAreaCode));
  if (picked) return picked;
  const fallback = snapshot.lines.find((line) => line.id === snapshot.contacts.defaultLine) ?? snapshot.lines[0];
  if (!fallback) throw new Error('settings hold no line');
  return fallback;
}

/**
 * Whether a line is open at an instant: its weekly hours in the ISP's zone (ISP_TIMEZONE), closed
 * on the production calendar's holidays (or its holiday hours), an hour shorter on a shortened
 * pre-holiday day, a working weekend day with Monday's hours (business-hours.ts). `closesAt` says
 * when an open line closes, when that is within a week.
 */
export async function isLineOpen(
  ctx: AppContext,
  lineId: string,
  at: Date,
): Promise<{ open: boolean; opensAt: Date | null; closesAt: Date | null }> {
  const snapshot = await settingsSnapshot(ctx);
  const line = snapshot.lines.find((candidate) => candidate.id === lineId);
  if (!line) throw new Problem('settings.line_not_found', 404, `No line ${lineId}`);
  return lineOpenness(line, at, ctx.config.timezone, (date) => snapshot.calendarDays.get(date)?.kind);
}

/** Everything the settings screen shows; secrets only as whether they are set, never their value. */
export async function settingsView(ctx: AppContext): Promise<SettingsView> {
  const snapshot = await settingsSnapshot(ctx, { fresh: true });
  const names = new Map((await staffNames(ctx)).map((member) => [member.id, member.fullName]));
  const staffName = (id: number | null) => (id === null ? null : (names.get(id) ?? null));
  const now = ctx.clock();
  const calendarDays = [...snapshot.calendarDays.values()];
  return {
    lines: snapshot.lines,
    linesVersion: snapshot.linesVersion,
    contacts: snapshot.contacts,
    contactsVersion: snapshot.contactsVersion,
    calendar: Object.entries(snapshot.calendar.years)
      .map(([year, source]) => ({
        year: Number(year),
        source: source.source,
        loadedAt: source.loadedAt,
        loadedBy: staffName(source.loadedBy),
        days: calendarDays.filter((day) => day.date.startsWith(`${year}-`)),
      }))
      .sort((a, b) => a.year - b.year),
    calendarVersion: snapshot.calendarVersion,
    secrets: secretStatuses(ctx, snapshot, staffName),
    timezone: ctx.config.timezone,
    openNow: snapshot.lines.map((line) => {
      const openness = lineOpenness(line, now, ctx.config.timezone, (date) => snapshot.calendarDays.get(date)?.kind);
      return {
        lineId: line.id,
        open: openness.open,
        opensAt: openness.opensAt?.toISOString() ?? null,
        closesAt: openness.closesAt?.toISOString() ?? null,
      };
    }),
  };
}

type DocumentKind = 'lines' | 'contacts' | 'calendar';

/**
 * The documents a change reads, under their row locks, in one order (so two changes never wait
 * on each other crosswise); the one being changed must still be at the version the change was
 * made from, or another administrator saved in between: 409, nothing written.
 */
async function lockedDocuments(tx: Db, kinds: DocumentKind[], edited: DocumentKind, version: number) {
  const rows = await tx
    .select()
    .from(settingsDocuments)
    .where(inArray(settingsDocuments.kind, kinds))
    .orderBy(asc(settingsDocuments.kind))
    .for('update');
  const byKind = new Map(rows.map((row) => [row.kind as DocumentKind, row]));
  const current = byKind.get(edited);
  if (!current) throw new Error(`settings document ${edited} missing`);
  if (Number(current.version) !== version) {
    throw new Problem(
      'settings.version_conflict',
      409,
      'Someone saved these settings meanwhile',
      `You edited version ${version}; it is now ${current.version}. Reload, then make your change again.`,
    );
  }
  return byKind;
}

async function saveDocument(
  tx: Db,
  ctx: AppContext,
  me: StaffRef,
  ip: string | null,
  kind: DocumentKind,
  before: { value: unknown; version: number },
  value: unknown,
  audit: { action: string; details: Record<string, unknown> },
) {
  const now = ctx.clock();
  const [saved] = await tx
    .update(settingsDocuments)
    .set({ value, version: sql`nextval('settings_version_seq')`, updatedAt: now, updatedBy: me.id })
    .where(eq(settingsDocuments.kind, kind))
    .returning({ version: settingsDocuments.version });
  await recordAudit(
    tx,
    {
      staffId: me.id,
      action: audit.action,
      targetType: 'settings',
      targetId: kind,
      ip,
      details: { version: { from: before.version, to: Number(saved?.version) }, ...audit.details },
    },
    now,
  );
}

/** Replaces the lines; audited with each changed field. Saving what is already there changes nothing. */
export async function saveLines(
  ctx: AppContext,
  me: StaffRef,
  request: SaveLinesRequest,
  ip: string | null,
): Promise<SettingsView> {
  await settingsSnapshot(ctx); // a fresh database gets its documents first
  const lines = tidyLines(request.lines);
  await ctx.database.db.transaction(async (tx) => {
    const documents = await lockedDocuments(tx, ['contacts', 'lines'], 'lines', request.version);
    const before = documents.get('lines');
    const contacts = documents.get('contacts')?.value as ContactSettings;
    checkLines(lines, contacts, ctx.config.ispAreaCode);
    const changes = settingsChanges(before?.value, lines);
    if (!before || changes.length === 0) return;
    await saveDocument(tx, ctx, me, ip, 'lines', { value: before.value, version: Number(before.version) }, lines, {
      action: 'settings.lines_changed',
      details: { changes },
    });
  });
  forgetSettings(ctx.database);
  return settingsView(ctx);
}

export async function saveContactSettings(
  ctx: AppContext,
  me: StaffRef,
  request: SaveContactSettingsRequest,
  ip: string | null,
): Promise<SettingsView> {
  await settingsSnapshot(ctx);
  await ctx.database.db.transaction(async (tx) => {
    const documents = await lockedDocuments(tx, ['contacts', 'lines'], 'contacts', request.version);
    const before = documents.get('contacts');
    checkContactSettings(request.contacts, documents.get('lines')?.value as LineSettings[]);
    const changes = settingsChanges(before?.value, request.contacts);
    if (!before || changes.length === 0) return;
    await saveDocument(
      tx,
      ctx,
      me,
      ip,
      'contacts',
      { value: before.value, version: Number(before.version) },
      request.contacts,
      { action: 'settings.contacts_changed', details: { changes } },
    );
  });
  forgetSettings(ctx.database);
  return settingsView(ctx);
}

const dayLabel = (day: CalendarDay) => `${day.date} ${day.kind}`;

/**
 * Loads one year of the production calendar from a file (calendar.ts reads the formats), replacing
 * that year's days; audited with the days added and removed.
 */
export async function loadProductionCalendar(
  ctx: AppContext,
  me: StaffRef,
  request: LoadCalendarRequest,
  ip: string | null,
): Promise<SettingsView> {
  const { year, days } = parseProductionCalendar(request.content);
  await settingsSnapshot(ctx);
  const now = ctx.clock();
  await ctx.database.db.transaction(async (tx) => {
    const documents = await lockedDocuments(tx, ['calendar'], 'calendar', request.version);
    const document = documents.get('calendar');
    if (!document) return;
    const inYear = between(productionCalendarDays.day, `${year}-01-01`, `${year}-12-31`);
    const earlier = await tx.select().from(productionCalendarDays).where(inYear);
    const beforeLabels = new Set(earlier.map((day) => dayLabel({ ...day, date: day.day } as CalendarDay)));
    const afterLabels = new Set(days.map(dayLabel));
    await tx.delete(productionCalendarDays).where(inYear);
    await tx
      .insert(productionCalendarDays)
      .values(days.map(({ date, kind, title, movedFrom }) => ({ day: date, kind, title, movedFrom })));
    const value = document.value as CalendarDocument;
    const source = request.fileName?.trim() || 'upload';
    const next: CalendarDocument = {
      years: { ...value.years, [year]: { source, loadedAt: now.toISOString(), loadedBy: me.id } },
    };
    await saveDocument(tx, ctx, me, ip, 'calendar', { value, version: Number(document.version) }, next, {
      action: 'settings.calendar_loaded',
      details: {
        year,
        source,
        days: days.length,
        added: [...afterLabels].filter((label) => !beforeLabels.has(label)),
        removed: [...beforeLabels].filter((label) => !afterLabels.has(label)),
      },
    });
  });
  forgetSettings(ctx.database);
  return settingsView(ctx);
}
