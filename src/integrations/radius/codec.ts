import { createHash, timingSafeEqual } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { type AttributeDefinition, type AttributeKind, standardAttributes, vendorAttributes } from './dictionary.js';

/**
 * RADIUS packets (RFC 2865 §3, §5; RFC 2866 §3-4). Written here rather than taken from npm: the
 * `radius` package (1.1.4, last published 2018) throws on malformed input, reads dictionaries from
 * files at run time and knows neither RFC 4818 nor the DSL Forum's attributes; the codec is small,
 * and a listener facing the network needs one that never throws.
 */

export const CODE_ACCOUNTING_REQUEST = 4;
export const CODE_ACCOUNTING_RESPONSE = 5;

/** RFC 2865 §3: a packet is 20 to 4096 octets; octets past its Length are padding, ignored. */
const HEADER = 20;
const MAX_LENGTH = 4096;
const VENDOR_SPECIFIC = 26;

export type AttributeValue = string | number | Date | Buffer;

export interface RadiusAttribute {
  /** The FreeRADIUS name, or `Attr-<type>` / `Vendor-<vendor>-Attr-<type>` for one no dictionary lists. */
  name: string;
  type: number;
  vendor: number | null;
  value: AttributeValue;
  raw: Buffer;
}

export interface RadiusPacket {
  code: number;
  identifier: number;
  authenticator: Buffer;
  attributes: RadiusAttribute[];
  /** The packet's octets up to its Length: what the authenticator covers. */
  bytes: Buffer;
}

export type DecodeResult =
  | { ok: true; packet: RadiusPacket }
  | { ok: false; reason: 'short' | 'bad_length' | 'bad_attribute' };

/** Never throws, whatever the datagram: a malformed one is a reason, for a counter. */
export function decodePacket(datagram: Buffer): DecodeResult {
  if (datagram.length < HEADER) return { ok: false, reason: 'short' };
  const length = datagram.readUInt16BE(2);
  // RFC 2865 §3: shorter than its Length field says → silently discarded.
  if (length < HEADER || length > MAX_LENGTH || length > datagram.length) return { ok: false, reason: 'bad_length' };
  const bytes = datagram.subarray(0, length);
  const attributes: RadiusAttribute[] = [];
  let at = HEADER;
  while (at < length) {
    if (at + 2 > length) return { ok: false, reason: 'bad_attribute' };
    const type = bytes[at] as number;
    const attributeLength = bytes[at + 1] as number;
    if (attributeLength < 2 || at + attributeLength > length) return { ok: false, reason: 'bad_attribute' };
    const raw = bytes.subarray(at + 2, at + attributeLength);
    if (type === VENDOR_SPECIFIC) attributes.push(...vendorSpecific(raw));
    else attributes.push(attributeOf(type, null, standardAttributes.get(type), raw));
    at += attributeLength;
  }
  return {
    ok: true,
    packet: {
      code: bytes[0] as number,
      identifier: bytes[1] as number,
      authenticator: bytes.subarray(4, HEADER),
      attributes,
      bytes,
    },
  };
}

/**
 * RFC 2865 §5.26: vendor id, then (by the RFC's suggestion, which Cisco, Juniper, MikroTik and the
 * DSL Forum follow) type-length-value sub-attributes. Data that does not split that way is kept
 * whole and raw: a vendor's odd attribute never loses the packet.
 */
function vendorSpecific(raw: Buffer): RadiusAttribute[] {
  if (raw.length < 4) return [attributeOf(VENDOR_SPECIFIC, null, undefined, raw)];
  const vendor = raw.readUInt32BE(0);
  const dictionary = vendorAttributes.get(vendor)?.attributes;
  const found: RadiusAttribute[] = [];
  let at = 4;
  while (at < raw.length) {
    const type = raw[at] as number;
    const length = raw[at + 1];
    if (length === undefined || length < 2 || at + length > raw.length) {
      return [
        { name: `Vendor-${vendor}`, type: VENDOR_SPECIFIC, vendor, value: raw.subarray(4), raw: raw.subarray(4) },
      ];
    }
    found.push(attributeOf(type, vendor, dictionary?.get(type), raw.subarray(at + 2, at + length)));
    at += length;
  }
  return found;
}

function attributeOf(
  type: number,
  vendor: number | null,
  definition: AttributeDefinition | undefined,
  raw: Buffer,
): RadiusAttribute {
  const value = definition ? decodedValue(definition.kind, raw) : undefined;
  if (definition && value !== undefined) return { name: definition.name, type, vendor, value, raw };
  // Unknown, or a value its kind cannot hold (an integer of 3 octets): kept raw under a plain name.
  const name = vendor === null ? `Attr-${type}` : `Vendor-${vendor}-Attr-${type}`;
  return { name, type, vendor, value: raw, raw };
}

function decodedValue(kind: AttributeKind, raw: Buffer): AttributeValue | undefined {
  switch (kind) {
    case 'string':
      return raw.toString('utf8');
    case 'octets':
      return raw;
    case 'integer':
      return raw.length === 4 ? raw.readUInt32BE(0) : undefined;
    case 'date':
      return raw.length === 4 ? new Date(raw.readUInt32BE(0) * 1000) : undefined;
    case 'ipaddr':
      return raw.length === 4 ? [...raw].join('.') : undefined;
    case 'ipv6addr':
      return raw.length === 16 ? ipv6Text(raw) : undefined;
    case 'ifid':
      return raw.length === 8 ? raw.toString('hex') : undefined;
    case 'ipv6prefix':
      return ipv6PrefixText(raw);
  }
}

/** RFC 3162 §2.3: reserved octet, prefix length, then only as many prefix octets as it needs. */
function ipv6PrefixText(raw: Buffer): string | undefined {
  if (raw.length < 2 || raw.length > 18) return undefined;
  const bits = raw[1] as number;
  if (bits > 128 || raw.length - 2 < Math.ceil(bits / 8)) return undefined;
  const address = Buffer.alloc(16);
  raw.copy(address, 0, 2, 2 + Math.min(16, Math.ceil(bits / 8)));
  return `${ipv6Text(address)}/${bits}`;
}

/** RFC 5952's form: lower case, no leading zeros, the longest run of zero groups as `::`. */
export function ipv6Text(address: Buffer): string {
  const groups = Array.from({ length: 8 }, (_, i) => address.readUInt16BE(i * 2));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function ipv6Bytes(text: string): Buffer {
  if (!isIPv6(text)) throw new Error(`not an IPv6 address: ${text}`);
  const [head = '', tail] = text.split('::');
  const part = (s: string) => (s === '' ? [] : s.split(':').map((group) => Number.parseInt(group, 16)));
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const groups = [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((group, i) => {
    out.writeUInt16BE(group, i * 2);
  });
  return out;
}

const md5 = (...parts: Buffer[]) => {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/**
 * RFC 2866 §3: the Request Authenticator is MD5(Code + Identifier + Length + 16 zero octets +
 * Attributes + Secret). Compared in constant time.
 */
export function requestAuthenticatorHolds(packet: RadiusPacket, secret: Buffer): boolean {
  const header = Buffer.from(packet.bytes.subarray(0, 4));
  const expected = md5(header, Buffer.alloc(16), packet.bytes.subarray(HEADER), secret);
  return timingSafeEqual(expected, packet.authenticator);
}

/**
 * The Accounting-Response (RFC 2866 §4.2), without attributes: its authenticator is
 * MD5(Code + Identifier + Length + Request Authenticator + Attributes + Secret).
 */
export function accountingResponse(request: RadiusPacket, secret: Buffer): Buffer {
  const response = Buffer.alloc(HEADER);
  response[0] = CODE_ACCOUNTING_RESPONSE;
  response[1] = request.identifier;
  response.writeUInt16BE(HEADER, 2);
  md5(response.subarray(0, 4), request.authenticator, secret).copy(response, 4);
  return response;
}

/** Whether an Accounting-Response answers `request` under `secret` (what a NAS checks). */
export function responseAuthenticatorHolds(
  response: Buffer,
  request: Pick<RadiusPacket, 'authenticator'>,
  secret: Buffer,
): boolean {
  if (response.length < HEADER) return false;
  const expected = md5(response.subarray(0, 4), request.authenticator, response.subarray(HEADER), secret);
  return timingSafeEqual(expected, response.subarray(4, HEADER));
}

export type AttributeToSend = [name: string, value: AttributeValue] | { vendor: number; type: number; value: Buffer };

const byName = new Map<string, { type: number; vendor: number | null; kind: AttributeKind }>();
for (const [type, definition] of standardAttributes) byName.set(definition.name, { type, vendor: null, ...definition });
for (const [vendor, { attributes }] of vendorAttributes) {
  for (const [type, definition] of attributes) byName.set(definition.name, { type, vendor, ...definition });
}

function encodeValue(kind: AttributeKind, value: AttributeValue): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Date) return encodeValue('integer', Math.floor(value.getTime() / 1000));
  if (typeof value === 'number') {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(value >>> 0);
    return out;
  }
  if (kind === 'ipaddr' && isIPv4(value)) return Buffer.from(value.split('.').map(Number));
  if (kind === 'ipv6addr') return ipv6Bytes(value);
  if (kind === 'ipv6prefix') {
    const [address = '', bits = '128'] = value.split('/');
    const length = Number(bits);
    return Buffer.concat([Buffer.from([0, length]), ipv6Bytes(address).subarray(0, Math.ceil(length / 8))]);
  }
  return Buffer.from(value, 'utf8');
}

/** One attribute on the wire: by its dictionary name, or a vendor's raw sub-attribute. */
export function encodeAttribute(attribute: AttributeToSend): Buffer {
  let type: number;
  let vendor: number | null;
  let value: Buffer;
  if (Array.isArray(attribute)) {
    const [name, given] = attribute;
    const definition = byName.get(name);
    if (!definition) throw new Error(`no dictionary lists ${name}`);
    ({ type, vendor } = definition);
    value = encodeValue(definition.kind, given);
  } else {
    ({ type, vendor, value } = attribute);
  }
  const tlv = Buffer.concat([Buffer.from([type, value.length + 2]), value]);
  if (vendor === null) return tlv;
  const vendorId = Buffer.alloc(4);
  vendorId.writeUInt32BE(vendor);
  return Buffer.concat([Buffer.from([VENDOR_SPECIFIC, tlv.length + 6]), vendorId, tlv]);
}

/** An Accounting-Request signed with `secret`, as a NAS sends it (for tests and the simulator). */
export function accountingRequest(identifier: number, attributes: AttributeToSend[], secret: Buffer): Buffer {
  const body = Buffer.concat(attributes.map(encodeAttribute));
  const header = Buffer.from([CODE_ACCOUNTING_REQUEST, identifier, 0, 0]);
  header.writeUInt16BE(HEADER + body.length, 2);
  const authenticator = md5(header, Buffer.alloc(16), body, secret);
  return Buffer.concat([header, authenticator, body]);
}
