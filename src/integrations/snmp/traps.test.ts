import dgram from 'node:dgram';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import { startSnmp } from './start.js';

let database: Database;
let taken: dgram.Socket;
beforeAll(async () => {
  database = await openTestDatabase();
  taken = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  taken?.close();
  await database?.close();
});

it('logs a trap port it cannot bind, and runs on without traps', async () => {
  const lines: string[] = [];
  const logTo = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const ctx = testContext(database, { logTo });
  const snmp = await startSnmp(
    ctx,
    { record: async () => undefined },
    {
      tickMs: 100,
      trapListen: { host: '127.0.0.1', port: taken.address().port },
    },
  );
  try {
    expect(snmp.trapPort).toBeNull();
    expect(lines.join('')).toMatch(/cannot listen for traps on 127\.0\.0\.1:\d+/);
  } finally {
    await snmp.close();
  }
});
