import snmp from 'net-snmp';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AccessLinePanel } from '../src/common/api/access-line.js';
import type { SubscriberCard, SubscriberList } from '../src/common/api/subscribers.js';
import { IF_MIB, SNMPV2_MIB } from '../src/integrations/snmp/mib.js';
import { simulatedSwitch } from '../src/integrations/snmp/recorded-agents.js';
import { type SnmpsimAgent, snmpsimInstalled, startSnmpsim, warnIfSnmpToolsMissing } from '../src/testing/snmpsim.js';
import { demoPassword, launchBrowser, logIn, openWorkstation } from './browser.js';

/**
 * The browser test for the access line: a line 2 engineer has the card of a subscriber on
 * an access switch open; the switch (snmpsim answering Linedesk's polls with recorded data for
 * the subscriber's port, and this test sending the switch's traps from its own address) says the
 * port is up, then sends linkDown; the monitoring system raises an alert on the switch. The card
 * follows each within a second, without a reload.
 */
const liveWithin = 1_000;
const UP = 1;
const DOWN = 2;

async function json<T>(response: Awaited<ReturnType<APIRequestContext['get']>>, what: string): Promise<T> {
  if (response.status() >= 300) throw new Error(`${what}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

interface SwitchPort {
  card: SubscriberCard;
  line: AccessLinePanel;
  node: string;
  address: string;
  ifIndex: number;
  mac: string;
}

/** A subscriber alone on a copper port of an access switch, with the CPE's MAC on record. */
async function subscriberOnSwitch(api: APIRequestContext): Promise<SwitchPort> {
  const list = await json<SubscriberList>(await api.get('/api/subscribers?kind=person&limit=40&offset=300'), 'list');
  for (const item of list.items) {
    const card = await json<SubscriberCard>(
      await api.get(`/api/subscribers/${item.id}?accountId=${item.accountId}`),
      'card',
    );
    const line = await json<AccessLinePanel>(
      await api.get(`/api/subscribers/${item.id}/access-line?accountId=${card.account.id}`),
      'access line',
    );
    const node = line.nodes[0];
    if (line.port && node?.kind === 'access_switch' && line.port.cpeMacOnRecord && card.otherAccounts.length === 0) {
      return {
        card,
        line,
        node: node.node,
        address: node.managementIp,
        ifIndex: line.port.ifIndex,
        mac: line.port.cpeMacOnRecord,
      };
    }
  }
  throw new Error('no subscriber on an access switch port among the ones tried');
}

/** The switch's data as snmpsim answers it: the subscriber's port, up or down, with the CPE behind it. */
const switchData = (port: SwitchPort, up: boolean) =>
  simulatedSwitch(port.node, [{ ifIndex: port.ifIndex, up, macs: [port.mac] }]);

async function logOut(page: Page) {
  await page.getByRole('button', { name: 'Выйти' }).click();
  await page.waitForURL((url) => url.pathname === '/login');
}

describe.skipIf(!snmpsimInstalled)("the card's access line, live from the switch and the monitoring system", () => {
  warnIfSnmpToolsMissing('e2e/access-line.e2e.ts');
  let browser: Browser;
  let agent: SnmpsimAgent;
  let port: SwitchPort;
  let trapSession: snmp.Session;
  const community = `e2e-${process.pid}`;

  beforeAll(async () => {
    browser = await launchBrowser();
    const admin = await openWorkstation(browser);
    const api = admin.context.request;
    await json(await api.post('/api/auth/login', { data: { login: 'admin', password: demoPassword } }), 'login');
    port = await subscriberOnSwitch(api);
    agent = await startSnmpsim({ address: port.address, community, data: switchData(port, true) });
    // The administrator lists the switch for SNMP: its community and the port snmpsim answers on.
    await json(
      await api.put(`/api/settings/snmp/nodes/${port.node}`, {
        data: { version: 'v2c', community, port: agent.port, intervalSeconds: 10 },
      }),
      'SNMP settings',
    );
    await admin.context.close();
    trapSession = snmp.createSession('127.0.0.1', community, {
      version: snmp.Version2c,
      trapPort: inject('snmpTrapPort'),
      sourceAddress: port.address,
    });
  });
  afterAll(async () => {
    trapSession?.close();
    await browser?.close();
    await agent?.stop();
  });

  it('shows the polled port, then the linkDown trap within a second, then the alert on the switch', async () => {
    const { page } = await openWorkstation(browser);
    await logIn(page, 'l2', { next: `/subscribers/${port.card.id}` });
    const panel = page.getByRole('region', { name: 'Линия доступа' });
    // The first poll: the port up at 100 Mb/s, full duplex, the CPE's MAC behind it.
    await panel.getByText('Линк есть', { exact: true }).waitFor({ timeout: 30_000 });
    await panel.getByText('100 Мбит/с', { exact: false }).waitFor();
    await panel.getByText('полный дуплекс', { exact: false }).waitFor();
    await panel.getByText('CPE на порту', { exact: true }).waitFor();
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    await panel.screenshot({ path: '/tmp/access-line-up.png' });

    // The cable is pulled: the switch's data says so, and its linkDown trap reaches Linedesk at once.
    agent.setData(switchData(port, false));
    await new Promise<void>((resolve, reject) =>
      trapSession.trap(
        SNMPV2_MIB.linkDown,
        [
          { oid: `${IF_MIB.ifIndex}.${port.ifIndex}`, type: snmp.ObjectType.Integer, value: port.ifIndex },
          { oid: `${IF_MIB.ifAdminStatus}.${port.ifIndex}`, type: snmp.ObjectType.Integer, value: UP },
          { oid: `${IF_MIB.ifOperStatus}.${port.ifIndex}`, type: snmp.ObjectType.Integer, value: DOWN },
        ],
        (error: Error | null) => (error ? reject(error) : resolve()),
      ),
    );
    await panel.getByText('Линка нет', { exact: true }).waitFor({ timeout: liveWithin });
    await page.getByText('линк пропал').first().waitFor();

    // Alertmanager raises an alert on the switch, by its address as Prometheus's instance label.
    const alertName = `SwitchDown${process.pid}`;
    const response = await fetch(`${inject('baseUrl')}/api/monitoring/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${inject('monitoringToken')}` },
      body: JSON.stringify({
        version: '4',
        groupKey: `{}:{alertname="${alertName}"}`,
        truncatedAlerts: 0,
        status: 'firing',
        receiver: 'linedesk',
        groupLabels: { alertname: alertName },
        commonLabels: {},
        commonAnnotations: {},
        externalURL: 'http://alertmanager.e2e.invalid:9093',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: alertName, instance: `${port.address}:9116`, severity: 'critical' },
            annotations: { summary: 'ICMP probe fails' },
            startsAt: new Date().toISOString(),
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: 'http://prometheus.e2e.invalid:9090/graph',
            fingerprint: `e2e${process.pid.toString(16).padStart(13, '0')}`,
          },
        ],
      }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    await panel.getByText(alertName).first().waitFor({ timeout: liveWithin });

    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await panel.screenshot({ path: '/tmp/access-line-down.png' });
    await logOut(page);
  });
});
