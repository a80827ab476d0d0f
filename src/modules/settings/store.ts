import { performance } from 'node:perf_hooks';
import { asc, sql } from 'drizzle-orm';
import type { CalendarDay, ContactSettings, LineSettings } from '../../common/api/settings.js';
import type { Database } from '../../db/connection.js';
import type { AppContext } from '../core/context.js';
import { shippedCalendars } from './calendar.js';
import { defaultContactSettings, defaultLines } from './defaults.js';
import { dialledKey } from './dialled.js';
import { productionCalendarDays, settingsDocuments, settingsSecrets } from './schema.js';

/** Who loaded a year of the calendar, and from what. */
export interface CalendarYearSource {
  source: string;
  loadedAt: string;
  loadedBy: number | null;
}

export interface CalendarDocument {
  years: Record<string, CalendarYearSource>;
}

export type SecretRecord = typeof settingsSecrets.$inferSelect;

/** Everything the settings hold, as one instance last read it. */
export interface SettingsSnapshot {
  /** The sum of every row's version: versions only grow, so any change makes it larger. */
  fingerprint: number;
  lines: LineSettings[];
  linesVersion: number;
  contacts: ContactSettings;
  contactsVersion: number;
  calendar: CalendarDocument;
  calendarVersion: number;
  calendarDays: Map<string, CalendarDay>;
  secrets: Map<string, SecretRecord>;
  /** Each line by the keys of the numbers and menu choices that pick it (dialled.ts). */
  lineByDialled: Map<string, LineSettings>;
}

interface CacheEntry {
  snapshot?: SettingsSnapshot;
  checkedAt: number;
  pending?: Promise<SettingsSnapshot>;
}

/**
 * Two instances agree within a second: each re-reads at most this often, and only when the
 * versions' sum says something changed (one small statement). A change made through this instance
 * is seen by it at once.
 */
const CHECK_EVERY_MS = 1000;
const caches = new WeakMap<Database, CacheEntry>();

function entryFor(database: Database): CacheEntry {
  let entry = caches.get(database);
  if (!entry) {
    entry = { checkedAt: Number.NEGATIVE_INFINITY };
    caches.set(database, entry);
  }
  return entry;
}

export function forgetSettings(database: Database): void {
  entryFor(database).checkedAt = Number.NEGATIVE_INFINITY;
}

/**
 * The settings as this instance holds them. `fresh`: check the versions now, whatever the last
 * check's age (the settings screen, whose version a change is made from).
 */
export async function settingsSnapshot(ctx: AppContext, options: { fresh?: boolean } = {}): Promise<SettingsSnapshot> {
  const entry = entryFor(ctx.database);
  if (options.fresh) entry.checkedAt = Number.NEGATIVE_INFINITY;
  if (entry.snapshot && performance.now() - entry.checkedAt < CHECK_EVERY_MS) return entry.snapshot;
  if (!entry.pending) {
    entry.pending = refresh(ctx, entry).finally(() => {
      entry.pending = undefined;
    });
  }
  return entry.pending;
}

async function refresh(ctx: AppContext, entry: CacheEntry): Promise<SettingsSnapshot> {
  const startedAt = performance.now();
  const [row] = await ctx.database.rows<{ fingerprint: number; documents: number }>(fingerprintQuery);
  if (!row || row.documents < 3) {
    await seedSettings(ctx);
    entry.snapshot = await loadSnapshot(ctx);
  } else if (!entry.snapshot || entry.snapshot.fingerprint !== Number(row.fingerprint)) {
    entry.snapshot = await loadSnapshot(ctx);
  }
  entry.checkedAt = startedAt;
  return entry.snapshot;
}

const fingerprintQuery = sql`select
  (coalesce((select sum(version) from settings_documents), 0)
    + coalesce((select sum(version) from settings_secrets), 0))::bigint as fingerprint,
  (select count(*) from settings_documents)::int as documents`;

async function loadSnapshot(ctx: AppContext): Promise<SettingsSnapshot> {
  const { db } = ctx.database;
  const [documents, days, secrets] = await Promise.all([
    db.select().from(settingsDocuments),
    db.select().from(productionCalendarDays).orderBy(asc(productionCalendarDays.day)),
    db.select().from(settingsSecrets),
  ]);
  const byKind = new Map(documents.map((document) => [document.kind, document]));
  const lines = (byKind.get('lines')?.value as LineSettings[] | undefined) ?? defaultLines();
  const lineByDialled = new Map<string, LineSettings>();
  for (const line of lines) {
    for (const dialled of line.dialled) lineByDialled.set(dialledKey(dialled, ctx.config.ispAreaCode), line);
  }
  const fingerprint = [...documents, ...secrets].reduce((sum, row) => sum + Number(row.version), 0);
  return {
    fingerprint,
    lines,
    linesVersion: Number(byKind.get('lines')?.version ?? 0),
    contacts: (byKind.get('contacts')?.value as ContactSettings | undefined) ?? defaultContactSettings(),
    contactsVersion: Number(byKind.get('contacts')?.version ?? 0),
    calendar: (byKind.get('calendar')?.value as CalendarDocument | undefined) ?? { years: {} },
    calendarVersion: Number(byKind.get('calendar')?.version ?? 0),
    calendarDays: new Map(
      days.map((day) => [
        day.day,
        { date: day.day, kind: day.kind, title: day.title, movedFrom: day.movedFrom } as CalendarDay,
      ]),
    ),
    secrets: new Map(secrets.map((secret) => [secret.name, secret])),
    lineByDialled,
  };
}

/**
 * A fresh database gets the demo defaults (defaults.ts) and the production calendars that ship
 * (calendars/). Idempotent, so two instances starting at once on one PostgreSQL both may run it:
 * the second inserts nothing. The calendar's days go in only with its document, so an
 * administrator's calendar is never mixed with the shipped one.
 */
async function seedSettings(ctx: AppContext): Promise<void> {
  const now = ctx.clock();
  const shipped = shippedCalendars();
  const seeded = await ctx.database.db.transaction(async (tx) => {
    await tx
      .insert(settingsDocuments)
      .values([
        { kind: 'lines', value: defaultLines(), updatedAt: now },
        { kind: 'contacts', value: defaultContactSettings(), updatedAt: now },
      ])
      .onConflictDoNothing();
    const calendar: CalendarDocument = { years: {} };
    for (const { source, calendar: year } of shipped) {
      calendar.years[year.year] = { source, loadedAt: now.toISOString(), loadedBy: null };
    }
    const inserted = await tx
      .insert(settingsDocuments)
      .values({ kind: 'calendar', value: calendar, updatedAt: now })
      .onConflictDoNothing()
      .returning({ kind: settingsDocuments.kind });
    const days = shipped.flatMap(({ calendar: year }) =>
      year.days.map(({ date, kind, title, movedFrom }) => ({ day: date, kind, title, movedFrom })),
    );
    if (inserted.length > 0 && days.length > 0) {
      await tx.insert(productionCalendarDays).values(days).onConflictDoNothing();
    }
    return inserted.length > 0;
  });
  if (seeded) ctx.log.info('settings: a fresh database got the default lines and the shipped production calendar');
}
