import { type Static, Type } from 'typebox';
import { Nullable, StrictObject, Text } from '../../common/schema-kit.js';

/**
 * The NAS list's request and response shapes. Kept in the module until the settings screen shows
 * it; then they move to src/common/api/settings.ts for the web app to share.
 */
export const NasName = Text(64, { minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' });
export const NasVendor = Type.Union([
  Type.Literal('mikrotik'),
  Type.Literal('cisco'),
  Type.Literal('juniper'),
  Type.Literal('other'),
]);
export type NasVendor = Static<typeof NasVendor>;

export const NasParam = StrictObject({ name: NasName });

export const SaveNasRequest = StrictObject({
  /** The IPv4 or IPv6 address its accounting comes from. */
  address: Text(45, { minLength: 2, pattern: '^[0-9A-Fa-f.:]+$' }),
  vendor: NasVendor,
  /**
   * A RADIUS proxy relaying other NASes' accounting: its records belong to the listed NAS their
   * NAS-IP-Address names (docs/integrations/radius.md).
   */
  relay: Type.Optional(Type.Boolean()),
  interimIntervalSeconds: Type.Integer({ minimum: 60, maximum: 86_400 }),
  /** Where its Disconnect/CoA listener is (RFC 5176: 3799; Juniper ERX 1700). */
  coaPort: Type.Optional(Type.Integer({ minimum: 1, maximum: 65_535 })),
  /** The shared secret; left out when an edit keeps the stored one. Write-only. */
  secret: Type.Optional(Text(128, { minLength: 16, pattern: '^[\\x21-\\x7E]+$' })),
  /** The version edited, as listed; absent when adding a NAS. */
  version: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type SaveNasRequest = Static<typeof SaveNasRequest>;

export const NasView = StrictObject({
  name: NasName,
  address: Type.String(),
  vendor: NasVendor,
  relay: Type.Boolean(),
  interimIntervalSeconds: Type.Integer(),
  coaPort: Type.Integer(),
  secretSet: Type.Boolean(),
  /** Whether this server can open the stored secret (false after SETTINGS_KEY changed). */
  secretReadable: Type.Boolean(),
  version: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Nullable(Type.String()),
});
export type NasView = Static<typeof NasView>;

export const NasList = Type.Array(NasView);
