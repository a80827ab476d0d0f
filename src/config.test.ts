import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('works with no variables at all: PGlite in ./data on port 3000, the demo city’s time', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      engine: 'pglite',
      timezone: 'Asia/Yekaterinburg',
      nodeEnv: 'development',
    });
    expect(config.dataDir).toMatch(/data$/);
  });

  it('switches to PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@localhost:5432/db' }).engine).toBe('postgres');
  });

  const wrong: [string, Record<string, string>][] = [
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/db' }],
    ['DATABASE_URL', { DATABASE_URL: 'not a url' }],
    ['ISP_TIMEZONE', { ISP_TIMEZONE: 'Mars/Olympus' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['DEMO_SUBSCRIBERS', { DEMO_SUBSCRIBERS: '10' }],
  ];
  for (const [variable, env] of wrong) {
    it(`stops on a wrong ${variable} and names it (${Object.values(env)[0]})`, () => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}:`));
    });
  }
});
