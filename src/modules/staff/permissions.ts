import type { Role } from '../../common/api/staff.js';

const everyone: readonly Role[] = ['l1', 'l2', 'l3', 'supervisor', 'tech', 'admin'];

/**
 * Who may do what: the one table every route's `config.access` points into. A route that names
 * no permission fails to register (see server/access.ts), so nothing is open by accident.
 */
export const permissions = {
  'subscribers.list': everyone,
  'subscribers.card': everyone,
  'subscribers.identify': everyone,
  'tariffs.list': everyone,
  'staff.manage': ['admin'],
  'sessions.manage': ['admin'],
  'audit.read': ['admin', 'supervisor'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function roleMay(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}
