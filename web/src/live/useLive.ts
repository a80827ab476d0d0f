import { createContext, useCallback, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import type { LiveChannel, LiveListener } from './live-channel.ts';

export type { LiveMessage } from './live-channel.ts';

/** The tab's live channel, given by LiveProvider (mounted in the app's layout for signed-in staff). */
export const LiveChannelContext = createContext<LiveChannel | null>(null);

/**
 * Calls `handler` for each wake-up of `topic`, and with `reset: true` when events were missed
 * (refetch everything then). The newest handler is called, so it may close over fresh state.
 */
export function useLiveEvent(topic: string, handler: LiveListener): void {
  const channel = useContext(LiveChannelContext);
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => channel?.subscribe(topic, (message) => latest.current(message)), [channel, topic]);
}

/** Whether the live channel is connected now; screens that must not go stale poll while it is not. */
export function useLiveConnected(): boolean {
  const channel = useContext(LiveChannelContext);
  const subscribe = useCallback(
    (listener: () => void) => (channel ? channel.onStatusChange(listener) : () => {}),
    [channel],
  );
  return useSyncExternalStore(subscribe, () => channel?.connected ?? false);
}
