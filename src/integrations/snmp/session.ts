import snmp from 'net-snmp';
import type { SnmpCredentials } from '../../modules/settings/snmp-nodes.js';

/** A node's SNMPv3 user (RFC 3414) as net-snmp takes it, for its requests and its traps alike. */
export function usmUserOf(credentials: Extract<SnmpCredentials, { version: 'v3' }>): snmp.User {
  return {
    name: credentials.user,
    level: credentials.privProtocol ? snmp.SecurityLevel.authPriv : snmp.SecurityLevel.authNoPriv,
    authProtocol: credentials.authProtocol === 'sha' ? snmp.AuthProtocols.sha : snmp.AuthProtocols.md5,
    authKey: credentials.authKey,
    ...(credentials.privProtocol
      ? {
          privProtocol: credentials.privProtocol === 'aes' ? snmp.PrivProtocols.aes : snmp.PrivProtocols.des,
          privKey: credentials.privKey ?? '',
        }
      : {}),
  };
}

/** How to reach one node's agent: its address, port and credentials, and the poller's patience. */
export interface SnmpTarget {
  address: string;
  port: number;
  credentials: SnmpCredentials;
  timeoutMs: number;
  retries: number;
}

export interface Reading {
  oid: string;
  value: snmp.VarbindValue;
}

/** One session with one node's agent (net-snmp, UDP): promised get, column walk and set. */
export interface SnmpSession {
  get(oids: string[]): Promise<Reading[]>;
  /** Every instance under a column (getBulk for v2c/v3), as (instance after the column, value). */
  walkColumn(column: string): Promise<Map<string, snmp.VarbindValue>>;
  set(oid: string, value: number): Promise<void>;
  close(): void;
}

export function openSnmpSession(target: SnmpTarget): SnmpSession {
  const options = { port: target.port, timeout: target.timeoutMs, retries: target.retries, backoff: 1 };
  const { credentials } = target;
  const session =
    credentials.version === 'v2c'
      ? snmp.createSession(target.address, credentials.community, { ...options, version: snmp.Version2c })
      : snmp.createV3Session(target.address, usmUserOf(credentials), { ...options, version: snmp.Version3 });
  // A socket error (an unreachable network) fails the requests under way; it must not crash the process.
  session.on('error', () => {});
  return {
    get: (oids) =>
      new Promise((resolve, reject) => {
        session.get(oids, (error, varbinds) => {
          if (error) return reject(error);
          resolve(
            (varbinds ?? []).map((varbind) => ({
              oid: varbind.oid,
              value: snmp.isVarbindError(varbind) ? null : varbind.value,
            })),
          );
        });
      }),
    walkColumn: (column) =>
      new Promise((resolve, reject) => {
        const found = new Map<string, snmp.VarbindValue>();
        const prefix = `${column}.`;
        session.subtree(
          column,
          20,
          (varbinds) => {
            for (const varbind of varbinds) {
              if (snmp.isVarbindError(varbind) || !varbind.oid.startsWith(prefix)) continue;
              found.set(varbind.oid.slice(prefix.length), varbind.value);
            }
          },
          (error) => (error ? reject(error) : resolve(found)),
        );
      }),
    set: (oid, value) =>
      new Promise((resolve, reject) => {
        session.set([{ oid, type: snmp.ObjectType.Integer, value }], (error, varbinds) => {
          if (error) return reject(error);
          const [varbind] = varbinds ?? [];
          if (varbind && snmp.isVarbindError(varbind)) return reject(new Error(snmp.varbindError(varbind)));
          resolve();
        });
      }),
    close: () => {
      try {
        session.close();
      } catch {
        // Closing twice (after a socket error) is no fault.
      }
    },
  };
}

/** A reading as a whole number (Integer, Counter, Gauge; Counter64 arrives as a Buffer), else null. */
export function numberOf(value: snmp.VarbindValue): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (Buffer.isBuffer(value)) {
    if (value.length === 0 || value.length > 8) return null;
    let total = 0;
    for (const byte of value) total = total * 256 + byte;
    return total;
  }
  return null;
}

/**
 * Why a request failed, in words for the log and the timeline, which every role reads. An answer
 * net-snmp refuses may quote the community it sent ("Community 'x' in response not recognised"):
 * such answers are named by kind only, so no credential reaches the card or the log.
 */
export function snmpErrorText(error: unknown): string {
  if (!(error instanceof Error)) return 'request failed';
  if (error.name === 'RequestTimedOutError') return 'timeout';
  if (error.name === 'ResponseInvalidError') return 'invalid answer (a wrong community or v3 key?)';
  // The agent's own error-status (noSuchName, authorizationError, …): its words, never ours.
  if (error.name === 'RequestFailedError') return error.message.replace(/'[^']*'/g, "'…'").slice(0, 200);
  return error.name || 'request failed';
}
