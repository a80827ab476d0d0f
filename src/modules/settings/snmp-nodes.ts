import { performance } from 'node:perf_hooks';
import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.js';
import { recordAudit } from '../audit/service.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { staffNames } from '../staff/service.js';
import { changedFields } from './changed-fields.js';
import { settingsSnmpNodes, settingsSnmpPolling } from './schema.js';
import { keyOrNothing, openSealed, type StaffRef, seal, sealingKeyOrRefuse } from './secrets.js';
import type {
  SaveSnmpNodeRequest,
  SaveSnmpPollingRequest,
  SnmpAuthProtocol,
  SnmpNodeView,
  SnmpPollingSettings,
  SnmpPrivProtocol,
  SnmpSettingsView,
  SnmpVersion,
} from './snmp-nodes-api.js';

/** How the poller, the trap receiver and the port bounce speak to a node: opened, never shown. */
export type SnmpCredentials =
  | { version: 'v2c'; community: string }
  | {
      version: 'v3';
      user: string;
      authProtocol: SnmpAuthProtocol;
      authKey: string;
      privProtocol: SnmpPrivProtocol | null;
      privKey: string | null;
    };

/** One node's SNMP settings as the integration uses them. */
export interface SnmpNodeEntry {
  /** The node's name on record (network_nodes.name). */
  node: string;
  version: SnmpVersion;
  port: number;
  bounceAllowed: boolean;
  /** This node's own interval; null: the global one. */
  intervalSeconds: number | null;
  /** Null when none is stored or this server cannot open it: the node is then not polled, its traps dropped. */
  credentials: SnmpCredentials | null;
}

/** What a node on record is, as the network module tells it (handed in: settings may not import network). */
export interface NodeOnRecord {
  kind: string;
  model: string;
  managementIp: string;
}
export type NodesOnRecord = (names: string[]) => Promise<Map<string, NodeOnRecord>>;

/** What a fresh install polls with (docs/integrations/snmp.md). */
export const defaultSnmpPolling: SnmpPollingSettings = {
  intervalSeconds: 300,
  timeoutMs: 2000,
  retries: 1,
  backoffMaxSeconds: 3600,
  jitterPercent: 10,
  concurrency: 16,
};

// The sealed part's additional authenticated data: a ciphertext copied onto another node does not open.
const sealedName = (node: string) => `snmp:${node}`;

type NodeRow = typeof settingsSnmpNodes.$inferSelect;
/** What is sealed: the community, or the v3 keys. */
interface SealedCredentials {
  community?: string;
  authKey?: string;
  privKey?: string;
}

interface SnmpCache {
  checkedAt: number;
  fingerprint?: string;
  entries: SnmpNodeEntry[];
  polling: SnmpPollingSettings;
  pending?: Promise<SnmpCache>;
}

/**
 * The trap receiver asks per trap and the poller per round: re-read at most once a second, and only
 * when the fingerprint (every entry with its version, and the global row's) moved, as NASes are.
 */
const CHECK_EVERY_MS = 1000;
const caches = new WeakMap<Database, SnmpCache>();

function cacheOf(database: Database): SnmpCache {
  let cache = caches.get(database);
  if (!cache) {
    cache = { checkedAt: Number.NEGATIVE_INFINITY, entries: [], polling: defaultSnmpPolling };
    caches.set(database, cache);
  }
  return cache;
}

function forget(database: Database): void {
  cacheOf(database).checkedAt = Number.NEGATIVE_INFINITY;
}

async function snmpSettings(ctx: AppContext): Promise<SnmpCache> {
  const cache = cacheOf(ctx.database);
  if (performance.now() - cache.checkedAt < CHECK_EVERY_MS) return cache;
  cache.pending ??= refresh(ctx, cache).finally(() => {
    cache.pending = undefined;
  });
  return cache.pending;
}

async function refresh(ctx: AppContext, cache: SnmpCache): Promise<SnmpCache> {
  const startedAt = performance.now();
  const [row] = await ctx.database.rows<{ fingerprint: string | null }>(
    sql`select coalesce((select string_agg(node || ':' || version, ',' order by node) from settings_snmp_nodes), '')
      || '/' || coalesce((select version::text from settings_snmp_polling), '') as fingerprint`,
  );
  const fingerprint = row?.fingerprint ?? '';
  if (fingerprint !== cache.fingerprint) {
    const { db } = ctx.database;
    const [rows, [polling]] = await Promise.all([
      db.select().from(settingsSnmpNodes).orderBy(asc(settingsSnmpNodes.node)),
      db.select().from(settingsSnmpPolling),
    ]);
    cache.entries = rows.map((row) => entryOf(ctx, row));
    cache.polling = polling ? pollingOf(polling) : defaultSnmpPolling;
    cache.fingerprint = fingerprint;
  }
  cache.checkedAt = startedAt;
  return cache;
}

function pollingOf(row: typeof settingsSnmpPolling.$inferSelect): SnmpPollingSettings {
  return {
    intervalSeconds: row.intervalSeconds,
    timeoutMs: row.timeoutMs,
    retries: row.retries,
    backoffMaxSeconds: row.backoffMaxSeconds,
    jitterPercent: row.jitterPercent,
    concurrency: row.concurrency,
  };
}

function openedCredentials(ctx: AppContext, row: NodeRow): SealedCredentials | null {
  const value = openSealed(ctx, { ...row, name: sealedName(row.node) });
  if (value === null) return null;
  try {
    return JSON.parse(value) as SealedCredentials;
  } catch {
    return null;
  }
}

function credentialsOf(row: NodeRow, opened: SealedCredentials | null): SnmpCredentials | null {
  if (!opened) return null;
  if (row.snmpVersion === 'v2c') return opened.community ? { version: 'v2c', community: opened.community } : null;
  if (!row.v3User || !opened.authKey) return null;
  const privProtocol = (row.privProtocol as SnmpPrivProtocol | null) ?? null;
  if (privProtocol && !opened.privKey) return null;
  return {
    version: 'v3',
    user: row.v3User,
    authProtocol: row.authProtocol as SnmpAuthProtocol,
    authKey: opened.authKey,
    privProtocol,
    privKey: privProtocol ? (opened.privKey ?? null) : null,
  };
}

function entryOf(ctx: AppContext, row: NodeRow): SnmpNodeEntry {
  return {
    node: row.node,
    version: row.snmpVersion as SnmpVersion,
    port: row.port,
    bounceAllowed: row.bounceAllowed,
    intervalSeconds: row.intervalSeconds,
    credentials: credentialsOf(row, openedCredentials(ctx, row)),
  };
}

/**
 * Every node with SNMP settings, credentials opened, as this instance holds them (re-read within a
 * second of a change anywhere). For the poller, the trap receiver, the port bounce and the card's
 * "may bounce"; never answered by a route.
 */
export async function snmpNodeList(ctx: AppContext): Promise<SnmpNodeEntry[]> {
  return (await snmpSettings(ctx)).entries;
}

/** One node's SNMP settings, or null when it has none. */
export async function snmpNodeNamed(ctx: AppContext, node: string): Promise<SnmpNodeEntry | null> {
  return (await snmpNodeList(ctx)).find((entry) => entry.node === node) ?? null;
}

/** The poller's global settings (the defaults until an administrator saves them). */
export async function snmpPolling(ctx: AppContext): Promise<SnmpPollingSettings> {
  return (await snmpSettings(ctx)).polling;
}

/** The settings screen's view: whether credentials are set and readable, never their value. */
export async function snmpSettingsView(ctx: AppContext, nodesOnRecord: NodesOnRecord): Promise<SnmpSettingsView> {
  const { db } = ctx.database;
  const [rows, [polling]] = await Promise.all([
    db.select().from(settingsSnmpNodes).orderBy(asc(settingsSnmpNodes.node)),
    db.select().from(settingsSnmpPolling),
  ]);
  const names = new Map((await staffNames(ctx)).map((member) => [member.id, member.fullName]));
  const staffName = (id: number | null) => (id === null ? null : (names.get(id) ?? null));
  const onRecord = await nodesOnRecord(rows.map((row) => row.node));
  const key = keyOrNothing(ctx);
  return {
    polling: polling ? pollingOf(polling) : defaultSnmpPolling,
    pollingVersion: polling ? Number(polling.version) : 0,
    nodes: rows.map((row): SnmpNodeView => {
      const node = onRecord.get(row.node);
      return {
        node: row.node,
        kind: node?.kind ?? null,
        model: node?.model ?? null,
        managementIp: node?.managementIp ?? null,
        version: row.snmpVersion as SnmpVersion,
        port: row.port,
        bounceAllowed: row.bounceAllowed,
        intervalSeconds: row.intervalSeconds,
        v3:
          row.snmpVersion === 'v3' && row.v3User
            ? {
                user: row.v3User,
                authProtocol: row.authProtocol as SnmpAuthProtocol,
                privProtocol: (row.privProtocol as SnmpPrivProtocol | null) ?? null,
              }
            : null,
        credentialsSet: Boolean(row.ciphertext),
        credentialsReadable: Boolean(row.ciphertext) && key !== undefined && key.id === row.keyId,
        settingsVersion: Number(row.version),
        updatedAt: row.updatedAt.toISOString(),
        updatedBy: staffName(row.updatedBy),
      };
    }),
  };
}

const credentialsMissing = (what: string) =>
  new Problem('settings.snmp_credentials_missing', 400, `This node needs its ${what}`);

/**
 * The credentials to store: what the request gives, the stored ones for what it leaves out (an
 * edit need not repeat a key), nothing kept across v2c and v3. Undefined: keep the sealed part as is.
 */
function credentialsToSeal(
  ctx: AppContext,
  request: SaveSnmpNodeRequest,
  before: NodeRow | undefined,
): SealedCredentials | undefined {
  const sameVersion = before?.snmpVersion === request.version;
  if (request.version === 'v2c') {
    if (request.v3) throw new Problem('settings.snmp_v3_with_v2c', 400, 'v3 settings belong to version v3 only');
    if (request.community !== undefined) return { community: request.community };
    if (sameVersion && before?.ciphertext) return undefined;
    throw credentialsMissing('community');
  }
  const v3 = request.v3;
  if (!v3) throw credentialsMissing('v3 user and keys');
  if (request.community !== undefined) {
    throw new Problem('settings.snmp_community_with_v3', 400, 'A community belongs to version v2c only');
  }
  const wantsPriv = Boolean(v3.privProtocol);
  if (!wantsPriv && v3.privKey !== undefined) {
    throw new Problem('settings.snmp_priv_key_without_protocol', 400, 'A privacy key needs its protocol (aes or des)');
  }
  const keepable = sameVersion && Boolean(before?.ciphertext);
  const nothingNew =
    v3.authKey === undefined && v3.privKey === undefined && wantsPriv === Boolean(before?.privProtocol);
  if (keepable && nothingNew) return undefined;
  // Part of the keys given: the rest from what is stored, which this server must be able to open.
  const stored = keepable && before ? openedCredentials(ctx, before) : null;
  const authKey = v3.authKey ?? stored?.authKey;
  const privKey = wantsPriv ? (v3.privKey ?? stored?.privKey) : undefined;
  if (!authKey) throw credentialsMissing('authentication key');
  if (wantsPriv && !privKey) throw credentialsMissing('privacy key');
  return { authKey, privKey };
}

/**
 * Adds a node's SNMP settings or edits them (`settingsVersion` as listed: 409 when someone saved
 * meanwhile); audited with each changed field, credentials only as 'set' or 'replaced'. The node
 * must be on record (`nodesOnRecord`).
 */
export async function saveSnmpNode(
  ctx: AppContext,
  me: StaffRef,
  node: string,
  request: SaveSnmpNodeRequest,
  ip: string | null,
  nodesOnRecord: NodesOnRecord,
): Promise<SnmpNodeView> {
  if (!(await nodesOnRecord([node])).has(node)) {
    throw new Problem('settings.snmp_node_unknown', 404, `No node ${node} on record`);
  }
  const now = ctx.clock();
  await ctx.database.db.transaction(async (tx) => {
    const [before] = await tx.select().from(settingsSnmpNodes).where(eq(settingsSnmpNodes.node, node)).for('update');
    if (!before && request.settingsVersion !== undefined) {
      throw new Problem(
        'settings.snmp_node_not_found',
        404,
        `No SNMP settings for ${node}`,
        'Someone removed them meanwhile',
      );
    }
    if (before && Number(before.version) !== request.settingsVersion) {
      throw new Problem(
        'settings.version_conflict',
        409,
        "Someone saved this node's SNMP settings meanwhile",
        `You edited version ${request.settingsVersion ?? 'none (new settings)'}; it is now ${before.version}. Reload, then make your change again.`,
      );
    }
    const toSeal = credentialsToSeal(ctx, request, before);
    const sealed =
      toSeal === undefined ? undefined : seal(sealingKeyOrRefuse(ctx), sealedName(node), JSON.stringify(toSeal));
    const v3 = request.version === 'v3' ? request.v3 : undefined;
    const fields = {
      snmpVersion: request.version,
      port: request.port ?? 161,
      bounceAllowed: request.bounceAllowed ?? false,
      intervalSeconds: request.intervalSeconds ?? null,
      v3User: v3?.user ?? null,
      authProtocol: v3?.authProtocol ?? null,
      privProtocol: v3?.privProtocol ?? null,
    };
    const changes = changedFields(before, fields);
    if (sealed) changes.push({ field: 'credentials', from: null, to: before?.ciphertext ? 'replaced' : 'set' });
    if (before && changes.length === 0) return;
    const row = {
      ...fields,
      ...sealed,
      updatedAt: now,
      updatedBy: me.id,
      version: sql`nextval('settings_version_seq')`,
    };
    if (before) {
      await tx.update(settingsSnmpNodes).set(row).where(eq(settingsSnmpNodes.node, node));
    } else {
      // Two administrators adding one node at once: the second finds it there and must reload.
      const added = await tx
        .insert(settingsSnmpNodes)
        .values({ node, ...row })
        .onConflictDoNothing({ target: settingsSnmpNodes.node })
        .returning({ node: settingsSnmpNodes.node });
      if (added.length === 0) {
        throw new Problem(
          'settings.version_conflict',
          409,
          "Someone added this node's SNMP settings meanwhile",
          'Reload, then make your change again.',
        );
      }
    }
    await recordAudit(
      tx,
      {
        staffId: me.id,
        action: before ? 'settings.snmp_node_changed' : 'settings.snmp_node_added',
        targetType: 'network_node',
        targetId: node,
        ip,
        details: { changes },
      },
      now,
    );
  });
  forget(ctx.database);
  const saved = (await snmpSettingsView(ctx, nodesOnRecord)).nodes.find((entry) => entry.node === node);
  if (!saved) throw new Problem('settings.snmp_node_not_found', 404, `No SNMP settings for ${node}`);
  return saved;
}

/** Removes a node's SNMP settings: it is no longer polled, its traps are dropped. Audited. */
export async function removeSnmpNode(ctx: AppContext, me: StaffRef, node: string, ip: string | null): Promise<void> {
  const now = ctx.clock();
  await ctx.database.db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(settingsSnmpNodes)
      .where(eq(settingsSnmpNodes.node, node))
      .returning({ version: settingsSnmpNodes.snmpVersion });
    if (!removed) return;
    await recordAudit(
      tx,
      {
        staffId: me.id,
        action: 'settings.snmp_node_removed',
        targetType: 'network_node',
        targetId: node,
        ip,
        details: { version: removed.version },
      },
      now,
    );
  });
  forget(ctx.database);
}

/** Replaces the poller's global settings (`settingsVersion` as read; 409 when someone saved meanwhile). Audited. */
export async function saveSnmpPolling(
  ctx: AppContext,
  me: StaffRef,
  request: SaveSnmpPollingRequest,
  ip: string | null,
): Promise<void> {
  const { settingsVersion, ...polling } = request;
  const now = ctx.clock();
  await ctx.database.db.transaction(async (tx) => {
    const [before] = await tx.select().from(settingsSnmpPolling).for('update');
    if ((before ? Number(before.version) : undefined) !== settingsVersion) {
      throw new Problem(
        'settings.version_conflict',
        409,
        "Someone saved the poller's settings meanwhile",
        'Reload, then make your change again.',
      );
    }
    const previous = before ? pollingOf(before) : defaultSnmpPolling;
    const changes = changedFields(previous, polling);
    if (before && changes.length === 0) return;
    const row = { ...polling, updatedAt: now, updatedBy: me.id, version: sql`nextval('settings_version_seq')` };
    if (before) {
      await tx.update(settingsSnmpPolling).set(row).where(eq(settingsSnmpPolling.id, 1));
    } else {
      const added = await tx
        .insert(settingsSnmpPolling)
        .values({ id: 1, ...row })
        .onConflictDoNothing()
        .returning({ id: settingsSnmpPolling.id });
      if (added.length === 0) {
        throw new Problem(
          'settings.version_conflict',
          409,
          "Someone saved the poller's settings meanwhile",
          'Reload, then make your change again.',
        );
      }
    }
    await recordAudit(
      tx,
      {
        staffId: me.id,
        action: 'settings.snmp_polling_changed',
        targetType: 'settings',
        targetId: 'snmp-polling',
        ip,
        details: { changes },
      },
      now,
    );
  });
  forget(ctx.database);
}
