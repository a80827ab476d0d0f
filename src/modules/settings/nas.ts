import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.js';
import { recordAudit } from '../audit/service.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { staffNames } from '../staff/service.js';
import { changedFields } from './changed-fields.js';
import type { NasVendor, NasView, SaveNasRequest } from './nas-api.js';
import { settingsNas } from './schema.js';
import { keyOrNothing, openSealed, type StaffRef, seal, sealingKeyOrRefuse } from './secrets.js';

/** What the accounting listener needs of a NAS: its secret opened, its interval. */
export interface NasClient {
  name: string;
  address: string;
  vendor: NasVendor;
  /** Relays other NASes' records: the NAS is the one their NAS-IP-Address names. */
  relay: boolean;
  interimIntervalSeconds: number;
  coaPort: number;
  /** Null when none is stored or this server cannot open it: its datagrams are then dropped. */
  secret: Buffer | null;
}

/** The CoA port a vendor's NAS listens on unless told otherwise: RFC 5176's 3799, Juniper ERX 1700. */
export const defaultCoaPort = (vendor: NasVendor) => (vendor === 'juniper' ? 1700 : 3799);

// The secret's additional authenticated data: a ciphertext copied onto another NAS does not open.
const sealedName = (name: string) => `nas:${name}`;

type NasRow = typeof settingsNas.$inferSelect;

/** An address as datagrams show it: an IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d. */
export function nasAddressKey(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}

interface NasCache {
  checkedAt: number;
  fingerprint?: string;
  byAddress: Map<string, NasClient>;
  pending?: Promise<Map<string, NasClient>>;
}

/**
 * The listener asks per datagram: re-read at most once a second, and only when the list's
 * fingerprint (every name with its version) moved, as the other settings are (store.ts).
 */
const CHECK_EVERY_MS = 1000;
const caches = new WeakMap<Database, NasCache>();

function cacheOf(database: Database): NasCache {
  let cache = caches.get(database);
  if (!cache) {
    cache = { checkedAt: Number.NEGATIVE_INFINITY, byAddress: new Map() };
    caches.set(database, cache);
  }
  return cache;
}

async function nasClients(ctx: AppContext): Promise<Map<string, NasClient>> {
  const cache = cacheOf(ctx.database);
  if (performance.now() - cache.checkedAt < CHECK_EVERY_MS) return cache.byAddress;
  cache.pending ??= refresh(ctx, cache).finally(() => {
    cache.pending = undefined;
  });
  return cache.pending;
}

async function refresh(ctx: AppContext, cache: NasCache): Promise<Map<string, NasClient>> {
  const startedAt = performance.now();
  const [row] = await ctx.database.rows<{ fingerprint: string | null }>(
    sql`select string_agg(name || ':' || version, ',' order by name) as fingerprint from settings_nas`,
  );
  const fingerprint = row?.fingerprint ?? '';
  if (fingerprint !== cache.fingerprint) {
    const rows = await ctx.database.db.select().from(settingsNas);
    cache.byAddress = new Map(rows.map((nas) => [nasAddressKey(nas.address), clientOf(ctx, nas)]));
    cache.fingerprint = fingerprint;
  }
  cache.checkedAt = startedAt;
  return cache.byAddress;
}

/** What the listener and the settings screen both show of a NAS. */
const listedFields = (nas: NasRow) => ({
  name: nas.name,
  address: nas.address,
  vendor: nas.vendor as NasVendor,
  relay: nas.relay,
  interimIntervalSeconds: nas.interimIntervalSeconds,
  coaPort: nas.coaPort,
});

function clientOf(ctx: AppContext, nas: NasRow): NasClient {
  return { ...listedFields(nas), secret: openedSecret(ctx, nas) };
}

function openedSecret(ctx: AppContext, nas: NasRow): Buffer | null {
  const value = openSealed(ctx, { ...nas, name: sealedName(nas.name) });
  return value === null ? null : Buffer.from(value, 'utf8');
}

/** The NAS whose datagrams come from this address, or null for an unknown client. */
export async function nasByAddress(ctx: AppContext, address: string): Promise<NasClient | null> {
  return (await nasClients(ctx)).get(nasAddressKey(address)) ?? null;
}

/** Every NAS listed, for work over all of them (the stale sweep). */
export async function listedNases(ctx: AppContext): Promise<NasClient[]> {
  return [...(await nasClients(ctx)).values()];
}

/** The NAS list for the settings screen: whether each secret is set, never its value. */
export async function nasList(ctx: AppContext): Promise<NasView[]> {
  const rows = await ctx.database.db.select().from(settingsNas).orderBy(asc(settingsNas.name));
  const names = new Map((await staffNames(ctx)).map((member) => [member.id, member.fullName]));
  const key = keyOrNothing(ctx);
  return rows.map((nas) => ({
    ...listedFields(nas),
    secretSet: Boolean(nas.ciphertext),
    secretReadable: Boolean(nas.ciphertext) && key !== undefined && key.id === nas.keyId,
    version: Number(nas.version),
    updatedAt: nas.updatedAt.toISOString(),
    updatedBy: nas.updatedBy === null ? null : (names.get(nas.updatedBy) ?? null),
  }));
}

/**
 * Adds a NAS or edits one (`version` as listed: 409 when someone saved meanwhile); audited with
 * each changed field, the secret only as 'set' or 'replaced'. A new NAS needs its secret.
 */
export async function saveNas(
  ctx: AppContext,
  me: StaffRef,
  name: string,
  request: SaveNasRequest,
  ip: string | null,
): Promise<NasView> {
  if (isIP(request.address) === 0) throw new Problem('settings.nas_address_invalid', 400, 'Not an IP address');
  const address = nasAddressKey(request.address);
  const sealed =
    request.secret === undefined ? undefined : seal(sealingKeyOrRefuse(ctx), sealedName(name), request.secret);
  const now = ctx.clock();
  await ctx.database.db.transaction(async (tx) => {
    const [before] = await tx.select().from(settingsNas).where(eq(settingsNas.name, name)).for('update');
    if (!before && request.version !== undefined) {
      throw new Problem('settings.nas_not_found', 404, `No NAS ${name}`, 'Someone removed it meanwhile');
    }
    if (before && Number(before.version) !== request.version) {
      throw new Problem(
        'settings.version_conflict',
        409,
        'Someone saved this NAS meanwhile',
        `You edited version ${request.version ?? 'none (a new NAS)'}; it is now ${before.version}. Reload, then make your change again.`,
      );
    }
    if (!before && !sealed) throw new Problem('settings.nas_secret_missing', 400, 'A new NAS needs its shared secret');
    const [taken] = await tx
      .select({ name: settingsNas.name })
      .from(settingsNas)
      .where(sql`${settingsNas.address} = ${address} and ${settingsNas.name} <> ${name}`);
    if (taken) throw new Problem('settings.nas_address_taken', 409, `NAS ${taken.name} has this address`);
    const fields = {
      address,
      vendor: request.vendor,
      relay: request.relay ?? false,
      interimIntervalSeconds: request.interimIntervalSeconds,
      coaPort: request.coaPort ?? defaultCoaPort(request.vendor),
    };
    const changes = changedFields(before, fields);
    if (sealed) changes.push({ field: 'secret', from: null, to: before?.ciphertext ? 'replaced' : 'set' });
    if (before && changes.length === 0) return;
    const row = {
      ...fields,
      ...sealed,
      updatedAt: now,
      updatedBy: me.id,
      version: sql`nextval('settings_version_seq')`,
    };
    if (before) {
      await tx.update(settingsNas).set(row).where(eq(settingsNas.name, name));
    } else {
      // Two administrators adding one name at once: the second finds it there and must reload.
      const added = await tx
        .insert(settingsNas)
        .values({ name, ...row })
        .onConflictDoNothing({ target: settingsNas.name })
        .returning({ name: settingsNas.name });
      if (added.length === 0) {
        throw new Problem(
          'settings.version_conflict',
          409,
          'Someone added this NAS meanwhile',
          'Reload, then make your change again.',
        );
      }
    }
    await recordAudit(
      tx,
      {
        staffId: me.id,
        action: before ? 'settings.nas_changed' : 'settings.nas_added',
        targetType: 'nas',
        targetId: name,
        ip,
        details: { changes },
      },
      now,
    );
  });
  cacheOf(ctx.database).checkedAt = Number.NEGATIVE_INFINITY;
  const saved = (await nasList(ctx)).find((nas) => nas.name === name);
  if (!saved) throw new Problem('settings.nas_not_found', 404, `No NAS ${name}`);
  return saved;
}

/** Removes a NAS: its datagrams are dropped from then on. Audited; removing none changes nothing. */
export async function removeNas(ctx: AppContext, me: StaffRef, name: string, ip: string | null): Promise<void> {
  const now = ctx.clock();
  await ctx.database.db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(settingsNas)
      .where(eq(settingsNas.name, name))
      .returning({ address: settingsNas.address });
    if (!removed) return;
    await recordAudit(
      tx,
      {
        staffId: me.id,
        action: 'settings.nas_removed',
        targetType: 'nas',
        targetId: name,
        ip,
        details: { address: removed.address },
      },
      now,
    );
  });
  cacheOf(ctx.database).checkedAt = Number.NEGATIVE_INFINITY;
}
