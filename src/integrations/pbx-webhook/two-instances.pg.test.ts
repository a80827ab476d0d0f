import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSecondInstance, startTestApp, type TestApp } from '../../testing/test-app.js';
import { PBX_EVENTS_PATH } from './routes.js';
import { signatureHeaders } from './signature.js';

// A PBX behind a load balancer, or one that retries on a timeout while the first request is still
// being applied: the same events reach two instances at the same moment.
const secret = 'two-instances-pbx-secret';
const now = new Date('2026-11-25T09:00:00Z'); // 14:00 in the demo city: the lines are open
let first: TestApp;
let second: TestApp;
let urls: string[];

beforeAll(async () => {
  first = await startTestApp({ clock: () => now });
  second = await startSecondInstance(first, { clock: () => now });
  urls = [await first.listen(), await second.listen()];
  const admin = await first.loginAs('admin');
  const response = await first.app.inject({
    method: 'PUT',
    url: '/api/settings/secrets/pbx.webhookSecret',
    headers: { cookie: admin },
    payload: { value: secret },
  });
  expect(response.statusCode).toBe(200);
  // The second instance re-reads settings within a second of a change.
  await new Promise((resolve) => setTimeout(resolve, 1200));
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

it('applies a batch sent to two instances at once exactly once: one contact per call, every event once, both answers alike', async () => {
  const events = Array.from({ length: 20 }, (_, index) => {
    const callId = `twin-call-${index}`;
    return [
      {
        id: `${callId}-offered`,
        type: 'offered',
        callId,
        timestamp: now.toISOString(),
        from: `+7999000${String(index).padStart(4, '0')}`,
        to: '8-800-100-20-30',
      },
      { id: `${callId}-ended`, type: 'ended', callId, timestamp: new Date(now.getTime() + 30_000).toISOString() },
    ];
  }).flat();
  const body = JSON.stringify({ events });
  const answers = await Promise.all(
    urls.map((url) =>
      fetch(`${url}${PBX_EVENTS_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signatureHeaders(secret, body, now) },
        body,
      }),
    ),
  );
  expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
  const [a, b] = (await Promise.all(answers.map((answer) => answer.json()))) as {
    results: { id: string; result: object; repeated: boolean }[];
  }[];
  // Each event applied by exactly one of the two; the other answers the same result as a repeat.
  for (let index = 0; index < events.length; index++) {
    const one = a?.results[index];
    const other = b?.results[index];
    expect(one?.result).toEqual(other?.result);
    expect([one?.repeated, other?.repeated].filter((repeated) => repeated === false)).toHaveLength(1);
  }
  const [counts] = await first.database.rows<{ contacts: number; events: number; abandoned: number }>(sql`
    select (select count(*)::int from contacts where call_id like 'twin-call-%') as contacts,
           (select count(*)::int from pbx_events where call_id like 'twin-call-%') as events,
           (select count(*)::int from contact_events e join contacts c on c.id = e.contact_id
              where c.call_id like 'twin-call-%' and e.kind = 'abandoned') as abandoned`);
  expect(counts).toEqual({ contacts: 20, events: 40, abandoned: 20 });
});
