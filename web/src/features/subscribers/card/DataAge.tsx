import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../ui/format.ts';
import { secondsSince, serverClock } from '../../contacts/clock.ts';
import { useTicker } from '../../contacts/use-ticker.ts';
import { ageOf } from './session-view.ts';

/**
 * "40 с назад", ticking; counted on the server's clock (the answer's `readAt` against when it
 * arrived), so a browser whose clock is off still reads right. `at` is the instant whose age is
 * shown (the panel's read, a part's last poll); `label` says what the age is of, for screen readers.
 */
export function DataAge(props: { at: string; readAt: string; receivedAt: number; label: (age: string) => string }) {
  const { t } = useTranslation();
  const now = useTicker();
  const age = ageOf(secondsSince(props.at, serverClock(props.readAt, props.receivedAt), now));
  const text = t(`subscribers.card.session.age.${age.unit}`, { count: age.count });
  return (
    <Text
      span
      size="xs"
      c="dimmed"
      title={formatDateTime(props.at)}
      aria-label={props.label(text)}
      style={{ whiteSpace: 'nowrap' }}
    >
      {text}
    </Text>
  );
}
