import type { ContactEvent } from '@common/api/contacts.ts';
import { Anchor, Badge, Drawer, Group, Stack, Text, Timeline } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { i18next } from '../../i18n/index.ts';
import { FieldList } from '../../ui/FieldList.tsx';
import { formatDateTime, formatPhone } from '../../ui/format.ts';
import { PageLoader } from '../../ui/PageLoader.tsx';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import { formatDuration, formatTimeOfDay } from './clock.ts';
import { contactDuration } from './contact-figures.ts';
import { useContactDetail } from './queries.ts';
import { isContactOutcome, isContactReason } from './vocabulary.ts';

/** One contact, opened from the card's list: what it was, and its timeline of events and notes. */
export function ContactDrawer({ contactId, onClose }: { contactId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const detail = useContactDetail(contactId);
  return (
    <Drawer
      opened={contactId !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={contactId === null ? '' : t('contacts.contact.title', { id: contactId })}
      closeButtonProps={{ 'aria-label': t('contacts.contact.close') }}
    >
      {detail.isPending ? (
        <PageLoader />
      ) : detail.isError ? (
        <ProblemAlert error={detail.error} onRetry={() => void detail.refetch()} />
      ) : (
        <ContactDetailView detail={detail.data} />
      )}
    </Drawer>
  );
}

function ContactDetailView({ detail }: { detail: NonNullable<ReturnType<typeof useContactDetail>['data']> }) {
  const { t } = useTranslation();
  const { contact, timeline } = detail;
  const duration = contactDuration(contact);
  return (
    <Stack gap="md">
      <FieldList
        fields={[
          {
            label: t('contacts.contact.caller'),
            value: contact.callerNumber ? formatPhone(contact.callerNumber) : t('contacts.desk.withheld'),
          },
          {
            label: t('contacts.card.columns.line'),
            value: `${t(`contacts.channels.${contact.channel}`)} · ${contact.line.toUpperCase()}`,
          },
          { label: t('contacts.contact.arrived'), value: formatDateTime(contact.arrivedAt) },
          { label: t('contacts.card.columns.agent'), value: contact.agentName ?? '—' },
          {
            label: t('contacts.card.columns.reason'),
            value: contact.reason ? t(`contacts.reasons.${contact.reason}`) : '—',
          },
          {
            label: t('contacts.card.columns.outcome'),
            value: contact.outcome
              ? t(`contacts.outcomes.${contact.outcome}`)
              : t(`contacts.statuses.${contact.status}`),
          },
          {
            label: t('contacts.card.columns.duration'),
            value: duration ? formatDuration(duration.seconds) : '—',
          },
          ...(contact.holdSeconds > 0
            ? [{ label: t('contacts.contact.held'), value: formatDuration(contact.holdSeconds) }]
            : []),
          ...(contact.recordingUrl
            ? [
                {
                  label: t('contacts.contact.recording'),
                  value: (
                    <Anchor href={contact.recordingUrl} target="_blank" rel="noreferrer" size="sm">
                      {t('contacts.contact.listen')}
                    </Anchor>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Group gap="xs">
        {contact.repeatOf !== null && (
          <Badge color="orange">{t('contacts.contact.repeatOf', { id: contact.repeatOf })}</Badge>
        )}
        {contact.transfers > 0 && (
          <Badge color="gray" variant="light">
            {t('contacts.contact.transfers', { count: contact.transfers })}
          </Badge>
        )}
      </Group>
      <Timeline bulletSize={12} lineWidth={2} aria-label={t('contacts.contact.timeline')}>
        {timeline.map((event) => (
          <Timeline.Item key={event.id} title={eventTitle(t, event)}>
            <Text size="xs" c="dimmed">
              {formatTimeOfDay(event.at)}
              {event.staffName ? ` · ${event.staffName}` : ''}
            </Text>
            <EventDetails event={event} />
          </Timeline.Item>
        ))}
      </Timeline>
    </Stack>
  );
}

function eventTitle(t: TFunction, event: ContactEvent): string {
  const key = `contacts.events.${event.kind}`;
  // Kinds come from the server at run time; a new one shows as it is named rather than not at all.
  return i18next.exists(key) ? t(key as 'contacts.events.note') : event.kind;
}

const detail = (details: unknown, name: string): unknown =>
  typeof details === 'object' && details !== null ? (details as Record<string, unknown>)[name] : undefined;

/** What the timeline shows of an event's details: a note's text, an end's reason and outcome. */
function EventDetails({ event }: { event: ContactEvent }) {
  const { t } = useTranslation();
  const text = detail(event.details, 'text');
  const reason = detail(event.details, 'reason');
  const outcome = detail(event.details, 'outcome');
  return (
    <>
      {typeof text === 'string' && (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {text}
        </Text>
      )}
      {isContactReason(reason) && (
        <Text size="sm">
          {t(`contacts.reasons.${reason}`)}
          {isContactOutcome(outcome) ? ` → ${t(`contacts.outcomes.${outcome}`)}` : ''}
        </Text>
      )}
    </>
  );
}
