import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveNas } from '../../modules/settings/nas.js';
import { freeUdpPort } from '../../testing/free-udp-port.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

/**
 * Debian's FreeRADIUS (freeradius, freeradius-rest) in front of the authorize endpoint, configured
 * as docs/integrations/radius.md tells an ISP to, and radclient (freeradius-utils) as the NAS.
 */
const FREERADIUS = '/usr/sbin/freeradius';
const REST_MODULE = ['/usr/lib/freeradius/rlm_rest.so', '/usr/lib/x86_64-linux-gnu/freeradius/rlm_rest.so'];
const missing = [
  existsSync(FREERADIUS) ? null : 'freeradius',
  REST_MODULE.some((file) => existsSync(file)) ? null : 'freeradius-rest',
  ['/usr/bin/radclient', '/usr/local/bin/radclient'].some((file) => existsSync(file)) ? null : 'freeradius-utils',
].filter((name): name is string => name !== null);
if (missing.length > 0) {
  console.warn(
    `\n!!! FreeRADIUS authorize tests SKIPPED: ${missing.join(', ')} not installed. ` +
      `Install with: apt-get install -y freeradius freeradius-rest freeradius-utils (.ci/run does).\n`,
  );
}

const TOKEN = 'freeradius-presents-this-token-0123456789';
const SECRET = 'radclient-to-freeradius-secret';
let t: TestApp;
let raddb: string;
let radiusd: ChildProcess | undefined;
let radiusdOutput = '';
let authPort: number;

/** The whole server in one file: what docs/integrations/radius.md adds to an ISP's raddb, and a listener. */
function radiusdConf(dir: string, linedesk: string, port: number): string {
  return `
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = \${exec_prefix}/sbin
logdir = ${dir}
raddbdir = ${dir}
radacctdir = ${dir}
name = freeradius
confdir = \${raddbdir}
modconfdir = \${confdir}
run_dir = ${dir}
db_dir = ${dir}
libdir = /usr/lib/freeradius
pidfile = ${dir}/radiusd.pid
max_request_time = 10
cleanup_delay = 0
max_requests = 256
hostname_lookups = no
log {
  destination = stdout
}
security {
  allow_core_dumps = no
  max_attributes = 200
  reject_delay = 0
  status_server = no
}
client loopback {
  ipaddr = 127.0.0.1
  secret = ${SECRET}
}
thread pool {
  start_servers = 1
  max_servers = 4
  min_spare_servers = 1
  max_spare_servers = 2
}
modules {
  rest linedesk {
    connect_uri = "${linedesk}"
    authorize {
      uri = "\${..connect_uri}/api/radius/authorize"
      method = 'post'
      body = 'json'
      auth = 'basic'
      username = 'freeradius'
      password = '${TOKEN}'
      require_auth = yes
      timeout = 4
    }
    pool {
      start = 0
      min = 0
      max = 4
      spare = 1
      uses = 0
      retry_delay = 1
      lifetime = 0
      idle_timeout = 60
    }
  }
}
server default {
  listen {
    type = auth
    ipaddr = 127.0.0.1
    port = ${port}
  }
  authorize {
    linedesk
    # IPoE: the NAS sends no password worth checking; Linedesk's answer is the authorization.
    if (updated && !&control:Auth-Type) {
      update control {
        &Auth-Type := Accept
      }
    }
  }
  authenticate {
  }
  post-auth {
  }
}
`;
}

function startRadiusd(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(FREERADIUS, ['-f', '-X', '-d', raddb], { stdio: ['ignore', 'pipe', 'pipe'] });
    radiusd = child;
    const timer = setTimeout(() => reject(new Error(`freeradius did not start in 20 s:\n${radiusdOutput}`)), 20_000);
    const read = (chunk: Buffer) => {
      radiusdOutput += chunk.toString();
      if (radiusdOutput.includes('Ready to process requests')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`freeradius exited with ${code}:\n${radiusdOutput}`));
    });
  });
}

/**
 * An Access-Request from radclient as a NAS; what came back, as radclient prints it, and what
 * FreeRADIUS's debug output said meanwhile (one request at a time, so it is this one's).
 */
function accessRequest(pairs: string[]): Promise<{ code: string; output: string }> {
  const seenBefore = radiusdOutput.length;
  return new Promise((resolve) => {
    const child = execFile(
      'radclient',
      ['-r', '1', '-t', '5', '-x', `127.0.0.1:${authPort}`, 'auth', SECRET],
      async (_error, stdout, stderr) => {
        // FreeRADIUS's log of the request may reach this process a moment after radclient's answer.
        for (let waited = 0; waited < 2000 && !/Sent Access-\w+/.test(radiusdOutput.slice(seenBefore)); waited += 20) {
          await new Promise((wake) => setTimeout(wake, 20));
        }
        const output = stdout + stderr;
        const code = /Received (Access-\w+)/.exec(output)?.[1] ?? 'no answer';
        resolve({ code, output: `${output}\n--- freeradius:\n${radiusdOutput.slice(seenBefore)}` });
      },
    );
    child.stdin?.end(`${pairs.join(', ')}\n`);
  });
}

/** What a NAS at `nas` sends for a PPPoE login (the password is FreeRADIUS's business, not Linedesk's). */
const pppoeLogin = (login: string | undefined, nas = '127.0.0.11') => [
  `User-Name = "${login}"`,
  'User-Password = "x"',
  `NAS-IP-Address = ${nas}`,
];

const loginOf = async (state: string, offset = 0) => {
  const [row] = await t.database.rows<{ login: string; mbps: number }>(sql`
    select sc.pppoe_login as login, tr.download_mbps as mbps
    from service_connections sc join accounts a on a.id = sc.account_id join tariffs tr on tr.id = a.tariff_id
    where a.state = ${state} and sc.pppoe_login is not null order by sc.id offset ${offset} limit 1`);
  if (!row) throw new Error(`the demo data has no ${state} PPPoE connection`);
  return row;
};

describe.skipIf(missing.length > 0)("Debian's FreeRADIUS with the rest module, asking Linedesk", () => {
  beforeAll(async () => {
    t = await startTestApp({ env: { RADIUS_AUTHORIZE_TOKEN: TOKEN } });
    const [admin] = await t.database.rows<{ id: number }>(sql`select id from staff where role = 'admin' limit 1`);
    for (const [name, address, vendor] of [
      ['bras-mikrotik', '127.0.0.11', 'mikrotik'],
      ['bras-cisco', '127.0.0.12', 'cisco'],
      ['bras-juniper', '127.0.0.13', 'juniper'],
    ] as const) {
      await saveNas(
        t.ctx,
        { id: admin?.id ?? 1 },
        name,
        { address, vendor, interimIntervalSeconds: 300, secret: 'the-nas-shared-secret' },
        null,
      );
    }
    const linedesk = await t.listen();
    raddb = await mkdtemp(path.join(tmpdir(), 'linedesk-raddb-'));
    authPort = await freeUdpPort();
    await writeFile(path.join(raddb, 'radiusd.conf'), radiusdConf(raddb, linedesk, authPort));
    await startRadiusd();
  }, 120_000);

  afterAll(async () => {
    if (radiusd && radiusd.exitCode === null) {
      radiusd.removeAllListeners('exit');
      const exited = new Promise((resolve) => radiusd?.once('exit', resolve));
      radiusd.kill('SIGTERM');
      await exited;
    }
    if (raddb) await rm(raddb, { recursive: true, force: true });
    await t?.close();
  });

  it("accepts an active subscriber at the tariff's speed in each vendor's attribute", async () => {
    const active = await loginOf('active');
    const from = (nas: string) => pppoeLogin(active.login, nas);

    const mikrotik = await accessRequest(from('127.0.0.11'));
    expect(mikrotik.code, mikrotik.output).toBe('Access-Accept');
    expect(mikrotik.output).toContain(`Mikrotik-Rate-Limit = "${active.mbps}M/${active.mbps}M"`);
    expect(mikrotik.output).toMatch(/Acct-Interim-Interval = 300\b/);

    const cisco = await accessRequest(from('127.0.0.12'));
    const bps = active.mbps * 1_000_000;
    expect(cisco.code, cisco.output).toBe('Access-Accept');
    expect(cisco.output).toContain(`Cisco-Account-Info = "QU;${bps};${bps * 0.1875};D;${bps};${bps * 0.1875}"`);

    const juniper = await accessRequest(from('127.0.0.13'));
    expect(juniper.code, juniper.output).toBe('Access-Accept');
    expect(juniper.output).toContain(`ERX-Service-Activate:1 = "linedesk-internet(${active.mbps}m,${active.mbps}m)"`);
  });

  it('accepts a blocked subscriber into the walled garden, without the speed', async () => {
    const blocked = await loginOf('blocked_debt');
    const answer = await accessRequest(pppoeLogin(blocked.login));
    expect(answer.code, answer.output).toBe('Access-Accept');
    expect(answer.output).toContain('Mikrotik-Address-List = "linedesk-blocked"');
    expect(answer.output).not.toContain('Mikrotik-Rate-Limit');
  });

  it('rejects a closed subscriber and one no account knows', async () => {
    const [closed] = await t.database.rows<{ login: string }>(sql`
      update accounts a set state = 'closed' from service_connections sc
      where sc.account_id = a.id and sc.id = (
        select sc2.id from service_connections sc2 join accounts a2 on a2.id = sc2.account_id
        where a2.state = 'active' and sc2.pppoe_login is not null order by sc2.id desc limit 1)
      returning sc.pppoe_login as login`);
    const refused = await accessRequest(pppoeLogin(closed?.login));
    expect(refused.code, refused.output).toBe('Access-Reject');
    expect(refused.output).toMatch(/\[linedesk\] = userlock/);

    const unknown = await accessRequest(pppoeLogin('nobody-here'));
    expect(unknown.code, unknown.output).toBe('Access-Reject');
    // Rejected by the site's policy after rest's notfound, not because Linedesk failed to answer.
    expect(unknown.output).toMatch(/\[linedesk\] = notfound/);
  });
});
