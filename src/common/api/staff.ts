import { type Static, Type } from 'typebox';
import { Nullable, StrictObject, Text } from '../schema-kit.js';

export const roles = ['l1', 'l2', 'l3', 'supervisor', 'tech', 'admin'] as const;
export type Role = (typeof roles)[number];
export const RoleSchema = Type.Union([
  Type.Literal('l1'),
  Type.Literal('l2'),
  Type.Literal('l3'),
  Type.Literal('supervisor'),
  Type.Literal('tech'),
  Type.Literal('admin'),
]);

// Logins are ASCII identifiers; passwords any printable text within bounds.
export const LoginRequest = StrictObject({
  login: Text(64, { minLength: 1, pattern: '^[A-Za-z0-9._-]+$' }),
  password: Text(256, { minLength: 1 }),
});
export type LoginRequest = Static<typeof LoginRequest>;

export const Me = Type.Object({
  id: Type.Integer(),
  login: Type.String(),
  fullName: Type.String(),
  role: RoleSchema,
  sessionId: Type.String(),
  /** The ISP's time zone (ISP_TIMEZONE): every time on screen is shown in it. */
  ispTimezone: Type.String(),
});
export type Me = Static<typeof Me>;
/** The signed-in member as the server keeps them per request. */
export type SignedInStaff = Omit<Me, 'ispTimezone'>;

export const StaffMember = Type.Object({
  id: Type.Integer(),
  login: Type.String(),
  fullName: Type.String(),
  role: RoleSchema,
  isActive: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  activeSessions: Type.Integer(),
});
export type StaffMember = Static<typeof StaffMember>;

export const CreateStaffRequest = StrictObject({
  login: Text(64, { minLength: 2, pattern: '^[A-Za-z0-9._-]+$' }),
  fullName: Text(200, { minLength: 1 }),
  role: RoleSchema,
  password: Text(256, { minLength: 8 }),
});
export type CreateStaffRequest = Static<typeof CreateStaffRequest>;

export const UpdateStaffRequest = StrictObject({
  role: Type.Optional(RoleSchema),
  isActive: Type.Optional(Type.Boolean()),
  fullName: Type.Optional(Text(200, { minLength: 1 })),
});
export type UpdateStaffRequest = Static<typeof UpdateStaffRequest>;

/** An administrator sets a member's password (a forgotten one); every session of that member ends. */
export const ResetPasswordRequest = StrictObject({
  password: Text(256, { minLength: 8 }),
});
export type ResetPasswordRequest = Static<typeof ResetPasswordRequest>;

export const ResetPasswordResult = Type.Object({
  /** How many of the member's sessions the reset ended. */
  endedSessions: Type.Integer(),
});
export type ResetPasswordResult = Static<typeof ResetPasswordResult>;

export const StaffSession = Type.Object({
  id: Type.String(),
  staffId: Type.Integer(),
  staffLogin: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  current: Type.Boolean(),
});
export type StaffSession = Static<typeof StaffSession>;
