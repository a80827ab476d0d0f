import { isIP } from 'node:net';
import path from 'node:path';

export type Engine = 'pglite' | 'postgres';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  engine: Engine;
  timezone: string;
  nodeEnv: 'development' | 'production' | 'test';
  /** Subscribers generated on an empty database (never in production). */
  demoSubscribers: number;
  logLevel: string;
  /**
   * Which peers' X-Forwarded-For and X-Forwarded-Proto are believed (Fastify's trustProxy): none,
   * the nearest N hops, or the proxies at these addresses / CIDR ranges.
   */
  trustProxy: TrustProxy;
  /**
   * The ISP's telephone area code (код города), so a caller's local number ("990-05-93") is read
   * as a full one: the digits of the code and of a local number make the 10 of a Russian number.
   */
  ispAreaCode: string;
  /** Wrong answers to identification's questions one staff member may give per minute before refusal. */
  identifyWrongAnswersPerMinute: number;
  /** Who may read /metrics (docs/operations.md, "Metrics"); without either it is not served. */
  metrics: MetricsAccess;
  /** How long connecting to the database and its first answer may take before the start stops. */
  databaseTimeoutMs: number;
  /**
   * SETTINGS_KEY, the key the operational settings' secrets are sealed with (docs/security.md,
   * "Secrets in the settings"); without it, outside production, a key file in the data folder.
   */
  settingsKey: SettingsKey | undefined;
  /**
   * Asterisk's REST interface (docs/integrations/asterisk.md): when set, Linedesk runs its Stasis
   * application and commands go through ARI instead of the generic webhook.
   */
  ari: AriConfig | undefined;
  /**
   * Where the RADIUS accounting listener takes the NASes' records (docs/integrations/radius.md);
   * undefined: RADIUS_ACCT_PORT=off, no listener.
   */
  radiusAccounting: { host: string; port: number } | undefined;
  /**
   * RADIUS_AUTHORIZE_TOKEN, what the ISP's FreeRADIUS presents to POST /api/radius/authorize
   * (docs/integrations/radius.md); without it the endpoint answers 503.
   */
  radiusAuthorizeToken: Secret | undefined;
  /**
   * MONITORING_WEBHOOK_TOKEN, what Alertmanager, Zabbix and LibreNMS present to
   * POST /api/monitoring/* (docs/integrations/monitoring.md); without it those endpoints answer 503.
   */
  monitoringWebhookToken: Secret | undefined;
  /**
   * Where the SNMP trap receiver listens for the switches' and OLTs' traps (SNMP_TRAP_LISTEN,
   * host:port, docs/integrations/snmp.md); undefined: SNMP_TRAP_LISTEN=off, no receiver.
   */
  snmpTrapListen: { host: string; port: number } | undefined;
}

/** A password that never reaches a log line or a JSON dump of the configuration. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  get value(): string {
    return this.#value;
  }
  toJSON() {
    return '[redacted]';
  }
}

export interface AriConfig {
  /** http(s)://host:port of Asterisk's HTTP server (http.conf); ARI lives under /ari. */
  url: string;
  username: string;
  password: Secret;
  /** The Stasis application's name, as the dialplan's Stasis() names it. */
  app: string;
  dialling: {
    /** ARI endpoint of an agent's phone, `{extension}` replaced (PJSIP/{extension}). */
    agentEndpoint: string;
    /** ARI endpoint of an outside number, `{number}` replaced (Local/{number}@linedesk-outbound). */
    outboundEndpoint: string;
    ringSeconds: number;
  };
}

/** 32 bytes of key that never reach a log line or a JSON dump of the configuration. */
export class SettingsKey {
  readonly #bytes: Buffer;
  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }
  get bytes(): Buffer {
    return this.#bytes;
  }
  toJSON() {
    return '[redacted]';
  }
}

/** 64 hex digits or base64 of 32 bytes; the message never repeats the value. */
export function settingsKeyFrom(raw: string | undefined, variable = 'SETTINGS_KEY'): SettingsKey | undefined {
  const value = raw?.trim() ?? '';
  if (value === '') return undefined;
  let bytes: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(value)) bytes = Buffer.from(value, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) bytes = Buffer.from(value, 'base64');
  if (bytes?.length !== 32) {
    throw new ConfigError(
      variable,
      `must be 32 random bytes written as 64 hex digits or as base64 (\`openssl rand -hex 32\`), got ${value.length} characters`,
    );
  }
  return new SettingsKey(bytes);
}

export interface MetricsAccess {
  /** `Authorization: Bearer <token>` required when set. */
  token: string | undefined;
  /** A listener of its own for /metrics (then not on the main port), e.g. on the monitoring network. */
  listen: { host: string; port: number } | undefined;
}

export type TrustProxy = false | number | string[];

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

function isValidTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function integerIn(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

// proxy-addr's names for address ranges, as Fastify's trustProxy accepts them.
const proxyRangeNames = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrRange(entry: string): boolean {
  if (proxyRangeNames.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Off unless asked: trusting X-Forwarded-For from clients that connect directly would let anyone
 * forge the address the audit log and the login throttle see. `1` (or `true`) trusts one hop, the
 * load balancer in front, and never takes the left end of X-Forwarded-For, which the client writes.
 */
function trustProxyFrom(raw: string | undefined): TrustProxy {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '' || value === '0' || value === 'false' || value === 'off') return false;
  if (value === 'true') return 1;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) throw new ConfigError('TRUST_PROXY', `must be at most 10 hops, got ${hops}`);
    return hops;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  const wrong = entries.find((entry) => !isAddressOrRange(entry));
  if (wrong !== undefined) {
    throw new ConfigError(
      'TRUST_PROXY',
      `must be off, a number of hops (1 = one load balancer) or a comma-separated list of proxy addresses or CIDR ranges, got "${wrong}"`,
    );
  }
  return entries;
}

function metricsAccessFrom(env: NodeJS.ProcessEnv, mainPort: number): MetricsAccess {
  const token = env.METRICS_TOKEN || undefined;
  // Long and random, as `openssl rand -hex 32` gives it: it is the only lock on the metrics.
  if (token !== undefined && !/^[A-Za-z0-9._~+/=-]{32,256}$/.test(token)) {
    throw new ConfigError(
      'METRICS_TOKEN',
      'must be 32 to 256 characters of letters, digits and . _ ~ + / = - (e.g. `openssl rand -hex 32`)',
    );
  }
  if (env.METRICS_HOST && !env.METRICS_PORT) {
    throw new ConfigError('METRICS_HOST', 'needs METRICS_PORT: metrics get a listener of their own only with a port');
  }
  if (!env.METRICS_PORT) return { token, listen: undefined };
  const port = integerIn(env, 'METRICS_PORT', 0, 1, 65535);
  if (port === mainPort) throw new ConfigError('METRICS_PORT', `must differ from PORT (${mainPort})`);
  const host = env.METRICS_HOST || '127.0.0.1';
  if (isIP(host) === 0 && host !== 'localhost') {
    throw new ConfigError('METRICS_HOST', `must be an IP address to listen on, got "${host}"`);
  }
  return { token, listen: { host, port } };
}

function radiusAccountingFrom(env: NodeJS.ProcessEnv): Config['radiusAccounting'] {
  if (env.RADIUS_ACCT_PORT?.trim().toLowerCase() === 'off') return undefined;
  // 0 lets the system choose (tests); a NAS needs the port it is told, 1813 unless said otherwise.
  const port = integerIn(env, 'RADIUS_ACCT_PORT', 1813, 0, 65535);
  const host = env.RADIUS_ACCT_HOST || '0.0.0.0';
  if (isIP(host) === 0) throw new ConfigError('RADIUS_ACCT_HOST', `must be an IP address to listen on, got "${host}"`);
  return { host, port };
}

/**
 * A token another system presents to one of Linedesk's endpoints (RADIUS_AUTHORIZE_TOKEN,
 * MONITORING_WEBHOOK_TOKEN). It goes into that system's configuration (FreeRADIUS's rest module,
 * Alertmanager's YAML, a Zabbix media type, a LibreNMS transport): printable, no spaces or quotes.
 */
function snmpTrapListenFrom(env: NodeJS.ProcessEnv): Config['snmpTrapListen'] {
  const raw = env.SNMP_TRAP_LISTEN?.trim() ?? '';
  if (raw.toLowerCase() === 'off') return undefined;
  // 162 is where switches send traps unless told otherwise (RFC 3413).
  if (raw === '') return { host: '0.0.0.0', port: 162 };
  const match = /^(.*):(\d{1,5})$/.exec(raw);
  const host = match?.[1]?.replace(/^\[(.*)\]$/, '$1') ?? '';
  const port = Number(match?.[2] ?? 0);
  if (!match || isIP(host) === 0 || port < 1 || port > 65535) {
    throw new ConfigError(
      'SNMP_TRAP_LISTEN',
      `must be off or an IP address and port to listen on, such as 0.0.0.0:162, got "${raw}"`,
    );
  }
  return { host, port };
}

function endpointTokenFrom(env: NodeJS.ProcessEnv, name: 'RADIUS_AUTHORIZE_TOKEN' | 'MONITORING_WEBHOOK_TOKEN') {
  const token = env[name] || undefined;
  if (token === undefined) return undefined;
  if (!/^[A-Za-z0-9._~+/=-]{32,256}$/.test(token)) {
    throw new ConfigError(
      name,
      'must be 32 to 256 characters of letters, digits and . _ ~ + / = - (e.g. `openssl rand -hex 32`)',
    );
  }
  return new Secret(token);
}

function ariFrom(env: NodeJS.ProcessEnv): AriConfig | undefined {
  const url = env.ARI_URL?.trim() ?? '';
  if (url === '') {
    for (const name of ['ARI_USERNAME', 'ARI_PASSWORD'] as const) {
      if (env[name]) throw new ConfigError(name, 'is set but ARI_URL is not: set ARI_URL to use Asterisk through ARI');
    }
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('ARI_URL', 'is not a URL (expected http://asterisk.example.net:8088)');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError('ARI_URL', `must start with http:// or https://, got "${parsed.protocol}"`);
  }
  if (parsed.username || parsed.password || parsed.search || parsed.hash) {
    throw new ConfigError(
      'ARI_URL',
      'must be only scheme, host, port (and path): the user and password go in ARI_USERNAME and ARI_PASSWORD',
    );
  }
  const username = env.ARI_USERNAME ?? '';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(username)) {
    throw new ConfigError('ARI_USERNAME', 'must be the user of ari.conf: 1 to 64 letters, digits and . _ -');
  }
  const password = env.ARI_PASSWORD ?? '';
  if (password.length < 8 || password.length > 256 || /[\s:]/.test(password) || /[^\x21-\x7e]/.test(password)) {
    throw new ConfigError('ARI_PASSWORD', 'must be 8 to 256 printable characters without spaces or colons');
  }
  const app = env.ARI_APP || 'linedesk';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(app)) {
    throw new ConfigError('ARI_APP', `must be a Stasis application name of letters, digits, _ and -, got "${app}"`);
  }
  const agentEndpoint = env.ARI_AGENT_ENDPOINT || 'PJSIP/{extension}';
  if (!/^[A-Za-z0-9_]+\/\S*\{extension\}\S*$/.test(agentEndpoint)) {
    throw new ConfigError(
      'ARI_AGENT_ENDPOINT',
      `must be a channel technology and resource with {extension}, e.g. PJSIP/{extension}, got "${agentEndpoint}"`,
    );
  }
  const outboundEndpoint = env.ARI_OUTBOUND_ENDPOINT || 'Local/{number}@linedesk-outbound';
  if (!/^[A-Za-z0-9_]+\/\S*\{number\}\S*$/.test(outboundEndpoint)) {
    throw new ConfigError(
      'ARI_OUTBOUND_ENDPOINT',
      `must be a channel technology and resource with {number}, e.g. Local/{number}@linedesk-outbound, got "${outboundEndpoint}"`,
    );
  }
  return {
    url: url.replace(/\/+$/, ''),
    username,
    password: new Secret(password),
    app,
    dialling: { agentEndpoint, outboundEndpoint, ringSeconds: integerIn(env, 'ARI_RING_SECONDS', 30, 5, 300) },
  };
}

/** Reads and checks the environment; a wrong value stops the start with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (nodeEnv !== 'development' && nodeEnv !== 'production' && nodeEnv !== 'test') {
    throw new ConfigError('NODE_ENV', `must be development, production or test, got "${nodeEnv}"`);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(databaseUrl);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a URL (expected postgres://user@host:5432/database)');
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw new ConfigError('DATABASE_URL', `must start with postgres://, got "${url.protocol}"`);
    }
  }
  // The demo ISP's city keeps Yekaterinburg time (src/demo-data/calendar.ts): its payments made at
  // 00:05 must not show as 22:05 the day before. A real ISP names its own zone.
  const timezone = env.ISP_TIMEZONE || 'Asia/Yekaterinburg';
  if (!isValidTimezone(timezone)) {
    throw new ConfigError('ISP_TIMEZONE', `is not an IANA time zone such as Europe/Moscow, got "${timezone}"`);
  }
  const dataDir = path.resolve(env.DATA_DIR || 'data');
  const logLevel = env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of fatal, error, warn, info, debug, trace, silent`);
  }
  const host = env.HOST || '0.0.0.0';
  // Yekaterinburg's, the demo city's: its local numbers have 7 digits.
  const ispAreaCode = env.ISP_AREA_CODE || '343';
  if (!/^[1-9]\d{2,4}$/.test(ispAreaCode)) {
    throw new ConfigError(
      'ISP_AREA_CODE',
      `must be a Russian area code of 3 to 5 digits such as 343, got "${ispAreaCode}"`,
    );
  }
  const port = integerIn(env, 'PORT', 3000, 1, 65535);
  return {
    port,
    host,
    dataDir,
    databaseUrl,
    engine: databaseUrl ? 'postgres' : 'pglite',
    timezone,
    nodeEnv,
    demoSubscribers: integerIn(env, 'DEMO_SUBSCRIBERS', 20_000, 1_000, 1_000_000),
    logLevel,
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    ispAreaCode,
    identifyWrongAnswersPerMinute: integerIn(env, 'IDENTIFY_WRONG_ANSWERS_PER_MINUTE', 10, 1, 1_000),
    metrics: metricsAccessFrom(env, port),
    databaseTimeoutMs: integerIn(env, 'DATABASE_TIMEOUT_SECONDS', 10, 1, 600) * 1000,
    settingsKey: settingsKeyFrom(env.SETTINGS_KEY),
    ari: ariFrom(env),
    radiusAccounting: radiusAccountingFrom(env),
    radiusAuthorizeToken: endpointTokenFrom(env, 'RADIUS_AUTHORIZE_TOKEN'),
    monitoringWebhookToken: endpointTokenFrom(env, 'MONITORING_WEBHOOK_TOKEN'),
    snmpTrapListen: snmpTrapListenFrom(env),
  };
}
