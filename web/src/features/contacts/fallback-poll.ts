import { useLiveConnected } from '../../live/useLive.ts';

/** Without the live channel, a screen that must not go stale still catches up this often. */
export const pollWhenLiveIsDownMs = 15_000;

/** A query's refetchInterval: none while live wake-ups keep the screen fresh, a slow poll while the channel is down. */
export const useFallbackPoll = (): number | false => (useLiveConnected() ? false : pollWhenLiveIsDownMs);
