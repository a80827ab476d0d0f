import type { SubscriberCard } from '@common/api/subscribers.ts';
import { Alert, Badge, Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FieldList } from '../../../ui/FieldList.tsx';
import { formatDate, formatPrice } from '../../../ui/format.ts';
import { Panel } from '../../../ui/Panel.tsx';

/**
 * The announced price change is the first thing on the panel: "how to protect yourself from tariff
 * increases" is a reason people call (BRIEF.md, step 11), and the operator must see it before they ask.
 */
export function TariffPanel({ tariff }: { tariff: SubscriberCard['tariff'] }) {
  const { t } = useTranslation();
  const { current } = tariff;
  const announced = [...tariff.announced].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));

  return (
    <Panel
      title={t('subscribers.card.panels.tariff')}
      aside={
        <Badge variant="light" color="blue">
          {t('subscribers.card.tariff.speed', { mbps: current.downloadMbps })}
        </Badge>
      }
    >
      <Stack gap="xs">
        {announced.map((change, index) => (
          <Alert key={change.effectiveFrom} color="orange" variant="light" py={6} px="sm">
            <Text size="sm" fw={600}>
              {t('subscribers.card.tariff.announced', {
                date: formatDate(change.effectiveFrom, 'long'),
                newPrice: formatPrice(change.monthlyFeeKopecks),
                oldPrice: formatPrice(
                  index === 0 ? current.monthlyFeeKopecks : (announced[index - 1]?.monthlyFeeKopecks ?? 0),
                ),
              })}
            </Text>
            <Text size="xs" c="dimmed">
              {t('subscribers.card.tariff.announcedAt', { date: formatDate(change.announcedAt) })}
            </Text>
          </Alert>
        ))}
        <FieldList
          fields={[
            {
              label: t('subscribers.card.tariff.name'),
              value: (
                <Text span size="sm" fw={600}>
                  {current.name}
                </Text>
              ),
            },
            {
              label: t('subscribers.card.tariff.price'),
              value: t('subscribers.card.tariff.perMonth', { price: formatPrice(current.monthlyFeeKopecks) }),
            },
            { label: t('subscribers.card.tariff.since'), value: formatDate(tariff.since) },
          ]}
        />
        {tariff.history.length > 0 && (
          <div>
            <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={2}>
              {t('subscribers.card.tariff.history')}
            </Text>
            <Table aria-label={t('subscribers.card.tariff.historyTable')} fz="xs" verticalSpacing={2}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('subscribers.card.tariff.name')}</Table.Th>
                  <Table.Th>{t('subscribers.card.tariff.validFrom')}</Table.Th>
                  <Table.Th>{t('subscribers.card.tariff.validTo')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tariff.history.map((period) => (
                  <Table.Tr key={`${period.tariffName}-${period.validFrom}`}>
                    <Table.Td>{period.tariffName}</Table.Td>
                    <Table.Td>{formatDate(period.validFrom)}</Table.Td>
                    <Table.Td>
                      {period.validTo ? (
                        formatDate(period.validTo)
                      ) : (
                        <Group gap={4}>
                          <Badge size="xs" variant="dot" color="teal">
                            {t('subscribers.card.tariff.current')}
                          </Badge>
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
      </Stack>
    </Panel>
  );
}
