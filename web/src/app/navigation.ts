import type { Role } from '@common/api/staff.ts';

/** The screens other screens link to. */
export const screenPaths = {
  identify: '/identify',
  subscribers: '/subscribers',
  audit: '/audit',
  administration: '/admin',
} as const;

export interface NavigationItem {
  to: string;
  label: 'app.nav.identify' | 'app.nav.subscribers' | 'app.nav.audit' | 'app.nav.administration';
  roles: readonly Role[];
}

const everyone: readonly Role[] = ['l1', 'l2', 'l3', 'supervisor', 'tech', 'admin'];

// Mirrors src/modules/staff/permissions.ts: the server enforces, this only hides what would be refused.
export const navigation: readonly NavigationItem[] = [
  { to: screenPaths.identify, label: 'app.nav.identify', roles: everyone },
  { to: screenPaths.subscribers, label: 'app.nav.subscribers', roles: everyone },
  { to: screenPaths.audit, label: 'app.nav.audit', roles: ['supervisor', 'admin'] },
  { to: screenPaths.administration, label: 'app.nav.administration', roles: ['admin'] },
];

export const mayAdminister = (role: Role) => role === 'admin';

/**
 * Where a role starts after login: line 1 takes calls, so its first screen is the caller search;
 * the others mostly arrive with a subscriber in mind and start at the list.
 */
export const landingPath = (role: Role) => (role === 'l1' ? screenPaths.identify : screenPaths.subscribers);
