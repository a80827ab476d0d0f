import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { SecretName, SecretStatus } from '../../common/api/settings.js';
import { secretNames } from '../../common/api/settings.js';
import { recordAudit } from '../audit/service.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { settingsSecrets } from './schema.js';
import { type SealingKey, SettingsKeyError, sealingKeyOf } from './settings-key.js';
import { forgetSettings, type SettingsSnapshot, settingsSnapshot } from './store.js';

export type { SecretName };

/** Whoever changes a setting: the signed-in staff member (only the id is used). */
export interface StaffRef {
  id: number;
}

const ALGORITHM = 'aes-256-gcm';

/**
 * AES-256-GCM with a fresh 96-bit IV per value; the secret's name is the additional authenticated
 * data, so a ciphertext copied onto another secret's row does not open.
 */
export function seal(key: SealingKey, name: string, value: string) {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key.bytes, iv);
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return {
    ciphertext: ciphertext.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    keyId: key.id,
  };
}

function open(
  key: SealingKey,
  record: { name: string; ciphertext: string | null; iv: string | null; tag: string | null },
): string {
  const decipher = createDecipheriv(ALGORITHM, key.bytes, Buffer.from(record.iv ?? '', 'base64'));
  decipher.setAAD(Buffer.from(record.name, 'utf8'));
  decipher.setAuthTag(Buffer.from(record.tag ?? '', 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(record.ciphertext ?? '', 'base64')), decipher.final()]).toString(
    'utf8',
  );
}

export function keyOrNothing(ctx: AppContext): SealingKey | undefined {
  try {
    return sealingKeyOf(ctx, false);
  } catch (error) {
    if (error instanceof SettingsKeyError) {
      ctx.log.error(error.message);
      return undefined;
    }
    throw error;
  }
}

// One error line per stored version of a secret that cannot be opened, not one per webhook.
const reported = new Set<string>();

/** What a sealed value is stored with: the settings' secrets and the NASes' shared secrets alike. */
interface SealedRecord {
  name: string;
  ciphertext: string | null;
  iv: string | null;
  tag: string | null;
  keyId: string | null;
  version: number | string;
}

/**
 * A sealed value opened with this server's key; null when not set, and when it cannot be opened
 * (stored with another key, or damaged), with an error logged once per stored version naming it.
 */
export function openSealed(ctx: AppContext, record: SealedRecord): string | null {
  if (!record.ciphertext) return null;
  const unreadable = (why: string) => {
    const mark = `${record.name}@${record.version}`;
    if (reported.has(mark)) return null;
    reported.add(mark);
    ctx.log.error(
      { secret: record.name },
      `settings: secret ${record.name} ${why}: set it again on the settings screen`,
    );
    return null;
  };
  const key = keyOrNothing(ctx);
  if (!key || key.id !== record.keyId) {
    return unreadable('was stored with another key than this server has (SETTINGS_KEY changed?)');
  }
  try {
    return open(key, record);
  } catch {
    return unreadable('could not be decrypted (damaged)');
  }
}

/**
 * A secret's value, for the code that needs it (signing the PBX's webhooks). Never answered by a
 * route, never logged.
 */
export async function readSecret(ctx: AppContext, name: SecretName): Promise<string | null> {
  const record = (await settingsSnapshot(ctx)).secrets.get(name);
  return record ? openSealed(ctx, record) : null;
}

export function checkedValue(value: string): string {
  // The same rule as the route's schema, for callers that are not routes.
  if (!/^[\x21-\x7E]{16,512}$/.test(value)) {
    throw new Problem('settings.secret_invalid', 400, 'A secret is 16 to 512 printable characters without spaces');
  }
  return value;
}

/**
 * Stores a secret sealed with the settings key; audited by name ('set' or 'replaced'), never by
 * value. Without a key (production without SETTINGS_KEY) nothing is stored.
 */
export async function writeSecret(
  ctx: AppContext,
  me: StaffRef,
  name: SecretName,
  value: string,
  ip: string | null,
): Promise<void> {
  if (!secretNames.includes(name)) throw new Problem('settings.secret_unknown', 404, 'No such secret');
  const sealed = seal(sealingKeyOrRefuse(ctx), name, checkedValue(value));
  const now = ctx.clock();
  await ctx.database.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ ciphertext: settingsSecrets.ciphertext })
      .from(settingsSecrets)
      .where(eq(settingsSecrets.name, name))
      .for('update');
    const row = { ...sealed, updatedAt: now, updatedBy: me.id, version: sql`nextval('settings_version_seq')` };
    await tx
      .insert(settingsSecrets)
      .values({ name, ...row })
      .onConflictDoUpdate({ target: settingsSecrets.name, set: row });
    await recordAudit(
      tx,
      {
        staffId: me.id,
        action: 'settings.secret_changed',
        targetType: 'secret',
        targetId: name,
        ip,
        details: { name, change: before?.ciphertext ? 'replaced' : 'set' },
      },
      now,
    );
  });
  forgetSettings(ctx.database);
}

export function sealingKeyOrRefuse(ctx: AppContext): SealingKey {
  const key = sealingKeyOf(ctx, true);
  if (!key) {
    throw new Problem(
      'settings.key_missing',
      409,
      'This server has no SETTINGS_KEY, so it stores no secret',
      'Set SETTINGS_KEY (32 random bytes, e.g. `openssl rand -hex 32`) and restart (docs/security.md)',
    );
  }
  return key;
}

/** Forgets a secret (the PBX disconnected); audited. Clearing one that is not set changes nothing. */
export async function clearSecret(ctx: AppContext, me: StaffRef, name: SecretName, ip: string | null): Promise<void> {
  if (!secretNames.includes(name)) throw new Problem('settings.secret_unknown', 404, 'No such secret');
  const now = ctx.clock();
  await ctx.database.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ ciphertext: settingsSecrets.ciphertext })
      .from(settingsSecrets)
      .where(eq(settingsSecrets.name, name))
      .for('update');
    if (!before?.ciphertext) return;
    await tx
      .update(settingsSecrets)
      .set({
        ciphertext: null,
        iv: null,
        tag: null,
        keyId: null,
        updatedAt: now,
        updatedBy: me.id,
        version: sql`nextval('settings_version_seq')`,
      })
      .where(eq(settingsSecrets.name, name));
    await recordAudit(
      tx,
      {
        staffId: me.id,
        action: 'settings.secret_changed',
        targetType: 'secret',
        targetId: name,
        ip,
        details: { name, change: 'cleared' },
      },
      now,
    );
  });
  forgetSettings(ctx.database);
}

/** Whether each secret is set, when and by whom, and whether this server can open it. */
export function secretStatuses(
  ctx: AppContext,
  snapshot: SettingsSnapshot,
  staffName: (id: number | null) => string | null,
): SecretStatus[] {
  const key = keyOrNothing(ctx);
  return secretNames.map((name) => {
    const record = snapshot.secrets.get(name);
    const set = Boolean(record?.ciphertext);
    return {
      name,
      set,
      updatedAt: record ? record.updatedAt.toISOString() : null,
      updatedBy: record ? staffName(record.updatedBy) : null,
      readable: set && key !== undefined && key.id === record?.keyId,
    };
  });
}

/**
 * At start: a production server without SETTINGS_KEY refuses to start once a secret is stored
 * (it could neither read it nor tell anyone but the log); any server names the secrets sealed
 * with another key than its own, so they are set again.
 */
export async function checkSecretsAtStart(ctx: AppContext): Promise<void> {
  const snapshot = await settingsSnapshot(ctx);
  const stored = [...snapshot.secrets.values()].filter((record) => record.ciphertext);
  if (stored.length === 0) return;
  if (ctx.config.nodeEnv === 'production' && !ctx.config.settingsKey) {
    throw new SettingsKeyError(
      `SETTINGS_KEY: is required in production once a secret is stored (${stored.map((record) => record.name).join(', ')} is): set the key the secrets were stored with`,
    );
  }
  const key = keyOrNothing(ctx);
  for (const record of stored) {
    // Opening it reports it, once, as readSecret would.
    if (key?.id !== record.keyId) openSealed(ctx, record);
  }
}
