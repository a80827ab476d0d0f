import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import type { AppContext } from '../core/context.js';

/** The key secrets are sealed with, and its id (a digest prefix: which key, never the key). */
export interface SealingKey {
  bytes: Buffer;
  id: string;
  /** Where it came from, for log lines: 'SETTINGS_KEY', the key file's path, or 'test'. */
  source: string;
}

const keyIdOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

export const keyFilePath = (config: Pick<Config, 'dataDir'>) => path.join(config.dataDir, 'settings.key');

const fileKeys = new Map<string, SealingKey>();
let testKey: SealingKey | undefined;

export class SettingsKeyError extends Error {}

function readKeyFile(file: string): SealingKey {
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(text)) {
    throw new SettingsKeyError(`${file} is not a settings key (64 hex digits): restore it, or set SETTINGS_KEY`);
  }
  const bytes = Buffer.from(text, 'hex');
  return { bytes, id: keyIdOf(bytes), source: file };
}

/**
 * The key for the settings' secrets:
 * - SETTINGS_KEY when set (always so in production: a production install never writes a key file);
 * - in tests without it, a random key held in memory for the process, so no test leaves a file in
 *   the developer's data folder;
 * - otherwise `<DATA_DIR>/settings.key`, generated on first need (mode 0600) with a warning: a
 *   demo convenience, documented in docs/security.md. Several instances on one PostgreSQL must
 *   share it, which is why production sets SETTINGS_KEY.
 * Undefined when there is none and `create` is false.
 */
export function sealingKeyOf(ctx: AppContext, create: boolean): SealingKey | undefined {
  const { config } = ctx;
  if (config.settingsKey) {
    const bytes = config.settingsKey.bytes;
    return { bytes, id: keyIdOf(bytes), source: 'SETTINGS_KEY' };
  }
  if (config.nodeEnv === 'production') return undefined;
  if (config.nodeEnv === 'test') {
    if (!testKey) {
      const bytes = randomBytes(32);
      testKey = { bytes, id: keyIdOf(bytes), source: 'test' };
    }
    return testKey;
  }
  const file = keyFilePath(config);
  const known = fileKeys.get(file);
  if (known) return known;
  let key: SealingKey | undefined;
  if (fs.existsSync(file)) key = readKeyFile(file);
  else if (create) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
      ctx.log.warn(
        { file },
        'settings: no SETTINGS_KEY, so a key for the secrets was generated into this file; a demo convenience — production sets SETTINGS_KEY (docs/security.md)',
      );
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    key = readKeyFile(file);
  }
  if (key) fileKeys.set(file, key);
  return key;
}
