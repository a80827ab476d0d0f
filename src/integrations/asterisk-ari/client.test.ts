import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { AriClient, AriError } from './client.js';
import { eventually, FakeAri } from './fake-ari-server.js';
import type { AriEvent } from './models.js';

let fake: FakeAri;
beforeAll(async () => {
  fake = new FakeAri();
  await fake.start();
});
afterAll(() => fake?.close());

const clientOf = (password = fake.password) =>
  new AriClient({ url: fake.url, username: fake.username, password, app: 'linedesk' });

describe('the ARI client', () => {
  it('reconnects the event WebSocket after it drops, and hears the events of the new connection', async () => {
    const events: AriEvent[] = [];
    let connections = 0;
    const lost: string[] = [];
    const ignored: string[] = [];
    const stream = clientOf().events({
      event: (event) => events.push(event),
      ignored: (message) => ignored.push(message),
      connected: () => connections++,
      lost: (reason) => lost.push(reason),
    });
    try {
      await eventually(() => fake.connected, 'connected');
      fake.dropConnection();
      await eventually(() => connections === 2 && fake.connected, 'connected again');
      expect(lost).toHaveLength(1);
      // Garbage first: dropped, and the stream goes on.
      fake.sendRaw('{"type": "StasisStart", "channel": null}');
      fake.sendRaw('not json at all');
      const call = fake.inboundCall({ from: '+79122345678', exten: '88001002030' });
      const start = await eventually(() => events.find((event) => event.type === 'StasisStart'), 'StasisStart');
      // StasisStart as events.json has it: the Channel with its CallerID and DialplanCEP.
      expect(start).toMatchObject({
        application: 'linedesk',
        args: [],
        channel: { id: call.id, state: 'Ring', caller: { number: '+79122345678' }, dialplan: { exten: '88001002030' } },
      });
      expect(ignored).toEqual(['{"type": "StasisStart", "channel": null}', 'not json at all']);
      expect(events).toHaveLength(1);
      fake.hangUpPhone(call.id);
    } finally {
      await stream.close();
    }
  });

  it('keeps trying with a wrong password, saying why, without the password in the reason', async () => {
    const lost: string[] = [];
    const stream = clientOf('not-the-password').events({ event: () => {}, lost: (reason) => lost.push(reason) });
    try {
      await eventually(() => lost.length >= 2, 'two refusals');
      expect(lost[0]).toMatch(/401/);
      expect(lost.join(' ')).not.toContain('not-the-password');
      expect(fake.connected).toBe(false);
    } finally {
      await stream.close();
    }
  });

  it("names ARI's status in its errors, and takes a hang-up of a channel already gone as done", async () => {
    const client = clientOf();
    await expect(client.hangup('no-such-channel')).resolves.toBe(false);
    await expect(client.getChannel('no-such-channel')).resolves.toBeNull();
    const refused = await client.answer('no-such-channel').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AriError);
    expect((refused as AriError).status).toBe(404);
    await expect(clientOf('wrong-password').listChannels()).rejects.toMatchObject({ status: 401 });
  });
});

describe('the ARI settings', () => {
  const base = { NODE_ENV: 'test' };
  it('leaves the adapter off without ARI_URL, and refuses credentials without it', () => {
    expect(loadConfig(base).ari).toBeUndefined();
    expect(() => loadConfig({ ...base, ARI_PASSWORD: 'secret-password' })).toThrow(ConfigError);
  });

  it('reads the connection, and never shows the password in the configuration', () => {
    const config = loadConfig({
      ...base,
      ARI_URL: 'http://127.0.0.1:8088/',
      ARI_USERNAME: 'linedesk',
      ARI_PASSWORD: 'a-long-ari-password',
    });
    expect(config.ari).toMatchObject({
      url: 'http://127.0.0.1:8088',
      username: 'linedesk',
      app: 'linedesk',
      dialling: { agentEndpoint: 'PJSIP/{extension}', ringSeconds: 30 },
    });
    expect(config.ari?.password.value).toBe('a-long-ari-password');
    expect(JSON.stringify(config)).not.toContain('a-long-ari-password');
  });

  it.each([
    [{ ARI_URL: 'ftp://pbx' }, 'ARI_URL'],
    [{ ARI_URL: 'http://user:pw@pbx:8088' }, 'ARI_URL'],
    [{ ARI_USERNAME: 'bad user' }, 'ARI_USERNAME'],
    [{ ARI_PASSWORD: 'short' }, 'ARI_PASSWORD'],
    [{ ARI_APP: 'linedesk,other' }, 'ARI_APP'],
    [{ ARI_AGENT_ENDPOINT: 'PJSIP/101' }, 'ARI_AGENT_ENDPOINT'],
    [{ ARI_RING_SECONDS: '2' }, 'ARI_RING_SECONDS'],
  ])('stops the start on a wrong value, naming it: %o', (wrong, variable) => {
    const env = {
      ...base,
      ARI_URL: 'http://pbx:8088',
      ARI_USERNAME: 'linedesk',
      ARI_PASSWORD: 'a-long-ari-password',
      ...wrong,
    };
    const error = (() => {
      try {
        loadConfig(env);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message).not.toContain('a-long-ari-password');
  });
});
