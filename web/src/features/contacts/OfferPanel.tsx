import type { Desk } from '@common/api/contacts.ts';
import { Badge, Button, Group, Kbd, Paper, Stack, Text } from '@mantine/core';
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPhone } from '../../ui/format.ts';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import type { ServerClock } from './clock.ts';
import classes from './desk.module.css';
import { deskKeys } from './desk-keys.ts';
import { Countdown } from './Timers.tsx';

interface OfferPanelProps {
  offer: NonNullable<Desk['offer']>;
  clock: ServerClock;
  onAccept: () => void;
  accepting: boolean;
  error: unknown;
  /** The offer lapsed on screen: the desk reads itself again (it has gone to the next agent). */
  onLapsed: () => void;
  acceptRef: Ref<HTMLButtonElement>;
}

/** The contact ringing at the agent: who calls, on which line, how long the offer stands, and Accept. */
export function OfferPanel({ offer, clock, onAccept, accepting, error, onLapsed, acceptRef }: OfferPanelProps) {
  const { t } = useTranslation();
  const { contact } = offer;
  const caller = contact.callerNumber ? formatPhone(contact.callerNumber) : t('contacts.desk.withheld');
  return (
    <Paper
      p="sm"
      className={classes.ringing}
      component="section"
      aria-label={t('contacts.desk.offer.region')}
      data-testid="offer"
    >
      <Stack gap="xs">
        <Group justify="space-between" gap="sm" wrap="wrap">
          <Group gap="sm">
            <Text span size="xl" aria-hidden className={classes.bell}>
              ☎
            </Text>
            <Stack gap={0}>
              <Text size="xs" c="orange.8" fw={700} tt="uppercase" role="status">
                {t('contacts.desk.offer.ringing')}
              </Text>
              <Text fw={700} size="xl" ff="monospace">
                {caller}
              </Text>
            </Stack>
            <Badge variant="light" color="gray">
              {t(`contacts.channels.${contact.channel}`)} · {contact.line.toUpperCase()}
            </Badge>
            {contact.priority > 0 && <Badge color="red">{t('contacts.desk.offer.priority')}</Badge>}
            {contact.repeatOf !== null && (
              <Badge color="orange" variant="filled">
                {t('contacts.repeat')}
              </Badge>
            )}
          </Group>
          <Group gap="sm">
            <Text size="sm" c="dimmed">
              {t('contacts.desk.offer.expiresIn')}{' '}
              <Countdown until={offer.expiresAt} clock={clock} onZero={onLapsed} fw={700} c="orange.8" />
            </Text>
            <Button
              ref={acceptRef}
              color="teal"
              size="md"
              onClick={onAccept}
              loading={accepting}
              aria-keyshortcuts="Enter A"
              rightSection={<Kbd size="xs">{deskKeys.accept.label}</Kbd>}
            >
              {t('contacts.desk.offer.accept')}
            </Button>
          </Group>
        </Group>
        {error !== null && error !== undefined && <ProblemAlert error={error} />}
      </Stack>
    </Paper>
  );
}
