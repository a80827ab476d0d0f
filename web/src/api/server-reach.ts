import { onlineManager } from '@tanstack/react-query';

/**
 * Whether the server answers. The browser may be online while the server is not (a restart, a
 * dead proxy), and TanStack Query only knows the browser's side; so a failed call marks the server
 * unreachable, TanStack Query is told it is offline (its queries and retries wait instead of
 * failing), and /api/health is asked until it answers. Then every screen on display refetches
 * (refetchOnReconnect) and the notice goes away, with nothing for the operator to do.
 */
export type ServerReach = 'reachable' | 'unreachable';

const healthPath = '/api/health';
// Often enough that a restarted server is noticed within seconds, rare enough to be no load.
const pollMs = 2_000;

let reach: ServerReach = 'reachable';
const listeners = new Set<() => void>();
let waiting: Promise<void> | null = null;

export const serverReach = (): ServerReach => reach;

export function onServerReachChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function set(next: ServerReach) {
  if (reach === next) return;
  reach = next;
  onlineManager.setOnline(next === 'reachable');
  for (const listener of listeners) listener();
}

async function answers(): Promise<boolean> {
  try {
    const response = await fetch(healthPath, { cache: 'no-store', credentials: 'same-origin' });
    return response.ok;
  } catch {
    return false;
  }
}

/** A call could not reach the server: wait for it (again) and say so meanwhile. */
export function reportUnreachable(): Promise<void> {
  set('unreachable');
  if (!waiting) {
    waiting = (async () => {
      while (!(await answers())) await new Promise((resolve) => setTimeout(resolve, pollMs));
      waiting = null;
      set('reachable');
    })();
  }
  return waiting;
}

/** Statuses a proxy or load balancer answers with while the app behind it is down. */
export const meansUnreachable = (status: number) => status === 502 || status === 503 || status === 504;
