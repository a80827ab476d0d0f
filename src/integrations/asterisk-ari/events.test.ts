import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callerNumberOf, dialledOf, readAriEvent } from './events.js';
import type { Channel } from './models.js';

// A Channel as channels.json describes it, as Asterisk 20 sends it in a StasisStart.
const channel: Channel = {
  id: '1764061200.42',
  protocol_id: '',
  name: 'PJSIP/trunk-00000002',
  state: 'Ring',
  caller: { name: '', number: '+79122345678' },
  connected: { name: '', number: '' },
  accountcode: '',
  dialplan: { context: 'from-trunk', exten: '88001002030', priority: 2, app_name: 'Stasis', app_data: 'linedesk' },
  creationtime: '2026-11-25T14:00:00.000+0500',
  language: 'ru',
};
const stasisStart = {
  type: 'StasisStart',
  application: 'linedesk',
  timestamp: '2026-11-25T14:00:00.100+0500',
  args: [],
  channel,
};

describe('reading events off the ARI WebSocket', () => {
  it('takes StasisStart, ChannelDtmfReceived, ChannelDestroyed and PlaybackFinished as events.json shapes them', () => {
    expect(readAriEvent(JSON.stringify(stasisStart))).toEqual(stasisStart);
    const dtmf = {
      type: 'ChannelDtmfReceived',
      application: 'linedesk',
      timestamp: 't',
      digit: '1',
      duration_ms: 100,
      channel,
    };
    expect(readAriEvent(JSON.stringify(dtmf))).toEqual(dtmf);
    const destroyed = {
      type: 'ChannelDestroyed',
      application: 'linedesk',
      timestamp: 't',
      cause: 16,
      cause_txt: 'Normal Clearing',
      channel,
    };
    expect(readAriEvent(JSON.stringify(destroyed))).toEqual(destroyed);
    const finished = {
      type: 'PlaybackFinished',
      application: 'linedesk',
      timestamp: 't',
      playback: { id: 'p1', media_uri: 'sound:queue-thankyou', target_uri: 'channel:1', state: 'done' },
    };
    expect(readAriEvent(JSON.stringify(finished))).toEqual(finished);
  });

  it('drops what is not JSON, events of other types and events missing what Linedesk reads', () => {
    expect(readAriEvent('not json')).toBeNull();
    expect(readAriEvent('[]')).toBeNull();
    expect(readAriEvent(JSON.stringify({ ...stasisStart, type: 'Dial' }))).toBeNull();
    expect(readAriEvent(JSON.stringify({ ...stasisStart, channel: { ...channel, id: 'with space' } }))).toBeNull();
    expect(readAriEvent(JSON.stringify({ ...stasisStart, channel: { ...channel, caller: null } }))).toBeNull();
    expect(readAriEvent(JSON.stringify({ ...stasisStart, args: [1] }))).toBeNull();
    const dtmf = { type: 'ChannelDtmfReceived', application: 'linedesk', timestamp: 't', digit: '12', channel };
    expect(readAriEvent(JSON.stringify(dtmf))).toBeNull();
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((value) => JSON.stringify(value)),
        ),
        (text) => {
          readAriEvent(text);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom('StasisStart', 'ChannelDestroyed', 'ChannelDtmfReceived', 'PlaybackFinished'),
        (channelValue, type) => {
          readAriEvent(
            JSON.stringify({ type, timestamp: 't', channel: channelValue, playback: channelValue, args: channelValue }),
          );
        },
      ),
    );
  });

  it("reads a withheld or odd caller ID as none, and the dialplan's s extension as no number dialled", () => {
    expect(callerNumberOf('+79122345678')).toBe('+79122345678');
    expect(callerNumberOf(' 83432000001 ')).toBe('83432000001');
    for (const withheld of ['', 'anonymous', '<unknown>', 'Restricted']) expect(callerNumberOf(withheld)).toBeNull();
    expect(dialledOf('88001002030')).toBe('88001002030');
    expect(dialledOf('2')).toBe('2');
    expect(dialledOf('s')).toBeNull();
    expect(dialledOf(undefined)).toBeNull();
    expect(dialledOf('x'.repeat(41))).toBeNull();
  });
});
