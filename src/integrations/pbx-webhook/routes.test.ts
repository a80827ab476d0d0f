import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { PBX_EVENTS_PATH } from './routes.js';
import { SIGNATURE_HEADER, signatureHeaders, TIMESTAMP_HEADER } from './signature.js';

// The receiver over real HTTP on 127.0.0.1, as a PBX reaches it: the signature is on the bytes
// that travel, so inject() would not do.
const secret = 'pbx-secret-for-the-adapter-tests';
const metricsToken = 'metrics-token-for-the-adapter-tests';
let now = new Date('2026-11-25T09:00:00Z'); // 14:00 in the demo city: the lines are open
let t: TestApp;
let base: string;
const logLines: string[] = [];

const iso = (offsetSeconds = 0) => new Date(now.getTime() + offsetSeconds * 1000).toISOString();
let serial = 0;
const fresh = (prefix: string) => `${prefix}-${++serial}`;

function send(body: string, headers: Record<string, string> = {}) {
  return fetch(`${base}${PBX_EVENTS_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

/** Signed with the PBX secret at Linedesk's clock, as a well-behaved PBX sends it. */
function sendSigned(payload: object | string, options: { secret?: string; at?: Date; headers?: object } = {}) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return send(body, { ...signatureHeaders(options.secret ?? secret, body, options.at ?? now), ...options.headers });
}

const offered = (callId: string, fields: object = {}) => ({
  id: fresh('offered'),
  type: 'offered',
  callId,
  timestamp: iso(),
  from: '+79990001122',
  to: '+73432000000',
  ...fields,
});

async function pbxEventCount(): Promise<number> {
  const [row] = await t.database.rows<{ n: number }>(sql`select count(*)::int as n from pbx_events`);
  return row?.n ?? 0;
}

async function contactOf(callId: string) {
  const [row] = await t.database.rows<{
    id: number;
    status: string;
    outcome: string | null;
    answeredAt: Date | string | null;
    endedAt: Date | string | null;
    recordingUrl: string | null;
  }>(sql`select id, status, outcome, answered_at as "answeredAt", ended_at as "endedAt", recording_url as "recordingUrl"
    from contacts where call_id = ${callId}`);
  return row;
}

beforeAll(async () => {
  t = await startTestApp({
    clock: () => now,
    env: { METRICS_TOKEN: metricsToken },
    logTo: new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  });
  base = await t.listen();
});
afterAll(() => t?.close());

async function setSecret(value: string) {
  const admin = await t.loginAs('admin');
  const response = await t.app.inject({
    method: 'PUT',
    url: '/api/settings/secrets/pbx.webhookSecret',
    headers: { cookie: admin },
    payload: { value },
  });
  expect(response.statusCode, response.body).toBe(200);
}

describe('the PBX event webhook', () => {
  it('answers 503 pbx.not_configured while no PBX secret is set, and applies nothing', async () => {
    const before = await pbxEventCount();
    const response = await sendSigned({ events: [offered(fresh('call'))] });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect((await response.json()).code).toBe('pbx.not_configured');
    expect(await pbxEventCount()).toBe(before);
    await setSecret(secret);
  });

  it('applies a signed event and answers its result; the same event again is a repeat with the same result', async () => {
    const callId = fresh('call');
    const event = offered(callId);
    const first = await sendSigned({ events: [event] });
    expect(first.status).toBe(200);
    const answer = await first.json();
    expect(answer).toEqual({
      results: [
        {
          id: event.id,
          status: 200,
          result: { contactId: expect.any(Number), status: 'waiting', applied: 'queued' },
          repeated: false,
        },
      ],
    });
    const count = await pbxEventCount();
    // Sent again a minute later (a PBX retrying after a lost answer): signed anew, the same event.
    now = new Date(now.getTime() + 60_000);
    const again = await sendSigned({ events: [event] });
    expect(again.status).toBe(200);
    expect((await again.json()).results[0]).toEqual({ ...answer.results[0], repeated: true });
    expect(await pbxEventCount()).toBe(count);
  });

  it('refuses a request without a signature, with a wrong one, a stale one or a changed body: 401, nothing applied', async () => {
    const before = await pbxEventCount();
    const callId = fresh('call');
    const body = JSON.stringify({ events: [offered(callId)] });
    const signed = signatureHeaders(secret, body, now);
    const cases: [string, Promise<Response>, string][] = [
      ['no headers', send(body), 'pbx.signature_missing'],
      ['no signature', send(body, { [TIMESTAMP_HEADER]: signed[TIMESTAMP_HEADER] as string }), 'pbx.signature_missing'],
      ['another secret', sendSigned(body, { secret: `${secret}-not` }), 'pbx.signature_invalid'],
      ['not hex', send(body, { ...signed, [SIGNATURE_HEADER]: 'sha256=xyz' }), 'pbx.signature_invalid'],
      ['signed 6 minutes ago', sendSigned(body, { at: new Date(now.getTime() - 360_000) }), 'pbx.signature_stale'],
      ['signed 6 minutes ahead', sendSigned(body, { at: new Date(now.getTime() + 360_000) }), 'pbx.signature_stale'],
      ['a changed body', send(body.replace('+79990001122', '+79990001123'), signed), 'pbx.signature_invalid'],
      [
        'the signature of another timestamp',
        send(body, { ...signed, [TIMESTAMP_HEADER]: String(Number(signed[TIMESTAMP_HEADER]) + 1) }),
        'pbx.signature_invalid',
      ],
    ];
    for (const [what, pending, code] of cases) {
      const response = await pending;
      expect(response.status, what).toBe(401);
      expect((await response.json()).code, what).toBe(code);
    }
    expect(await pbxEventCount()).toBe(before);
    expect(await contactOf(callId)).toBeUndefined();
  });

  it('checks the signature before the body: an unsigned malformed body gets 401, not 400', async () => {
    const response = await send('{"events": [ not json');
    expect(response.status).toBe(401);
  });

  it('refuses another content type with 415, an oversized body with 413, both signed', async () => {
    const body = JSON.stringify({ events: [offered(fresh('call'))] });
    const asText = await sendSigned(body, { headers: { 'content-type': 'text/plain' } });
    expect(asText.status).toBe(415);
    expect((await asText.json()).code).toBe('request.unsupported_media_type');

    const padding = 'x'.repeat(64 * 1024);
    const oversized = await sendSigned(JSON.stringify({ events: [offered(fresh('call'), { padding })] }));
    expect(oversized.status).toBe(413);
    expect((await oversized.json()).code).toBe('request.too_large');
  });

  it('refuses an unknown field, a field of another type, a missing one, a bare event and a time without its zone: 400, nothing applied', async () => {
    const before = await pbxEventCount();
    const callId = fresh('call');
    const cases: [string, object, string][] = [
      ['unknown field', { events: [offered(callId, { caller: 'Иванов' })] }, 'unknown field "caller"'],
      ['a field of another type', { events: [offered(callId, { digits: '1' })] }, "not a field of 'offered' events"],
      [
        'dtmf without digits',
        { events: [offered(callId), { id: fresh('dtmf'), type: 'dtmf', callId, timestamp: iso() }] },
        "required in 'dtmf' events",
      ],
      ['a bare event', offered(callId), ''],
      ['no zone', { events: [offered(callId, { timestamp: '2026-11-25T14:00:00' })] }, ''],
      ['an unknown type', { events: [offered(callId, { type: 'ringing' })] }, ''],
      ['dated an hour ahead', { events: [offered(callId, { timestamp: iso(3600) })] }, 'ahead of'],
    ];
    for (const [what, payload, message] of cases) {
      const response = await sendSigned(payload);
      expect(response.status, what).toBe(400);
      const problem = await response.json();
      expect(problem.code, what).toBe('request.invalid');
      const messages = (problem.errors ?? []).map((error: { message: string }) => error.message).join('; ');
      if (message) expect(messages, what).toContain(message);
    }
    // The valid offered event in the dtmf case was not applied either: the batch is refused whole.
    expect(await pbxEventCount()).toBe(before);
    expect(await contactOf(callId)).toBeUndefined();
  });

  it('applies a batch in order, and one event about a call never offered gets 404 with every outcome listed', async () => {
    const callId = fresh('call');
    const batch = [
      offered(callId),
      { id: fresh('dtmf'), type: 'dtmf', callId, timestamp: iso(5), digits: '2' },
      { id: fresh('rec'), type: 'recording', callId, timestamp: iso(6), recordingUrl: 'https://pbx.example/r/1.wav' },
    ];
    const accepted = await sendSigned({ events: batch });
    expect(accepted.status).toBe(200);
    const { results } = await accepted.json();
    expect(results.map((result: { id: string; status: number }) => [result.id, result.status])).toEqual(
      batch.map((event) => [event.id, 200]),
    );
    expect((await contactOf(callId))?.recordingUrl).toBe('https://pbx.example/r/1.wav');

    const stranger = { id: fresh('ended'), type: 'ended', callId: fresh('never-offered'), timestamp: iso(7) };
    const another = offered(fresh('call'));
    const mixed = await sendSigned({ events: [stranger, another] });
    expect(mixed.status).toBe(404);
    expect(mixed.headers.get('content-type')).toContain('application/problem+json');
    const refused = await mixed.json();
    expect(refused.code).toBe('pbx.call_not_offered');
    expect(refused.results).toEqual([
      { id: stranger.id, status: 404, problem: expect.objectContaining({ code: 'pbx.call_not_offered' }) },
      { id: another.id, status: 200, result: expect.objectContaining({ applied: 'queued' }), repeated: false },
    ]);
    expect(await contactOf(stranger.callId)).toBeUndefined();
  });

  it('applies events by their own timestamps: an answer that arrives after the end still counts', async () => {
    const callId = fresh('call');
    const start = iso();
    await sendSigned({ events: [offered(callId, { timestamp: start })] });
    const ended = await sendSigned({ events: [{ id: fresh('ended'), type: 'ended', callId, timestamp: iso(40) }] });
    expect((await ended.json()).results[0].result.applied).toBe('abandoned');
    const answered = await sendSigned({
      events: [{ id: fresh('answered'), type: 'answered', callId, timestamp: iso(20), agentExtension: '101' }],
    });
    expect(answered.status).toBe(200);
    expect((await answered.json()).results[0].result.applied).toBe('answered-before-end');
    const contact = await contactOf(callId);
    expect(contact?.status).toBe('ended');
    expect(contact?.outcome).not.toBe('abandoned');
    expect(new Date(contact?.answeredAt ?? 0).toISOString()).toBe(iso(20));
    expect(new Date(contact?.endedAt ?? 0).toISOString()).toBe(iso(40));
  });

  it('logs every event with its call id and event id, and never the secret', async () => {
    const callId = fresh('logged-call');
    const event = offered(callId);
    await sendSigned({ events: [event] });
    await send('{}', { [TIMESTAMP_HEADER]: '1', [SIGNATURE_HEADER]: `sha256=${'0'.repeat(64)}` });
    const lines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.some((line) => line.callId === callId && line.eventId === event.id)).toBe(true);
    expect(lines.some((line) => line.msg === 'PBX webhook refused' && line.reason === 'wrong')).toBe(true);
    expect(logLines.join('\n')).not.toContain(secret);
  });

  it('counts events and refusals on /metrics', async () => {
    const response = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${metricsToken}` } });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/linedesk_pbx_events_total\{type="offered",outcome="applied"\} [1-9]/);
    expect(response.body).toMatch(/linedesk_pbx_events_total\{type="offered",outcome="repeated"\} [1-9]/);
    expect(response.body).toMatch(/linedesk_pbx_events_total\{type="ended",outcome="refused"\} [1-9]/);
    expect(response.body).toMatch(/linedesk_pbx_requests_refused_total\{reason="stale"\} [1-9]/);
  });

  it('is public to sessions but not to the routes around it: no cookie needed, no other method', async () => {
    const get = await fetch(`${base}${PBX_EVENTS_PATH}`);
    expect(get.status).toBe(404);
  });
});
