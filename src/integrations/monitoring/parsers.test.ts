import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from './alertmanager.js';
import { alertFromLibrenms, readLibrenmsBody } from './librenms.js';
import { MalformedAlert, parseInstant, parseLocalTime } from './malformed.js';
import { alertFromZabbix } from './zabbix.js';

describe("Alertmanager's fingerprint when the body has none", () => {
  it('is the one prometheus/common gives a label set (its own test vectors)', () => {
    // prometheus/common model/signature_test.go: 14695981039346656037 and 5799056148416392346.
    expect(fingerprintOf({})).toBe('cbf29ce484222325');
    expect(fingerprintOf({ name: 'garland, briggs', fear: 'love is not enough' })).toBe('507a62d79ee76c9a');
  });

  it('does not depend on the order the labels came in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string()), (labels) => {
        const reversed = Object.fromEntries(Object.entries(labels).reverse());
        expect(fingerprintOf(reversed)).toBe(fingerprintOf(labels));
      }),
    );
  });
});

describe('times', () => {
  it("reads Alertmanager's RFC 3339 with nanoseconds and any zone", () => {
    expect(parseInstant('2018-08-03T09:52:26.739266876+02:00', 'x').toISOString()).toBe('2018-08-03T07:52:26.739Z');
    expect(parseInstant('2026-12-06T04:50:00Z', 'x').toISOString()).toBe('2026-12-06T04:50:00.000Z');
    expect(() => parseInstant('2026-12-06 04:50:00', 'x')).toThrow(MalformedAlert);
  });

  it("reads a zone-less local time in the ISP's zone, across a change of summer time", () => {
    expect(parseLocalTime('2026.12.06', '10:15:03', 'Asia/Yekaterinburg', 'x').toISOString()).toBe(
      '2026-12-06T05:15:03.000Z',
    );
    expect(parseLocalTime('2026-07-01', '12:00:00', 'Europe/Berlin', 'x').toISOString()).toBe(
      '2026-07-01T10:00:00.000Z',
    );
    expect(parseLocalTime('2026-12-01', '12:00:00', 'Europe/Berlin', 'x').toISOString()).toBe(
      '2026-12-01T11:00:00.000Z',
    );
    for (const [date, time] of [
      ['06.12.2026', '10:15:03'],
      ['2026.12.06', '25:00:00'],
      ['2026.13.06', '10:15:03'],
    ]) {
      expect(() => parseLocalTime(date as string, time as string, 'Asia/Yekaterinburg', 'x')).toThrow(MalformedAlert);
    }
  });
});

describe('a Zabbix notification', () => {
  const at = new Date('2026-12-06T06:00:00Z');
  it('reads "{MACRO}" and "*UNKNOWN*" as absent', () => {
    const alert = alertFromZabbix(
      {
        event_id: '77',
        event_value: '0',
        event_date: '2026.12.06',
        event_time: '10:00:00',
        event_recovery_date: '{EVENT.RECOVERY.DATE}',
        event_recovery_time: '{EVENT.RECOVERY.TIME}',
        event_ack_status: '{EVENT.ACK.STATUS}',
        host_host: 'sw-1',
        host_ip: '*UNKNOWN*',
        event_name: '{EVENT.NAME}',
      },
      'Asia/Yekaterinburg',
      at,
    );
    expect(alert).toEqual({
      source: 'zabbix',
      externalId: '77',
      identifiers: ['sw-1'],
      name: 'Zabbix problem',
      severity: null,
      status: 'resolved',
      summary: null,
      startedAt: new Date('2026-12-06T05:00:00Z'),
      endedAt: null,
    });
  });
});

/** The shipped body filled in as LibreNMS fills it: each `{{ $name }}` replaced by the value as it is. */
const template = fs.readFileSync(new URL('./shipped/librenms-api-transport-body.txt', import.meta.url), 'utf8');
const fill = (values: Record<string, string>) =>
  template.replace(/{{ \$?([a-zA-Z0-9\-_.:]+)(\|[^}]+)? }}/g, (_match, name: string) => values[name] ?? '');

describe('a LibreNMS body', () => {
  // Backslashes aside: a body that happens to be valid JSON is read as JSON, escapes and all.
  it('gives back every value the template was filled with, whatever quotes, commas or lines are in them', () => {
    const text = fc
      .string({ unit: fc.constantFrom('a', 'Z', '"', ',', ':', '{', '}', ' ', '\n', 'ё', '=') })
      .map((value) => value.trim())
      .filter((value) => !value.startsWith('"') && !value.endsWith('"') && !value.endsWith(','));
    fc.assert(
      fc.property(text, text, (title, name) => {
        const fields = readLibrenmsBody(
          fill({ alert_id: '5', state: '1', title, name, timestamp: '2026-12-06 10:00:00' }),
        );
        expect(fields.title).toBe(title);
        expect(fields.name).toBe(name);
        expect(fields.alert_id).toBe('5');
        expect(fields.state).toBe('1');
      }),
    );
  });

  it('reads states 0 to 5 as LibreNMS means them', () => {
    const read = (state: string) =>
      alertFromLibrenms(
        readLibrenmsBody(fill({ alert_id: '9', state, timestamp: '2026-12-06 10:00:00', hostname: 'sw-1' })),
        'Asia/Yekaterinburg',
      );
    expect(read('0')).toMatchObject({ status: 'resolved', endedAt: new Date('2026-12-06T05:00:00Z') });
    expect(read('1')).toMatchObject({ status: 'firing', endedAt: null });
    expect(read('1')).not.toHaveProperty('acknowledged');
    expect(read('2')).toMatchObject({ status: 'firing', acknowledged: true });
    for (const state of ['3', '4', '5']) expect(read(state)).toMatchObject({ status: 'firing' });
    expect(() => read('6')).toThrow(MalformedAlert);
  });
});
