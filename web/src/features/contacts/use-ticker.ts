import { useSyncExternalStore } from 'react';

// One interval for every timer on screen, running only while one is shown: the timers tick together
// and only they re-render, not the screen (a card beside them stays as it is).
const listeners = new Set<() => void>();
let now = Date.now();
let timer: number | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (timer === undefined) {
    now = Date.now();
    timer = window.setInterval(() => {
      now = Date.now();
      for (const each of listeners) each();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      window.clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The browser's time, renewed every second while a component reads it. */
export const useTicker = (): number => useSyncExternalStore(subscribe, () => now);
