import type { Role } from '@common/api/staff.ts';

/** The screens other screens link to. */
export const screenPaths = {
  desk: '/desk',
  board: '/board',
  agents: '/agents',
  identify: '/identify',
  subscribers: '/subscribers',
  audit: '/audit',
  administration: '/admin',
  settings: '/settings',
} as const;

export interface NavigationItem {
  to: string;
  label:
    | 'app.nav.desk'
    | 'app.nav.board'
    | 'app.nav.identify'
    | 'app.nav.subscribers'
    | 'app.nav.audit'
    | 'app.nav.administration'
    | 'app.nav.settings';
  roles: readonly Role[];
}

const everyone: readonly Role[] = ['l1', 'l2', 'l3', 'supervisor', 'tech', 'admin'];
/** The roles that take contacts on a line, and those who watch the lines. */
export const agentRoles: readonly Role[] = ['l1', 'l2', 'l3'];
export const boardRoles: readonly Role[] = ['supervisor', 'admin'];

/** Administrators change the operational settings; supervisors read them (the shifts follow the lines' hours). */
export const settingsRoles: readonly Role[] = ['supervisor', 'admin'];
export const mayManageSettings = (role: Role) => role === 'admin';

// Mirrors src/modules/staff/permissions.ts: the server enforces, this only hides what would be refused.
export const navigation: readonly NavigationItem[] = [
  { to: screenPaths.desk, label: 'app.nav.desk', roles: agentRoles },
  { to: screenPaths.board, label: 'app.nav.board', roles: boardRoles },
  { to: screenPaths.identify, label: 'app.nav.identify', roles: everyone },
  { to: screenPaths.subscribers, label: 'app.nav.subscribers', roles: everyone },
  { to: screenPaths.audit, label: 'app.nav.audit', roles: ['supervisor', 'admin'] },
  { to: screenPaths.administration, label: 'app.nav.administration', roles: ['admin'] },
  { to: screenPaths.settings, label: 'app.nav.settings', roles: settingsRoles },
];

export const mayAdminister = (role: Role) => role === 'admin';

/** Disconnect and CoA on the card: the 2nd and 3rd lines and those above them (permission nas-sessions.act). */
export const maySendToNas = (role: Role) => (['l2', 'l3', 'supervisor', 'admin'] as readonly Role[]).includes(role);

/** An account's state and tariff, by hand (permission accounts.manage): until billing does it, administrators. */
export const mayManageAccounts = (role: Role) => role === 'admin';

/**
 * Where a role starts after login: the lines' agents take contacts, so their first screen is the
 * desk, where the caller's card pops; the others mostly arrive with a subscriber in mind and start
 * at the list.
 */
export const landingPath = (role: Role) => (agentRoles.includes(role) ? screenPaths.desk : screenPaths.subscribers);
