import type { SubscriberCard } from '@common/api/subscribers.ts';
import { Badge, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FieldList } from '../../../ui/FieldList.tsx';
import { formatDate, formatPhone } from '../../../ui/format.ts';
import { Panel } from '../../../ui/Panel.tsx';

const knownPhoneKinds = ['mobile', 'home', 'work'] as const;
type PhoneKind = (typeof knownPhoneKinds)[number];
const isKnownPhoneKind = (kind: string): kind is PhoneKind => knownPhoneKinds.includes(kind as PhoneKind);

export function HolderPanel({ card }: { card: SubscriberCard }) {
  const { t } = useTranslation();
  const { holder } = card;
  const fullName = [holder.surname, holder.firstName, holder.patronymic].filter(Boolean).join(' ');
  const phones = [...holder.phones].sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary));

  return (
    <Panel title={t('subscribers.card.panels.holder')}>
      <FieldList
        fields={[
          card.kind === 'person' && { label: t('subscribers.card.holder.name'), value: fullName || holder.displayName },
          card.kind === 'person' &&
            holder.birthDate !== undefined && {
              label: t('subscribers.card.holder.birthDate'),
              value: holder.birthDate ? formatDate(holder.birthDate) : '—',
            },
          card.kind === 'organisation' && {
            label: t('subscribers.card.holder.orgName'),
            value: holder.orgName ?? holder.displayName,
          },
          card.kind === 'organisation' && { label: t('subscribers.card.holder.inn'), value: holder.inn ?? '—' },
          {
            label: t('subscribers.card.holder.phones'),
            value:
              phones.length === 0 ? (
                '—'
              ) : (
                <Stack gap={0}>
                  {phones.map((phone) => (
                    <Text size="sm" key={phone.phone}>
                      <Text span ff="monospace" size="sm" fw={phone.isPrimary ? 600 : undefined}>
                        {formatPhone(phone.phone)}
                      </Text>{' '}
                      <Text span size="xs" c="dimmed">
                        {isKnownPhoneKind(phone.kind)
                          ? t(`subscribers.card.holder.phoneKind.${phone.kind}`)
                          : phone.kind}
                        {phone.isPrimary && `, ${t('subscribers.card.holder.primary')}`}
                      </Text>
                    </Text>
                  ))}
                </Stack>
              ),
          },
          { label: t('subscribers.card.holder.email'), value: holder.email ?? '—' },
          {
            label: t('subscribers.card.holder.codeWord'),
            value: (
              <Badge size="sm" variant="light" color={holder.hasCodeWord ? 'teal' : 'gray'}>
                {holder.hasCodeWord
                  ? t('subscribers.card.holder.codeWordSet')
                  : t('subscribers.card.holder.codeWordNotSet')}
              </Badge>
            ),
          },
        ]}
      />
    </Panel>
  );
}
