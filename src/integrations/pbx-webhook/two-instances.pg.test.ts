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

it('applies many calls sent a request per event to two instances at once, each event also resent to the other: every call whole, every event once', async () => {
  const calls = 24;
  const post = async (url: string, events: object[]) => {
    const body = JSON.stringify({ events });
    const answer = await fetch(`${url}${PBX_EVENTS_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signatureHeaders(secret, body, now) },
      body,
    });
    expect(answer.status, await answer.clone().text()).toBe(200);
    return (await answer.json()) as { results: { repeated: boolean }[] };
  };
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
  // Each call's events in order, one request each; the calls at once, so the instances merge
  // requests of different calls into shared transactions (contacts/pbx-event-batches.ts).
  const results = await Promise.all(
    Array.from({ length: calls }, async (_, index) => {
      const callId = `merged-call-${index}`;
      const events = [
        {
          id: `${callId}-offered`,
          type: 'offered',
          callId,
          timestamp: at(0),
          from: '+79990001122',
          to: '8-800-100-20-30',
        },
        { id: `${callId}-dtmf`, type: 'dtmf', callId, timestamp: at(1), digits: '5' },
        { id: `${callId}-answered`, type: 'answered', callId, timestamp: at(2), agentExtension: '101' },
        { id: `${callId}-ended`, type: 'ended', callId, timestamp: at(60) },
        {
          id: `${callId}-recording`,
          type: 'recording',
          callId,
          timestamp: at(61),
          recordingUrl: `https://pbx.example.net/${callId}.ogg`,
        },
      ];
      const repeats: boolean[] = [];
      for (const [step, event] of events.entries()) {
        const [here, there] = step % 2 === index % 2 ? urls : [...urls].reverse();
        const sent = [post(here as string, [event])];
        // Every other call's events go to both instances at once, as a PBX retrying on a timeout.
        if (index % 2 === 0) sent.push(post(there as string, [event]));
        for (const answer of await Promise.all(sent)) repeats.push(answer.results[0]?.repeated ?? true);
      }
      return repeats;
    }),
  );
  // Each event applied once: a call sent once has no repeat, one sent twice one repeat per event.
  results.forEach((repeats, index) => {
    expect(repeats.filter((repeated) => !repeated)).toHaveLength(5);
    expect(repeats.filter((repeated) => repeated)).toHaveLength(index % 2 === 0 ? 5 : 0);
  });
  const [counts] = await first.database.rows<{ contacts: number; whole: number; events: number; lines: number }>(sql`
    select (select count(*)::int from contacts where call_id like 'merged-call-%') as contacts,
           (select count(*)::int from contacts where call_id like 'merged-call-%' and status = 'after_work'
              and answered_at is not null and recording_url is not null) as whole,
           (select count(*)::int from pbx_events where call_id like 'merged-call-%') as events,
           (select count(*)::int from contact_events e join contacts c on c.id = e.contact_id
              where c.call_id like 'merged-call-%'
                and e.kind in ('queued', 'dtmf', 'answered', 'caller_hung_up', 'recording')) as lines`);
  expect(counts).toEqual({ contacts: calls, whole: calls, events: calls * 5, lines: calls * 5 });
});
