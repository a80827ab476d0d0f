import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import type { AppContext } from '../core/context.js';
import { networkNodesNamed } from '../network/polling/nodes.js';
import {
  type NodesOnRecord,
  removeSnmpNode,
  saveSnmpNode,
  saveSnmpPolling,
  snmpNodeList,
  snmpNodeNamed,
  snmpPolling,
  snmpSettingsView,
} from './snmp-nodes.js';

let database: Database;
let ctx: AppContext;
let switchName: string;
let oltName: string;
const admin = { id: 1 };
const nodesOnRecord: NodesOnRecord = async (names) => networkNodesNamed(ctx, names);

beforeAll(async () => {
  database = await openTestDatabase();
  ctx = testContext(database);
  const [sw] = await database.rows<{ name: string }>(
    sql`select name from network_nodes where kind = 'access_switch' order by id limit 1`,
  );
  const [olt] = await database.rows<{ name: string }>(
    sql`select name from network_nodes where kind = 'olt' order by id limit 1`,
  );
  switchName = sw?.name ?? '';
  oltName = olt?.name ?? '';
});
afterAll(() => database?.close());

const auditOf = (node: string) =>
  database.rows<{ action: string; details: unknown }>(
    sql`select action, details from audit_log where target_type = 'network_node' and target_id = ${node} order by id`,
  );

describe("a node's SNMP settings", () => {
  it('keeps a v2c community sealed: the poller gets it opened, the view and the audit only that it is set', async () => {
    const view = await saveSnmpNode(
      ctx,
      admin,
      switchName,
      { version: 'v2c', community: 'ld-community-7', bounceAllowed: true },
      '127.0.0.1',
      nodesOnRecord,
    );
    expect(view).toMatchObject({
      node: switchName,
      kind: 'access_switch',
      version: 'v2c',
      port: 161,
      bounceAllowed: true,
      credentialsSet: true,
      credentialsReadable: true,
      v3: null,
    });
    expect(JSON.stringify(await snmpSettingsView(ctx, nodesOnRecord))).not.toContain('ld-community-7');
    const [stored] = await database.rows<{ ciphertext: string }>(
      sql`select ciphertext from settings_snmp_nodes where node = ${switchName}`,
    );
    expect(stored?.ciphertext).not.toContain('ld-community');
    expect(await snmpNodeNamed(ctx, switchName)).toEqual({
      node: switchName,
      version: 'v2c',
      port: 161,
      bounceAllowed: true,
      intervalSeconds: null,
      credentials: { version: 'v2c', community: 'ld-community-7' },
    });
    const audit = await auditOf(switchName);
    expect(audit.map((row) => row.action)).toEqual(['settings.snmp_node_added']);
    expect(JSON.stringify(audit[0]?.details)).not.toContain('ld-community');
    expect(JSON.stringify(audit[0]?.details)).toContain('"to":"set"');
  });

  it('keeps v3 keys through an edit that leaves them out, and replaces only the one given', async () => {
    const first = await saveSnmpNode(
      ctx,
      admin,
      oltName,
      {
        version: 'v3',
        v3: {
          user: 'linedesk',
          authProtocol: 'sha',
          authKey: 'auth-pass-1',
          privProtocol: 'aes',
          privKey: 'priv-pass-1',
        },
        intervalSeconds: 60,
      },
      null,
      nodesOnRecord,
    );
    expect(first.v3).toEqual({ user: 'linedesk', authProtocol: 'sha', privProtocol: 'aes' });
    const second = await saveSnmpNode(
      ctx,
      admin,
      oltName,
      {
        version: 'v3',
        v3: { user: 'linedesk', authProtocol: 'sha', privProtocol: 'aes', privKey: 'priv-pass-2' },
        intervalSeconds: 60,
        bounceAllowed: true,
        settingsVersion: first.settingsVersion,
      },
      null,
      nodesOnRecord,
    );
    expect(second.settingsVersion).toBeGreaterThan(first.settingsVersion);
    expect((await snmpNodeNamed(ctx, oltName))?.credentials).toEqual({
      version: 'v3',
      user: 'linedesk',
      authProtocol: 'sha',
      authKey: 'auth-pass-1',
      privProtocol: 'aes',
      privKey: 'priv-pass-2',
    });
    const details = JSON.stringify((await auditOf(oltName)).map((row) => row.details));
    expect(details).not.toContain('pass-');
    expect(details).toContain('"field":"bounceAllowed"');
  });

  it('refuses an edit from an older version (409), a node not on record (404) and missing credentials (400)', async () => {
    const before = (await snmpSettingsView(ctx, nodesOnRecord)).nodes.find((node) => node.node === switchName);
    const edit = { version: 'v2c', port: 1161, bounceAllowed: true, settingsVersion: before?.settingsVersion } as const;
    await saveSnmpNode(ctx, admin, switchName, edit, null, nodesOnRecord);
    const stale = saveSnmpNode(ctx, admin, switchName, { ...edit, port: 161 }, null, nodesOnRecord);
    await expect(stale).rejects.toMatchObject({ code: 'settings.version_conflict', status: 409 });
    await expect(
      saveSnmpNode(ctx, admin, 'no-such-node', { version: 'v2c', community: 'x' }, null, nodesOnRecord),
    ).rejects.toMatchObject({ code: 'settings.snmp_node_unknown', status: 404 });
    const [other] = await database.rows<{ name: string }>(
      sql`select name from network_nodes where kind = 'access_switch' order by id offset 1 limit 1`,
    );
    await expect(
      saveSnmpNode(ctx, admin, other?.name ?? '', { version: 'v2c' }, null, nodesOnRecord),
    ).rejects.toMatchObject({ code: 'settings.snmp_credentials_missing', status: 400 });
    // Turning a v2c node into v3 needs the keys: the community is not carried over.
    const current = await snmpSettingsView(ctx, nodesOnRecord);
    const sw = current.nodes.find((node) => node.node === switchName);
    await expect(
      saveSnmpNode(
        ctx,
        admin,
        switchName,
        { version: 'v3', v3: { user: 'u', authProtocol: 'md5' }, settingsVersion: sw?.settingsVersion },
        null,
        nodesOnRecord,
      ),
    ).rejects.toMatchObject({ code: 'settings.snmp_credentials_missing' });
  });

  it('has global poll settings with defaults until saved, then as saved, and audited', async () => {
    expect(await snmpPolling(ctx)).toEqual({
      intervalSeconds: 300,
      timeoutMs: 2000,
      retries: 1,
      backoffMaxSeconds: 3600,
      jitterPercent: 10,
      concurrency: 16,
    });
    const polling = {
      intervalSeconds: 120,
      timeoutMs: 1500,
      retries: 0,
      backoffMaxSeconds: 1800,
      jitterPercent: 5,
      concurrency: 8,
    };
    await saveSnmpPolling(ctx, admin, polling, null);
    expect(await snmpPolling(ctx)).toEqual(polling);
    const { pollingVersion } = await snmpSettingsView(ctx, nodesOnRecord);
    await expect(saveSnmpPolling(ctx, admin, { ...polling, retries: 2 }, null)).rejects.toMatchObject({
      code: 'settings.version_conflict',
    });
    await saveSnmpPolling(ctx, admin, { ...polling, retries: 2, settingsVersion: pollingVersion }, null);
    expect((await snmpPolling(ctx)).retries).toBe(2);
    const [audit] = await database.rows<{ details: { changes: { field: string }[] } }>(
      sql`select details from audit_log where action = 'settings.snmp_polling_changed' order by id desc limit 1`,
    );
    expect(audit?.details.changes).toEqual([{ field: 'retries', from: 0, to: 2 }]);
  });

  it('removes a node: it leaves the list the poller reads, audited', async () => {
    await removeSnmpNode(ctx, admin, oltName, null);
    expect((await snmpNodeList(ctx)).map((entry) => entry.node)).toEqual([switchName]);
    expect((await auditOf(oltName)).at(-1)?.action).toBe('settings.snmp_node_removed');
  });
});
