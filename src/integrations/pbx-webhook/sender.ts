import { randomUUID } from 'node:crypto';
import type { Pbx, PbxCommand } from '../../modules/contacts/pbx.js';
import type { AppContext } from '../../modules/core/context.js';
import { type PbxConnection, pbxConnectionOf } from './connection.js';
import { pbxCommandsSent } from './metrics.js';
import { signatureHeaders } from './signature.js';
import { toWireCommand } from './wire.js';

export interface WebhookPbxOptions {
  /** Where the URL and the secret come from; the operational settings unless a test says otherwise. */
  connection?: PbxConnection;
  /** A PBX that has not answered in this time has failed; the job sending the command retries it. */
  timeoutMs?: number;
}

/** A command the PBX did not take: thrown, so the contacts job that sent it tries again. */
export class PbxCommandFailed extends Error {}

/**
 * The commands out as signed webhooks: each one POSTed as JSON to the command URL an
 * administrator configured (`contacts.pbxCommandUrl`), signed as the events in are. Only a 2xx is
 * success. Redirects are not followed: the command goes to the configured address or nowhere.
 */
export function webhookPbx(ctx: AppContext, options: WebhookPbxOptions = {}): Pbx {
  const connection = options.connection ?? pbxConnectionOf(ctx);
  const timeoutMs = options.timeoutMs ?? 5000;

  async function send(command: PbxCommand): Promise<void> {
    const id = randomUUID();
    const about = {
      pbxCommand: command.command,
      commandId: id,
      callId: 'callId' in command ? command.callId : undefined,
      contactId: command.contactId,
    };
    const url = await connection.commandUrl();
    if (!url) {
      // Nothing to send to: Linedesk still records the contacts the PBX reports.
      pbxCommandsSent.inc({ command: command.command, outcome: 'not_connected' });
      ctx.log.info(about, 'PBX command not sent: no PBX command URL is configured');
      return;
    }
    const secret = await connection.secret();
    if (!secret) {
      pbxCommandsSent.inc({ command: command.command, outcome: 'failed' });
      throw new PbxCommandFailed('the PBX secret (pbx.webhookSecret) is not set: commands cannot be signed');
    }
    const body = JSON.stringify(toWireCommand(id, command));
    const started = performance.now();
    let status: number;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signatureHeaders(secret, body, ctx.clock()) },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      // The answer's body means nothing to Linedesk; reading it frees the connection for the next command.
      await response.arrayBuffer().catch(() => {});
    } catch (error) {
      pbxCommandsSent.inc({ command: command.command, outcome: 'failed' });
      const reason =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
          ? `no answer in ${timeoutMs} ms`
          : error instanceof Error
            ? ((error.cause as Error | undefined)?.message ?? error.message)
            : String(error);
      ctx.log.warn({ ...about, reason }, 'PBX command failed');
      throw new PbxCommandFailed(`PBX command ${command.command} failed: ${reason}`);
    }
    const ms = Math.round(performance.now() - started);
    if (status < 200 || status > 299) {
      pbxCommandsSent.inc({ command: command.command, outcome: 'failed' });
      ctx.log.warn({ ...about, status, ms }, 'PBX command refused');
      throw new PbxCommandFailed(`PBX command ${command.command} answered ${status}`);
    }
    pbxCommandsSent.inc({ command: command.command, outcome: 'sent' });
    ctx.log.info({ ...about, status, ms }, 'PBX command sent');
  }

  return {
    connect: (command) => send({ command: 'connect', ...command }),
    announce: (command) => send({ command: 'announce', ...command }),
    transfer: (command) => send({ command: 'transfer', ...command }),
    originate: (command) => send({ command: 'originate', ...command }),
    hangUp: (command) => send({ command: 'hangUp', ...command }),
    supervise: (command) => send({ command: 'supervise', ...command }),
  };
}
