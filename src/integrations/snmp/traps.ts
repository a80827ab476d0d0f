import dgram from 'node:dgram';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import snmp from 'net-snmp';
import type { AppContext } from '../../modules/core/context.js';
import type { AccessObservation } from '../../modules/network/access-line/observations.js';
import { networkNodesNamed, type PolledNode } from '../../modules/network/polling/nodes.js';
import { nasAddressKey } from '../../modules/settings/nas.js';
import { type SnmpNodeEntry, snmpNodeList } from '../../modules/settings/snmp-nodes.js';
import { snmpTraps, snmpTrapsDropped } from './metrics.js';
import type { ObservationSink } from './poller.js';
import { usmUserOf } from './session.js';
import { meaningOf, type TrapPdu } from './trap-decode.js';

export interface TrapReceiver {
  /** The UDP port it listens on; null when it could not bind. */
  port: number | null;
  close(): Promise<void>;
}

const RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;

interface Sender {
  node: PolledNode;
  entry: SnmpNodeEntry;
}

/** The nodes with SNMP settings by management address, re-read at most once a second (per trap). */
function senderDirectory(ctx: AppContext, onUsers: (entries: SnmpNodeEntry[]) => void) {
  let checkedAt = Number.NEGATIVE_INFINITY;
  let byAddress = new Map<string, Sender>();
  let lastEntries: SnmpNodeEntry[] | undefined;
  let pending: Promise<Map<string, Sender>> | undefined;
  const refresh = async () => {
    const startedAt = performance.now();
    const entries = await snmpNodeList(ctx);
    if (entries !== lastEntries) {
      const nodes = await networkNodesNamed(
        ctx,
        entries.map((entry) => entry.node),
      );
      byAddress = new Map();
      for (const entry of entries) {
        const node = nodes.get(entry.node);
        if (node) byAddress.set(nasAddressKey(node.managementIp), { node, entry });
      }
      lastEntries = entries;
      onUsers(entries);
    }
    checkedAt = startedAt;
    return byAddress;
  };
  return async (address: string): Promise<Sender | null> => {
    if (performance.now() - checkedAt >= 1000) {
      pending ??= refresh().finally(() => {
        pending = undefined;
      });
      await pending;
    }
    return byAddress.get(nasAddressKey(address)) ?? null;
  };
}

/**
 * Listens for the nodes' traps (linkDown/linkUp, the OLTs' ONT alarms) and hands what each says to
 * the sink at once, between polls. A trap counts only from a node on record with SNMP settings (its
 * management address), with that node's community (v1/v2c) or v3 user; anything else is dropped
 * and counted. A port that cannot be bound is logged, and the rest of Linedesk runs on.
 */
export async function startTrapReceiver(
  ctx: AppContext,
  sink: ObservationSink,
  listen: { host: string; port: number },
): Promise<TrapReceiver> {
  const sockets: dgram.Socket[] = [];
  // net-snmp binds its own socket: this hands it one we can watch for 'listening' and 'error'.
  const dgramModule = {
    createSocket: (type: dgram.SocketType) => {
      const socket = dgram.createSocket(type);
      sockets.push(socket);
      return socket;
    },
  };
  let receiver: ReturnType<typeof snmp.createReceiver> | undefined;
  const sendersByAddress = senderDirectory(ctx, (entries) => {
    // net-snmp admits only communities and users it knows, and checks a v3 trap's digest with the
    // user's keys (its disableAuthorization would skip that check too): it is told every node's.
    // Which node may use which is checked per trap below.
    const authorizer = receiver?.getAuthorizer();
    if (!authorizer) return;
    for (const community of [...authorizer.getCommunities()]) authorizer.deleteCommunity(community);
    for (const user of [...authorizer.getUsers()]) authorizer.deleteUser(user.name);
    for (const { credentials } of entries) {
      if (credentials?.version === 'v2c') authorizer.addCommunity(credentials.community);
      if (credentials?.version === 'v3') authorizer.addUser(usmUserOf(credentials));
    }
  });
  const drop = (reason: string, address: string | undefined, detail?: string) => {
    snmpTrapsDropped.inc({ reason });
    ctx.log.debug({ address, reason, detail }, 'snmp: trap dropped');
  };

  const handle = async (notification: {
    pdu: TrapPdu & { community?: string; user?: string };
    rinfo: dgram.RemoteInfo;
  }) => {
    const { pdu, rinfo } = notification;
    const sender = await sendersByAddress(rinfo.address);
    if (!sender) return drop('unknown_sender', rinfo.address);
    const { credentials } = sender.entry;
    if (!credentials) return drop('no_credentials', rinfo.address);
    if (credentials.version === 'v2c' ? pdu.community !== credentials.community : pdu.user !== credentials.user) {
      return drop(credentials.version === 'v2c' ? 'wrong_community' : 'wrong_user', rinfo.address);
    }
    const meaning = meaningOf(pdu);
    if (meaning.kind === 'other') {
      snmpTraps.inc({ kind: 'other' });
      return;
    }
    snmpTraps.inc({ kind: meaning.kind });
    const observation = {
      ...meaning.observation,
      nodeId: sender.node.id,
      at: ctx.clock(),
      source: 'trap',
    } as AccessObservation;
    try {
      await sink.record([observation]);
    } catch (error) {
      drop('sink', rinfo.address, error instanceof Error ? error.message : String(error));
    }
  };

  receiver = snmp.createReceiver(
    {
      port: listen.port,
      address: listen.host,
      transport: isIP(listen.host) === 6 ? 'udp6' : 'udp4',
      includeAuthentication: true,
      dgramModule,
    },
    (error: (Error & { rinfo?: dgram.RemoteInfo }) | null, notification: Parameters<typeof handle>[0] | null) => {
      if (error) {
        // Errors of a datagram carry its sender; a socket's own error (the bind) is handled below.
        const address = error.rinfo?.address;
        if (address === undefined) return;
        sendersByAddress(address)
          .then((sender) => {
            if (!sender) return drop('unknown_sender', address);
            const reason = /community/i.test(error.message)
              ? 'wrong_community'
              : /user|authentication|digest|privacy/i.test(error.message)
                ? 'wrong_user'
                : 'malformed';
            drop(reason, address, error.message);
          })
          .catch(() => drop('malformed', address, error.message));
        return;
      }
      if (notification) {
        handle(notification).catch((failure) => drop('malformed', notification.rinfo?.address, String(failure)));
      }
    },
  );
  const socket = sockets[0];
  const port = await new Promise<number | null>((resolve) => {
    if (!socket) return resolve(null);
    socket.once('listening', () => resolve(socket.address().port));
    socket.once('error', (error) => {
      ctx.log.error(
        { err: error, host: listen.host, port: listen.port },
        `snmp: cannot listen for traps on ${listen.host}:${listen.port} (${error.message}); polling goes on without traps (SNMP_TRAP_LISTEN)`,
      );
      resolve(null);
    });
  });
  if (port !== null) {
    // A node that reboots, or a fibre cut under an OLT, sends a burst of traps at once: room for
    // it while batches are being written (the system caps it at net.core.rmem_max).
    socket?.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
    ctx.log.info({ host: listen.host, port }, 'snmp: listening for traps');
  }
  // net-snmp checks a v3 trap's user before Linedesk sees it: the users are kept current on a
  // timer (a cheap check; the settings are re-read only when they changed), not only per trap.
  const keepUsers = () =>
    sendersByAddress('0.0.0.0').catch((error) => ctx.log.warn({ err: error }, 'snmp: settings unread'));
  await keepUsers();
  const usersTimer = setInterval(keepUsers, 1000);
  usersTimer.unref();
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(usersTimer);
        if (port === null) return resolve();
        try {
          receiver?.close(() => resolve());
        } catch {
          resolve();
        }
      }),
  };
}
