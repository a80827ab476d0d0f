import type { LineQueue } from '@common/api/contacts.ts';
import { Badge, Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatPhone } from '../../ui/format.ts';
import { Panel } from '../../ui/Panel.tsx';
import type { ServerClock } from './clock.ts';
import { estimateWording, inQueueOrder } from './queue-display.ts';
import { GrowingTimer } from './Timers.tsx';

/** The words for an estimate, as the caller hears them ("about 3 min"). */
export function useEstimateText() {
  const { t } = useTranslation();
  return (seconds: number | null) => {
    const wording = estimateWording(seconds);
    return wording.key === 'aboutMinutes'
      ? t('contacts.estimate.aboutMinutes', { minutes: wording.minutes })
      : t(`contacts.estimate.${wording.key}`);
  };
}

/** One of the agent's lines: how many wait, the longest wait, and each waiting contact with its place and estimate. */
export function QueuePanel({ queue, clock }: { queue: LineQueue; clock: ServerClock }) {
  const { t } = useTranslation();
  const estimateText = useEstimateText();
  const waiting = inQueueOrder(queue.contacts);
  return (
    <Panel
      title={queue.name}
      aside={
        !queue.open && (
          <Badge color="gray" variant="light">
            {t('contacts.queue.closed')}
          </Badge>
        )
      }
    >
      <Stack gap="xs">
        <Group gap="lg">
          <Stack gap={0}>
            <Text size="xs" c="dimmed">
              {t('contacts.queue.waiting')}
            </Text>
            <Text fw={700} size="xl" data-testid={`waiting-${queue.line}`}>
              {queue.waiting}
            </Text>
          </Stack>
          <Stack gap={0}>
            <Text size="xs" c="dimmed">
              {t('contacts.queue.longestWait')}
            </Text>
            <Text fw={700} size="xl">
              {queue.longestWaitSeconds === null ? (
                '—'
              ) : (
                <GrowingTimer seconds={queue.longestWaitSeconds} clock={clock} inherit />
              )}
            </Text>
          </Stack>
        </Group>
        {waiting.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('contacts.queue.nobody')}
          </Text>
        ) : (
          <Table fz="xs" verticalSpacing={3} striped aria-label={t('contacts.queue.table', { line: queue.name })}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('contacts.queue.columns.position')}</Table.Th>
                <Table.Th>{t('contacts.queue.columns.caller')}</Table.Th>
                <Table.Th ta="right">{t('contacts.queue.columns.waited')}</Table.Th>
                <Table.Th>{t('contacts.queue.columns.estimate')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {waiting.map((contact) => (
                <Table.Tr key={contact.id}>
                  <Table.Td>{contact.estimate.position}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Text span size="xs" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                        {contact.callerNumber ? formatPhone(contact.callerNumber) : t('contacts.desk.withheld')}
                      </Text>
                      {contact.channel === 'chat' && (
                        <Badge size="xs" variant="outline" color="gray">
                          {t('contacts.channels.chat')}
                        </Badge>
                      )}
                      {contact.priority > 0 && (
                        <Badge size="xs" color="red" variant="light">
                          {t('contacts.desk.offer.priority')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">
                    <GrowingTimer seconds={contact.waitedSeconds} clock={clock} size="xs" />
                  </Table.Td>
                  <Table.Td>
                    {estimateText(contact.estimate.seconds)}
                    {contact.estimate.offerCallback && (
                      <Text span size="xs" c="orange.8">
                        {' · '}
                        {t('contacts.queue.callbackOffered')}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Panel>
  );
}
