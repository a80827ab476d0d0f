/**
 * Every action the server writes to the audit log, in the order the screen offers them; each has
 * its words in both languages (audit.actions.*), checked by audit-actions.test.ts. A family (a
 * prefix ending with a dot) filters all of its actions at once.
 */
export const auditActions = [
  'subscriber.card_opened',
  'identify.answered',
  'identify.refused',
  'staff.logged_in',
  'staff.login_failed',
  'staff.created',
  'staff.renamed',
  'staff.role_changed',
  'staff.deactivated',
  'staff.reactivated',
  'staff.password_reset',
  'staff.session_revoked',
  'staff.sessions_revoked',
  'settings.lines_changed',
  'settings.contacts_changed',
  'settings.calendar_loaded',
  'settings.secret_changed',
  'settings.nas_added',
  'settings.nas_changed',
  'settings.nas_removed',
  'settings.snmp_node_added',
  'settings.snmp_node_changed',
  'settings.snmp_node_removed',
  'settings.snmp_polling_changed',
  'contacts.agent_profile_changed',
  'contacts.transferred',
  'subscribers.account-changed',
  'nas-sessions.disconnect',
  'nas-sessions.reapply',
  'access-line.bounce',
] as const;
export type AuditAction = (typeof auditActions)[number];

export const auditActionFamilies = ['identify.', 'staff.', 'settings.', 'contacts.', 'nas-sessions.'] as const;

export const isKnownAction = (action: string): action is AuditAction => auditActions.includes(action as AuditAction);

/** The words key of an action or a family: `staff.role_changed` → `staff_role_changed`. */
export const actionKey = (action: string) => action.replace(/\.$/, '').replace('.', '_');
