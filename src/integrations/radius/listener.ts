import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { LRUCache } from 'lru-cache';
import type { AppContext } from '../../modules/core/context.js';
import { AccountingBatcher, type AccountingBatcherOptions } from '../../modules/nas-sessions/accounting-batches.js';
import { nasByAddress } from '../../modules/settings/nas.js';
import { accountingRecordOf } from './accounting-record.js';
import {
  accountingResponse,
  CODE_ACCOUNTING_REQUEST,
  decodePacket,
  type RadiusPacket,
  requestAuthenticatorHolds,
} from './codec.js';
import { radiusDropped, radiusRecords } from './metrics.js';

export interface RadiusAccountingOptions {
  /** 1813 by default (RFC 2866); 0 picks a free one (tests). */
  port?: number;
  /** The address to listen on; '::' listens on IPv6 and IPv4 both. */
  host?: string;
  /** How records are merged into transactions (tests make a batch fail). */
  batches?: AccountingBatcherOptions;
}

export interface RadiusAccounting {
  /** The port it listens on (the one picked, when asked for 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * How long an answer is kept for a retransmission: NASes retry for some seconds (MikroTik 3 × 1 s,
 * Cisco 3 × 5 s by default), and RFC 5080 §2.2.2 asks a server to answer a retry identically.
 */
const ANSWER_KEPT_MS = 30_000;
const RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;

/**
 * Listens for RADIUS accounting (RFC 2866) from the NASes in the settings, each with its own
 * shared secret. A record is answered only once it is committed: without an answer the NAS
 * sends it again. Whatever arrives, the listener keeps listening: every datagram that cannot be
 * answered is dropped silently and counted (metrics.ts). The records that arrive together are
 * written in one transaction (nas-sessions/accounting-batches.ts). Every instance may run one:
 * records of one session are applied one at a time across instances (nas-sessions/service.ts).
 */
export async function startRadiusAccounting(
  ctx: AppContext,
  options: RadiusAccountingOptions = {},
): Promise<RadiusAccounting> {
  const host = options.host ?? '0.0.0.0';
  const socket = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
  // A transport retransmission (same source, Identifier and Request Authenticator) gets the
  // answer already sent; while the first is still being written, the retry waits for it.
  const answers = new LRUCache<string, Buffer | 'pending'>({ max: 100_000, ttl: ANSWER_KEPT_MS });

  const drop = (reason: string) => radiusDropped.inc({ reason });
  // The datagrams that arrive together are written in one transaction, each answered once it commits.
  const batcher = new AccountingBatcher(ctx, options.batches);

  // A relay's records name their NAS in NAS-IP-Address (or NAS-IPv6-Address), which must be listed.
  async function nasBehindRelay(packet: RadiusPacket) {
    const address = packet.attributes.find(
      (attribute) => attribute.name === 'NAS-IP-Address' || attribute.name === 'NAS-IPv6-Address',
    )?.value;
    if (typeof address !== 'string') return null;
    const nas = await nasByAddress(ctx, address);
    return nas && !nas.relay ? nas : null;
  }

  async function receive(datagram: Buffer, from: dgram.RemoteInfo): Promise<void> {
    const arrivedAt = ctx.clock();
    const decoded = decodePacket(datagram);
    if (!decoded.ok) return drop(decoded.reason);
    const { packet } = decoded;
    if (packet.code !== CODE_ACCOUNTING_REQUEST) return drop('not_accounting');
    const client = await nasByAddress(ctx, from.address);
    if (!client) return drop('unknown_client');
    if (!client.secret) return drop('no_secret');
    if (!requestAuthenticatorHolds(packet, client.secret)) return drop('bad_authenticator');
    const nas = client.relay ? await nasBehindRelay(packet) : client;
    if (!nas) return drop('unknown_nas_behind_relay');
    const key = `${from.address}|${from.port}|${packet.identifier}|${packet.authenticator.toString('hex')}`;
    const known = answers.get(key);
    if (known === 'pending') return;
    if (known) {
      radiusRecords.inc({ status: 'any', outcome: 'retransmission' });
      socket.send(known, from.port, from.address);
      return;
    }
    const record = accountingRecordOf(packet, nas.name, arrivedAt);
    if (!record) return drop('bad_record');
    answers.set(key, 'pending');
    let outcome: string;
    try {
      outcome = await batcher.apply(record);
    } catch (error) {
      answers.delete(key);
      ctx.log.error(
        { err: error, nas: nas.name },
        'radius: an accounting record could not be stored; not answered, so the NAS retries',
      );
      return drop('write_failed');
    }
    const answer = accountingResponse(packet, client.secret);
    answers.set(key, answer);
    radiusRecords.inc({ status: record.status, outcome });
    socket.send(answer, from.port, from.address);
  }

  socket.on('message', (datagram, from) => {
    receive(datagram, from).catch((error: Error) => {
      ctx.log.error({ err: error }, 'radius: a datagram could not be handled');
      drop('error');
    });
  });
  socket.on('error', (error) => ctx.log.error({ err: error }, 'radius: the accounting socket failed'));

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 1813, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // A NAS that restarts sends every session's Start at once: room for a burst while batches are
  // being written (the system caps it at net.core.rmem_max).
  socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
  const port = (socket.address() as AddressInfo).port;
  ctx.log.info(`RADIUS accounting on udp ${host}:${port}`);
  return {
    port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
