import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Value } from 'typebox/value';
import { checkSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.js';
import { WireCommand } from './wire.js';

/**
 * The PBX's end of the command webhook, as a PBX-side hook would implement it: an HTTP server that
 * takes only signed, well-formed commands. `npm run simulate` is a PBX through it, and the
 * adapter's tests stand it up to see what Linedesk sends. It listens on 127.0.0.1 only.
 */
export interface CommandListener {
  url: string;
  close(): Promise<void>;
}

export interface CommandListenerOptions {
  secret: () => string;
  /** What the PBX does with a command; the status it answers (200 unless said). */
  onCommand: (command: WireCommand, received: ReceivedCommand) => Promise<number | undefined> | number | undefined;
  /** A request refused before `onCommand`: bad signature (401), not JSON or not a command (400). */
  onRefused?: (status: number, why: string, received: ReceivedCommand) => void;
  clock?: () => Date;
  port?: number;
}

export interface ReceivedCommand {
  headers: IncomingMessage['headers'];
  body: Buffer;
}

const commandBodyLimit = 64 * 1024;

async function bodyOf(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > commandBodyLimit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function listenForCommands(options: CommandListenerOptions): Promise<CommandListener> {
  const clock = options.clock ?? (() => new Date());
  const server = createServer(async (request, response) => {
    const answer = (status: number, why?: string, received?: ReceivedCommand) => {
      if (why && received) options.onRefused?.(status, why, received);
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status, why }));
    };
    try {
      if (request.method !== 'POST') return answer(405, 'POST only');
      const body = await bodyOf(request);
      if (body === null) return answer(413, 'too large');
      const received = { headers: request.headers, body };
      const check = checkSignature(
        options.secret(),
        { timestamp: request.headers[TIMESTAMP_HEADER], signature: request.headers[SIGNATURE_HEADER] },
        body,
        clock(),
      );
      if (check !== 'valid') return answer(401, `signature ${check}`, received);
      let command: unknown;
      try {
        command = JSON.parse(body.toString('utf8'));
      } catch {
        return answer(400, 'not JSON', received);
      }
      if (!Value.Check(WireCommand, command)) return answer(400, 'not a command', received);
      const status = (await options.onCommand(command, received)) ?? 200;
      return answer(status);
    } catch (error) {
      if (!response.headersSent) answer(500, error instanceof Error ? error.message : String(error));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/linedesk/commands`,
    close: () =>
      new Promise<void>((resolve) => {
        // A command left hanging (a test of the sender's timeout) must not hold the close.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
