import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { eventIssues, toPbxEvent, type WireEvent, WireEventBatch } from './wire.js';

// As src/server/validation.ts compiles body schemas: no coercion, unknown fields refused.
const validate = addFormats
  .default(new Ajv({ allErrors: false, removeAdditional: false, useDefaults: true, strict: false, coerceTypes: false }))
  .compile(WireEventBatch);

const now = new Date('2026-03-02T09:00:00Z');
const offered: WireEvent = {
  id: 'ev-1',
  type: 'offered',
  callId: '1709370000.17',
  timestamp: '2026-03-02T13:59:58+05:00',
  from: '+73432000001',
  to: '+73432000000',
};

describe('the wire events', () => {
  it('accepts an RFC 3339 time with its offset, and refuses one without', () => {
    for (const timestamp of ['2026-03-02T09:00:00Z', '2026-03-02t09:00:00.123456z', '2026-03-02T14:00:00+05:00']) {
      expect(validate({ events: [{ ...offered, timestamp }] }), timestamp).toBe(true);
    }
    for (const timestamp of [
      '2026-03-02T09:00:00',
      '2026-03-02 09:00:00Z',
      '1709370000',
      '2026-03-02',
      '2026-13-02T09:00:00Z',
    ]) {
      expect(validate({ events: [{ ...offered, timestamp }] }), timestamp).toBe(false);
    }
  });

  it('refuses unknown fields, a bare event without the list, and an empty list', () => {
    expect(validate({ events: [{ ...offered, caller: 'x' }] })).toBe(false);
    expect(validate({ events: [offered], more: 1 })).toBe(false);
    expect(validate(offered)).toBe(false);
    expect(validate({ events: [] })).toBe(false);
  });

  it('wants each type’s own fields and no other type’s', () => {
    const ended: WireEvent = { id: 'ev-2', type: 'ended', callId: 'c', timestamp: '2026-03-02T09:00:00Z' };
    expect(eventIssues(offered, 'body/events/0', now, 300)).toEqual([]);
    expect(eventIssues(ended, 'e', now, 300)).toEqual([]);
    expect(eventIssues({ ...ended, digits: '1' }, 'e', now, 300)).toEqual([
      { path: 'e/digits', message: "not a field of 'ended' events" },
    ]);
    expect(eventIssues({ ...ended, type: 'dtmf' }, 'e', now, 300)).toEqual([
      { path: 'e/digits', message: "required in 'dtmf' events" },
    ]);
    expect(eventIssues({ ...ended, type: 'recording' }, 'e', now, 300)).toEqual([
      { path: 'e/recordingUrl', message: "required in 'recording' events" },
    ]);
    expect(eventIssues({ ...ended, type: 'unanswered' }, 'e', now, 300)).toEqual([
      { path: 'e/agentExtension', message: "required in 'unanswered' events" },
    ]);
    expect(eventIssues({ ...ended, type: 'unanswered', agentExtension: '101' }, 'e', now, 300)).toEqual([]);
  });

  it('refuses an event dated more than the tolerance ahead of the clock, never one from the past', () => {
    const at = (timestamp: string) => eventIssues({ ...offered, timestamp }, 'e', now, 300);
    expect(at('2026-03-02T09:05:00Z')).toEqual([]);
    expect(at('2026-03-02T09:05:01Z')).toEqual([
      { path: 'e/timestamp', message: "more than 300 s ahead of Linedesk's clock" },
    ]);
    expect(at('2025-03-02T09:00:00Z')).toEqual([]);
  });

  it('becomes the contacts module’s event: the menu choice picks the line before the number dialled', () => {
    expect(toPbxEvent(offered)).toEqual({
      kind: 'offered',
      eventId: 'ev-1',
      callId: '1709370000.17',
      at: new Date('2026-03-02T08:59:58Z'),
      from: '+73432000001',
      dialled: '+73432000000',
      agentExtension: null,
    });
    expect(toPbxEvent({ ...offered, menuChoice: '2', from: undefined })).toMatchObject({ dialled: '2', from: null });
    expect(
      toPbxEvent({
        id: 'r',
        type: 'recording',
        callId: 'c',
        timestamp: offered.timestamp,
        recordingUrl: 'https://pbx/r.wav',
      }),
    ).toMatchObject({ kind: 'recording', url: 'https://pbx/r.wav' });
    expect(
      toPbxEvent({ id: 'u', type: 'unanswered', callId: 'c', timestamp: offered.timestamp, agentExtension: '101' }),
    ).toEqual({
      kind: 'unanswered',
      eventId: 'u',
      callId: 'c',
      at: new Date('2026-03-02T08:59:58Z'),
      agentExtension: '101',
    });
    expect(toPbxEvent({ id: 'd', type: 'dtmf', callId: 'c', timestamp: offered.timestamp, digits: '1' })).toMatchObject(
      {
        kind: 'dtmf',
        digits: '1',
      },
    );
  });
});
