/**
 * Who and what an audit row names, in words. The modules that own staff and subscribers write to
 * the audit log, so the audit module may not import them (docs/architecture.md); src/server hands
 * their service functions to the audit routes instead, as it wires an integration into a module.
 */
export interface AuditNames {
  /** Every staff member (a few hundred at most): for names and for the screen's filter. */
  staff(): Promise<{ id: number; login: string; fullName: string }[]>;
  /** The display names of these subscribers; unknown ids are left out. */
  subscribers(ids: number[]): Promise<Map<number, string>>;
}
