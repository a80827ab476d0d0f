import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { huaweiGponIfIndex, ifIndexOnRecord, ifIndexOnWire } from './mib.js';
import { huaweiDbm, huaweiDownCause, zteDbm, zteState } from './olt.js';
import { macOfInstance } from './poll.js';
import { meaningOf, trapOidOf } from './trap-decode.js';

const TRAP_V2 = 167;
const TRAP_V1 = 164;
const trapOid = (oid: string) => ({ oid: '1.3.6.1.6.3.1.1.4.1.0', value: oid });
const upTime = { oid: '1.3.6.1.2.1.1.3.0', value: 100 };

describe('reading traps', () => {
  it('reads a v2 linkDown with its ifIndex, ifAdminStatus and ifOperStatus varbinds', () => {
    const meaning = meaningOf({
      type: TRAP_V2,
      varbinds: [
        upTime,
        trapOid('1.3.6.1.6.3.1.1.5.3'),
        { oid: '1.3.6.1.2.1.2.2.1.1.7', value: 7 },
        { oid: '1.3.6.1.2.1.2.2.1.7.7', value: 2 },
        { oid: '1.3.6.1.2.1.2.2.1.8.7', value: 2 },
      ],
    });
    expect(meaning).toEqual({
      kind: 'link',
      observation: { kind: 'port', ifIndex: 7, adminStatus: 'down', operStatus: 'down' },
    });
  });

  it('reads a v1 linkUp (generic 3) with only ifIndex as up, and names its trap as SNMPv2 does', () => {
    const pdu = {
      type: TRAP_V1,
      generic: 3,
      specific: 0,
      enterprise: '1.3.6.1.4.1.171',
      varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.1.12', value: 12 }],
    };
    expect(meaningOf(pdu)).toEqual({ kind: 'link', observation: { kind: 'port', ifIndex: 12, operStatus: 'up' } });
    expect(trapOidOf(pdu)).toBe('1.3.6.1.6.3.1.1.5.4');
    expect(trapOidOf({ type: TRAP_V1, generic: 6, specific: 18, enterprise: '1.3.6.1.4.1.2011', varbinds: [] })).toBe(
      '1.3.6.1.4.1.2011.0.18',
    );
  });

  it("reads a ZTE dying gasp's ONU from its zxGponOntDevMgmtName instance", () => {
    const meaning = meaningOf({
      type: TRAP_V2,
      varbinds: [
        upTime,
        trapOid('1.3.6.1.4.1.3902.1012.3.45.123'),
        { oid: '1.3.6.1.2.1.2.2.1.1.268501248', value: 268501248 },
        { oid: '1.3.6.1.4.1.3902.1012.3.28.1.1.2.268501248.5', value: Buffer.from('flat-12') },
      ],
    });
    expect(meaning).toMatchObject({
      kind: 'ont',
      observation: { ifIndex: 268501248, ontId: 5, state: 'offline', lastDownCause: 'dying-gasp' },
    });
  });

  it('never throws on any trap, and says "other" for what it does not read', () => {
    const varbind = fc.record({
      oid: fc.array(fc.nat({ max: 5000 }), { minLength: 1, maxLength: 14 }).map((parts) => parts.join('.')),
      value: fc.oneof(
        fc.integer(),
        fc.string(),
        fc.constant(null),
        fc.uint8Array().map((bytes) => Buffer.from(bytes)),
      ),
    });
    fc.assert(
      fc.property(
        fc.record({
          type: fc.constantFrom(TRAP_V1, TRAP_V2, 166),
          generic: fc.option(fc.integer({ min: -1, max: 7 }), { nil: undefined }),
          specific: fc.option(fc.integer(), { nil: undefined }),
          enterprise: fc.option(fc.constant('1.3.6.1.4.1.9'), { nil: undefined }),
          varbinds: fc.array(varbind, { maxLength: 8 }),
        }),
        (pdu) => {
          const meaning = meaningOf(pdu);
          expect(['link', 'ont', 'other']).toContain(meaning.kind);
          if (meaning.kind !== 'other') expect(Number.isInteger(meaning.observation.ifIndex)).toBe(true);
        },
      ),
    );
  });
});

describe("reading the vendors' numbers", () => {
  it('keeps any 32-bit ifIndex on record within a signed integer, and gives it back on the wire', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0xffffffff }), (wire) => {
        const onRecord = ifIndexOnRecord(wire);
        expect(onRecord).toBeGreaterThanOrEqual(-0x80000000);
        expect(onRecord).toBeLessThanOrEqual(0x7fffffff);
        expect(ifIndexOnWire(onRecord)).toBe(wire);
      }),
    );
    expect(huaweiGponIfIndex(0, 1, 0)).toBe(4194312192);
  });

  it('reads a MAC from the six octets of a forwarding entry, and nothing else', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }), (octets) => {
        const mac = macOfInstance(octets.map(String));
        expect(mac?.split(':').map((hex) => Number.parseInt(hex, 16))).toEqual(octets);
      }),
    );
    expect(macOfInstance(['1', '2', '3'])).toBeNull();
    expect(macOfInstance(['1', '2', '3', '4', '5', '256'])).toBeNull();
  });

  it("scales the OLTs' levels to dBm, and reads their 'none' values as none", () => {
    expect(huaweiDbm(-2150)).toBe(-21.5);
    expect(huaweiDbm(2147483647)).toBeNull();
    expect(zteDbm(4250)).toBe(-21.5);
    expect(zteDbm(65535)).toBeNull();
    expect(zteDbm(0)).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65534 }), (raw) => {
        const dbm = zteDbm(raw) as number;
        expect(dbm).toBeGreaterThan(-30);
        expect(dbm).toBeLessThan(101.07);
      }),
    );
  });

  it("names the OLTs' down causes as the card does", () => {
    expect(huaweiDownCause(13)).toBe('dying-gasp');
    expect(huaweiDownCause(1)).toBe('los');
    expect(huaweiDownCause(-1)).toBeUndefined();
    expect(zteState(4)).toEqual({ state: 'offline', lastDownCause: 'dying-gasp' });
    expect(zteState(3)).toEqual({ state: 'online' });
    expect(zteState(2)).toEqual({});
  });
});
