import { type Static, Type } from 'typebox';
import { Nullable, StrictObject, Text } from '../schema-kit.js';

/** 'HH:MM' on the 24-hour clock; '24:00' only ends a day's last interval. */
export const ClockTime = Type.String({ pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$', maxLength: 5 });

/** One stretch of a day a line is open: [from, to), in the ISP's zone (ISP_TIMEZONE). */
export const OpenInterval = StrictObject({ from: ClockTime, to: ClockTime });
export type OpenInterval = Static<typeof OpenInterval>;

const DayHours = Type.Array(OpenInterval, { maxItems: 6 });

/** Per ISO weekday, 1 = Monday … 7 = Sunday: the intervals a line is open; empty = closed that day. */
export const BusinessHours = StrictObject({
  1: DayHours,
  2: DayHours,
  3: DayHours,
  4: DayHours,
  5: DayHours,
  6: DayHours,
  7: DayHours,
});
export type BusinessHours = Static<typeof BusinessHours>;
export const weekdays = ['1', '2', '3', '4', '5', '6', '7'] as const;

export const LineRole = Type.Union([Type.Literal('l1'), Type.Literal('l2'), Type.Literal('l3')]);

/** A number dialled or a menu choice the PBX reports: digits and phone punctuation, or a short word. */
export const Dialled = Text(40, { minLength: 1, pattern: '^[0-9A-Za-z+*#(). -]+$' });

export const LineSettings = StrictObject({
  /** 'l1', 'l2', 'l3' by default; lower case, kept in contacts, so renaming a line keeps its id. */
  id: Text(32, { pattern: '^[a-z][a-z0-9_-]*$' }),
  name: Text(80, { minLength: 1 }),
  /** The staff role that serves the line by default. */
  role: LineRole,
  /** Numbers dialled or IVR menu choices the PBX reports that pick this line. */
  dialled: Type.Array(Dialled, { maxItems: 50 }),
  /** Service level target: answered within this many seconds … */
  targetSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
  /** … for this share of contacts, in per cent. */
  targetPercent: Type.Integer({ minimum: 1, maximum: 100 }),
  /** An estimated wait above this offers the caller a callback. */
  callbackOfferAfterSeconds: Type.Integer({ minimum: 0, maximum: 7200 }),
  /** An offer not accepted in this time goes to the next agent. */
  offerTimeoutSeconds: Type.Integer({ minimum: 5, maximum: 300 }),
  /** Timed after-contact work. */
  afterContactWorkSeconds: Type.Integer({ minimum: 0, maximum: 3600 }),
  /** Chats one agent may hold at once. */
  chatCapacity: Type.Integer({ minimum: 1, maximum: 20 }),
  hours: BusinessHours,
  /** Hours kept on the production calendar's holidays; empty = closed on holidays. */
  holidayHours: DayHours,
  /** Open round the clock, holidays included: hours are not consulted. */
  alwaysOpen: Type.Boolean(),
});
export type LineSettings = Static<typeof LineSettings>;

export const RoutingMode = Type.Union([Type.Literal('acd'), Type.Literal('card-pop')]);

export const ContactSettings = StrictObject({
  /** 'acd': Linedesk routes; 'card-pop': the PBX routes and Linedesk records it and pops the card. */
  routingMode: RoutingMode,
  /** The line for a dialled number nobody configured. */
  defaultLine: Text(32, { pattern: '^[a-z][a-z0-9_-]*$' }),
  /** A contact from the same subscriber within this window is a repeat contact. */
  repeatWindowHours: Type.Integer({ minimum: 1, maximum: 720 }),
  /** Abandoned sooner than this does not count against the service level. */
  shortAbandonSeconds: Type.Integer({ minimum: 0, maximum: 120 }),
  /** An agent's browser gone this long gives their contact back to the queue. */
  disconnectGraceSeconds: Type.Integer({ minimum: 5, maximum: 600 }),
  /** Where commands to the PBX are POSTed (signed webhooks); null = not connected. */
  pbxCommandUrl: Nullable(Type.String({ format: 'uri', maxLength: 500, pattern: '^https?://' })),
});
export type ContactSettings = Static<typeof ContactSettings>;

export const CalendarDayKind = Type.Union([
  Type.Literal('holiday'),
  Type.Literal('shortened'),
  Type.Literal('working'),
]);
export type CalendarDayKind = Static<typeof CalendarDayKind>;

/**
 * A day the production calendar marks: a non-working holiday (or a day off moved onto a weekday),
 * a shortened pre-holiday working day, or a working day moved onto a weekend. Ordinary weekends are
 * not listed, as in the calendars ISPs download.
 */
export const CalendarDay = Type.Object({
  date: Type.String({ format: 'date' }),
  kind: CalendarDayKind,
  title: Nullable(Type.String()),
  /** For a day off moved here: the day it was moved from. */
  movedFrom: Nullable(Type.String({ format: 'date' })),
});
export type CalendarDay = Static<typeof CalendarDay>;

export const CalendarYear = Type.Object({
  year: Type.Integer(),
  /** Where the days came from: the file shipped with Linedesk, or an administrator's upload. */
  source: Type.String(),
  loadedAt: Type.String({ format: 'date-time' }),
  loadedBy: Nullable(Type.String()),
  days: Type.Array(CalendarDay),
});
export type CalendarYear = Static<typeof CalendarYear>;

/** The secrets Linedesk keeps; later issues add the NAS secrets. */
export const secretNames = ['pbx.webhookSecret'] as const;
export type SecretName = (typeof secretNames)[number];
export const SecretNameSchema = Type.Enum(secretNames);

/** What anyone may know of a secret: whether it is set, when and by whom. Never the value. */
export const SecretStatus = Type.Object({
  name: SecretNameSchema,
  set: Type.Boolean(),
  updatedAt: Nullable(Type.String({ format: 'date-time' })),
  updatedBy: Nullable(Type.String()),
  /** False when it was stored with another key (SETTINGS_KEY changed): it must be set again. */
  readable: Type.Boolean(),
});
export type SecretStatus = Static<typeof SecretStatus>;

export const LineOpenNow = Type.Object({
  lineId: Type.String(),
  open: Type.Boolean(),
  opensAt: Nullable(Type.String({ format: 'date-time' })),
  closesAt: Nullable(Type.String({ format: 'date-time' })),
});
export type LineOpenNow = Static<typeof LineOpenNow>;

export const SettingsView = Type.Object({
  lines: Type.Array(LineSettings),
  /** The version a change of the lines must carry (optimistic concurrency). */
  linesVersion: Type.Integer(),
  contacts: ContactSettings,
  contactsVersion: Type.Integer(),
  calendar: Type.Array(CalendarYear),
  calendarVersion: Type.Integer(),
  secrets: Type.Array(SecretStatus),
  /** The zone every time of day in these settings is in (ISP_TIMEZONE). */
  timezone: Type.String(),
  /** Each line as its hours and the calendar make it now: an administrator sees what callers get. */
  openNow: Type.Array(LineOpenNow),
});
export type SettingsView = Static<typeof SettingsView>;

const Version = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

export const SaveLinesRequest = StrictObject({
  version: Version,
  lines: Type.Array(LineSettings, { minItems: 1, maxItems: 20 }),
});
export type SaveLinesRequest = Static<typeof SaveLinesRequest>;

export const SaveContactSettingsRequest = StrictObject({ version: Version, contacts: ContactSettings });
export type SaveContactSettingsRequest = Static<typeof SaveContactSettingsRequest>;

/**
 * A production calendar for one year, as a file's text: the XML ISPs download from xmlcalendar.ru
 * (`<calendar year="2027"><days><day d="01.01" t="1"/>…`), or CSV / JSON as docs/api.md shows.
 * It replaces the days of that year.
 */
export const LoadCalendarRequest = StrictObject({
  version: Version,
  content: Text(200_000, { minLength: 1 }),
  /** The file's name, kept as the calendar's source. */
  fileName: Type.Optional(Text(200)),
});
export type LoadCalendarRequest = Static<typeof LoadCalendarRequest>;

export const SecretParam = StrictObject({ name: SecretNameSchema });

/** A secret's new value: long enough to be one, printable, never echoed back. */
export const WriteSecretRequest = StrictObject({
  value: Text(512, { minLength: 16, pattern: '^[\\x21-\\x7E]+$' }),
});
export type WriteSecretRequest = Static<typeof WriteSecretRequest>;
