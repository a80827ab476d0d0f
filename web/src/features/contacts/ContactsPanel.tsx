import type { ContactSummary } from '@common/api/contacts.ts';
import { Badge, Table, Text } from '@mantine/core';
import { type KeyboardEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLiveEvent } from '../../live/useLive.ts';
import { formatDateTime } from '../../ui/format.ts';
import { Panel } from '../../ui/Panel.tsx';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import { ContactDrawer } from './ContactDrawer.tsx';
import { formatDuration } from './clock.ts';
import { contactDuration } from './contact-figures.ts';
import { useSubscriberContacts } from './queries.ts';

/**
 * The subscriber's contacts on their card, newest first, repeats marked: "called again within
 * 48 hours" says the last answer did not solve it. A row opens the contact's timeline.
 */
export function ContactsPanel({ subscriberId }: { subscriberId: number }) {
  const { t } = useTranslation();
  const contacts = useSubscriberContacts(subscriberId);
  const [openId, setOpenId] = useState<number | null>(null);
  useLiveEvent('contact', (event) => {
    if (event.reset || event.data?.subscriberId === subscriberId) void contacts.refetch();
  });
  const repeats = contacts.data?.contacts.filter((contact) => contact.repeatOf !== null).length ?? 0;

  return (
    <Panel
      title={t('contacts.card.title')}
      aside={
        repeats > 0 && (
          <Badge color="orange" variant="light">
            {t('contacts.card.repeats', { count: repeats, hours: contacts.data?.repeatWindowHours ?? 48 })}
          </Badge>
        )
      }
    >
      {contacts.isPending ? (
        <Text size="sm" c="dimmed">
          {t('app.loading')}
        </Text>
      ) : contacts.isError ? (
        <ProblemAlert error={contacts.error} onRetry={() => void contacts.refetch()} />
      ) : contacts.data.contacts.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('contacts.card.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label={t('contacts.card.table')} fz="xs" verticalSpacing={3} striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('contacts.card.columns.when')}</Table.Th>
                <Table.Th>{t('contacts.card.columns.line')}</Table.Th>
                <Table.Th>{t('contacts.card.columns.reason')}</Table.Th>
                <Table.Th>{t('contacts.card.columns.outcome')}</Table.Th>
                <Table.Th>{t('contacts.card.columns.agent')}</Table.Th>
                <Table.Th ta="right">{t('contacts.card.columns.duration')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {contacts.data.contacts.map((contact) => (
                <ContactRow key={contact.id} contact={contact} onOpen={() => setOpenId(contact.id)} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ContactDrawer contactId={openId} onClose={() => setOpenId(null)} />
    </Panel>
  );
}

function ContactRow({ contact, onOpen }: { contact: ContactSummary; onOpen: () => void }) {
  const { t } = useTranslation();
  const duration = contactDuration(contact);
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen();
    }
  };
  return (
    <Table.Tr className="linedesk-open-row" tabIndex={0} onClick={onOpen} onKeyDown={onKeyDown}>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        {formatDateTime(contact.arrivedAt)}
        {contact.repeatOf !== null && (
          <Badge color="orange" size="xs" ml={6}>
            {t('contacts.repeat')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        {t(`contacts.channels.${contact.channel}`)} · {contact.line.toUpperCase()}
      </Table.Td>
      <Table.Td>{contact.reason ? t(`contacts.reasons.${contact.reason}`) : '—'}</Table.Td>
      <Table.Td>
        {contact.outcome ? t(`contacts.outcomes.${contact.outcome}`) : t(`contacts.statuses.${contact.status}`)}
      </Table.Td>
      <Table.Td>{contact.agentName ?? '—'}</Table.Td>
      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
        {duration === null
          ? '—'
          : duration.kind === 'talk'
            ? formatDuration(duration.seconds)
            : t('contacts.card.waited', { time: formatDuration(duration.seconds) })}
      </Table.Td>
    </Table.Tr>
  );
}
