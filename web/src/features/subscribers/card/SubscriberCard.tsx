import type { SubscriberCard as Card } from '@common/api/subscribers.ts';
import { Badge, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatRubles } from '../../../ui/format.ts';
import { ContactsPanel } from '../../contacts/ContactsPanel.tsx';
import { AccountStateBadge } from '../AccountStateBadge.tsx';
import { AccessLinePanel } from './AccessLinePanel.tsx';
import { AccountPanel } from './AccountPanel.tsx';
import { AddressPanel } from './AddressPanel.tsx';
import { ConnectionPanel } from './ConnectionPanel.tsx';
import { EquipmentPanel } from './EquipmentPanel.tsx';
import { HolderPanel } from './HolderPanel.tsx';
import { LedgerPanel } from './LedgerPanel.tsx';
import { SessionPanel } from './SessionPanel.tsx';
import { TariffPanel } from './TariffPanel.tsx';

/**
 * Everything the operator needs during a call, one panel per topic: who (holder, address), what
 * they pay for (account, tariff), whether the line is up and how they are connected; below, the
 * wide tables (money, devices).
 * Later features (contacts, diagnostics, visits) add their panels here.
 */
export function SubscriberCard({ card }: { card: Card }) {
  const { t } = useTranslation();
  // The server leaves out what the role may not see (a field technician: money, birth date).
  const balance = card.account.balanceKopecks;
  const ledger = card.lastLedgerEntries;
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start" gap="md">
        <Stack gap={2}>
          <Group gap="xs">
            <Title order={1} size="h3">
              {card.holder.displayName}
            </Title>
            <AccountStateBadge state={card.account.state} size="md" />
            {card.kind === 'organisation' && (
              <Badge variant="outline" color="gray">
                {t('subscribers.kind.organisation')}
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {t('subscribers.card.account.number')}{' '}
            <Text span ff="monospace" fw={600} c="var(--mantine-color-text)">
              {card.account.number}
            </Text>
            {' · '}
            {t('subscribers.card.account.contract')}{' '}
            <Text span ff="monospace" c="var(--mantine-color-text)">
              {card.contract.number}
            </Text>
            {' · '}
            {card.address.text}
          </Text>
        </Stack>
        {balance !== undefined && (
          <Stack gap={0} align="flex-end">
            <Text size="xs" c="dimmed">
              {t('subscribers.card.account.balance')}
            </Text>
            <Text size="xl" fw={700} c={balance < 0 ? 'red.7' : undefined}>
              {formatRubles(balance)}
            </Text>
          </Stack>
        )}
      </Group>

      <Grid gutter="sm">
        <Grid.Col span={{ base: 12, md: 6, xl: 4 }}>
          <Stack gap="sm">
            <HolderPanel card={card} />
            <AddressPanel address={card.address} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6, xl: 4 }}>
          <Stack gap="sm">
            <AccountPanel card={card} />
            <TariffPanel tariff={card.tariff} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6, xl: 4 }}>
          <Stack gap="sm">
            <SessionPanel subscriberId={card.id} accountId={card.account.id} />
            <AccessLinePanel subscriberId={card.id} accountId={card.account.id} />
            <ConnectionPanel connection={card.connection} />
          </Stack>
        </Grid.Col>
        {ledger && (
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <LedgerPanel entries={ledger} />
          </Grid.Col>
        )}
        <Grid.Col span={{ base: 12, lg: ledger ? 6 : 12 }}>
          <EquipmentPanel equipment={card.equipment} />
        </Grid.Col>
        <Grid.Col span={12}>
          <ContactsPanel subscriberId={card.id} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
