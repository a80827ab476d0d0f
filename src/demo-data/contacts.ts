/**
 * Three months of the hotline's past (issue 12, "Demo history"), so the board and a card's list of
 * contacts are not empty on first start: calls and chats arriving by the day's and the week's
 * rhythm, queued on the demo's lines, answered by the demo agents on their shifts or abandoned,
 * some transferred from the 1st line to the 2nd, some from a subscriber who called within 48 hours
 * (a repeat contact), each with a short timeline, and the agents' state changes across those days.
 *
 * A small discrete-event simulation, not a replay of fixed numbers: contacts enter a line's queue
 * in time order and each goes to the agent who can take it first (the longest idle of those free),
 * so waits, abandons and occupancy follow from the load, as on a real line. Lines, hours and
 * holidays are the settings' defaults (settings/defaults.ts, the shipped production calendar).
 *
 * Deterministic: the same seed, size, reference day and end give the same rows, ids included.
 * Every contact written is over (after-contact work included) by the end of the history, `until`.
 */
import { sql } from 'drizzle-orm';
import type { ContactOutcome, ContactReason } from '../common/api/contacts.js';
import type { LineSettings } from '../common/api/settings.js';
import { PRIORITY_BUSINESS } from '../modules/contacts/arrival.js';
import { nextAverageHandleTime } from '../modules/contacts/wait-estimate.js';
import { type CalendarKindOf, openSpansOn } from '../modules/settings/business-hours.js';
import { shippedCalendars } from '../modules/settings/calendar.js';
import { defaultContactSettings, defaultLines } from '../modules/settings/defaults.js';
import type { Executor } from './bulk-insert.js';
import { CITY_UTC_OFFSET_HOURS, epochAt, isoOf } from './calendar.js';
import { type Random, Weighted } from './random.js';
import type { contactTables } from './tables.js';

/** 13 weeks: every weekday the same number of times, so the week's shape reads straight off the counts. */
export const HISTORY_DAYS = 91;

/** Contacts per subscriber per month: about 450 in three months for 1,000 subscribers. */
const CONTACTS_PER_SUBSCRIBER_MONTH = 0.15;

/**
 * The demo's ten agents answer about 130 contacts a day with a believable service level (about
 * 70 % in 20 s, one caller in ten giving up at the peaks); a larger demo keeps that rate (from
 * about 26,000 subscribers), or its history would be a queue nobody answers.
 */
const MOST_CONTACTS_PER_DAY = 130;

/** Monday the heaviest (the weekend's faults), Sunday the lightest; the factors average 1. */
const WEEKDAY_FACTOR = [0, 1.35, 1.1, 1, 1, 0.95, 0.85, 0.75];

/** Calls by local hour: peaks at 10-12 (the working day starts) and 18-21 (people home from work). */
const HOUR_WEIGHTS = [
  0.05, 0.03, 0.02, 0.02, 0.02, 0.04, 0.1, 0.3, 0.6, 0.95, 1.45, 1.5, 1.1, 0.85, 0.8, 0.8, 0.85, 1.05, 1.35, 1.5, 1.35,
  1, 0.5, 0.15,
];
const HOURS = new Weighted(
  HOUR_WEIGHTS.map((_, hour) => hour),
  HOUR_WEIGHTS,
);

/** Fewer call on a public holiday, when the 1st and 2nd lines are closed. */
const HOLIDAY_FACTOR = 0.6;

/** The menu choice the PBX reports for each line (settings/defaults.ts). */
const DIALLED: Record<string, string> = { l1: '1', l2: '2', l3: '3' };
const FIRST_LINES = new Weighted(['l1', 'l2', 'l3'], [91, 7.5, 1.5]);

type Caller = 'subscriber' | 'unknown' | 'withheld' | 'chat';
const CALLERS = new Weighted<Caller>(['subscriber', 'unknown', 'withheld', 'chat'], [84, 6, 2, 8]);

const FIRST_LINE_REASONS = new Weighted<ContactReason>(
  ['no_internet', 'slow_speed', 'billing', 'tariff', 'connection_request', 'equipment', 'other'],
  [26, 10, 24, 12, 9, 7, 12],
);
const TECHNICAL_REASONS = new Weighted<ContactReason>(['no_internet', 'slow_speed', 'equipment'], [50, 30, 20]);

const outcomes = (shares: Partial<Record<ContactOutcome, number>>) =>
  new Weighted(Object.keys(shares) as ContactOutcome[], Object.values(shares) as number[]);

/** What the 1st line ends a contact with, by reason, when it does not transfer it. */
const FIRST_LINE_OUTCOMES: Record<ContactReason, Weighted<ContactOutcome>> = {
  no_internet: outcomes({ resolved: 50, visit_needed: 15, request_created: 15, callback: 12, escalated: 5, claim: 3 }),
  slow_speed: outcomes({ resolved: 65, request_created: 15, callback: 12, claim: 5, escalated: 3 }),
  billing: outcomes({ resolved: 78, claim: 6, callback: 7, escalated: 5, request_created: 4 }),
  tariff: outcomes({ resolved: 83, request_created: 11, callback: 6 }),
  connection_request: outcomes({ request_created: 68, resolved: 22, callback: 10 }),
  equipment: outcomes({ visit_needed: 38, resolved: 40, request_created: 17, callback: 5 }),
  other: outcomes({ resolved: 85, callback: 9, escalated: 6 }),
};
const ENGINEER_OUTCOMES = outcomes({ resolved: 62, visit_needed: 19, request_created: 9, callback: 7, claim: 3 });

/** The share of the 1st line's technical contacts it passes to the 2nd line. */
const TRANSFER_SHARE: Partial<Record<ContactReason, number>> = { no_internet: 0.4, slow_speed: 0.35, equipment: 0.25 };

/** Median talk (seconds) by reason on the 1st line; the 2nd and 3rd lines talk longer. */
const TALK_MEDIAN: Record<ContactReason, number> = {
  no_internet: 220,
  slow_speed: 230,
  billing: 160,
  tariff: 170,
  connection_request: 240,
  equipment: 200,
  other: 120,
};
const ENGINEER_TALK_MEDIAN = { l2: 480, l3: 600 } as Record<string, number>;

const NOTES: Record<ContactReason, string[]> = {
  no_internet: [
    'Перезагрузили роутер, интернет появился.',
    'Кабель был выдернут из роутера, подключили — работает.',
    'Авария на узле, абонента предупредили о сроках.',
    'Абонент не дома, перезвонит, когда будет у роутера.',
  ],
  slow_speed: [
    'Проверили скорость по кабелю — тариф выдаёт, медленно только по Wi-Fi.',
    'Сменили канал Wi-Fi, скорость выросла.',
    'Вечерняя загрузка сегмента, передано в NOC.',
  ],
  billing: [
    'Объяснили начисление за неполный месяц.',
    'Платёж не дошёл: попросили прислать чек на почту.',
    'Подключили обещанный платёж на 3 дня.',
  ],
  tariff: ['Рассказали о новых тарифах, абонент подумает.', 'Смена тарифа с 1-го числа, заявка оформлена.'],
  connection_request: ['Дом подключён, оформили заявку на подключение.', 'Уточнили адрес и удобное время монтажа.'],
  equipment: ['Роутер не включается, нужен выезд мастера.', 'Помогли настроить новый роутер.'],
  other: ['Уточнили адрес офиса и часы работы.', 'Абонент хотел узнать номер договора.'],
};
const NOTE_SHARE = 0.3;

/** A caller who hangs up within a few seconds (misdialled, changed their mind). */
const SHORT_ABANDON_SHARE = 0.03;
/**
 * How long callers are willing to wait: nobody hangs up during the greeting and the first
 * announcement (SHORTEST_PATIENCE_SECONDS), then the patience behind the longer abandons.
 */
const SHORTEST_PATIENCE_SECONDS = 20;
const MEAN_PATIENCE_SECONDS = 150;
/** From the offer to the agent's answer: the ring, and the agent finishing what they were writing. */
const MEAN_ANSWER_DELAY_SECONDS = 9;
/** A transfer the 2nd line cannot take within this long becomes a callback from the 2nd line. */
const TRANSFER_WAIT_LIMIT_SECONDS = 900;
const LUNCH_SECONDS = 45 * 60;

/** Calling again after this contact: often after an abandon or an open question, sometimes after a resolved one. */
const REPEAT_SHARE: Partial<Record<ContactOutcome | 'outside_hours', number>> = {
  abandoned: 0.45,
  callback: 0.25,
  visit_needed: 0.15,
  request_created: 0.1,
  claim: 0.2,
  escalated: 0.2,
  resolved: 0.06,
  outside_hours: 0.5,
};

/** Contacts a day on average, by the subscriber count (see MOST_CONTACTS_PER_DAY). */
export function contactsPerDay(subscribers: number): number {
  return Math.min(MOST_CONTACTS_PER_DAY, (subscribers * CONTACTS_PER_SUBSCRIBER_MONTH * 12) / 365.25);
}

export interface DemoAgent {
  staffId: number;
  line: string;
  extension: string;
}

export interface ContactHistoryInput {
  subscribers: number;
  /** The reference day (day number); the history covers the HISTORY_DAYS before it and the day itself up to `until`. */
  today: number;
  /** Epoch seconds: nothing happens at or after it; every agent is offline from it. */
  until: number;
  agents: DemoAgent[];
  random: Random;
  tables: ReturnType<typeof contactTables>;
  /** Reads the subscribers' phones (the generator's transaction). */
  executor: Executor;
  /** Hands the buffered rows to the database (the generator's BulkWriter). */
  flush: () => Promise<void>;
}

export interface ContactHistoryResult {
  contacts: number;
}

interface Shift {
  start: number;
  end: number;
  lunch: number;
}

interface AgentOnShift {
  agent: DemoAgent;
  shift: Shift | null;
  freeAt: number;
  idleSince: number;
  lunchTaken: boolean;
  lastState: string;
}

/** A contact on its way: what is known so far, written once its last leg is over. */
interface Contact {
  id: number;
  channel: 'call' | 'chat';
  arrivedAt: number;
  subscriberId: number | null;
  caller: Caller;
  repeatOf: number | null;
  firstLine: string;
  reason: ContactReason;
  events: [number, string, number | null, string | null][];
  handleLine: string;
}

interface Entry {
  at: number;
  seq: number;
  /** A new contact (subscriber or null) or the 2nd line's leg of a transferred one. */
  arrival?: { subscriberId: number | null; caller: Caller; line: string; reason: ContactReason | null };
  transfer?: {
    contact: Contact;
    firstAgent: number;
    firstOfferedAt: number;
    firstAnsweredAt: number;
    firstFreeAt: number;
    holdSeconds: number;
  };
}

/** A min-heap of entries by time (then by the order they were made). */
class Timeline {
  private readonly items: Entry[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  peek(): Entry | undefined {
    return this.items[0];
  }

  push(entry: Omit<Entry, 'seq'>): void {
    const item = { ...entry, seq: this.seq++ } as Entry;
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, items[parent] as Entry)) break;
      items[i] = items[parent] as Entry;
      i = parent;
    }
    items[i] = item;
  }

  pop(): Entry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child = right < items.length && before(items[right] as Entry, items[left] as Entry) ? right : left;
        if (!before(items[child] as Entry, last)) break;
        items[i] = items[child] as Entry;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}

const before = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** A normal draw (Box-Muller). */
function gaussian(random: Random): number {
  const u = 1 - random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

const exponential = (random: Random, mean: number) => -mean * Math.log(1 - random.next());

/** Talk time: log-normal around the median, as call lengths are. */
const talkSeconds = (random: Random, median: number) =>
  Math.max(20, Math.round(median * Math.exp(0.5 * gaussian(random))));

/** A Poisson count: exact for small means, the normal approximation above 30. */
function poisson(random: Random, mean: number): number {
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
  const limit = Math.exp(-mean);
  let count = 0;
  let product = random.next();
  while (product > limit) {
    count++;
    product *= random.next();
  }
  return count;
}

function holidayKinds(): CalendarKindOf {
  const kinds = new Map<string, ReturnType<CalendarKindOf>>();
  for (const { calendar } of shippedCalendars()) for (const day of calendar.days) kinds.set(day.date, day.kind);
  return (date) => kinds.get(date);
}

/** Shift starts (10 hours with a lunch) in the order a day's working agents take them: the first two open and close the line. */
const SHIFT_STARTS: Record<string, number[]> = { l1: [8, 12, 10, 12, 9], l2: [8, 12, 10], l3: [9, 9] };
const SHIFT_HOURS = 10;

/**
 * Each agent's shift start on a day (null: not working). The 1st and 2nd lines work two days off a
 * week, staggered so that at least three of the 1st line's five and two of the 2nd line's three are
 * on every day, and who opens and who closes turns daily; the NOC engineers work 09-18 on working
 * days. Nobody works a day their line is closed all day (a holiday).
 */
function rosterOf(
  line: string,
  size: number,
  day: number,
  openMinutes: number,
  workingDay: boolean,
): ({ start: number; order: number } | null)[] {
  const starts = SHIFT_STARTS[line] ?? [];
  if (line === 'l3') {
    return Array.from({ length: size }, (_, order) => (workingDay ? { start: starts[order] ?? 9, order } : null));
  }
  const roster: ({ start: number; order: number } | null)[] = Array.from({ length: size }, () => null);
  if (openMinutes === 0) return roster;
  const offset = (index: number) => (line === 'l1' ? 3 * index : 2 * index);
  const working = roster
    .map((_, index) => index)
    .filter((index) => (day + offset(index)) % 7 >= 2)
    .sort((a, b) => ((a + day) % size) - ((b + day) % size));
  working.forEach((index, order) => {
    roster[index] = { start: starts[order] ?? 10, order };
  });
  return roster;
}

/** Lunches staggered by 45 minutes, so a line never goes to lunch all at once. */
const shiftFrom = (day: number, { start, order }: { start: number; order: number }): Shift => ({
  start: epochAt(day, start),
  end: epochAt(day, start + SHIFT_HOURS),
  lunch: epochAt(day, start + 4, 45 * (order % 3)),
});

export async function writeContactHistory(input: ContactHistoryInput): Promise<ContactHistoryResult> {
  const { random, tables: t, until } = input;
  const lines = new Map<string, LineSettings>(defaultLines().map((line) => [line.id, line]));
  const repeatWindow = defaultContactSettings().repeatWindowHours * 3_600;
  const kindOf = holidayKinds();
  const perDay = contactsPerDay(input.subscribers);
  const agents: AgentOnShift[] = [];
  for (const line of ['l1', 'l2', 'l3']) {
    input.agents
      .filter((agent) => agent.line === line)
      .forEach((agent) => {
        agents.push({ agent, shift: null, freeAt: 0, idleSince: 0, lunchTaken: true, lastState: 'offline' });
      });
  }
  let contactId = 0;
  let eventId = 0;
  let changeId = 0;
  let written = 0;
  const lastContactOf = new Map<number, { id: number; at: number }>();
  const handled: { line: string; at: number; seconds: number }[] = [];
  // The contacts' rows, held until their callers' numbers are known (the history is at most
  // MOST_CONTACTS_PER_DAY a day, so a few tens of thousands of rows whatever the size).
  const contactRows: (string | number | null)[][] = [];
  const timeline = new Timeline();
  /** Open spans of each line today, as epoch seconds. */
  let openToday = new Map<string, [number, number][]>();

  const changeState = (agent: AgentOnShift, at: number, state: string, reason: string | null = null) => {
    if (at >= until || agent.lastState === state) return;
    t.agentStateChanges.add(++changeId, agent.agent.staffId, state, reason, at);
    agent.lastState = state;
  };

  const isOpen = (line: string, at: number) => (openToday.get(line) ?? []).some(([from, to]) => from <= at && at < to);
  /** When a closed line opens next, as the caller is told: later today, else the next morning (holidays aside). */
  const opensAfter = (line: string, at: number) =>
    (openToday.get(line) ?? []).find(([from]) => from > at)?.[0] ??
    epochAt(Math.floor((at + CITY_UTC_OFFSET_HOURS * 3_600) / 86_400) + 1, 8);

  /**
   * When the agent could take a contact that is waiting from `at`: after their current contact
   * and their lunch (taken as soon as they are free once its time comes), within their shift;
   * null if not today.
   */
  const earliestStart = (agent: AgentOnShift, at: number): { start: number; lunchAt: number | null } | null => {
    const shift = agent.shift;
    if (!shift) return null;
    let start = Math.max(at, agent.freeAt, shift.start);
    let lunchAt: number | null = null;
    if (!agent.lunchTaken && start >= shift.lunch) {
      lunchAt = Math.max(shift.lunch, agent.freeAt);
      start = Math.max(start, lunchAt + LUNCH_SECONDS);
    }
    return start < shift.end ? { start, lunchAt } : null;
  };

  const takeLunch = (agent: AgentOnShift, lunchAt: number) => {
    agent.lunchTaken = true;
    changeState(agent, lunchAt, 'break', 'обед');
    changeState(agent, lunchAt + LUNCH_SECONDS, 'available');
    agent.idleSince = lunchAt + LUNCH_SECONDS;
  };

  /** The agent of the line who can take the contact first; of those free at once, the longest idle. */
  const pickAgent = (line: string, at: number) => {
    let best: { agent: AgentOnShift; start: number; lunchAt: number | null } | null = null;
    for (const agent of agents) {
      if (agent.agent.line !== line) continue;
      const slot = earliestStart(agent, at);
      if (!slot) continue;
      const idle = slot.lunchAt === null ? Math.max(agent.idleSince, agent.shift?.start ?? 0) : slot.start;
      const bestIdle = best
        ? best.lunchAt === null
          ? Math.max(best.agent.idleSince, best.agent.shift?.start ?? 0)
          : best.start
        : 0;
      if (!best || slot.start < best.start || (slot.start === best.start && idle < bestIdle)) {
        best = { agent, ...slot };
      }
    }
    return best;
  };

  const event = (contact: Contact, at: number, kind: string, staffId: number | null, details: unknown = null) => {
    contact.events.push([at, kind, staffId, details === null ? null : JSON.stringify(details)]);
  };

  const writeContact = (
    contact: Contact,
    row: {
      line: string;
      queuedAt: number;
      offeredTo: number | null;
      offeredAt: number | null;
      agentId: number | null;
      answeredAt: number | null;
      endedAt: number;
      afterWorkUntil: number | null;
      holdSeconds: number;
      reason: ContactReason | null;
      outcome: ContactOutcome | null;
      outsideHours: boolean;
      transfers: number;
    },
  ) => {
    const known = contact.caller === 'subscriber' || contact.caller === 'chat';
    contactRows.push([
      contact.id,
      contact.channel === 'call' ? `demo-${contact.id}` : null,
      contact.channel,
      // A subscriber's own number is filled in at the end, from their phones (fitting -1 marks it).
      contact.caller === 'unknown' ? unknownNumber(random) : null,
      DIALLED[contact.firstLine] ?? null,
      row.line,
      0,
      'ended',
      contact.arrivedAt,
      row.queuedAt,
      row.offeredTo,
      row.offeredAt,
      row.offeredTo === null ? 0 : 1,
      row.agentId,
      row.answeredAt,
      row.endedAt,
      row.afterWorkUntil,
      row.holdSeconds,
      row.reason,
      row.outcome,
      contact.subscriberId,
      contact.caller === 'subscriber' ? -1 : known ? 1 : 0,
      contact.repeatOf,
      row.outsideHours ? 'true' : 'false',
      row.transfers,
      row.afterWorkUntil ?? row.endedAt,
    ]);
    for (const [at, kind, staffId, details] of contact.events) {
      t.contactEvents.add(++eventId, contact.id, at, kind, staffId, details);
    }
    written++;
    const outcome = row.outsideHours ? 'outside_hours' : row.outcome;
    if (contact.subscriberId !== null && outcome && random.chance(REPEAT_SHARE[outcome] ?? 0)) {
      // Again soon after an abandon, the next morning after a closed line; otherwise within the next
      // two days, at the hours people call.
      const again =
        outcome === 'abandoned'
          ? row.endedAt + random.int(120, 3_600)
          : outcome === 'outside_hours'
            ? opensAfter(contact.firstLine, row.endedAt) + random.int(0, 3 * 3_600)
            : laterCall(random, row.endedAt);
      timeline.push({
        at: again,
        arrival: {
          subscriberId: contact.subscriberId,
          caller: contact.caller,
          line: contact.firstLine,
          reason: contact.reason,
        },
      });
    }
  };

  /** The agent answers at `start`: offered, talking, after-contact work, free again. */
  const serve = (
    agent: AgentOnShift,
    start: number,
    lunchAt: number | null,
    answerAt: number,
    endAt: number,
    freeAt: number,
  ) => {
    if (lunchAt !== null) takeLunch(agent, lunchAt);
    changeState(agent, start, 'offered');
    changeState(agent, answerAt, 'on_contact');
    changeState(agent, endAt, 'after_contact_work');
    changeState(agent, freeAt, 'available');
    agent.freeAt = freeAt;
    agent.idleSince = freeAt;
  };

  const afterWork = () => random.int(10, lines.get('l1')?.afterContactWorkSeconds ?? 30);
  const holdOf = (talk: number) => (random.chance(0.2) ? Math.min(Math.round(talk / 2), random.int(30, 120)) : 0);

  const arrive = (at: number, arrival: NonNullable<Entry['arrival']>) => {
    const caller = arrival.caller;
    // The NOC is called directly only while an engineer is there; at other times the menu leads to the 1st line.
    const nocAway =
      arrival.line === 'l3' &&
      !agents.some(({ agent, shift }) => agent.line === 'l3' && shift && shift.start <= at && at < shift.end);
    const line = nocAway ? 'l1' : arrival.line;
    const reason = arrival.reason ?? (line === 'l1' ? FIRST_LINE_REASONS : TECHNICAL_REASONS).pick(random);
    const plan = (): (() => void) | null => {
      const contact = (): Contact => {
        const previous = arrival.subscriberId === null ? undefined : lastContactOf.get(arrival.subscriberId);
        const id = ++contactId;
        if (arrival.subscriberId !== null) lastContactOf.set(arrival.subscriberId, { id, at });
        const made: Contact = {
          id,
          channel: caller === 'chat' ? 'chat' : 'call',
          arrivedAt: at,
          subscriberId: arrival.subscriberId,
          caller,
          repeatOf: previous && at - previous.at <= repeatWindow ? previous.id : null,
          firstLine: line,
          reason,
          events: [],
          handleLine: line,
        };
        if (isOpen(line, at)) event(made, at, 'queued', null, { line, repeatOf: made.repeatOf });
        else
          event(made, at, 'outside_hours', null, {
            line,
            opensAt: new Date(opensAfter(line, at) * 1000).toISOString(),
          });
        return made;
      };
      if (!isOpen(line, at)) {
        return () => {
          const made = contact();
          writeContact(made, {
            line,
            queuedAt: at,
            offeredTo: null,
            offeredAt: null,
            agentId: null,
            answeredAt: null,
            endedAt: at,
            afterWorkUntil: null,
            holdSeconds: 0,
            reason: null,
            outcome: null,
            outsideHours: true,
            transfers: 0,
          });
        };
      }
      const patience = random.chance(SHORT_ABANDON_SHARE)
        ? random.int(1, 5)
        : SHORTEST_PATIENCE_SECONDS + Math.round(exponential(random, MEAN_PATIENCE_SECONDS));
      const slot = pickAgent(line, at);
      const answerDelay = 2 + Math.round(exponential(random, MEAN_ANSWER_DELAY_SECONDS));
      if (!slot || slot.start + answerDelay - at > patience) {
        const abandonAt = at + patience;
        if (abandonAt > until) return null;
        const offered = slot && slot.start <= abandonAt ? slot : null;
        return () => {
          const made = contact();
          if (offered) {
            if (offered.lunchAt !== null) takeLunch(offered.agent, offered.lunchAt);
            changeState(offered.agent, offered.start, 'offered');
            changeState(offered.agent, abandonAt, 'available');
            offered.agent.freeAt = abandonAt;
            offered.agent.idleSince = abandonAt;
            event(made, offered.start, 'offered', offered.agent.agent.staffId);
          }
          event(made, abandonAt, 'abandoned', null, { waitedSeconds: patience });
          writeContact(made, {
            line,
            queuedAt: at,
            offeredTo: offered?.agent.agent.staffId ?? null,
            offeredAt: offered?.start ?? null,
            agentId: null,
            answeredAt: null,
            endedAt: abandonAt,
            afterWorkUntil: null,
            holdSeconds: 0,
            reason: null,
            outcome: 'abandoned',
            outsideHours: false,
            transfers: 0,
          });
        };
      }
      const answerAt = slot.start + answerDelay;
      const median = line === 'l1' ? TALK_MEDIAN[reason] : (ENGINEER_TALK_MEDIAN[line] ?? 480);
      const talk = talkSeconds(random, median);
      const endAt = answerAt + talk;
      const freeAt = endAt + afterWork();
      // Passed to the 2nd line only with time left today for it to be answered and written up.
      const transfer =
        line === 'l1' && random.chance(TRANSFER_SHARE[reason] ?? 0) && endAt + 2 * 3_600 < until ? endAt : null;
      if (freeAt > until) return null;
      const hold = holdOf(talk);
      const outcome = (line === 'l1' ? FIRST_LINE_OUTCOMES[reason] : ENGINEER_OUTCOMES).pick(random);
      const note = random.chance(NOTE_SHARE) ? random.pick(NOTES[reason]) : null;
      return () => {
        const made = contact();
        const staffId = slot.agent.agent.staffId;
        serve(slot.agent, slot.start, slot.lunchAt, answerAt, endAt, freeAt);
        event(made, slot.start, 'offered', staffId);
        event(made, answerAt, 'answered', null, { extension: slot.agent.agent.extension });
        handled.push({ line, at: freeAt, seconds: freeAt - answerAt });
        if (transfer !== null) {
          event(made, endAt, 'transferred', staffId, { from: line, to: 'l2' });
          timeline.push({
            at: endAt,
            transfer: {
              contact: made,
              firstAgent: staffId,
              firstOfferedAt: slot.start,
              firstAnsweredAt: answerAt,
              firstFreeAt: freeAt,
              holdSeconds: hold,
            },
          });
          return;
        }
        if (note) event(made, endAt - 5, 'note', staffId, { text: note });
        event(made, endAt, 'ended', staffId, { reason, outcome });
        writeContact(made, {
          line,
          queuedAt: at,
          offeredTo: staffId,
          offeredAt: slot.start,
          agentId: staffId,
          answeredAt: answerAt,
          endedAt: endAt,
          afterWorkUntil: freeAt,
          holdSeconds: hold,
          reason,
          outcome,
          outsideHours: false,
          transfers: 0,
        });
      };
    };
    plan()?.();
  };

  /** The 2nd line's leg of a transferred contact: the caller waits on, and is answered or called back. */
  const continueTransfer = (at: number, leg: NonNullable<Entry['transfer']>) => {
    const { contact } = leg;
    const slot = pickAgent('l2', at);
    const answerAt = slot ? slot.start + 2 + Math.round(exponential(random, MEAN_ANSWER_DELAY_SECONDS)) : null;
    const talk = talkSeconds(random, ENGINEER_TALK_MEDIAN.l2 ?? 480);
    const freeAt = answerAt === null ? null : answerAt + talk + afterWork();
    if (
      !slot ||
      answerAt === null ||
      freeAt === null ||
      answerAt - at > TRANSFER_WAIT_LIMIT_SECONDS ||
      freeAt > until
    ) {
      // Nobody on the 2nd line in time: the 1st line promises a callback from an engineer.
      event(contact, at, 'ended', leg.firstAgent, { reason: contact.reason, outcome: 'callback' });
      writeContact(contact, {
        line: 'l1',
        queuedAt: contact.arrivedAt,
        offeredTo: leg.firstAgent,
        offeredAt: leg.firstOfferedAt,
        agentId: leg.firstAgent,
        answeredAt: leg.firstAnsweredAt,
        endedAt: at,
        afterWorkUntil: leg.firstFreeAt,
        holdSeconds: leg.holdSeconds,
        reason: contact.reason,
        outcome: 'callback',
        outsideHours: false,
        transfers: 0,
      });
      return;
    }
    const staffId = slot.agent.agent.staffId;
    const endAt = answerAt + talk;
    serve(slot.agent, slot.start, slot.lunchAt, answerAt, endAt, freeAt);
    handled.push({ line: 'l2', at: freeAt, seconds: freeAt - answerAt });
    const outcome = ENGINEER_OUTCOMES.pick(random);
    event(contact, at, 'queued', null, { line: 'l2', repeatOf: contact.repeatOf });
    event(contact, slot.start, 'offered', staffId);
    event(contact, answerAt, 'answered', null, { extension: slot.agent.agent.extension });
    if (random.chance(NOTE_SHARE))
      event(contact, endAt - 5, 'note', staffId, { text: random.pick(NOTES[contact.reason]) });
    event(contact, endAt, 'ended', staffId, { reason: contact.reason, outcome });
    writeContact(contact, {
      line: 'l2',
      queuedAt: at,
      offeredTo: staffId,
      offeredAt: slot.start,
      agentId: staffId,
      answeredAt: answerAt,
      endedAt: endAt,
      afterWorkUntil: freeAt,
      holdSeconds: leg.holdSeconds,
      reason: contact.reason,
      outcome,
      outsideHours: false,
      transfers: 1,
    });
  };

  const firstDay = input.today - HISTORY_DAYS;
  for (let day = firstDay; day <= input.today; day++) {
    const dayStart = epochAt(day, 0);
    if (dayStart >= until) break;
    const date = isoOf(day);
    const holiday = kindOf(date) === 'holiday';
    openToday = new Map(
      [...lines.values()].map((line) => [
        line.id,
        line.alwaysOpen
          ? [[dayStart, dayStart + 86_400]]
          : openSpansOn(line, date, kindOf).map(([from, to]) => [dayStart + from * 60, dayStart + to * 60]),
      ]),
    );
    const weekday = ((day + 3) % 7) + 1;
    const workingDay = kindOf(date) === 'working' || (!holiday && weekday <= 5);
    for (const line of lines.keys()) {
      const pool = agents.filter((agent) => agent.agent.line === line);
      const open = (openToday.get(line) ?? []).reduce((sum, [from, to]) => sum + to - from, 0);
      rosterOf(line, pool.length, day, open / 60, workingDay).forEach((start, index) => {
        (pool[index] as AgentOnShift).shift = start === null ? null : shiftFrom(day, start);
      });
    }
    for (const agent of agents) {
      agent.lunchTaken = agent.shift === null;
      if (agent.shift) {
        changeState(agent, agent.shift.start, 'available');
        agent.idleSince = Math.max(agent.freeAt, agent.shift.start);
      }
    }

    const arrivals = poisson(random, perDay * (WEEKDAY_FACTOR[weekday] as number) * (holiday ? HOLIDAY_FACTOR : 1));
    for (let i = 0; i < arrivals; i++) {
      const at = epochAt(day, HOURS.pick(random), random.int(0, 59), random.int(0, 59));
      const caller = CALLERS.pick(random);
      const subscriberId = caller === 'subscriber' || caller === 'chat' ? random.int(1, input.subscribers) : null;
      const line = FIRST_LINES.pick(random);
      if (at < until) timeline.push({ at, arrival: { subscriberId, caller, line, reason: null } });
    }

    const dayEnd = Math.min(dayStart + 86_400, until);
    for (let entry = timeline.peek(); entry && entry.at < dayEnd; entry = timeline.peek()) {
      timeline.pop();
      if (entry.arrival) arrive(entry.at, entry.arrival);
      else if (entry.transfer) continueTransfer(entry.at, entry.transfer);
    }

    for (const agent of agents) {
      const shift = agent.shift;
      if (!shift) continue;
      if (!agent.lunchTaken) {
        const lunchAt = Math.max(shift.lunch, agent.freeAt);
        if (lunchAt + LUNCH_SECONDS <= shift.end) takeLunch(agent, lunchAt);
      }
      changeState(agent, Math.max(shift.end, agent.freeAt), 'offline');
    }
  }
  // Whoever was still at work when the history ends goes offline with it: the desks start there.
  for (const agent of agents) {
    if (agent.lastState !== 'offline') {
      t.agentStateChanges.add(++changeId, agent.agent.staffId, 'offline', null, until);
      agent.lastState = 'offline';
    }
  }

  // Each line's running average, moved by its handled contacts in the order their handling ended.
  handled.sort((a, b) => a.at - b.at);
  const averages = new Map<string, { aht: number | null; count: number; at: number }>();
  for (const sample of handled) {
    const line = averages.get(sample.line) ?? { aht: null, count: 0, at: 0 };
    line.aht = nextAverageHandleTime(line.aht, sample.seconds);
    line.count++;
    line.at = sample.at;
    averages.set(sample.line, line);
  }
  for (const [line, { aht, count, at }] of averages) t.lineHandleTimes.add(line, aht, count, at);

  const callers = await ownNumbersOf(
    input.executor,
    contactRows.filter((row) => row[CALLER_FITTING] === -1).map((row) => row[SUBSCRIBER] as number),
  );
  for (const row of contactRows) {
    if (row[CALLER_FITTING] === -1) {
      const caller = callers.get(row[SUBSCRIBER] as number);
      row[CALLER_NUMBER] = caller?.phone ?? null;
      row[CALLER_FITTING] = caller?.fitting ?? 1;
      row[PRIORITY] = caller?.business ? PRIORITY_BUSINESS : 0;
    }
    t.contacts.add(...row);
  }
  await input.flush();
  return { contacts: written };
}

/** A call 1 to 47 hours after `after`, at an hour people call (HOUR_WEIGHTS). */
function laterCall(random: Random, after: number): number {
  const day = Math.floor((after + CITY_UTC_OFFSET_HOURS * 3_600) / 86_400);
  for (;;) {
    const at = epochAt(day + random.int(0, 2), HOURS.pick(random), random.int(0, 59), random.int(0, 59));
    if (at >= after + 3_600 && at <= after + 47 * 3_600) return at;
  }
}

/** A caller the base does not know: a number from another region (not the city's 343, not a subscriber's mobile pool). */
function unknownNumber(random: Random): string {
  return `+73452${String(random.int(200_000, 999_999))}`;
}

/** Where the contacts' rows hold the caller's number, the priority, the subscriber and how many subscribers the number fits. */
const CALLER_NUMBER = 3;
const PRIORITY = 6;
const SUBSCRIBER = 20;
const CALLER_FITTING = 21;

/**
 * A subscriber's call comes from their own number: their primary phone, with how many subscribers
 * that number fits (relatives sharing a phone: more than one, the agent asked which), and whether
 * they are a business customer, whom routing answers first. One statement for every caller, after
 * fresh statistics: without them the planner takes the just-loaded tables for empty and joins them
 * in nested loops (seconds at 5,000 subscribers).
 */
async function ownNumbersOf(
  executor: Executor,
  subscriberIds: number[],
): Promise<Map<number, { phone: string; fitting: number; business: boolean }>> {
  if (subscriberIds.length === 0) return new Map();
  await executor.execute(sql`analyze subscriber_phones, subscribers`);
  const result = (await executor.execute(sql`
    with called as (
      select p.subscriber_id, p.phone from subscriber_phones p
      where p.is_primary = 1 and p.subscriber_id = any(${sql.param([...new Set(subscriberIds)])}::int[])
    ), sharing as (
      select q.phone, count(distinct q.subscriber_id)::int as fitting from subscriber_phones q
      where q.phone in (select phone from called) group by q.phone
    )
    select called.subscriber_id as "subscriberId", called.phone, sharing.fitting, s.kind = 'organisation' as business
    from called join sharing on sharing.phone = called.phone join subscribers s on s.id = called.subscriber_id`)) as {
    rows: { subscriberId: number; phone: string; fitting: number; business: boolean }[];
  };
  return new Map(result.rows.map(({ subscriberId, ...caller }) => [subscriberId, caller]));
}
