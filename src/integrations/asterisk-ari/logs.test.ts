import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { startAsteriskAri } from './application.js';
import { ariConfigFor, eventually, FakeAri } from './fake-ari-server.js';

// The ARI password is a secret: it must never reach a log line, whatever goes wrong.
const now = new Date('2026-11-25T09:00:00Z');
const lines: string[] = [];
let t: TestApp;
let fake: FakeAri;

beforeAll(async () => {
  t = await startTestApp({
    clock: () => now,
    logTo: new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  });
  fake = new FakeAri({ clock: () => now, password: 'the-ari-password-never-logged' });
  await fake.start();
});
afterAll(async () => {
  await fake?.close();
  await t?.close();
});

it('logs refusals, the leader and every call event with its call id, and never the password', async () => {
  const wrong = await startAsteriskAri(
    t.ctx,
    {
      ...ariConfigFor(fake),
      password: ariConfigFor(new FakeAri({ password: 'a-wrong-password-not-logged' })).password,
    },
    { retryMs: 200 },
  );
  await eventually(() => lines.some((line) => line.includes('ARI: event WebSocket lost')), 'the refusal logged');
  await wrong.stop();

  const ari = await startAsteriskAri(t.ctx, ariConfigFor(fake), { retryMs: 200 });
  try {
    await eventually(() => fake.connected, 'connected');
    const call = fake.inboundCall({ from: '+79122345620', exten: '88001002030' });
    fake.pressDigit(call.id, '3');
    fake.hangUpPhone(call.id);
    await eventually(
      () => lines.filter((line) => line.includes('"msg":"PBX event"') && line.includes(call.id)).length === 3,
      'offered, dtmf and ended logged with the call id',
    );
    expect(lines.some((line) => line.includes('ARI: leading'))).toBe(true);
    expect(lines.find((line) => line.includes('ARI: event WebSocket lost'))).toMatch(/401/);
  } finally {
    await ari.stop();
  }
  const all = lines.join('\n');
  expect(all).not.toContain('the-ari-password-never-logged');
  expect(all).not.toContain('a-wrong-password-not-logged');
  expect(all).not.toContain(Buffer.from(`${fake.username}:the-ari-password-never-logged`).toString('base64'));
});
