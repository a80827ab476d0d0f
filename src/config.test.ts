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

  it('listens for SNMP traps on udp 162 of every address unless told otherwise, and not at all with SNMP_TRAP_LISTEN=off', () => {
    expect(loadConfig({}).snmpTrapListen).toEqual({ host: '0.0.0.0', port: 162 });
    expect(loadConfig({ SNMP_TRAP_LISTEN: '127.0.0.1:10162' }).snmpTrapListen).toEqual({
      host: '127.0.0.1',
      port: 10162,
    });
    expect(loadConfig({ SNMP_TRAP_LISTEN: '[::1]:162' }).snmpTrapListen).toEqual({ host: '::1', port: 162 });
    expect(loadConfig({ SNMP_TRAP_LISTEN: 'off' }).snmpTrapListen).toBeUndefined();
    for (const wrong of ['162', 'localhost:162', '0.0.0.0:0', '0.0.0.0:70000', '0.0.0.0:']) {
      expect(() => loadConfig({ SNMP_TRAP_LISTEN: wrong })).toThrow(/SNMP_TRAP_LISTEN/);
    }
  });

  it('listens for RADIUS accounting on udp 1813 of every address unless told otherwise, and not at all with RADIUS_ACCT_PORT=off', () => {
    expect(loadConfig({}).radiusAccounting).toEqual({ host: '0.0.0.0', port: 1813 });
    expect(loadConfig({ RADIUS_ACCT_PORT: '11813', RADIUS_ACCT_HOST: '10.0.0.5' }).radiusAccounting).toEqual({
      host: '10.0.0.5',
      port: 11813,
    });
    expect(loadConfig({ RADIUS_ACCT_PORT: 'off' }).radiusAccounting).toBeUndefined();
    expect(() => loadConfig({ RADIUS_ACCT_PORT: '70000' })).toThrow(/RADIUS_ACCT_PORT/);
    expect(() => loadConfig({ RADIUS_ACCT_PORT: '18 13' })).toThrow(/RADIUS_ACCT_PORT/);
    expect(() => loadConfig({ RADIUS_ACCT_HOST: 'nas.example.net' })).toThrow(/RADIUS_ACCT_HOST/);
  });

  it('switches to PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@localhost:5432/db' }).engine).toBe('postgres');
  });

  it('trusts no proxy unless TRUST_PROXY says so, and reads off, 0 and false as off', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    for (const off of ['', '0', 'false', 'off', 'OFF']) expect(loadConfig({ TRUST_PROXY: off }).trustProxy).toBe(false);
  });

  it('reads TRUST_PROXY=1 and =true as one hop, the load balancer in front, and a number as that many hops', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });

  it('reads TRUST_PROXY as the proxies’ addresses and CIDR ranges when given a list', () => {
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.5,::1,fd00::/8,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.5',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  const wrong: [string, Record<string, string>][] = [
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/db' }],
    ['DATABASE_URL', { DATABASE_URL: 'not a url' }],
    ['ISP_TIMEZONE', { ISP_TIMEZONE: 'Mars/Olympus' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['DEMO_SUBSCRIBERS', { DEMO_SUBSCRIBERS: '10' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'yes' }],
    ['TRUST_PROXY', { TRUST_PROXY: '11' }],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.0/33' }],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.1,proxy.example' }],
  ];
  for (const [variable, env] of wrong) {
    it(`stops on a wrong ${variable} and names it (${Object.values(env)[0]})`, () => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}:`));
    });
  }

  it('reads local numbers with the demo city’s area code unless ISP_AREA_CODE names another, and refuses a malformed one', () => {
    expect(loadConfig({}).ispAreaCode).toBe('343');
    expect(loadConfig({ ISP_AREA_CODE: '4952' }).ispAreaCode).toBe('4952');
    for (const wrong of ['43', '0343', '343-1', '123456']) {
      expect(() => loadConfig({ ISP_AREA_CODE: wrong })).toThrow(/ISP_AREA_CODE/);
    }
  });

  it('limits wrong identification answers to 10 a minute unless IDENTIFY_WRONG_ANSWERS_PER_MINUTE says otherwise', () => {
    expect(loadConfig({}).identifyWrongAnswersPerMinute).toBe(10);
    expect(loadConfig({ IDENTIFY_WRONG_ANSWERS_PER_MINUTE: '30' }).identifyWrongAnswersPerMinute).toBe(30);
    expect(() => loadConfig({ IDENTIFY_WRONG_ANSWERS_PER_MINUTE: '0' })).toThrow(/IDENTIFY_WRONG_ANSWERS_PER_MINUTE/);
  });

  it('serves no metrics unless METRICS_TOKEN or METRICS_PORT says how', () => {
    expect(loadConfig({}).metrics).toEqual({ token: undefined, listen: undefined });
    const token = 'a'.repeat(32);
    expect(loadConfig({ METRICS_TOKEN: token }).metrics).toEqual({ token, listen: undefined });
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics.listen).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '10.1.2.3' }).metrics.listen).toEqual({
      host: '10.1.2.3',
      port: 9464,
    });
  });

  it('refuses a short or odd METRICS_TOKEN, a METRICS_HOST without port, and METRICS_PORT equal to PORT', () => {
    for (const token of ['short', `${'a'.repeat(31)}`, `${'a'.repeat(40)} b`]) {
      expect(() => loadConfig({ METRICS_TOKEN: token })).toThrow(/^METRICS_TOKEN:/);
    }
    expect(() => loadConfig({ METRICS_HOST: '127.0.0.1' })).toThrow(/^METRICS_HOST:/);
    expect(() => loadConfig({ METRICS_PORT: '9464', METRICS_HOST: 'monitoring.example' })).toThrow(/^METRICS_HOST:/);
    expect(() => loadConfig({ METRICS_PORT: '3000' })).toThrow(/^METRICS_PORT:/);
    expect(() => loadConfig({ METRICS_PORT: '0' })).toThrow(/^METRICS_PORT:/);
  });

  it('waits 10 s for the database at start unless DATABASE_TIMEOUT_SECONDS says otherwise', () => {
    expect(loadConfig({}).databaseTimeoutMs).toBe(10_000);
    expect(loadConfig({ DATABASE_TIMEOUT_SECONDS: '3' }).databaseTimeoutMs).toBe(3_000);
    for (const wrong of ['0', '601', '1.5', 'ten']) {
      expect(() => loadConfig({ DATABASE_TIMEOUT_SECONDS: wrong })).toThrow(/^DATABASE_TIMEOUT_SECONDS:/);
    }
  });

  it('reads SETTINGS_KEY as 64 hex digits or base64 of 32 bytes, and never shows it', () => {
    expect(loadConfig({}).settingsKey).toBeUndefined();
    const hex = 'ab'.repeat(32);
    const fromHex = loadConfig({ SETTINGS_KEY: hex }).settingsKey;
    expect(fromHex?.bytes.toString('hex')).toBe(hex);
    const base64 = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ SETTINGS_KEY: base64 }).settingsKey?.bytes).toEqual(Buffer.alloc(32, 7));
    expect(loadConfig({ SETTINGS_KEY: base64.replace(/=$/, '') }).settingsKey?.bytes).toEqual(Buffer.alloc(32, 7));
    const config = loadConfig({ SETTINGS_KEY: hex });
    expect(JSON.stringify(config)).not.toContain(hex);
    expect(JSON.stringify(config)).toContain('"settingsKey":"[redacted]"');
  });

  it('refuses a SETTINGS_KEY of the wrong length or alphabet, naming the variable and not the value', () => {
    for (const wrong of [
      'secret',
      'ab'.repeat(31),
      'ab'.repeat(33),
      `${'g'.repeat(64)}`,
      Buffer.alloc(24).toString('base64'),
    ]) {
      expect(() => loadConfig({ SETTINGS_KEY: wrong })).toThrow(/^SETTINGS_KEY: must be 32 random bytes/);
      try {
        loadConfig({ SETTINGS_KEY: wrong });
      } catch (error) {
        expect((error as Error).message).not.toContain(wrong);
      }
    }
  });
});
