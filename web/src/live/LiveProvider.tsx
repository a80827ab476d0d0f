import { type ReactNode, useEffect, useState } from 'react';
import { LiveChannel } from './live-channel.ts';
import { LiveChannelContext } from './useLive.ts';

/** One EventSource for the tab while a staff member is signed in; closed when the layout goes (log-out). */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [channel] = useState(() => new LiveChannel((url) => new EventSource(url, { withCredentials: true })));
  useEffect(() => {
    channel.start();
    return () => channel.stop();
  }, [channel]);
  return <LiveChannelContext.Provider value={channel}>{children}</LiveChannelContext.Provider>;
}
