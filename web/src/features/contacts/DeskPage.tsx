import type { ContactSummary, Desk } from '@common/api/contacts.ts';
import { Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useThrottledCallback, useWindowEvent } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLiveEvent } from '../../live/useLive.ts';
import { formatPhone } from '../../ui/format.ts';
import { PageLoader } from '../../ui/PageLoader.tsx';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import { AgentStateBar } from './AgentStateBar.tsx';
import { CallerPop, type CallerPopHandle, type PoppedSubscriber } from './CallerPop.tsx';
import { CurrentContact, type CurrentContactHandle } from './CurrentContact.tsx';
import { type ServerClock, serverClock } from './clock.ts';
import { type DeskAction, type DeskSituation, deskActionFor } from './desk-keys.ts';
import { useFallbackPoll } from './fallback-poll.ts';
import { OfferPanel } from './OfferPanel.tsx';
import { QueuePanel } from './QueuePanel.tsx';
import { useAcceptOffer, useDesk, useFinishAfterWork, useHoldContact, useSetAgentState } from './queries.ts';
import { queuesInOrder } from './queue-display.ts';
import { useRingingTitle } from './use-ringing-title.ts';

// A busy line wakes every desk on it at each arrival; one read per half second shows the same.
const queueWakeThrottleMs = 500;

/**
 * The agent's desk, keyboard first: their state and its timer, the offer ringing with the caller's
 * card (or candidates, or the search box), the contacts they are on, their lines' queues.
 */
export function DeskPage() {
  const desk = useDesk(useFallbackPoll());
  const refetch = () => void desk.refetch();
  const lines = desk.data?.agent.lines;
  const refetchForQueue = useThrottledCallback(refetch, queueWakeThrottleMs);
  useLiveEvent('desk', refetch);
  useLiveEvent('queue', (event) => {
    const line = event.data?.line;
    if (event.reset || typeof line !== 'string' || !lines || lines.includes(line)) refetchForQueue();
  });

  if (desk.isPending) return <PageLoader />;
  if (desk.isError) return <ProblemAlert error={desk.error} onRetry={refetch} />;
  return <DeskScreen desk={desk.data} receivedAt={desk.dataUpdatedAt} refetch={refetch} />;
}

function DeskScreen({ desk, receivedAt, refetch }: { desk: Desk; receivedAt: number; refetch: () => void }) {
  const { t } = useTranslation();
  const clock: ServerClock = useMemo(() => serverClock(desk.now, receivedAt), [desk.now, receivedAt]);
  const setState = useSetAgentState();
  const accept = useAcceptOffer();
  const hold = useHoldContact();
  const finish = useFinishAfterWork();
  const [choosingBreak, setChoosingBreak] = useState(false);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [popChoices, setPopChoices] = useState<Record<number, PoppedSubscriber | undefined>>({});
  const [focusAfterAccept, setFocusAfterAccept] = useState<number | null>(null);
  const acceptButton = useRef<HTMLButtonElement>(null);
  const breakButton = useRef<HTMLButtonElement>(null);
  const pop = useRef<CallerPopHandle>(null);
  const contactHandles = useRef(new Map<number, CurrentContactHandle>());

  const { offer, current, agent } = desk;
  // The contact the agent works on: the one last focused, else the one on the line, else the first.
  const selected =
    current.find((contact) => contact.id === selectedId) ??
    current.find((contact) => contact.status === 'connected') ??
    current[0];
  // The card shown is the contact the agent works on; a contact ringing while none is on the desk.
  const popSubject: ContactSummary | undefined = selected ?? offer?.contact;

  useRingingTitle(
    offer ? (offer.contact.callerNumber ? formatPhone(offer.contact.callerNumber) : t('contacts.desk.withheld')) : null,
  );

  // A new offer takes the focus, so Enter accepts it whatever the agent was on.
  const offerId = offer?.contact.id;
  useEffect(() => {
    if (offerId !== undefined) acceptButton.current?.focus();
  }, [offerId]);

  // Once the accepted contact is on the desk: the search box or candidates when the number named
  // nobody for sure, otherwise the contact itself, so H, N and E act on it.
  useEffect(() => {
    if (focusAfterAccept === null || !current.some((contact) => contact.id === focusAfterAccept)) return;
    setFocusAfterAccept(null);
    setSelectedId(focusAfterAccept);
    if (!pop.current?.focus()) contactHandles.current.get(focusAfterAccept)?.focus();
  }, [focusAfterAccept, current]);

  const acceptOffer = () => {
    if (!offer || accept.isPending) return;
    const id = offer.contact.id;
    accept.mutate(id, { onSuccess: () => setFocusAfterAccept(id) });
  };

  const chooseBreak = (choosing: boolean) => {
    setChoosingBreak(choosing);
    if (!choosing) requestAnimationFrame(() => breakButton.current?.focus());
  };

  const situation: DeskSituation = {
    ringing: offer !== null,
    onContact: current.some((contact) => contact.status === 'connected'),
    needsOutcome: current.some((contact) => contact.status !== 'connected' && contact.outcome === null),
    afterWork: current.some((contact) => contact.status === 'after_work'),
  };

  /** The contact a key acts on: the one with the focus, else the one on the line, else the first it can act on. */
  const contactFor = (action: DeskAction): ContactSummary | undefined => {
    const fits = (contact: ContactSummary) =>
      action === 'done'
        ? contact.status === 'after_work'
        : action === 'end'
          ? contact.status === 'connected' || contact.outcome === null
          : action === 'note'
            ? true
            : contact.status === 'connected';
    const focused = document.activeElement?.closest<HTMLElement>('[data-contact-id]')?.dataset.contactId;
    const withFocus = current.find((contact) => String(contact.id) === focused);
    if (withFocus && fits(withFocus)) return withFocus;
    return current.find((contact) => fits(contact) && contact.status === 'connected') ?? current.find(fits);
  };

  useWindowEvent('keydown', (event) => {
    const action = deskActionFor(event, situation);
    if (!action) return;
    event.preventDefault();
    if (action === 'available') setState.mutate({ state: 'available' });
    else if (action === 'offline') setState.mutate({ state: 'offline' });
    else if (action === 'break') setChoosingBreak(true);
    else if (action === 'accept') acceptOffer();
    else {
      const contact = contactFor(action);
      if (!contact) return;
      setSelectedId(contact.id);
      if (action === 'hold') hold.mutate({ contactId: contact.id, hold: !contact.onHold });
      else if (action === 'done') finish.mutate(contact.id);
      else if (action === 'note') contactHandles.current.get(contact.id)?.focusNote();
      else if (action === 'end') contactHandles.current.get(contact.id)?.startEnd();
    }
  });

  const idleText =
    agent.state === 'available'
      ? t('contacts.desk.idle.available')
      : agent.state === 'missed'
        ? t('contacts.desk.idle.missed')
        : agent.state === 'break'
          ? t('contacts.desk.idle.break')
          : agent.state === 'offline'
            ? t('contacts.desk.idle.offline')
            : null;

  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="sm">
        <Title order={1} size="h3">
          {t('contacts.desk.title')}
        </Title>
        <Text size="xs" c="dimmed" visibleFrom="md">
          {t('contacts.desk.keys')}
        </Text>
      </Group>

      <AgentStateBar
        agent={agent}
        clock={clock}
        onAvailable={() => setState.mutate({ state: 'available' })}
        onOffline={() => setState.mutate({ state: 'offline' })}
        choosingBreak={choosingBreak}
        onChooseBreak={chooseBreak}
        onBreak={(reason) => {
          setState.mutate({ state: 'break', breakReason: reason });
          chooseBreak(false);
        }}
        breakButtonRef={breakButton}
      />
      {setState.isError && <ProblemAlert error={setState.error} />}

      <Grid gutter="sm">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="sm">
            {offer && (
              <OfferPanel
                offer={offer}
                clock={clock}
                onAccept={acceptOffer}
                accepting={accept.isPending}
                error={accept.error}
                onLapsed={refetch}
                acceptRef={acceptButton}
              />
            )}
            {current.map((contact) => (
              // biome-ignore lint/a11y/noStaticElementInteractions: focus inside a contact picks it for the keys
              <div key={contact.id} onFocus={() => setSelectedId(contact.id)}>
                <CurrentContact
                  ref={(handle) => {
                    if (handle) contactHandles.current.set(contact.id, handle);
                    else contactHandles.current.delete(contact.id);
                  }}
                  contact={contact}
                  clock={clock}
                  onAfterWorkOver={refetch}
                />
              </div>
            ))}
            {!offer && current.length === 0 && idleText && (
              <Paper withBorder p="md">
                <Text size="sm" role="status">
                  {idleText}
                </Text>
              </Paper>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="sm">
            {queuesInOrder(desk.queues, agent.lines).map((queue) => (
              <QueuePanel key={queue.line} queue={queue} clock={clock} />
            ))}
          </Stack>
        </Grid.Col>
      </Grid>

      {popSubject && (
        <section aria-label={t('contacts.pop.region')}>
          <CallerPop
            key={popSubject.id}
            ref={pop}
            contact={popSubject}
            chosen={popChoices[popSubject.id]}
            onChoose={(chosen) => setPopChoices((choices) => ({ ...choices, [popSubject.id]: chosen }))}
            onLeave={() => {
              if (selected) contactHandles.current.get(selected.id)?.focus();
            }}
          />
        </section>
      )}
    </Stack>
  );
}
