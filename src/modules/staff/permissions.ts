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
  /** The live channel's wake-ups (each one filtered to whom it concerns). */
  'live.stream': everyone,
  /** Lines, hours, calendar, thresholds, PBX secrets. */
  'settings.manage': ['admin'],
  /** Settings every screen needs to read (line names, hours); never the secrets. */
  'settings.read': everyone,
  /** An agent's own desk: state, offers, the contacts they are on. */
  'contacts.desk': ['l1', 'l2', 'l3'],
  /** A subscriber's NAS sessions from RADIUS accounting (the card's line state). */
  'nas-sessions.read': everyone,
  /** Disconnect a subscriber's session on the NAS, or send it the account's service again (RFC 5176). */
  'nas-sessions.act': ['l2', 'l3', 'supervisor', 'admin'],
  /** The card's access line: the port, the ONT, the nodes behind them and their alerts (SNMP, monitoring). */
  'access-line.read': everyone,
  /** Bounce a subscriber's access port (ifAdminStatus down, then up) where the node's settings allow it. */
  'access-line.bounce': ['l2', 'l3', 'supervisor', 'admin'],
  /** An account's state and tariff set by hand, until billing does it. */
  'accounts.manage': ['admin'],
  /** A subscriber's contacts and one contact's timeline. */
  'contacts.read': everyone,
  /** The supervisor's board: every line and agent, live. */
  'contacts.board': ['supervisor', 'admin'],
  /** Agents' lines, skills and extensions. */
  'contacts.agents.manage': ['admin', 'supervisor'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function roleMay(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}
