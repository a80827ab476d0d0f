import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../modules/core/context.js';
import { createLog } from '../../server/log.js';
import { type CommandListener, listenForCommands, type ReceivedCommand } from './command-listener.js';
import { PbxCommandFailed, webhookPbx } from './sender.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.js';
import type { WireCommand } from './wire.js';

const secret = 'the-secret-the-pbx-and-linedesk-share';
// The sender needs no database when the connection is given: only the log and the clock.
const ctx = { log: createLog('silent'), clock: () => new Date() } as unknown as AppContext;

let pbx: CommandListener | undefined;
afterEach(async () => {
  await pbx?.close();
  pbx = undefined;
});

async function standUpPbx(
  answer: (command: WireCommand) => Promise<number | undefined> | number | undefined = () => 200,
) {
  const received: { command: WireCommand; raw: ReceivedCommand }[] = [];
  const refused: string[] = [];
  pbx = await listenForCommands({
    secret: () => secret,
    onCommand: (command, raw) => {
      received.push({ command, raw });
      return answer(command);
    },
    onRefused: (status, why) => refused.push(`${status} ${why}`),
  });
  return { url: pbx.url, received, refused };
}

const connectedTo = (url: string | null, withSecret: string | null = secret) => ({
  commandUrl: async () => url,
  secret: async () => withSecret,
});

describe('the command sender', () => {
  it('POSTs each command signed, and the PBX side verifies the signature', async () => {
    const side = await standUpPbx();
    const sender = webhookPbx(ctx, { connection: connectedTo(side.url) });
    await sender.connect({ callId: 'call-1', contactId: 7, extension: '101' });
    await sender.announce({
      callId: 'call-1',
      contactId: 7,
      announcement: { kind: 'position', position: 3, minutes: 2 },
    });
    await sender.transfer({ callId: 'call-1', contactId: 7, target: 'l2', targetType: 'line' });
    await sender.originate({ contactId: 7, extension: '101', number: '+73432000001' });
    await sender.hangUp({ callId: 'call-1', contactId: 7 });
    expect(side.refused).toEqual([]);
    expect(side.received.map(({ command }) => command)).toEqual([
      { id: expect.any(String), command: 'connect', callId: 'call-1', contactId: 7, extension: '101' },
      {
        id: expect.any(String),
        command: 'announce',
        callId: 'call-1',
        contactId: 7,
        announcement: { kind: 'position', position: 3, minutes: 2 },
      },
      { id: expect.any(String), command: 'transfer', callId: 'call-1', contactId: 7, target: 'l2', targetType: 'line' },
      { id: expect.any(String), command: 'originate', contactId: 7, extension: '101', number: '+73432000001' },
      { id: expect.any(String), command: 'hangUp', callId: 'call-1', contactId: 7 },
    ]);
    const ids = side.received.map(({ command }) => command.id);
    expect(new Set(ids).size).toBe(ids.length);
    const first = side.received[0]?.raw;
    expect(first?.headers['content-type']).toBe('application/json');
    expect(first?.headers[TIMESTAMP_HEADER]).toMatch(/^\d+$/);
    expect(first?.headers[SIGNATURE_HEADER]).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('is refused by a PBX that holds another secret, and throws so the job retries', async () => {
    const side = await standUpPbx();
    const sender = webhookPbx(ctx, {
      connection: { commandUrl: async () => side.url, secret: async () => `${secret}x` },
    });
    await expect(sender.hangUp({ callId: 'c', contactId: 1 })).rejects.toThrow(PbxCommandFailed);
    expect(side.refused).toEqual(['401 signature wrong']);
  });

  it('throws on a 500 from the PBX', async () => {
    const side = await standUpPbx(() => 500);
    const sender = webhookPbx(ctx, { connection: connectedTo(side.url) });
    await expect(sender.connect({ callId: 'c', contactId: 1, extension: '101' })).rejects.toThrow(/answered 500/);
    expect(side.received).toHaveLength(1);
  });

  it('throws when the PBX does not answer within the timeout', async () => {
    const side = await standUpPbx(() => new Promise<number>(() => {}));
    const sender = webhookPbx(ctx, { connection: connectedTo(side.url), timeoutMs: 300 });
    const started = Date.now();
    await expect(sender.connect({ callId: 'c', contactId: 1, extension: '101' })).rejects.toThrow(
      /no answer in 300 ms/,
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('throws when nothing listens at the address', async () => {
    const side = await standUpPbx();
    await pbx?.close();
    pbx = undefined;
    const sender = webhookPbx(ctx, { connection: connectedTo(side.url) });
    await expect(sender.hangUp({ callId: 'c', contactId: 1 })).rejects.toThrow(PbxCommandFailed);
  });

  it('does not follow a redirect away from the configured address', async () => {
    const elsewhere = await standUpPbx();
    // A PBX that answers 307 to somewhere else: the sender must not go there.
    const server = createServer((_request, response) => {
      response.writeHead(307, { location: elsewhere.url }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address() as { port: number };
    try {
      const sender = webhookPbx(ctx, { connection: connectedTo(`http://127.0.0.1:${address.port}/`) });
      await expect(sender.hangUp({ callId: 'c', contactId: 1 })).rejects.toThrow(PbxCommandFailed);
      expect(elsewhere.received).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('logs and sends nothing when no command URL is configured', async () => {
    const sender = webhookPbx(ctx, { connection: connectedTo(null) });
    await expect(sender.connect({ callId: 'c', contactId: 1, extension: '101' })).resolves.toBeUndefined();
  });

  it('throws when a URL is configured but no secret to sign with', async () => {
    const side = await standUpPbx();
    const sender = webhookPbx(ctx, { connection: connectedTo(side.url, null) });
    await expect(sender.hangUp({ callId: 'c', contactId: 1 })).rejects.toThrow(/secret/);
    expect(side.received).toEqual([]);
  });
});
