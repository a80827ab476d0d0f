import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../core/context.js';
import type { PbxEvent } from './pbx.js';
import { PbxEventBatcher } from './pbx-event-batches.js';
import type { PbxEventOutcome } from './pbx-events.js';

const ctx = { log: pino({ level: 'silent' }) } as unknown as AppContext;
const at = new Date('2026-11-25T09:00:00Z');
const event = (id: string): PbxEvent => ({ kind: 'ended', eventId: id, callId: id, at });
const applied = (events: PbxEvent[]): PbxEventOutcome[] =>
  events.map((one) => ({
    result: { contactId: Number(one.eventId.replace(/\D/g, '')), status: 'ended', applied: 'x' },
    repeated: false,
  }));
const idsOf = (outcomes: PbxEventOutcome[]) =>
  outcomes.map((outcome) => ('result' in outcome ? outcome.result.contactId : null));

describe('PBX events from requests that arrive together', () => {
  it('go in one batch while another is under way, and each request gets its own outcomes in its own order', async () => {
    const batches: string[][] = [];
    let release: () => void = () => {};
    const batcher = new PbxEventBatcher(ctx, {
      concurrency: 1,
      apply: async (_ctx, events) => {
        batches.push(events.map((one) => one.eventId));
        if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return applied(events);
      },
    });
    const first = batcher.apply([event('e1')]);
    const second = batcher.apply([event('e2'), event('e3')]);
    const third = batcher.apply([event('e4')]);
    release();
    expect(idsOf(await first)).toEqual([1]);
    expect(idsOf(await second)).toEqual([2, 3]);
    expect(idsOf(await third)).toEqual([4]);
    expect(batches).toEqual([['e1'], ['e2', 'e3', 'e4']]);
  });

  it('tries each request alone when a merged batch fails, so only the request that cannot be applied fails', async () => {
    let release: () => void = () => {};
    let calls = 0;
    const batcher = new PbxEventBatcher(ctx, {
      concurrency: 1,
      apply: async (_ctx, events) => {
        calls++;
        if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
        if (events.some((one) => one.eventId === 'poison9')) throw new Error('cannot apply');
        return applied(events);
      },
    });
    const blocker = batcher.apply([event('e1')]);
    const good = batcher.apply([event('e2')]);
    const poison = batcher.apply([event('poison9')]);
    const alsoGood = batcher.apply([event('e3')]);
    release();
    await blocker;
    expect(idsOf(await good)).toEqual([2]);
    await expect(poison).rejects.toThrow('cannot apply');
    expect(idsOf(await alsoGood)).toEqual([3]);
  });

  it('keeps a batch within its size: a request that would pass it waits for the next', async () => {
    const sizes: number[] = [];
    let release: () => void = () => {};
    const batcher = new PbxEventBatcher(ctx, {
      concurrency: 1,
      maxEvents: 3,
      apply: async (_ctx, events) => {
        sizes.push(events.length);
        if (sizes.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return applied(events);
      },
    });
    const all = [
      batcher.apply([event('e1')]),
      batcher.apply([event('e2'), event('e3')]),
      batcher.apply([event('e4')]),
      batcher.apply([event('e5'), event('e6')]),
    ];
    release();
    await Promise.all(all);
    expect(sizes).toEqual([1, 3, 2]);
  });
});
