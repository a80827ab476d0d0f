import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountingRecordOf } from './accounting-record.js';
import {
  accountingRequest,
  accountingResponse,
  decodePacket,
  type RadiusPacket,
  requestAuthenticatorHolds,
  responseAuthenticatorHolds,
} from './codec.js';

const secret = Buffer.from('a shared secret of the NAS');

function decoded(bytes: Buffer): RadiusPacket {
  const result = decodePacket(bytes);
  if (!result.ok) throw new Error(result.reason);
  return result.packet;
}

describe('decoding a datagram', () => {
  it('never throws, whatever the octets: a malformed datagram is a reason to drop it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (octets) => {
        const result = decodePacket(Buffer.from(octets));
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws on a well-formed header with any attributes after it, vendor-specific ones included', () => {
    const attribute = fc.oneof(
      fc
        .tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 }))
        .map(([type, value]) => Buffer.concat([Buffer.from([type, value.length + 2]), value])),
      fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.uint8Array({ maxLength: 40 })).map(([vendor, value]) => {
        const id = Buffer.alloc(4);
        id.writeUInt32BE(vendor);
        return Buffer.concat([Buffer.from([26, value.length + 6]), id, value]);
      }),
      fc.uint8Array({ maxLength: 6 }).map((octets) => Buffer.from(octets)),
    );
    fc.assert(
      fc.property(fc.array(attribute, { maxLength: 12 }), fc.integer({ min: -4, max: 4 }), (attributes, skew) => {
        const body = Buffer.concat(attributes);
        const header = Buffer.alloc(20);
        header[0] = 4;
        header.writeUInt16BE(Math.max(0, Math.min(65_535, 20 + body.length + skew)), 2);
        const result = decodePacket(Buffer.concat([header, body]));
        if (result.ok) accountingRecordOf(result.packet, 'nas', new Date());
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a datagram shorter than its Length field, and ignores padding past it (RFC 2865 §3)', () => {
    const packet = accountingRequest(
      7,
      [
        ['Acct-Status-Type', 1],
        ['Acct-Session-Id', 'abc'],
      ],
      secret,
    );
    expect(decodePacket(packet.subarray(0, packet.length - 1))).toEqual({ ok: false, reason: 'bad_length' });
    const padded = decoded(Buffer.concat([packet, Buffer.from([1, 2, 3])]));
    expect(padded.bytes.length).toBe(packet.length);
    expect(requestAuthenticatorHolds(padded, secret)).toBe(true);
    expect(decodePacket(Buffer.alloc(19))).toEqual({ ok: false, reason: 'short' });
  });

  it('refuses an attribute whose length runs past the packet or is below 2', () => {
    const packet = accountingRequest(1, [['User-Name', 'p1']], secret);
    const broken = Buffer.from(packet);
    broken[21] = 200;
    expect(decodePacket(broken)).toEqual({ ok: false, reason: 'bad_attribute' });
    broken[21] = 1;
    expect(decodePacket(broken)).toEqual({ ok: false, reason: 'bad_attribute' });
  });
});

describe('authenticators (RFC 2866 §3, §4.2)', () => {
  it('holds for the secret the request was signed with, and not for another or a changed octet', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 255 }), (name, id) => {
        const packet = accountingRequest(
          id,
          [
            ['User-Name', name],
            ['Acct-Status-Type', 3],
          ],
          secret,
        );
        expect(requestAuthenticatorHolds(decoded(packet), secret)).toBe(true);
        expect(requestAuthenticatorHolds(decoded(packet), Buffer.from('another secret'))).toBe(false);
        const changed = Buffer.from(packet);
        changed.writeUInt8((changed.at(-1) ?? 0) ^ 1, changed.length - 1);
        expect(requestAuthenticatorHolds(decoded(changed), secret)).toBe(false);
      }),
    );
  });

  it('signs the Accounting-Response over the request authenticator, with the request identifier', () => {
    const request = decoded(accountingRequest(42, [['Acct-Status-Type', 1]], secret));
    const response = accountingResponse(request, secret);
    expect([response[0], response[1], response.readUInt16BE(2)]).toEqual([5, 42, 20]);
    expect(responseAuthenticatorHolds(response, request, secret)).toBe(true);
    expect(responseAuthenticatorHolds(response, request, Buffer.from('wrong'))).toBe(false);
  });
});

describe('attributes', () => {
  it('reads the standard, RFC 2869 and IPv6 attributes by their FreeRADIUS names', () => {
    const packet = decoded(
      accountingRequest(
        1,
        [
          ['Acct-Status-Type', 3],
          ['Acct-Session-Id', '81a00003'],
          ['Framed-IP-Address', '100.64.0.7'],
          ['Framed-IPv6-Prefix', '2001:db8:0:1::/64'],
          ['Delegated-IPv6-Prefix', '2001:db8:ff00::/56'],
          ['Event-Timestamp', new Date('2026-12-06T09:00:00Z')],
        ],
        secret,
      ),
    );
    const byName = Object.fromEntries(packet.attributes.map((attribute) => [attribute.name, attribute.value]));
    expect(byName).toMatchObject({
      'Acct-Status-Type': 3,
      'Acct-Session-Id': '81a00003',
      'Framed-IP-Address': '100.64.0.7',
      'Framed-IPv6-Prefix': '2001:db8:0:1::/64',
      'Delegated-IPv6-Prefix': '2001:db8:ff00::/56',
      'Event-Timestamp': new Date('2026-12-06T09:00:00Z'),
    });
  });

  it('keeps an unknown vendor attribute raw, and a vendor attribute that does not split into sub-attributes whole', () => {
    const packet = decoded(
      accountingRequest(
        1,
        [
          { vendor: 99_999, type: 5, value: Buffer.from('x') },
          { vendor: 9, type: 249, value: Buffer.from([1]) },
          ['Acct-Status-Type', 1],
        ],
        secret,
      ),
    );
    expect(packet.attributes.map((attribute) => attribute.name)).toEqual([
      'Vendor-99999-Attr-5',
      'Vendor-9-Attr-249',
      'Acct-Status-Type',
    ]);
    const odd = Buffer.from(accountingRequest(1, [{ vendor: 14988, type: 8, value: Buffer.from('10M/10M') }], secret));
    odd[27] = 99; // the sub-attribute's length now runs past the vendor attribute
    expect(decoded(odd).attributes[0]?.name).toBe('Vendor-14988');
  });
});

describe('the accounting record a packet carries', () => {
  const arrived = new Date('2026-12-06T09:00:10.700Z');
  const record = (attributes: Parameters<typeof accountingRequest>[1]) =>
    accountingRecordOf(decoded(accountingRequest(1, attributes, secret)), 'bras-1', arrived);

  it('adds the Gigawords to the octets (RFC 2869 §5.1) and names the terminate cause in words', () => {
    const stop = record([
      ['Acct-Status-Type', 2],
      ['Acct-Session-Id', 's1'],
      ['Acct-Input-Octets', 5],
      ['Acct-Input-Gigawords', 3],
      ['Acct-Output-Octets', 7],
      ['Acct-Terminate-Cause', 20],
    ]);
    expect(stop).toMatchObject({
      status: 'stop',
      inputBytes: 3 * 2 ** 32 + 5,
      outputBytes: 7,
      terminateCause: { code: 20, words: 'Reauthentication Failure' },
    });
    expect(
      record([
        ['Acct-Status-Type', 2],
        ['Acct-Session-Id', 's'],
        ['Acct-Terminate-Cause', 1],
      ])?.terminateCause,
    ).toEqual({ code: 1, words: 'User Request' });
  });

  it('dates the event by Event-Timestamp, else by arrival minus Acct-Delay-Time in whole seconds', () => {
    expect(
      record([
        ['Acct-Status-Type', 1],
        ['Acct-Session-Id', 's'],
        ['Acct-Delay-Time', 4],
      ])?.eventAt,
    ).toEqual(new Date('2026-12-06T09:00:06Z'));
    const stamped = new Date('2026-12-06T08:59:00Z');
    expect(
      record([
        ['Acct-Status-Type', 1],
        ['Acct-Session-Id', 's'],
        ['Event-Timestamp', stamped],
        ['Acct-Delay-Time', 4],
      ])?.eventAt,
    ).toEqual(stamped);
  });

  it('finds Option 82 in the Cisco AV-pairs (hex), RFC 4679 attributes and Juniper ERX option', () => {
    const base: Parameters<typeof accountingRequest>[1] = [
      ['Acct-Status-Type', 1],
      ['Acct-Session-Id', 's'],
    ];
    expect(
      record([
        ...base,
        ['Cisco-AVPair', `circuit-id-tag=${Buffer.from('eth 0/0/3:1001').toString('hex')}`],
        ['Cisco-AVPair', 'remote-id-tag=001122334455'],
      ]),
    ).toMatchObject({ circuitId: Buffer.from('eth 0/0/3:1001'), remoteId: Buffer.from('001122334455', 'hex') });
    expect(
      record([
        ...base,
        ['ADSL-Agent-Circuit-Id', Buffer.from('gpon 0/1:5')],
        ['ADSL-Agent-Remote-Id', Buffer.from('olt-1')],
      ]),
    ).toMatchObject({ circuitId: Buffer.from('gpon 0/1:5'), remoteId: Buffer.from('olt-1') });
    const option82 = Buffer.concat([Buffer.from([1, 3]), Buffer.from('p12'), Buffer.from([2, 2, 0xab, 0xcd])]);
    expect(record([...base, ['ERX-Dhcp-Option-82', option82]])).toMatchObject({
      circuitId: Buffer.from('p12'),
      remoteId: Buffer.from([0xab, 0xcd]),
    });
  });

  it('is none without Acct-Status-Type, or without Acct-Session-Id unless it is Accounting-On/Off', () => {
    expect(record([['Acct-Session-Id', 's']])).toBeNull();
    expect(record([['Acct-Status-Type', 3]])).toBeNull();
    expect(record([['Acct-Status-Type', 7]])).toMatchObject({ status: 'accounting_on', sessionId: null });
  });
});
