import type { AccountingRecord } from '../../modules/nas-sessions/service.js';
import type { RadiusAttribute, RadiusPacket } from './codec.js';
import {
  ACCT_INTERIM,
  ACCT_OFF,
  ACCT_ON,
  ACCT_START,
  ACCT_STOP,
  terminateCauseInWords,
  VENDOR_CISCO,
  VENDOR_DSL_FORUM,
  VENDOR_JUNIPER_ERX,
} from './dictionary.js';

const statuses = new Map<number, AccountingRecord['status']>([
  [ACCT_START, 'start'],
  [ACCT_INTERIM, 'interim'],
  [ACCT_STOP, 'stop'],
  [ACCT_ON, 'accounting_on'],
  [ACCT_OFF, 'accounting_off'],
]);

const first = (packet: RadiusPacket, name: string) => packet.attributes.find((attribute) => attribute.name === name);
const text = (attribute: RadiusAttribute | undefined) =>
  typeof attribute?.value === 'string' ? attribute.value : null;
const integer = (attribute: RadiusAttribute | undefined) =>
  typeof attribute?.value === 'number' ? attribute.value : null;

/** RFC 2869 §5.1: Gigawords counts the times Octets wrapped past 2^32. */
function bytesOf(packet: RadiusPacket, octets: string, gigawords: string): number | null {
  const low = integer(first(packet, octets));
  if (low === null) return null;
  return (integer(first(packet, gigawords)) ?? 0) * 2 ** 32 + low;
}

/** Option 82 sub-options (RFC 3046 §2.0): 1 Agent Circuit ID, 2 Agent Remote ID, each type-length-value. */
export function option82SubOptions(octets: Buffer): { circuitId: Buffer | null; remoteId: Buffer | null } {
  const found: { circuitId: Buffer | null; remoteId: Buffer | null } = { circuitId: null, remoteId: null };
  let at = 0;
  while (at + 2 <= octets.length) {
    const code = octets[at] as number;
    const length = octets[at + 1] as number;
    if (at + 2 + length > octets.length) break;
    const value = octets.subarray(at + 2, at + 2 + length);
    if (code === 1) found.circuitId = value;
    if (code === 2) found.remoteId = value;
    at += 2 + length;
  }
  return found;
}

/** Cisco's `circuit-id-tag=` / `remote-id-tag=` AV-pairs carry the sub-option in hex; text when not hex. */
export function ciscoTag(value: string): Buffer {
  return /^([0-9A-Fa-f]{2})+$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'latin1');
}

/**
 * Where the NAS relayed DHCP Option 82: RFC 4679's attributes (vendor 3561), Juniper ERX's whole
 * option (4874/159), or Cisco's AV-pairs. The first found of each wins.
 */
function option82Of(packet: RadiusPacket): { circuitId: Buffer | null; remoteId: Buffer | null } {
  let circuitId: Buffer | null = null;
  let remoteId: Buffer | null = null;
  for (const attribute of packet.attributes) {
    const octets = Buffer.isBuffer(attribute.value) ? attribute.value : null;
    if (attribute.vendor === VENDOR_DSL_FORUM && octets) {
      if (attribute.type === 1) circuitId ??= octets;
      if (attribute.type === 2) remoteId ??= octets;
    } else if (attribute.vendor === VENDOR_JUNIPER_ERX && attribute.type === 159 && octets) {
      const options = option82SubOptions(octets);
      circuitId ??= options.circuitId;
      remoteId ??= options.remoteId;
    } else if (attribute.vendor === VENDOR_CISCO && typeof attribute.value === 'string') {
      const [key, ...rest] = attribute.value.split('=');
      const value = rest.join('=');
      if (key === 'circuit-id-tag' && value) circuitId ??= ciscoTag(value);
      if (key === 'remote-id-tag' && value) remoteId ??= ciscoTag(value);
    }
  }
  return { circuitId, remoteId };
}

/**
 * The record a verified Accounting-Request carries, or null when it lacks what every record needs
 * (RFC 2866 §5: Acct-Status-Type, and Acct-Session-Id except for Accounting-On/Off).
 */
export function accountingRecordOf(packet: RadiusPacket, nas: string, arrivedAt: Date): AccountingRecord | null {
  const statusCode = integer(first(packet, 'Acct-Status-Type'));
  const status = statusCode === null ? undefined : statuses.get(statusCode);
  if (!status) return null;
  const sessionId = text(first(packet, 'Acct-Session-Id'));
  if (sessionId === null && status !== 'accounting_on' && status !== 'accounting_off') return null;
  const timestamp = first(packet, 'Event-Timestamp')?.value;
  // Whole seconds, so a record resent with a larger Acct-Delay-Time lands on the same instant.
  const eventAt =
    timestamp instanceof Date
      ? timestamp
      : new Date((Math.floor(arrivedAt.getTime() / 1000) - (integer(first(packet, 'Acct-Delay-Time')) ?? 0)) * 1000);
  const cause = integer(first(packet, 'Acct-Terminate-Cause'));
  return {
    nas,
    status,
    sessionId,
    eventAt,
    userName: text(first(packet, 'User-Name')),
    callingStationId: text(first(packet, 'Calling-Station-Id')),
    framedIp: text(first(packet, 'Framed-IP-Address')),
    framedIpv6Prefix: text(first(packet, 'Framed-IPv6-Prefix')),
    delegatedIpv6Prefix: text(first(packet, 'Delegated-IPv6-Prefix')),
    inputBytes: bytesOf(packet, 'Acct-Input-Octets', 'Acct-Input-Gigawords'),
    outputBytes: bytesOf(packet, 'Acct-Output-Octets', 'Acct-Output-Gigawords'),
    sessionSeconds: integer(first(packet, 'Acct-Session-Time')),
    terminateCause: cause === null ? null : { code: cause, words: terminateCauseInWords(cause) },
    ...option82Of(packet),
  };
}
