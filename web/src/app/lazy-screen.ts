import { type ComponentType, lazy } from 'react';
import { reportUnreachable } from '../api/server-reach.ts';

const reloadKey = 'linedesk.reloadedForScreen';
// A reload that did not help within this time is not tried again: the error screen shows instead.
const reloadAgainAfterMs = 60_000;

/**
 * A screen loaded on first use (the initial JavaScript stays within its budget, docs/benchmarks.md) that
 * survives the server being away at that moment: the load waits until the server answers again
 * (the app says meanwhile that it is unreachable) and tries once more. A browser may keep a failed
 * module import failed for the page's life (the HTML standard long said so), so if the second try
 * fails as well the page reloads itself, once a minute at most; a screen that still will not load
 * falls to the error boundary, never to a blank page.
 */
export function lazyScreen(load: () => Promise<{ default: ComponentType }>) {
  return lazy(async () => {
    try {
      return await load();
    } catch {
      await reportUnreachable();
    }
    try {
      return await load();
    } catch (error) {
      if (!reloadedLately()) {
        sessionStorage.setItem(reloadKey, String(Date.now()));
        window.location.reload();
        return new Promise<never>(() => {});
      }
      throw error;
    }
  });
}

function reloadedLately(): boolean {
  try {
    return Date.now() - Number(sessionStorage.getItem(reloadKey) ?? 0) < reloadAgainAfterMs;
  } catch {
    return true;
  }
}
