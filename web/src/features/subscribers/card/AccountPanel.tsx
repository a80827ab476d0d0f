import type { SubscriberCard } from '@common/api/subscribers.ts';
import { Anchor, Button, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { mayManageAccounts } from '../../../app/navigation.ts';
import { useSignedIn } from '../../../app/session.tsx';
import { FieldList } from '../../../ui/FieldList.tsx';
import { formatDate, formatRubles } from '../../../ui/format.ts';
import { Panel } from '../../../ui/Panel.tsx';
import { AccountStateBadge } from '../AccountStateBadge.tsx';
import { cardPath } from '../card-location.ts';
import { AccountChangeDialog } from './AccountChangeDialog.tsx';

export function AccountPanel({ card }: { card: SubscriberCard }) {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useSignedIn();
  const [changing, setChanging] = useState(false);
  const { contract, account } = card;
  return (
    <Panel
      title={t('subscribers.card.panels.account')}
      aside={
        mayManageAccounts(me.role) && (
          <Button
            size="compact-xs"
            variant="light"
            aria-label={t('subscribers.card.accountChange.editLabel')}
            onClick={() => setChanging(true)}
          >
            {t('subscribers.card.accountChange.edit')}
          </Button>
        )
      }
    >
      {changing && <AccountChangeDialog card={card} onClose={() => setChanging(false)} />}
      <FieldList
        fields={[
          {
            label: t('subscribers.card.account.contract'),
            value: (
              <>
                <Text span ff="monospace" size="sm">
                  {contract.number}
                </Text>{' '}
                <Text span size="xs" c="dimmed">
                  {t('subscribers.card.account.signedOn', { date: formatDate(contract.signedOn) })}
                </Text>
              </>
            ),
          },
          {
            label: t('subscribers.card.account.number'),
            value: (
              <>
                <Text span ff="monospace" size="sm" fw={600}>
                  {account.number}
                </Text>{' '}
                <Text span size="xs" c="dimmed">
                  {t('subscribers.card.account.openedOn', { date: formatDate(account.openedOn) })}
                </Text>
              </>
            ),
          },
          account.balanceKopecks !== undefined && {
            label: t('subscribers.card.account.balance'),
            value: (
              <Text span size="sm" fw={600} c={account.balanceKopecks < 0 ? 'red.7' : undefined}>
                {formatRubles(account.balanceKopecks)}
              </Text>
            ),
          },
          { label: t('subscribers.card.account.state'), value: <AccountStateBadge state={account.state} /> },
          card.otherAccounts.length > 0 && {
            label: t('subscribers.card.account.otherAccounts'),
            value: (
              <Stack gap={2}>
                {card.otherAccounts.map((other) => (
                  <Text size="sm" key={other.id}>
                    <Anchor
                      component={Link}
                      to={cardPath(card.id, other.id)}
                      state={location.state}
                      ff="monospace"
                      size="sm"
                      aria-label={t('subscribers.card.account.openAccount', { number: other.number })}
                    >
                      {other.number}
                    </Anchor>{' '}
                    <Text span size="xs" c="dimmed">
                      {other.address}
                    </Text>
                  </Text>
                ))}
              </Stack>
            ),
          },
        ]}
      />
    </Panel>
  );
}
