import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import type { Database } from '../../db/connection.js';
import { createLog } from '../../server/log.js';
import type { AppContext } from '../core/context.js';
import { keyFilePath, SettingsKeyError, sealingKeyOf } from './settings-key.js';

function contextFor(env: Record<string, string>, lines: string[] = []): AppContext {
  return {
    config: loadConfig(env),
    database: {} as Database,
    log: createLog(
      'info',
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    ),
    clock: () => new Date(),
  };
}

const freshDataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'linedesk-settings-key-'));

describe('the key the secrets are sealed with', () => {
  it('is SETTINGS_KEY when set, in any environment', () => {
    const hex = 'c3'.repeat(32);
    for (const NODE_ENV of ['development', 'production', 'test']) {
      const key = sealingKeyOf(contextFor({ NODE_ENV, SETTINGS_KEY: hex, DATA_DIR: freshDataDir() }), true);
      expect(key?.bytes.toString('hex')).toBe(hex);
      expect(key?.source).toBe('SETTINGS_KEY');
    }
  });

  it('is never generated in production: without SETTINGS_KEY there is none, and no file is written', () => {
    const dataDir = freshDataDir();
    expect(sealingKeyOf(contextFor({ NODE_ENV: 'production', DATA_DIR: dataDir }), true)).toBeUndefined();
    expect(fs.existsSync(keyFilePath({ dataDir }))).toBe(false);
  });

  it('outside production without SETTINGS_KEY, is generated once into the data folder, readable by its owner only, with a warning', () => {
    const dataDir = freshDataDir();
    const lines: string[] = [];
    const ctx = contextFor({ NODE_ENV: 'development', DATA_DIR: dataDir }, lines);
    expect(sealingKeyOf(ctx, false)).toBeUndefined();
    const key = sealingKeyOf(ctx, true);
    const file = keyFilePath({ dataDir });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(key?.bytes.toString('hex'));
    expect(lines.join('')).toMatch(/generated.*production sets SETTINGS_KEY/);
    expect(lines.join('')).not.toContain(key?.bytes.toString('hex'));
    // The same key for the next start (a new process reads the file).
    const again = sealingKeyOf(contextFor({ NODE_ENV: 'development', DATA_DIR: dataDir }), false);
    expect(again?.id).toBe(key?.id);
  });

  it('stops with a message naming the key file when the file is not a key', () => {
    const dataDir = freshDataDir();
    fs.writeFileSync(keyFilePath({ dataDir }), 'not a key\n');
    expect(() => sealingKeyOf(contextFor({ NODE_ENV: 'development', DATA_DIR: dataDir }), true)).toThrow(
      SettingsKeyError,
    );
    expect(() => sealingKeyOf(contextFor({ NODE_ENV: 'development', DATA_DIR: dataDir }), true)).toThrow(
      /settings\.key/,
    );
  });
});
