import dgram from 'node:dgram';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { saveNas } from '../../modules/settings/nas.js';
import { testContext } from '../../testing/context.js';
import { openAnotherPool, openTestDatabase } from '../../testing/database.js';
import { type AttributeToSend, accountingRequest, decodePacket, responseAuthenticatorHolds } from './codec.js';
import { type RadiusAccounting, startRadiusAccounting } from './listener.js';

// PostgreSQL only: two Linedesk instances, each with its own pool and listener, as a NAS with two
// accounting servers sees them. The NAS sends a record to one and, not answered in time, resends
// it (a new Acct-Delay-Time, so new octets) to the other: both answer, nothing is doubled.
const SECRET = 'two-instances-secret';
let database: Database;
let other: Database;
let first: RadiusAccounting;
let second: RadiusAccounting;
let nas: dgram.Socket;

beforeAll(async () => {
  database = await openTestDatabase();
  other = await openAnotherPool(database);
  const ctx = testContext(database);
  const [admin] = await database.rows<{ id: number }>(sql`select id from staff where role = 'admin' limit 1`);
  await saveNas(
    ctx,
    { id: admin?.id ?? 1 },
    'bras-twin',
    { address: '127.0.0.1', vendor: 'mikrotik', interimIntervalSeconds: 300, secret: SECRET },
    null,
  );
  first = await startRadiusAccounting(ctx, { port: 0, host: '127.0.0.1' });
  second = await startRadiusAccounting(testContext(other), { port: 0, host: '127.0.0.1' });
  nas = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => nas.bind(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  nas?.close();
  await first?.close();
  await second?.close();
  await other?.close();
  await database?.close();
});

let identifier = 0;
const answers = new Map<number, (answer: Buffer) => void>();
beforeAll(() => {
  nas.on('message', (answer) => answers.get(answer[1] as number)?.(answer));
});

/** Sends one signed record to `port`; resolves with whether a valid answer came within 3 s. */
function send(port: number, attributes: AttributeToSend[]): Promise<boolean> {
  identifier = (identifier + 1) % 256;
  const id = identifier;
  const request = accountingRequest(id, attributes, Buffer.from(SECRET));
  const decoded = decodePacket(request);
  if (!decoded.ok) throw new Error('the test built a bad packet');
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      answers.delete(id);
      resolve(false);
    }, 3000);
    answers.set(id, (answer) => {
      clearTimeout(timer);
      answers.delete(id);
      resolve(responseAuthenticatorHolds(answer, decoded.packet, Buffer.from(SECRET)));
    });
    nas.send(request, port, '127.0.0.1');
  });
}

const stamp = (minute: number) => new Date(Date.UTC(2026, 10, 25, 9, minute));

it('a record and its resend to the other instance, at the same moment, are stored once and both answered', async () => {
  const sessions = Array.from({ length: 12 }, (_, i) => `twin-${i}`);
  const lives = (sessionId: string): AttributeToSend[][] => [
    [
      ['Acct-Status-Type', 1],
      ['Acct-Session-Id', sessionId],
      ['Event-Timestamp', stamp(0)],
    ],
    [
      ['Acct-Status-Type', 3],
      ['Acct-Session-Id', sessionId],
      ['Event-Timestamp', stamp(5)],
      ['Framed-IP-Address', '100.64.7.7'],
      ['Acct-Input-Octets', 100],
    ],
    [
      ['Acct-Status-Type', 2],
      ['Acct-Session-Id', sessionId],
      ['Event-Timestamp', stamp(9)],
      ['Acct-Input-Octets', 900],
      ['Acct-Terminate-Cause', 1],
    ],
  ];
  // Each step of every session at once: the record to one instance, its resend to the other.
  for (let step = 0; step < 3; step++) {
    const sent = sessions.flatMap((sessionId, i) => {
      const record = lives(sessionId)[step] as AttributeToSend[];
      const [to, resendTo] = i % 2 === 0 ? [first.port, second.port] : [second.port, first.port];
      return [send(to, [...record, ['Acct-Delay-Time', 0]]), send(resendTo, [...record, ['Acct-Delay-Time', 1]])];
    });
    expect(await Promise.all(sent)).toEqual(sent.map(() => true));
  }
  const rows = await database.rows<{ id: string; n: number; state: string; input: string; changes: string }>(sql`
    select s.acct_session_id as id, count(*) over (partition by s.acct_session_id)::int as n, s.state,
      s.input_bytes::text as input,
      (select string_agg(c.change, ',' order by c.at, c.id) from nas_session_changes c where c.session_id = s.id) as changes
    from nas_sessions s where s.nas = 'bras-twin' order by s.acct_session_id`);
  expect(rows).toHaveLength(sessions.length);
  for (const row of rows) {
    expect(row).toEqual({ id: row.id, n: 1, state: 'closed', input: '900', changes: 'started,address,stopped' });
  }
});
