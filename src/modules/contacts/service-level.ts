/**
 * The supervisor's figures for a line today (docs/metrics.md): service level, abandon rate, average
 * speed of answer, average handle time, occupancy. Each is a pure function of counts and sums that
 * one SQL query gives with `count(*) filter (where …)` and `sum(…)`, or `tallyLineContacts` gives
 * from a list. With nothing to count a figure is null, never 100 % or 0: an empty line at 08:00
 * has met no target and missed none.
 */

/** A caller who hangs up within this many seconds misdialled or changed their mind; no agent could have answered. */
export const SHORT_ABANDON_SECONDS = 5;

/** What the line's figures are computed from; every count is of today's contacts in the ISP's zone. */
export interface LineCounts {
  answered: number;
  /** Answered with a wait of at most the line's target. */
  answeredWithinTarget: number;
  /** Hung up while waiting, after more than the short-abandon threshold. */
  abandonedAfterThreshold: number;
  /** Hung up within the threshold: shown, counted in no figure. */
  shortAbandoned: number;
  /** Sum of the answered contacts' waits. */
  secondsToAnswer: number;
  /** Contacts whose handling (after-contact work included) has ended. */
  handled: number;
  /** Sum of their talk + hold + after-contact work. */
  handleSeconds: number;
}

/** A contact of today as the figures see it. */
export interface ContactForFigures {
  /** Still waiting counts in no figure until it is answered or abandoned. */
  status: 'waiting' | 'answered' | 'abandoned';
  /** From joining the line's queue to being answered or hanging up. */
  waitedSeconds: number;
  /** Talk + hold + after-contact work of an answered contact once all of it has ended, else null. */
  handleSeconds: number | null;
}

export interface FigureRules {
  targetSeconds: number;
  shortAbandonSeconds?: number;
}

/** Time an agent spent in each state over the period: the states partition the time logged in. */
export interface AgentTime {
  onContactSeconds: number;
  afterContactWorkSeconds: number;
  /** Everything but offline: available, offered, on contact, after-contact work, break. */
  loggedInSeconds: number;
  breakSeconds: number;
}

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export const isShortAbandon = (waitedSeconds: number, shortAbandonSeconds = SHORT_ABANDON_SECONDS): boolean =>
  waitedSeconds <= shortAbandonSeconds;

export const isAnsweredWithinTarget = (waitedSeconds: number, targetSeconds: number): boolean =>
  waitedSeconds <= targetSeconds;

/** Contacts the line could have answered: those answered and those who gave up after the threshold. */
const contactsThatCount = (counts: LineCounts): number => counts.answered + counts.abandonedAfterThreshold;

/** Answered within the target ÷ (answered + abandoned after the short-abandon threshold). */
export const serviceLevel = (counts: LineCounts): number | null =>
  share(counts.answeredWithinTarget, contactsThatCount(counts));

/** Abandoned after the threshold ÷ (answered + abandoned after the threshold): the service level's own denominator. */
export const abandonRate = (counts: LineCounts): number | null =>
  share(counts.abandonedAfterThreshold, contactsThatCount(counts));

/** Seconds from joining the queue to being answered, averaged over the answered contacts. */
export const averageSpeedOfAnswer = (counts: LineCounts): number | null =>
  share(counts.secondsToAnswer, counts.answered);

/** Talk + hold + after-contact work, averaged over the contacts whose handling has ended. */
export const averageHandleTime = (counts: LineCounts): number | null => share(counts.handleSeconds, counts.handled);

/**
 * (On a contact + after-contact work) ÷ (logged in − break): the share of the time an agent could
 * take contacts that they spent on them. For a line, the same over its agents' summed times.
 */
export const occupancy = (time: AgentTime): number | null =>
  share(time.onContactSeconds + time.afterContactWorkSeconds, time.loggedInSeconds - time.breakSeconds);

export const noContacts: LineCounts = {
  answered: 0,
  answeredWithinTarget: 0,
  abandonedAfterThreshold: 0,
  shortAbandoned: 0,
  secondsToAnswer: 0,
  handled: 0,
  handleSeconds: 0,
};

/** The counts of a list of contacts, as the SQL query counts them. */
export function tallyLineContacts(contacts: Iterable<ContactForFigures>, rules: FigureRules): LineCounts {
  const shortAbandonSeconds = rules.shortAbandonSeconds ?? SHORT_ABANDON_SECONDS;
  const counts = { ...noContacts };
  for (const contact of contacts) {
    if (contact.status === 'answered') {
      counts.answered++;
      counts.secondsToAnswer += contact.waitedSeconds;
      if (isAnsweredWithinTarget(contact.waitedSeconds, rules.targetSeconds)) counts.answeredWithinTarget++;
      if (contact.handleSeconds !== null) {
        counts.handled++;
        counts.handleSeconds += contact.handleSeconds;
      }
    } else if (contact.status === 'abandoned') {
      if (isShortAbandon(contact.waitedSeconds, shortAbandonSeconds)) counts.shortAbandoned++;
      else counts.abandonedAfterThreshold++;
    }
  }
  return counts;
}
