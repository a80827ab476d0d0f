/** One field an administrator's edit changed, as the audit row lists it. */
export interface ChangedField {
  field: string;
  from: unknown;
  to: unknown;
}

/**
 * What an edit changed, field by field, for the audit log: each field whose value moved, with the
 * one it had (null when there was none: a new entry).
 */
export function changedFields<T extends Record<string, unknown>>(
  before: { [K in keyof T]?: unknown } | null | undefined,
  after: T,
): ChangedField[] {
  return Object.entries(after)
    .filter(([field, value]) => before?.[field as keyof T] !== value)
    .map(([field, value]) => ({ field, from: before?.[field as keyof T] ?? null, to: value }));
}
