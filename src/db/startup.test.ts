import net from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { openForServing, StartupError } from './startup.js';

// A "database" that accepts the connection and never says a word: a firewall or a proxy that holds
// the connection, a PostgreSQL stopped with SIGSTOP.
let silent: net.Server;
const sockets = new Set<net.Socket>();
let port: number;
beforeAll(async () => {
  silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  port = (silent.address() as net.AddressInfo).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe('starting against a database that accepts the connection and never answers', () => {
  it('stops after DATABASE_TIMEOUT_SECONDS with a message naming the host, not the password', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: `postgres://linedesk:secret-password@127.0.0.1:${port}/linedesk`,
      DATABASE_TIMEOUT_SECONDS: '1',
    });
    const started = Date.now();
    const error = await openForServing(config, pino({ level: 'silent' })).then(
      () => undefined,
      (failure: Error) => failure,
    );
    expect(error).toBeInstanceOf(StartupError);
    expect(error?.message).toContain(`127.0.0.1:${port}`);
    expect(error?.message).toContain('within 1 s');
    expect(error?.message).not.toContain('secret-password');
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 15_000);
});
