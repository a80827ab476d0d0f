import type { Role } from '../../common/api/staff.js';

/**
 * Personal data in lists, per field: which roles see it in full. Everyone else sees the masked
 * form. The full card shows everything to the roles that may open it, and every opening is
 * audited (service.ts). Names in lists are always surname and initials.
 */
export const listFieldsShownInFull = {
  // Field crews need the flat to find the door; the hotline identifies by asking, not by reading.
  apartment: ['tech'],
  phone: [],
  birthDate: [],
} as const satisfies Record<string, readonly Role[]>;

export type MaskedField = keyof typeof listFieldsShownInFull;

export function showsInFull(role: Role, field: MaskedField): boolean {
  return (listFieldsShownInFull[field] as readonly Role[]).includes(role);
}

// Field crews go to the door, not to the bill: balance and payments are left out for them in the
// list and on the card alike (docs/security.md, "What each role sees").
const moneyHiddenFrom: readonly Role[] = ['tech'];

export function seesMoney(role: Role): boolean {
  return !moneyHiddenFrom.includes(role);
}

/** "+79123456789" → "+7 *** ***-**-89" */
export function maskPhone(e164: string): string {
  return `${e164.slice(0, 2)} *** ***-**-${e164.slice(-2)}`;
}

/** "1985-03-14" → "****-**-**": even the year narrows a namesake list, so all of it is hidden. */
export function maskDate(_date: string): string {
  return '****-**-**';
}

export function initials(surname: string, firstName: string | null, patronymic: string | null): string {
  const letters = [firstName, patronymic]
    .filter((part): part is string => Boolean(part))
    .map((part) => `${part[0]}.`)
    .join(' ');
  return letters ? `${surname} ${letters}` : surname;
}

/** A holder's name as lists show it: surname and initials, or the organisation's name. */
export interface HolderName {
  kind: 'person' | 'organisation';
  surname: string | null;
  firstName: string | null;
  patronymic: string | null;
  orgName: string | null;
}

export function nameInLists(holder: HolderName): string {
  return holder.kind === 'organisation'
    ? (holder.orgName ?? '')
    : initials(holder.surname ?? '', holder.firstName, holder.patronymic);
}
