import { type Static, Type } from 'typebox';
import { Nullable, StrictObject, Text } from '../schema-kit.js';

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

/** The audit log's filters; every one optional, all of them together narrow the list. */
export const AuditQuery = StrictObject({
  /** Who did it. */
  staffId: Type.Optional(Id),
  /** On which subscriber (card openings, identifications that named one). */
  subscriberId: Type.Optional(Id),
  targetType: Type.Optional(Text(40)),
  targetId: Type.Optional(Text(100)),
  /** One action (`staff.role_changed`), or a family of them with a trailing dot (`identify.`). */
  action: Type.Optional(Text(80, { pattern: '^[a-z_-]+(\\.[a-z_-]*)?$' })),
  /** From this moment on, inclusive. */
  from: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
  /** Before this moment. */
  to: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
  /** The page after an earlier one: the id of its last (oldest) row. Ids only grow, so pages neither skip nor repeat. */
  beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditRow = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  staffId: Nullable(Type.Integer()),
  /** The staff member's login and name today; null for the system and for unknown logins. */
  staffLogin: Nullable(Type.String()),
  staffName: Nullable(Type.String()),
  action: Type.String(),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  /** The target in words: a staff member's or a subscriber's name; null when unknown. */
  targetName: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  details: Type.Unknown(),
});
export type AuditRow = Static<typeof AuditRow>;

/** A staff member as the audit screen offers them for its filter. */
export const AuditStaffMember = Type.Object({ id: Type.Integer(), login: Type.String(), fullName: Type.String() });
export type AuditStaffMember = Static<typeof AuditStaffMember>;
