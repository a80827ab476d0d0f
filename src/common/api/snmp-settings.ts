import { type Static, Type } from 'typebox';
import { Nullable, StrictObject, Text } from '../schema-kit.js';

/**
 * The SNMP settings' request and response shapes (issue 15, docs/integrations/snmp.md): the
 * settings routes (src/modules/settings/snmp-nodes-routes.ts) and the web app's SNMP screen.
 */

/** A node's name as network_nodes has it (sw-lenina-12-1, olt-centr-1). */
export const SnmpNodeName = Text(64, { minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' });
export const SnmpNodeParam = StrictObject({ node: SnmpNodeName });

export const SnmpVersion = Type.Union([Type.Literal('v2c'), Type.Literal('v3')]);
export type SnmpVersion = Static<typeof SnmpVersion>;
export const SnmpAuthProtocol = Type.Union([Type.Literal('sha'), Type.Literal('md5')]);
export type SnmpAuthProtocol = Static<typeof SnmpAuthProtocol>;
export const SnmpPrivProtocol = Type.Union([Type.Literal('aes'), Type.Literal('des')]);
export type SnmpPrivProtocol = Static<typeof SnmpPrivProtocol>;

// Printable ASCII without spaces: what a switch's CLI takes as a community or a USM pass phrase.
const Community = Text(64, { minLength: 1, pattern: '^[\\x21-\\x7E]+$' });
// RFC 3414 wants pass phrases of at least 8 characters (net-snmp refuses shorter ones).
const PassPhrase = Text(128, { minLength: 8, pattern: '^[\\x21-\\x7E]+$' });

/** SNMPv3's user-based security (RFC 3414): authNoPriv without `priv`, authPriv with it. */
export const SnmpV3Request = StrictObject({
  user: Text(64, { minLength: 1, pattern: '^[\\x21-\\x7E]+$' }),
  authProtocol: SnmpAuthProtocol,
  /** Write-only; left out when an edit keeps the stored one. */
  authKey: Type.Optional(PassPhrase),
  privProtocol: Type.Optional(Nullable(SnmpPrivProtocol)),
  /** Write-only; left out when an edit keeps the stored one. */
  privKey: Type.Optional(PassPhrase),
});
export type SnmpV3Request = Static<typeof SnmpV3Request>;

export const SaveSnmpNodeRequest = StrictObject({
  version: SnmpVersion,
  /** v2c's community; write-only, left out when an edit keeps the stored one. */
  community: Type.Optional(Community),
  v3: Type.Optional(SnmpV3Request),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65_535 })),
  /** Whether the 2nd line may bounce this node's ports (ifAdminStatus down, then up). */
  bounceAllowed: Type.Optional(Type.Boolean()),
  /** Seconds between polls of this node; null or absent: the global interval. */
  intervalSeconds: Type.Optional(Nullable(Type.Integer({ minimum: 10, maximum: 86_400 }))),
  /** The version edited, as listed; absent when adding a node. */
  settingsVersion: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type SaveSnmpNodeRequest = Static<typeof SaveSnmpNodeRequest>;

export const SnmpNodeView = StrictObject({
  node: SnmpNodeName,
  /** Null when no node of that name is on record (then it is not polled). */
  kind: Nullable(Type.String()),
  model: Nullable(Type.String()),
  managementIp: Nullable(Type.String()),
  version: SnmpVersion,
  port: Type.Integer(),
  bounceAllowed: Type.Boolean(),
  intervalSeconds: Nullable(Type.Integer()),
  v3: Nullable(
    StrictObject({
      user: Type.String(),
      authProtocol: SnmpAuthProtocol,
      privProtocol: Nullable(SnmpPrivProtocol),
    }),
  ),
  /** Whether the community (v2c) or the keys (v3) are stored, never their value. */
  credentialsSet: Type.Boolean(),
  /** Whether this server can open them (false after SETTINGS_KEY changed). */
  credentialsReadable: Type.Boolean(),
  settingsVersion: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Nullable(Type.String()),
});
export type SnmpNodeView = Static<typeof SnmpNodeView>;

/** The poller's global settings; each node may override the interval. */
export const SnmpPollingSettings = StrictObject({
  intervalSeconds: Type.Integer({ minimum: 10, maximum: 86_400 }),
  /** How long one request waits for the node's answer. */
  timeoutMs: Type.Integer({ minimum: 100, maximum: 60_000 }),
  /** Requests sent again after a timeout. */
  retries: Type.Integer({ minimum: 0, maximum: 5 }),
  /** After failures the wait doubles from the interval, up to this. */
  backoffMaxSeconds: Type.Integer({ minimum: 10, maximum: 86_400 }),
  /** Each wait moved by up to this share, so nodes do not fall into step. */
  jitterPercent: Type.Integer({ minimum: 0, maximum: 50 }),
  /** Nodes one instance polls at once. */
  concurrency: Type.Integer({ minimum: 1, maximum: 256 }),
});
export type SnmpPollingSettings = Static<typeof SnmpPollingSettings>;

export const SaveSnmpPollingRequest = StrictObject({
  ...SnmpPollingSettings.properties,
  /** `settingsVersion` as read; absent while the defaults are in force. */
  settingsVersion: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type SaveSnmpPollingRequest = Static<typeof SaveSnmpPollingRequest>;

export const SnmpSettingsView = StrictObject({
  polling: SnmpPollingSettings,
  /** 0 while the defaults are in force. */
  pollingVersion: Type.Integer(),
  nodes: Type.Array(SnmpNodeView),
});
export type SnmpSettingsView = Static<typeof SnmpSettingsView>;
