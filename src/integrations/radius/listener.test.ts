import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import type { AppContext } from '../../modules/core/context.js';
import { saveNas } from '../../modules/settings/nas.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import { radclientInstalled, warnIfRadclientMissing } from '../../testing/radclient.js';
import { accountingRequest, decodePacket, responseAuthenticatorHolds } from './codec.js';
import { type RadiusAccounting, startRadiusAccounting } from './listener.js';
import { radiusDropped, radiusRecords } from './metrics.js';

/**
 * The listener against real NASes' stand-in: Debian's radclient (freeradius-utils) sends the
 * records, by the attribute names of FreeRADIUS's dictionaries.
 */
warnIfRadclientMissing('RADIUS integration tests');

const SECRET = 'testing-secret-0123';
const RELAY_SECRET = 'the-relay-secret-456';
let database: Database;
let ctx: AppContext;
let radius: RadiusAccounting;
let login: string;
let subscriberId: number;

beforeAll(async () => {
  database = await openTestDatabase();
  ctx = testContext(database);
  const [admin] = await database.rows<{ id: number }>(sql`select id from staff where role = 'admin' limit 1`);
  await saveNas(
    ctx,
    { id: admin?.id ?? 1 },
    'bras-1',
    { address: '127.0.0.1', vendor: 'mikrotik', interimIntervalSeconds: 300, secret: SECRET },
    null,
  );
  await saveNas(
    ctx,
    { id: admin?.id ?? 1 },
    'relay-1',
    { address: '127.0.0.5', vendor: 'other', relay: true, interimIntervalSeconds: 300, secret: RELAY_SECRET },
    null,
  );
  const [connection] = await database.rows<{ login: string; subscriber_id: number }>(sql`
    select sc.pppoe_login as login, a.subscriber_id from service_connections sc join accounts a on a.id = sc.account_id
    where sc.method = 'pppoe' order by sc.id limit 1`);
  login = connection?.login ?? '';
  subscriberId = connection?.subscriber_id ?? 0;
  radius = await startRadiusAccounting(ctx, { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await radius?.close();
  await database?.close();
});

/** Sends one record with radclient; true when the listener answered (exit code 0). */
function radclient(pairs: string[], secret = SECRET): Promise<{ answered: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'radclient',
      ['-r', '2', '-t', '1', '-x', `127.0.0.1:${radius.port}`, 'acct', secret],
      (error, stdout, stderr) => resolve({ answered: !error, output: stdout + stderr }),
    );
    child.stdin?.end(`${pairs.join(', ')}\n`);
  });
}

const stamp = (iso: string) => `Event-Timestamp = ${Math.floor(new Date(`2026-11-25T${iso}Z`).getTime() / 1000)}`;

const session = async (sessionId: string) =>
  (
    await database.rows<{
      generation: number;
      state: string;
      start_seen: boolean;
      framed_ip: string | null;
      framed_ipv6_prefix: string | null;
      delegated_ipv6_prefix: string | null;
      input_bytes: string;
      terminate_cause_words: string | null;
      subscriber_id: number | null;
      circuit_id: string | null;
      remote_id: string | null;
    }>(sql`select generation, state, start_seen, framed_ip, framed_ipv6_prefix, delegated_ipv6_prefix,
      input_bytes::text, terminate_cause_words, subscriber_id, circuit_id, remote_id
      from nas_sessions where nas = 'bras-1' and acct_session_id = ${sessionId} order by generation`)
  ).map((row) => row);

const counted = async (counter: typeof radiusDropped | typeof radiusRecords, labels: Record<string, string>) =>
  (await counter.get()).values
    .filter((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key as never] === wanted))
    .reduce((sum, value) => sum + value.value, 0);

describe.skipIf(!radclientInstalled)('RADIUS accounting from radclient', () => {
  it('follows a session from Start through Interim to Stop, answering each once committed', async () => {
    const id = `Acct-Session-Id = "life-1", User-Name = "${login}"`;
    expect((await radclient(['Acct-Status-Type = Start', id, stamp('09:00:00')])).answered).toBe(true);
    expect((await session('life-1'))[0]).toMatchObject({
      state: 'open',
      start_seen: true,
      subscriber_id: subscriberId,
    });
    const interim = await radclient([
      'Acct-Status-Type = Interim-Update',
      id,
      stamp('09:05:00'),
      'Framed-IP-Address = 100.64.3.4',
      'Framed-IPv6-Prefix = 2001:db8:1:2::/64',
      'Delegated-IPv6-Prefix = 2001:db8:ab00::/56',
      'Acct-Input-Octets = 10',
      'Acct-Input-Gigawords = 2',
    ]);
    expect(interim.answered, interim.output).toBe(true);
    const stop = await radclient([
      'Acct-Status-Type = Stop',
      id,
      stamp('09:10:00'),
      'Acct-Terminate-Cause = Lost-Carrier',
      'Acct-Input-Octets = 11',
      'Acct-Input-Gigawords = 2',
    ]);
    expect(stop.answered).toBe(true);
    expect(await session('life-1')).toMatchObject([
      {
        state: 'closed',
        framed_ip: '100.64.3.4',
        framed_ipv6_prefix: '2001:db8:1:2::/64',
        delegated_ipv6_prefix: '2001:db8:ab00::/56',
        input_bytes: String(2 * 2 ** 32 + 11),
        terminate_cause_words: 'Lost Carrier',
      },
    ]);
  });

  it('answers a record resent with a new Acct-Delay-Time, and changes nothing', async () => {
    const pairs = ['Acct-Status-Type = Start', 'Acct-Session-Id = "resent-1"', stamp('09:00:00')];
    await radclient([...pairs, 'Acct-Delay-Time = 0']);
    const before = await counted(radiusRecords, { outcome: 'repeated' });
    expect((await radclient([...pairs, 'Acct-Delay-Time = 5'])).answered).toBe(true);
    expect(await counted(radiusRecords, { outcome: 'repeated' })).toBe(before + 1);
    expect(await session('resent-1')).toHaveLength(1);
  });

  it('keeps an Interim without a Start as "start not seen"', async () => {
    await radclient(['Acct-Status-Type = Interim-Update', 'Acct-Session-Id = "nostart-1"', stamp('09:30:00')]);
    expect(await session('nostart-1')).toMatchObject([{ state: 'open', start_seen: false }]);
  });

  it("closes the NAS's open sessions on Accounting-On, and a later Start of the same id is a new generation", async () => {
    await radclient(['Acct-Status-Type = Start', 'Acct-Session-Id = "reboot-1"', stamp('10:00:00')]);
    expect((await radclient(['Acct-Status-Type = Accounting-On', stamp('10:01:00')])).answered).toBe(true);
    expect((await session('reboot-1'))[0]?.state).toBe('closed');
    await radclient(['Acct-Status-Type = Start', 'Acct-Session-Id = "reboot-1"', stamp('10:02:00')]);
    expect((await session('reboot-1')).map((row) => [row.generation, row.state])).toEqual([
      [1, 'closed'],
      [2, 'open'],
    ]);
    expect((await radclient(['Acct-Status-Type = Accounting-Off', stamp('10:03:00')])).answered).toBe(true);
    expect((await session('reboot-1'))[1]?.state).toBe('closed');
  });

  it('drops a record signed with a wrong secret, unanswered and counted', async () => {
    const before = await counted(radiusDropped, { reason: 'bad_authenticator' });
    const result = await radclient(
      ['Acct-Status-Type = Start', 'Acct-Session-Id = "wrong-1"', stamp('09:00:00')],
      'not-the-secret',
    );
    expect(result.answered).toBe(false);
    expect(await session('wrong-1')).toEqual([]);
    expect(await counted(radiusDropped, { reason: 'bad_authenticator' })).toBeGreaterThan(before);
  });

  it('reads the vendor attributes of each dictionary: Cisco AV-pairs, DSL Forum, Juniper ERX, MikroTik', async () => {
    const cisco = await radclient([
      'Acct-Status-Type = Start',
      'Acct-Session-Id = "cisco-1"',
      stamp('09:00:00'),
      `Cisco-AVPair = "circuit-id-tag=${Buffer.from('eth 0/0/1:1001').toString('hex')}"`,
      'Cisco-AVPair = "remote-id-tag=0a0b0c0d0e0f"',
    ]);
    expect(cisco.answered, cisco.output).toBe(true);
    expect((await session('cisco-1'))[0]).toMatchObject({ circuit_id: 'eth 0/0/1:1001', remote_id: '0a0b0c0d0e0f' });
    await radclient([
      'Acct-Status-Type = Start',
      'Acct-Session-Id = "dsl-1"',
      stamp('09:00:00'),
      `ADSL-Agent-Circuit-Id = 0x${Buffer.from('gpon 0/2:7').toString('hex')}`,
      `ADSL-Agent-Remote-Id = 0x${Buffer.from('olt-3').toString('hex')}`,
    ]);
    expect((await session('dsl-1'))[0]).toMatchObject({ circuit_id: 'gpon 0/2:7', remote_id: 'olt-3' });
    const option82 = Buffer.concat([
      Buffer.from([1, 4]),
      Buffer.from('p-12'),
      Buffer.from([2, 6, 0, 0x11, 0x22, 0x33, 0x44, 0x55]),
    ]);
    await radclient([
      'Acct-Status-Type = Start',
      'Acct-Session-Id = "erx-1"',
      stamp('09:00:00'),
      `ERX-Dhcp-Option-82 = 0x${option82.toString('hex')}`,
    ]);
    expect((await session('erx-1'))[0]).toMatchObject({ circuit_id: 'p-12', remote_id: '001122334455' });
    const mikrotik = await radclient([
      'Acct-Status-Type = Start',
      'Acct-Session-Id = "mt-1"',
      stamp('09:00:00'),
      'Mikrotik-Rate-Limit = "50M/50M"',
      'Mikrotik-Address-List = "blocked"',
    ]);
    expect(mikrotik.answered).toBe(true);
    expect(await session('mt-1')).toHaveLength(1);
  });
});

describe('what the listener survives', () => {
  function send(datagram: Buffer, from = '127.0.0.1'): Promise<Buffer | null> {
    return new Promise((resolve) => {
      const socket = dgram.createSocket('udp4');
      const timer = setTimeout(() => {
        socket.close();
        resolve(null);
      }, 700);
      socket.on('message', (answer) => {
        clearTimeout(timer);
        socket.close();
        resolve(answer);
      });
      socket.bind(0, from, () => socket.send(datagram, radius.port, '127.0.0.1'));
    });
  }

  it('drops garbage, a bad length and an unknown client silently, counts them, and keeps answering', async () => {
    const garbage = await counted(radiusDropped, { reason: 'short' });
    expect(await send(Buffer.from('not radius'))).toBeNull();
    expect(await counted(radiusDropped, { reason: 'short' })).toBe(garbage + 1);
    const signed = accountingRequest(
      9,
      [
        ['Acct-Status-Type', 1],
        ['Acct-Session-Id', 'survive-1'],
      ],
      Buffer.from(SECRET),
    );
    const lying = Buffer.from(signed);
    lying.writeUInt16BE(signed.length + 10, 2);
    expect(await send(lying)).toBeNull();
    expect(await counted(radiusDropped, { reason: 'bad_length' })).toBeGreaterThan(0);
    expect(await send(signed, '127.0.0.3')).toBeNull();
    expect(await counted(radiusDropped, { reason: 'unknown_client' })).toBeGreaterThan(0);
    // Still listening, and the good record answered.
    const answer = await send(signed);
    const request = decodePacket(signed);
    expect(answer && request.ok && responseAuthenticatorHolds(answer, request.packet, Buffer.from(SECRET))).toBe(true);
  });

  it('keeps answering after a flood of random datagrams, signed or not', async () => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const junk = fc.sample(
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }).map((octets) => Buffer.from(octets)),
        fc.uint8Array({ maxLength: 120 }).map((octets) => {
          // A valid header before random attributes, so the attribute walk is exercised too.
          const header = Buffer.from([4, 1, 0, 0, ...Array(16).fill(0)]);
          header.writeUInt16BE(20 + octets.length, 2);
          return Buffer.concat([header, Buffer.from(octets)]);
        }),
      ),
      300,
    );
    for (const datagram of junk) socket.send(datagram, radius.port, '127.0.0.1');
    socket.close();
    const signed = accountingRequest(
      77,
      [
        ['Acct-Status-Type', 1],
        ['Acct-Session-Id', 'after-flood'],
      ],
      Buffer.from(SECRET),
    );
    expect(await send(signed)).not.toBeNull();
  });

  it("takes a relay's records as the listed NAS their NAS-IP-Address names, checked with the relay's secret", async () => {
    const relayed = (nasIp: string, sessionId: string, secret = RELAY_SECRET) =>
      accountingRequest(
        5,
        [
          ['Acct-Status-Type', 1],
          ['Acct-Session-Id', sessionId],
          ['NAS-IP-Address', nasIp],
        ],
        Buffer.from(secret),
      );
    expect(await send(relayed('127.0.0.1', 'relayed-1'), '127.0.0.5')).not.toBeNull();
    expect(await session('relayed-1')).toHaveLength(1);
    const unknown = await counted(radiusDropped, { reason: 'unknown_nas_behind_relay' });
    expect(await send(relayed('10.9.9.9', 'relayed-2'), '127.0.0.5')).toBeNull();
    expect(await send(relayed('127.0.0.5', 'relayed-3'), '127.0.0.5')).toBeNull();
    expect(await counted(radiusDropped, { reason: 'unknown_nas_behind_relay' })).toBe(unknown + 2);
    // Signed with the NAS's secret rather than the relay's: refused.
    expect(await send(relayed('127.0.0.1', 'relayed-4', SECRET), '127.0.0.5')).toBeNull();
    // A NAS that is no relay cannot speak for another by naming it.
    await send(relayed('127.0.0.5', 'relayed-5', SECRET));
    const [named] = await database.rows<{ nas: string }>(
      sql`select nas from nas_sessions where acct_session_id = 'relayed-5'`,
    );
    expect(named?.nas).toBe('bras-1');
  });

  it('answers a transport retransmission with the identical answer, applying it once', async () => {
    const signed = accountingRequest(
      33,
      [
        ['Acct-Status-Type', 1],
        ['Acct-Session-Id', 'retry-1'],
        ['Event-Timestamp', new Date('2026-11-25T09:00:00Z')],
      ],
      Buffer.from(SECRET),
    );
    const first = await send(signed);
    const before = await counted(radiusRecords, { outcome: 'retransmission' });
    // From the same source port, as a NAS retries: bind one socket and send twice.
    const socket = dgram.createSocket('udp4');
    const answers: Buffer[] = [];
    await new Promise<void>((resolve) => {
      socket.on('message', (answer) => {
        answers.push(answer);
        if (answers.length === 2) resolve();
      });
      socket.bind(0, '127.0.0.1', () => {
        socket.send(signed, radius.port, '127.0.0.1');
        setTimeout(() => socket.send(signed, radius.port, '127.0.0.1'), 200);
      });
    });
    socket.close();
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toEqual(first);
    expect(await counted(radiusRecords, { outcome: 'retransmission' })).toBe(before + 1);
    expect(await session('retry-1')).toHaveLength(1);
  });

  it('does not answer a record whose write failed, so the NAS sends it again', async () => {
    // PostgreSQL text cannot hold a NUL octet: the insert fails as a broken database would.
    const signed = accountingRequest(
      40,
      [
        ['Acct-Status-Type', 1],
        ['Acct-Session-Id', 'nul\u0000id'],
      ],
      Buffer.from(SECRET),
    );
    const before = await counted(radiusDropped, { reason: 'write_failed' });
    expect(await send(signed)).toBeNull();
    expect(await counted(radiusDropped, { reason: 'write_failed' })).toBe(before + 1);
  });
});
