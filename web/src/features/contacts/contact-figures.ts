import type { ContactSummary } from '@common/api/contacts.ts';

export type ContactDuration = { kind: 'talk' | 'waited'; seconds: number };

const between = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/**
 * How long a finished contact took, as the card lists it: from the answer to the end (hold
 * included: the caller was on the line), or, for one never answered, how long the caller waited.
 * Null while it goes on.
 */
export function contactDuration(contact: Pick<ContactSummary, 'arrivedAt' | 'answeredAt' | 'endedAt'>) {
  if (!contact.endedAt) return null;
  return contact.answeredAt
    ? ({ kind: 'talk', seconds: between(contact.answeredAt, contact.endedAt) } satisfies ContactDuration)
    : ({ kind: 'waited', seconds: between(contact.arrivedAt, contact.endedAt) } satisfies ContactDuration);
}

/**
 * The instant a contact's talk timer counts from on the desk: the PBX's "answered" when it has
 * come, else the agent's accepting (the offer), else the arrival.
 */
export const talkStartedAt = (contact: Pick<ContactSummary, 'arrivedAt' | 'offeredAt' | 'answeredAt'>) =>
  contact.answeredAt ?? contact.offeredAt ?? contact.arrivedAt;

/** The document title while an offer rings: "☎ +7 912 345-67-89" and the page's own title in turn. */
export const ringingTitle = (pageTitle: string, caller: string, tick: number) =>
  tick % 2 === 0 ? `☎ ${caller}` : pageTitle;
