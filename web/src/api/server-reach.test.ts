import { onlineManager } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from './client.ts';
import { onServerReachChange, serverReach } from './server-reach.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('the server’s reach', () => {
  it('is lost with a call that cannot connect, asks /api/health until it answers, and is back by itself', async () => {
    vi.useFakeTimers();
    let serverUp = false;
    const asked: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (path: string) => {
        asked.push(path);
        if (!serverUp) throw new TypeError('Failed to fetch');
        return new Response('{"status":"ok"}', { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
    const changes: string[] = [];
    const stop = onServerReachChange(() => changes.push(serverReach()));

    await expect(api.get('/api/subscribers')).rejects.toMatchObject({ code: 'network.unreachable' });
    expect(serverReach()).toBe('unreachable');
    expect(onlineManager.isOnline()).toBe(false);

    await vi.advanceTimersByTimeAsync(5_000);
    expect(asked.filter((path) => path === '/api/health').length).toBeGreaterThanOrEqual(2);
    expect(serverReach()).toBe('unreachable');

    serverUp = true;
    await vi.advanceTimersByTimeAsync(2_500);
    expect(serverReach()).toBe('reachable');
    expect(onlineManager.isOnline()).toBe(true);
    expect(changes).toEqual(['unreachable', 'reachable']);
    stop();
  });

  it('is lost when a proxy answers 502 for the app behind it', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (path: string) =>
        path === '/api/health' ? new Response('{}', { status: 200 }) : new Response('Bad Gateway', { status: 502 }),
      ),
    );
    const changes: string[] = [];
    const stop = onServerReachChange(() => changes.push(serverReach()));
    await expect(api.get('/api/subscribers')).rejects.toMatchObject({ code: 'server.unavailable' });
    await vi.waitFor(() => expect(changes).toEqual(['unreachable', 'reachable']));
    stop();
  });
});
