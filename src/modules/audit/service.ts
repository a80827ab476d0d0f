import { and, desc, eq, gte, like, lt, type SQL, sql } from 'drizzle-orm';
import type { AuditRow } from '../../common/api/audit.js';
import type { Db } from '../../db/connection.js';
import type { AuditNames } from './names.js';
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

export interface AuditFilter {
  staffId?: number;
  subscriberId?: number;
  targetType?: string;
  targetId?: string;
  /** One action, or a family of them when it ends with a dot (`identify.`). */
  action?: string;
  from?: Date;
  to?: Date;
  beforeId?: number;
  limit: number;
}

/** The log, newest first, one page of it: keyset on the id, so a deep page costs what the first does. */
export async function listAudit(db: Db, filter: AuditFilter) {
  const conditions: SQL[] = [];
  if (filter.staffId) conditions.push(eq(auditLog.staffId, filter.staffId));
  if (filter.subscriberId) {
    conditions.push(eq(auditLog.targetType, 'subscriber'), eq(auditLog.targetId, String(filter.subscriberId)));
  }
  if (filter.targetType) conditions.push(eq(auditLog.targetType, filter.targetType));
  if (filter.targetId) conditions.push(eq(auditLog.targetId, filter.targetId));
  if (filter.action?.endsWith('.')) conditions.push(like(auditLog.action, `${filter.action}%`));
  else if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.from) conditions.push(gte(auditLog.at, filter.from));
  if (filter.to) conditions.push(lt(auditLog.at, filter.to));
  if (filter.beforeId) conditions.push(lt(auditLog.id, filter.beforeId));
  return db
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(filter.limit);
}

type AuditLogRow = Awaited<ReturnType<typeof listAudit>>[number];

/** The rows as the audit screen shows them: people and subscribers by name, not by id. */
export async function auditRowsWithNames(rows: AuditLogRow[], names: AuditNames | undefined): Promise<AuditRow[]> {
  const subscriberIds = [
    ...new Set(rows.filter((row) => row.targetType === 'subscriber').map((row) => Number(row.targetId))),
  ].filter((id) => Number.isInteger(id) && id > 0);
  const [staff, subscribers] = await Promise.all([
    names && rows.length ? names.staff() : [],
    names && subscriberIds.length ? names.subscribers(subscriberIds) : new Map<number, string>(),
  ]);
  const staffById = new Map(staff.map((member) => [member.id, member]));
  const targetName = (row: AuditLogRow): string | null => {
    if (row.targetType === 'subscriber') return subscribers.get(Number(row.targetId)) ?? null;
    if (row.targetType === 'staff') return staffById.get(Number(row.targetId))?.fullName ?? null;
    return null;
  };
  return rows.map((row) => {
    const member = row.staffId === null ? undefined : staffById.get(row.staffId);
    return {
      id: Number(row.id),
      at: row.at.toISOString(),
      staffId: row.staffId,
      staffLogin: member?.login ?? null,
      staffName: member?.fullName ?? null,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      targetName: targetName(row),
      ip: row.ip,
      details: row.details,
    };
  });
}
