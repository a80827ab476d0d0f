import type { AccountChangeRequest, AccountState, SubscriberCard } from '@common/api/subscribers.ts';
import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../../ui/ProblemAlert.tsx';
import { accountStates } from '../account-states.ts';
import { useChangeAccount, useTariffs } from '../queries.ts';

/**
 * The administrator sets an account's state or tariff by hand (until billing does it), with a
 * reason for the audit log. Only what differs is sent; the network is told by the server.
 */
export function AccountChangeDialog({ card, onClose }: { card: SubscriberCard; onClose: () => void }) {
  const { t } = useTranslation();
  const tariffs = useTariffs();
  const change = useChangeAccount(card.id);
  const [state, setState] = useState<AccountState>(card.account.state);
  const [tariffId, setTariffId] = useState(String(card.tariff.current.id));
  const [reason, setReason] = useState('');
  const [fault, setFault] = useState<'reasonRequired' | 'nothingChanged' | null>(null);

  const options = (tariffs.data ?? [card.tariff.current]).map((tariff) => ({
    value: String(tariff.id),
    label: t('subscribers.card.accountChange.tariffOption', { name: tariff.name, mbps: tariff.downloadMbps }),
  }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The account the card shows: a subscriber with another flat has more than one.
    const request: AccountChangeRequest = { accountId: card.account.id, reason: reason.trim() };
    if (state !== card.account.state) request.state = state;
    if (Number(tariffId) !== card.tariff.current.id) request.tariffId = Number(tariffId);
    if (request.state === undefined && request.tariffId === undefined) return setFault('nothingChanged');
    if (!request.reason) return setFault('reasonRequired');
    change.mutate(request, { onSuccess: onClose });
  };

  return (
    <Modal opened onClose={onClose} title={t('subscribers.card.accountChange.title', { number: card.account.number })}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {change.isError && <ProblemAlert error={change.error} />}
          {tariffs.isError && <ProblemAlert error={tariffs.error} onRetry={() => void tariffs.refetch()} />}
          {fault === 'nothingChanged' && (
            <Alert color="yellow" variant="light" py={6}>
              {t('subscribers.card.accountChange.nothingChanged')}
            </Alert>
          )}
          <Select
            label={t('subscribers.card.accountChange.state')}
            data={accountStates.map((value) => ({ value, label: t(`subscribers.state.${value}`) }))}
            value={state}
            allowDeselect={false}
            data-autofocus
            onChange={(value) => {
              if (value) setState(value as AccountState);
              setFault(null);
            }}
          />
          <Select
            label={t('subscribers.card.accountChange.tariff')}
            data={options}
            value={tariffId}
            allowDeselect={false}
            searchable
            onChange={(value) => {
              if (value) setTariffId(value);
              setFault(null);
            }}
          />
          <Textarea
            label={t('subscribers.card.accountChange.reason')}
            placeholder={t('subscribers.card.accountChange.reasonPlaceholder')}
            value={reason}
            maxLength={500}
            required
            autosize
            minRows={2}
            error={fault === 'reasonRequired' && t('subscribers.card.accountChange.reasonRequired')}
            onChange={(event) => {
              setReason(event.currentTarget.value);
              setFault(null);
            }}
          />
          <Text size="xs" c="dimmed">
            {t('subscribers.card.accountChange.networkNote')}
          </Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('subscribers.card.accountChange.cancel')}
            </Button>
            <Button type="submit" loading={change.isPending}>
              {t('subscribers.card.accountChange.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
