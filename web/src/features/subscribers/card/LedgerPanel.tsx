import type { SubscriberCard } from '@common/api/subscribers.ts';
import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatRubles } from '../../../ui/format.ts';
import { Panel } from '../../../ui/Panel.tsx';

const kindColors = { payment: 'teal.8', charge: undefined, adjustment: 'grape.7' } as const;

export function LedgerPanel({ entries }: { entries: NonNullable<SubscriberCard['lastLedgerEntries']> }) {
  const { t } = useTranslation();
  return (
    <Panel title={t('subscribers.card.panels.ledger')}>
      {entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('subscribers.card.ledger.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table aria-label={t('subscribers.card.ledger.table')} fz="xs" verticalSpacing={3} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('subscribers.card.ledger.date')}</Table.Th>
                <Table.Th>{t('subscribers.card.ledger.kind')}</Table.Th>
                <Table.Th ta="right">{t('subscribers.card.ledger.amount')}</Table.Th>
                <Table.Th>{t('subscribers.card.ledger.description')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.occurredAt)}</Table.Td>
                  <Table.Td>{t(`subscribers.card.ledger.kinds.${entry.kind}`)}</Table.Td>
                  <Table.Td ta="right" c={kindColors[entry.kind]} style={{ whiteSpace: 'nowrap' }} fw={500}>
                    {formatRubles(entry.amountKopecks)}
                  </Table.Td>
                  <Table.Td>{entry.description}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Panel>
  );
}
