import type { Role } from '../../../src/common/api/staff.ts';

export interface NavigationItem {
  to: string;
  label: 'app.nav.subscribers' | 'app.nav.administration';
  roles: readonly Role[];
}

const everyone: readonly Role[] = ['l1', 'l2', 'l3', 'supervisor', 'tech', 'admin'];

// Mirrors src/modules/staff/permissions.ts: the server enforces, this only hides what would be refused.
export const navigation: readonly NavigationItem[] = [
  { to: '/subscribers', label: 'app.nav.subscribers', roles: everyone },
  { to: '/admin', label: 'app.nav.administration', roles: ['admin'] },
];

export const mayAdminister = (role: Role) => role === 'admin';
