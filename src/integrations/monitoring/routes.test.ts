import fs from 'node:fs';
import { Writable } from 'node:stream';
import vm from 'node:vm';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { type AlertmanagerMessage, fingerprintOf } from './alertmanager.js';
import { monitoringAlertsReceived, monitoringRefused, monitoringUnknownNodes } from './metrics.js';
import { MONITORING_PATHS } from './routes.js';

const TOKEN = 'monitoring-webhook-token-for-the-tests-0123';
let t: TestApp;
const logLines: string[] = [];
let node: { id: number; name: string; management_ip: string };
let other: { id: number; name: string; management_ip: string };

beforeAll(async () => {
  t = await startTestApp({
    env: { MONITORING_WEBHOOK_TOKEN: TOKEN },
    logTo: new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  });
  [node, other] = (await t.database.rows<typeof node>(
    sql`select id, name, management_ip from network_nodes where kind = 'access_switch' order by id limit 2`,
  )) as [typeof node, typeof node];
});
afterAll(async () => t?.close());

function post(
  path: string,
  body: string | object,
  { contentType = 'application/json', authorization = `Bearer ${TOKEN}` as string | null } = {},
) {
  return t.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': contentType, ...(authorization ? { authorization } : {}) },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

interface StoredAlert {
  node_id: number | null;
  node_identifier: string | null;
  name: string;
  severity: string | null;
  status: string;
  acknowledged: boolean;
  summary: string | null;
  started_at: string;
  ended_at: string | null;
}

async function stored(source: string, externalId: string): Promise<StoredAlert | undefined> {
  const [row] = await t.database.rows<StoredAlert>(
    sql`select node_id, node_identifier, name, severity, status, acknowledged, summary,
          to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as started_at,
          to_char(ended_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as ended_at
        from monitoring_alerts where source = ${source} and external_id = ${externalId}`,
  );
  return row;
}

const alertCount = async () =>
  Number((await t.database.rows<{ n: number }>(sql`select count(*)::int as n from monitoring_alerts`))[0]?.n);

describe('Alertmanager webhook (version 4)', () => {
  // The body Alertmanager's webhook notifier sends (prometheus/alertmanager notify/webhook,
  // https://prometheus.io/docs/alerting/latest/configuration/#webhook_config), one group of two:
  // an SNMP exporter's target down (its `instance` the node's address with the exporter's port)
  // and the node's uplink flapping, named by a `hostname` label.
  const group = (statuses: ['firing' | 'resolved', 'firing' | 'resolved']): AlertmanagerMessage => ({
    receiver: 'linedesk',
    status: statuses.includes('firing') ? 'firing' : 'resolved',
    alerts: [
      {
        status: statuses[0],
        labels: {
          alertname: 'SnmpTargetDown',
          instance: `${node.management_ip}:9116`,
          job: 'snmp',
          severity: 'critical',
        },
        annotations: { summary: `SNMP target ${node.management_ip} is down` },
        startsAt: '2026-12-06T09:52:26.739266876+05:00',
        endsAt: statuses[0] === 'firing' ? '0001-01-01T00:00:00Z' : '2026-12-06T10:05:26.739266876+05:00',
        generatorURL: 'http://prometheus.example:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1',
        fingerprint: '1a30ba71cca2921f',
      },
      {
        status: statuses[1],
        labels: { alertname: 'InterfaceFlapping', hostname: node.name.toUpperCase(), ifName: 'ge-0/0/1' },
        annotations: { description: 'ge-0/0/1 changed state 6 times in 10 minutes' },
        startsAt: '2026-12-06T04:50:00Z',
        endsAt: statuses[1] === 'firing' ? '0001-01-01T00:00:00Z' : '2026-12-06T05:10:00Z',
        generatorURL: 'http://prometheus.example:9090/graph',
      },
    ],
    groupLabels: { job: 'snmp' },
    commonLabels: { job: 'snmp' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    version: '4',
    groupKey: '{}:{job="snmp"}',
    truncatedAlerts: 0,
  });

  it('stores each alert of a group with its own status on the node its instance or hostname names', async () => {
    const before =
      (await monitoringAlertsReceived.get()).values.find((v) => v.labels.source === 'alertmanager')?.value ?? 0;
    const response = await post(MONITORING_PATHS.alertmanager, group(['firing', 'resolved']));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: 2, changed: 2, unknownNodes: 0 });
    expect(await stored('alertmanager', '1a30ba71cca2921f')).toEqual({
      node_id: node.id,
      node_identifier: `${node.management_ip}:9116`,
      name: 'SnmpTargetDown',
      severity: 'critical',
      status: 'firing',
      acknowledged: false,
      summary: `SNMP target ${node.management_ip} is down`,
      started_at: '2026-12-06T04:52:26Z',
      ended_at: null,
    });
    // No fingerprint in the body: the one Alertmanager would give, from the labels.
    const [flapping] = await t.database.rows<{ external_id: string }>(
      sql`select external_id from monitoring_alerts where name = 'InterfaceFlapping'`,
    );
    expect(flapping?.external_id).toMatch(/^[0-9a-f]{16}$/);
    expect(await stored('alertmanager', flapping?.external_id ?? '')).toMatchObject({
      node_id: node.id,
      status: 'resolved',
      summary: 'ge-0/0/1 changed state 6 times in 10 minutes',
      ended_at: '2026-12-06T05:10:00Z',
    });
    const after =
      (await monitoringAlertsReceived.get()).values.find((v) => v.labels.source === 'alertmanager')?.value ?? 0;
    expect(after - before).toBe(2);
  });

  it('the same group again changes nothing; its resolution resolves the one still firing', async () => {
    expect((await post(MONITORING_PATHS.alertmanager, group(['firing', 'resolved']))).json()).toEqual({
      received: 2,
      changed: 0,
      unknownNodes: 0,
    });
    expect((await post(MONITORING_PATHS.alertmanager, group(['resolved', 'resolved']))).json()).toMatchObject({
      changed: 1,
    });
    expect(await stored('alertmanager', '1a30ba71cca2921f')).toMatchObject({
      status: 'resolved',
      ended_at: '2026-12-06T05:05:26Z',
    });
  });

  it('takes the published examples as they are: a v4 body with fingerprints, and an older one without', async () => {
    // docs.rs alertmanager-webhook-types, assets/sample-v4-payload.json (a blackbox probe failure).
    const sampleV4 = {
      receiver: 'sms',
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: {
            alertname: 'ProbeFailure',
            instance: 'https://server.example.org',
            job: 'http_checks',
            monitor: 'master',
            severity: 'critical',
          },
          annotations: {
            description: 'Instance https://server.example.org has been down for over 5m. Job: http_checks',
            summary: 'BlackBox Probe Failure: https://server.example.org',
          },
          startsAt: '2023-02-06T13:08:45.828Z',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://prometheus.example.org:9090/graph?g0.expr=probe_success+%3D%3D+0\\u0026g0.tab=1',
          fingerprint: '1a30ba71cca2921f',
        },
      ],
      groupLabels: { alertname: 'ProbeFailure' },
      commonLabels: {
        alertname: 'ProbeFailure',
        instance: 'https://server.example.org',
        job: 'http_checks',
        monitor: 'master',
        severity: 'critical',
      },
      commonAnnotations: {
        description: 'Instance https://server.example.org has been down for over 5m. Job: http_checks',
        summary: 'BlackBox Probe Failure: https://server.example.org',
      },
      externalURL: 'http://prometheus.example.org:9093',
      version: '4',
      groupKey: '{}/{severity="critical"}:{alertname="ProbeFailure"}',
      truncatedAlerts: 0,
    };
    const response = await post(MONITORING_PATHS.alertmanager, {
      ...sampleV4,
      alerts: [{ ...sampleV4.alerts[0], fingerprint: 'f00d000000000001' }],
    });
    expect(response.json()).toEqual({ received: 1, changed: 1, unknownNodes: 1 });
    expect(await stored('alertmanager', 'f00d000000000001')).toMatchObject({
      node_id: null,
      node_identifier: 'https://server.example.org',
      name: 'ProbeFailure',
      summary: 'BlackBox Probe Failure: https://server.example.org',
      started_at: '2023-02-06T13:08:45Z',
    });
    // An Alertmanager of 2018 (gist mobeigi/5a96f326…, "Alertmanager Webhook Payload Example"): no
    // fingerprint, no truncatedAlerts.
    const older = {
      receiver: 'webhook',
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'Test', dc: 'eu-west-1', instance: 'localhost:9090', job: 'prometheus24' },
          annotations: { description: 'some description' },
          startsAt: '2018-08-03T09:52:26.739266876+02:00',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://example.com:9090/graph?g0.expr=go_memstats_alloc_bytes+%3E+0\u0026g0.tab=1',
        },
      ],
      groupLabels: { alertname: 'Test', job: 'prometheus24' },
      commonLabels: { alertname: 'Test', dc: 'eu-west-1', instance: 'localhost:9090', job: 'prometheus24' },
      commonAnnotations: { description: 'some description' },
      externalURL: 'http://example.com:9093',
      version: '4',
      groupKey: '{}:{alertname="Test", job="prometheus24"}',
    };
    expect((await post(MONITORING_PATHS.alertmanager, older)).statusCode).toBe(200);
    const [test] = await t.database.rows<{ external_id: string; started_at: string }>(
      sql`select external_id, to_char(started_at at time zone 'UTC', 'HH24:MI:SS') as started_at
          from monitoring_alerts where source = 'alertmanager' and name = 'Test'`,
    );
    expect(test).toEqual({ external_id: fingerprintOf(older.alerts[0]?.labels ?? {}), started_at: '07:52:26' });
  });

  it('answers 200 for an alert on no node Linedesk knows, and stores it without a node', async () => {
    const before =
      (await monitoringUnknownNodes.get()).values.find((v) => v.labels.source === 'alertmanager')?.value ?? 0;
    const body = group(['firing', 'firing']);
    body.alerts = [
      {
        ...(body.alerts[0] as (typeof body.alerts)[0]),
        labels: { alertname: 'HostDown', instance: '10.200.0.9:9100' },
        fingerprint: 'abcdef0123456789',
      },
    ];
    const response = await post(MONITORING_PATHS.alertmanager, body);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: 1, changed: 1, unknownNodes: 1 });
    expect(await stored('alertmanager', 'abcdef0123456789')).toMatchObject({
      node_id: null,
      node_identifier: '10.200.0.9:9100',
    });
    const after =
      (await monitoringUnknownNodes.get()).values.find((v) => v.labels.source === 'alertmanager')?.value ?? 0;
    expect(after - before).toBe(1);
  });

  it('refuses a body it cannot read with 400, writes nothing, and counts it', async () => {
    const count = await alertCount();
    const refused = async () =>
      (await monitoringRefused.get()).values.find(
        (v) => v.labels.source === 'alertmanager' && v.labels.reason === 'malformed',
      )?.value ?? 0;
    const before = await refused();
    const wrongVersion = { ...group(['firing', 'firing']), version: '3' };
    const badTime = group(['firing', 'firing']);
    (badTime.alerts[1] as { startsAt: string }).startsAt = 'yesterday';
    for (const body of [wrongVersion, badTime, '{"version": "4", "alerts": [', { version: '4' }]) {
      const response = await post(MONITORING_PATHS.alertmanager, body);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect(await alertCount()).toBe(count);
    expect((await refused()) - before).toBe(4);
    const refusals = logLines
      .map((line) => JSON.parse(line))
      .filter((line) => line.msg === 'monitoring webhook body refused' && line.source === 'alertmanager');
    expect(refusals).toHaveLength(4);
    expect(refusals.map((line) => line.level)).toEqual([40, 40, 40, 40]);
    expect(JSON.stringify(refusals)).toContain('startsAt');
  });
});

/** The script of the shipped media type, as Zabbix runs it: the body of a function of `value`. */
function shippedZabbixScript(): string {
  const yaml = fs.readFileSync(new URL('./shipped/zabbix-media-linedesk.yaml', import.meta.url), 'utf8');
  const lines = yaml.split('\n');
  const start = lines.findIndex((line) => /^\s+script: \|$/.test(line));
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && !line.startsWith('        ')) break;
    body.push(line.slice(8));
  }
  return body.join('\n');
}

/**
 * Runs the shipped Zabbix script with these parameters (macros resolved as Zabbix resolves them;
 * an unresolved one stays as its own text) against a stand-in for Zabbix's HttpRequest, and
 * delivers what it would post to Linedesk.
 */
async function notifyFromZabbix(macros: Record<string, string>) {
  const sent: { url?: string; headers: string[]; body?: string } = { headers: [] };
  class HttpRequest {
    addHeader(header: string) {
      sent.headers.push(header);
    }
    post(url: string, body: string) {
      sent.url = url;
      sent.body = body;
      return '';
    }
    getStatus() {
      return 200;
    }
    setProxy() {}
  }
  const params = {
    linedesk_url: 'https://linedesk.example/api/monitoring/zabbix',
    linedesk_token: TOKEN,
    event_source: '0',
    event_update_status: '0',
    event_update_action: '{EVENT.UPDATE.ACTION}',
    event_ack_status: 'No',
    event_recovery_date: '{EVENT.RECOVERY.DATE}',
    event_recovery_time: '{EVENT.RECOVERY.TIME}',
    host_dns: '',
    trigger_description: '',
    ...macros,
  };
  const run = vm.runInNewContext(`(function (value) {\n${shippedZabbixScript()}\n})`, {
    HttpRequest,
    Zabbix: { log() {} },
  });
  expect(run(JSON.stringify(params))).toBe('OK');
  expect(sent.headers).toEqual(['Content-Type: application/json', `Authorization: Bearer ${TOKEN}`]);
  const body = JSON.parse(sent.body ?? '{}');
  expect(body).not.toHaveProperty('linedesk_token');
  for (const value of Object.values(body)) expect(typeof value).toBe('string');
  const response = await t.app.inject({
    method: 'POST',
    url: new URL(sent.url ?? '').pathname,
    headers: Object.fromEntries(sent.headers.map((header) => header.split(': ') as [string, string])),
    payload: sent.body,
  });
  return { statusCode: response.statusCode, body: response.body };
}

describe('Zabbix webhook (the shipped media type)', () => {
  const problem = () => ({
    event_id: '4711',
    event_value: '1',
    event_name: 'Interface ge-0/0/1: Link down',
    event_severity: 'High',
    event_opdata: 'Current state: down (2)',
    // {EVENT.DATE} and {EVENT.TIME}: the Zabbix server's local time, no zone (ISP_TIMEZONE +05:00).
    event_date: '2026.12.06',
    event_time: '10:15:03',
    host_host: node.name,
    host_name: `Access switch ${node.name}`,
    host_ip: node.management_ip,
  });

  it('problem, then its acknowledgement, then its recovery: one alert, firing, acknowledged, resolved', async () => {
    const first = await notifyFromZabbix(problem());
    expect(first.statusCode).toBe(200);
    expect(await stored('zabbix', '4711')).toEqual({
      node_id: node.id,
      node_identifier: node.name,
      name: 'Interface ge-0/0/1: Link down',
      severity: 'High',
      status: 'firing',
      acknowledged: false,
      summary: 'Current state: down (2)',
      started_at: '2026-12-06T05:15:03Z',
      ended_at: null,
    });
    await notifyFromZabbix({
      ...problem(),
      event_update_status: '1',
      event_update_action: 'acknowledged',
      event_ack_status: 'Yes',
    });
    expect(await stored('zabbix', '4711')).toMatchObject({ status: 'firing', acknowledged: true });
    await notifyFromZabbix({
      ...problem(),
      event_value: '0',
      event_ack_status: 'Yes',
      event_recovery_date: '2026.12.06',
      event_recovery_time: '10:40:00',
    });
    expect(await stored('zabbix', '4711')).toMatchObject({
      status: 'resolved',
      acknowledged: true,
      started_at: '2026-12-06T05:15:03Z',
      ended_at: '2026-12-06T05:40:00Z',
    });
  });

  it('reads an unresolved macro as absent: a host without an interface still finds its node by name', async () => {
    const response = await notifyFromZabbix({
      ...problem(),
      event_id: '4712',
      host_host: other.name,
      host_ip: '{HOST.IP}',
      host_name: '*UNKNOWN*',
      event_opdata: '{EVENT.OPDATA}',
    });
    expect(response.statusCode).toBe(200);
    expect(await stored('zabbix', '4712')).toMatchObject({ node_id: other.id, summary: null });
  });

  it('refuses a notification whose event id or value is an unresolved macro (the media type tested by hand)', async () => {
    const count = await alertCount();
    for (const fields of [{ event_id: '{EVENT.ID}' }, { event_value: '{EVENT.VALUE}' }, { event_date: '06.12.2026' }]) {
      const response = await post(MONITORING_PATHS.zabbix, { ...problem(), event_source: '0', ...fields });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('monitoring.malformed');
    }
    // Zabbix hands every parameter over as a string: anything else is not its body.
    expect((await post(MONITORING_PATHS.zabbix, { ...problem(), event_value: 1 })).statusCode).toBe(400);
    expect(await alertCount()).toBe(count);
  });

  it('answers a discovery event with 200 and stores nothing', async () => {
    const count = await alertCount();
    const response = await post(MONITORING_PATHS.zabbix, { ...problem(), event_id: '4713', event_source: '1' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: 0, changed: 0, unknownNodes: 0 });
    expect(await alertCount()).toBe(count);
  });
});

/**
 * The shipped LibreNMS API-transport body filled in as LibreNMS fills it (App\View\SimpleTemplate:
 * `{{ $name }}` replaced by the value as it is, unknown names by nothing).
 */
function librenmsBody(values: Record<string, string>): string {
  const template = fs.readFileSync(new URL('./shipped/librenms-api-transport-body.txt', import.meta.url), 'utf8');
  return template.replace(/{{ \$?([a-zA-Z0-9\-_.:]+)(\|[^}]+)? }}/g, (_match, name: string) => values[name] ?? '');
}

describe('LibreNMS webhook (API transport, the shipped body)', () => {
  const alert = (state: string, timestamp: string, title: string) => ({
    alert_id: '311',
    uid: String(9000 + Number(state)),
    state,
    severity: 'critical',
    name: 'Port down',
    title,
    timestamp,
    hostname: node.management_ip,
    sysName: node.name,
    ip: node.management_ip,
  });

  it('reads invalid JSON sent as text/plain (a title with quotes), and follows the alert through its states', async () => {
    const body = librenmsBody(alert('1', '2026-12-06 10:15:03', `Alert for device ${node.name} - Port "uplink" down`));
    expect(() => JSON.parse(body)).toThrow();
    const response = await post(MONITORING_PATHS.librenms, body, { contentType: 'text/plain' });
    expect(response.statusCode).toBe(200);
    expect(await stored('librenms', '311')).toEqual({
      node_id: node.id,
      node_identifier: node.management_ip,
      name: 'Port down',
      severity: 'critical',
      status: 'firing',
      acknowledged: false,
      summary: `Alert for device ${node.name} - Port "uplink" down`,
      started_at: '2026-12-06T05:15:03Z',
      ended_at: null,
    });
    await post(MONITORING_PATHS.librenms, librenmsBody(alert('2', '2026-12-06 10:20:00', 'acknowledged')), {
      contentType: 'text/plain',
    });
    expect(await stored('librenms', '311')).toMatchObject({ status: 'firing', acknowledged: true });
    await post(MONITORING_PATHS.librenms, librenmsBody(alert('3', '2026-12-06 10:25:00', 'Has worsened')), {
      contentType: 'text/plain',
    });
    expect(await stored('librenms', '311')).toMatchObject({ status: 'firing', started_at: '2026-12-06T05:15:03Z' });
    await post(MONITORING_PATHS.librenms, librenmsBody(alert('0', '2026-12-06 10:45:00', 'recovered')), {
      contentType: 'text/plain',
    });
    expect(await stored('librenms', '311')).toMatchObject({ status: 'resolved', ended_at: '2026-12-06T05:45:00Z' });
  });

  it('takes valid JSON too, as application/json when the transport sets that header', async () => {
    const body = librenmsBody({ ...alert('1', '2026-12-06 11:00:00', 'Device down'), alert_id: '312' });
    const response = await post(MONITORING_PATHS.librenms, body, { contentType: 'application/json' });
    expect(response.statusCode).toBe(200);
    expect(await stored('librenms', '312')).toMatchObject({ status: 'firing', node_id: node.id });
  });

  it('refuses a body without its alert id or state (a template not filled in), writing nothing', async () => {
    const count = await alertCount();
    for (const body of [
      'hello',
      fs.readFileSync(new URL('./shipped/librenms-api-transport-body.txt', import.meta.url), 'utf8'),
      librenmsBody({ ...alert('7', '2026-12-06 11:00:00', 'x') }),
    ]) {
      const response = await post(MONITORING_PATHS.librenms, body, { contentType: 'text/plain' });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('monitoring.malformed');
    }
    expect(await alertCount()).toBe(count);
  });
});

describe('body size', () => {
  it('refuses a body over 1 MB with 413 on every webhook, a group of hundreds of alerts fits', async () => {
    for (const path of Object.values(MONITORING_PATHS)) {
      const big = await post(path, `{"padding": "${'x'.repeat(1024 * 1024)}"}`);
      expect(big.statusCode).toBe(413);
      expect(big.json().code).toBe('request.too_large');
    }
    const alerts = Array.from({ length: 400 }, (_, i) => ({
      status: 'firing',
      labels: { alertname: 'IfDown', instance: `${node.management_ip}:9116`, ifIndex: String(i), job: 'snmp' },
      annotations: { summary: `Interface ${i} of ${node.name} is down`, description: 'x'.repeat(200) },
      startsAt: '2026-12-06T04:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example:9090/graph?g0.expr=ifOperStatus+%3D%3D+2',
      fingerprint: (0x5000 + i).toString(16).padStart(16, '0'),
    }));
    const group = { version: '4', groupKey: '{}:{job="snmp"}', status: 'firing', receiver: 'linedesk', alerts };
    const response = await post(MONITORING_PATHS.alertmanager, group);
    expect(response.json()).toEqual({ received: 400, changed: 400, unknownNodes: 0 });
  });
});

describe('the token', () => {
  it('a wrong or missing bearer token gets 401 on every webhook, before the body is read', async () => {
    for (const path of Object.values(MONITORING_PATHS)) {
      for (const authorization of [
        null,
        'Bearer wrong-token-of-sufficient-length-0000000',
        `Basic ${btoa(`x:${TOKEN}`)}`,
      ]) {
        const response = await post(path, '{"broken', { authorization });
        expect(response.statusCode).toBe(401);
        expect(response.json().code).toBe('monitoring.unauthorized');
      }
    }
  });

  it('is not taken from the query string', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `${MONITORING_PATHS.alertmanager}?token=${TOKEN}`,
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(response.statusCode).toBe(401);
  });

  it('is not a staff route: a staff session without the token is refused', async () => {
    const cookie = await t.loginAs('admin');
    const response = await t.app.inject({
      method: 'POST',
      url: MONITORING_PATHS.zabbix,
      headers: { 'content-type': 'application/json', cookie },
      payload: '{}',
    });
    expect(response.statusCode).toBe(401);
  });

  it('answers 503 on a server without MONITORING_WEBHOOK_TOKEN, whatever is presented', async () => {
    const bare = await startTestApp();
    try {
      for (const path of Object.values(MONITORING_PATHS)) {
        const response = await bare.app.inject({
          method: 'POST',
          url: path,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          payload: '{}',
        });
        expect(response.statusCode).toBe(503);
        expect(response.json().code).toBe('monitoring.not_configured');
      }
    } finally {
      await bare.close();
    }
  });

  it('refuses to start with a short or spaced MONITORING_WEBHOOK_TOKEN, naming it', () => {
    for (const token of ['short', `${'a'.repeat(40)} b`, `${'a'.repeat(40)}"`]) {
      expect(() => loadConfig({ NODE_ENV: 'test', MONITORING_WEBHOOK_TOKEN: token })).toThrow(ConfigError);
      expect(() => loadConfig({ NODE_ENV: 'test', MONITORING_WEBHOOK_TOKEN: token })).toThrow(
        /^MONITORING_WEBHOOK_TOKEN/,
      );
    }
    expect(JSON.stringify(loadConfig({ NODE_ENV: 'test', MONITORING_WEBHOOK_TOKEN: TOKEN }))).not.toContain(TOKEN);
  });
});
