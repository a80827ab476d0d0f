import { Text, type TextProps } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { formatDuration, type ServerClock, secondsLater, secondsSince, secondsUntil } from './clock.ts';
import { useTicker } from './use-ticker.ts';

type TimerTextProps = Omit<TextProps, 'children'> & { title?: string };

/** Time since an instant on the server's clock: a state's, a talk's. */
export function SinceTimer({ instant, clock, ...text }: TimerTextProps & { instant: string; clock: ServerClock }) {
  const now = useTicker();
  return (
    <Text span ff="monospace" {...text}>
      {formatDuration(secondsSince(instant, clock, now))}
    </Text>
  );
}

/** A wait the server measured, still growing: the longest wait, a waiting caller's. */
export function GrowingTimer({ seconds, clock, ...text }: TimerTextProps & { seconds: number; clock: ServerClock }) {
  const now = useTicker();
  return (
    <Text span ff="monospace" {...text}>
      {formatDuration(secondsLater(seconds, clock, now))}
    </Text>
  );
}

/** Time left until an instant (an offer lapses, after-contact work ends); `onZero` once when it comes. */
export function Countdown({
  until,
  clock,
  onZero,
  ...text
}: TimerTextProps & { until: string; clock: ServerClock; onZero?: () => void }) {
  const now = useTicker();
  const left = secondsUntil(until, clock, now);
  const called = useRef<string | null>(null);
  useEffect(() => {
    if (left === 0 && called.current !== until) {
      called.current = until;
      onZero?.();
    }
  }, [left, until, onZero]);
  return (
    <Text span ff="monospace" {...text}>
      {formatDuration(left)}
    </Text>
  );
}
