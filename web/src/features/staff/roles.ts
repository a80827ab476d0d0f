import type { Role } from '@common/api/staff.ts';
import type { TFunction } from 'i18next';

// Only types come from the server's schemas (their values would pull TypeBox into the bundle);
// `satisfies` makes a role added on the server fail this build until it is offered here.
const roleOrder = { l1: 1, l2: 2, l3: 3, supervisor: 4, tech: 5, admin: 6 } satisfies Record<Role, number>;
const roles = Object.keys(roleOrder) as Role[];

/** Role choices for a select, in the order of the hotline: line 1 first, administrator last. */
export const roleOptions = (t: TFunction) => roles.map((role) => ({ value: role, label: t(`roles.${role}`) }));
