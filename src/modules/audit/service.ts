import { and, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { auditLog } from './schema.js';

export interface AuditEntry {
  staffId: number | null;
  action: string;
  targetType?: string;
  targetId?: string | number;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Writes one audit row. Pass the transaction of the change being audited, so the change and its
 * record commit together or not at all.
 */
export async function recordAudit(db: Db, entry: AuditEntry, at: Date = new Date()): Promise<void> {
  await db.insert(auditLog).values({
    at,
    staffId: entry.staffId,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId === undefined ? null : String(entry.targetId),
    ip: entry.ip ?? null,
    details: entry.details ?? null,
  });
}

/**
 * An INSERT of one audit row per row of `source` (a CTE of the caller's statement), to put in a
 * data-modifying CTE: a read and its audit row then run as one statement, so neither happens
 * without the other and the read costs one round trip. `details` may use the source's columns.
 */
export function auditRowsFrom(
  source: SQL,
  entry: { staffId: number; action: string; targetType: string; targetId: string; ip: string | null; details: SQL },
): SQL {
  return sql`insert into audit_log (at, staff_id, action, target_type, target_id, ip, details)
    select now(), ${entry.staffId}::int, ${entry.action}, ${entry.targetType}, ${entry.targetId}, ${entry.ip},
      ${entry.details}
    from ${source}`;
}

export async function listAudit(
  db: Db,
  filter: { targetType?: string; targetId?: string; action?: string; beforeId?: number; limit: number },
) {
  const conditions: SQL[] = [];
  if (filter.targetType) conditions.push(eq(auditLog.targetType, filter.targetType));
  if (filter.targetId) conditions.push(eq(auditLog.targetId, filter.targetId));
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.beforeId) conditions.push(lt(auditLog.id, filter.beforeId));
  return db
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(filter.limit);
}
