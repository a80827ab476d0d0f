import type { ContactOutcome, ContactReason, ContactSummary } from '@common/api/contacts.ts';
import { Badge, Button, Group, Kbd, Paper, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, type KeyboardEvent, type Ref, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPhone } from '../../ui/format.ts';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import type { ServerClock } from './clock.ts';
import { talkStartedAt } from './contact-figures.ts';
import { addNoteKeyLabel, deskKeys } from './desk-keys.ts';
import { PickOne } from './PickOne.tsx';
import { useAddNote, useEndContact, useFinishAfterWork, useHoldContact } from './queries.ts';
import { Countdown, SinceTimer } from './Timers.tsx';
import { agentOutcomes, contactReasons } from './vocabulary.ts';

export interface CurrentContactHandle {
  focusNote: () => void;
  startEnd: () => void;
  focus: () => void;
}

interface CurrentContactProps {
  contact: ContactSummary;
  clock: ServerClock;
  /** The after-contact work timer ran out: the desk reads itself again. */
  onAfterWorkOver: () => void;
  ref?: Ref<CurrentContactHandle>;
}

/** A contact the agent is on or writing up: its timer, hold, notes, the end with reason and outcome, then after-contact work. */
export function CurrentContact({ contact, clock, onAfterWorkOver, ref }: CurrentContactProps) {
  const { t } = useTranslation();
  const panel = useRef<HTMLDivElement>(null);
  const noteField = useRef<HTMLTextAreaElement>(null);
  const [ending, setEnding] = useState(false);
  const hold = useHoldContact();
  const finish = useFinishAfterWork();
  const connected = contact.status === 'connected';
  const afterWork = contact.status === 'after_work';
  const needsOutcome = contact.outcome === null;

  useImperativeHandle(ref, () => ({
    focusNote: () => noteField.current?.focus(),
    startEnd: () => setEnding(true),
    focus: () => panel.current?.focus(),
  }));

  const caller = contact.callerNumber ? formatPhone(contact.callerNumber) : t('contacts.desk.withheld');
  const error = hold.error ?? finish.error;

  return (
    <Paper
      ref={panel}
      withBorder
      p="sm"
      component="section"
      aria-label={t('contacts.desk.contact.region', { caller })}
      data-contact-id={contact.id}
      tabIndex={-1}
      style={{ borderLeft: `4px solid var(--mantine-color-${afterWork ? 'grape' : 'blue'}-6)` }}
    >
      <Stack gap="xs">
        <Group justify="space-between" gap="sm" wrap="wrap">
          <Group gap="xs">
            <Text fw={700} size="lg" ff="monospace">
              {caller}
            </Text>
            <Badge variant="light" color="gray">
              {t(`contacts.channels.${contact.channel}`)} · {contact.line.toUpperCase()}
            </Badge>
            {contact.repeatOf !== null && (
              <Badge color="orange" variant="filled">
                {t('contacts.repeat')}
              </Badge>
            )}
            {contact.onHold && (
              <Badge color="yellow" variant="filled">
                {t('contacts.desk.contact.onHold')}
              </Badge>
            )}
            {afterWork && <Badge color="grape">{t('contacts.states.after_contact_work')}</Badge>}
          </Group>
          {connected && (
            <Group gap={6}>
              <Text size="sm" c="dimmed">
                {t('contacts.desk.contact.talk')}
              </Text>
              <SinceTimer instant={talkStartedAt(contact)} clock={clock} fw={600} />
            </Group>
          )}
          {afterWork && contact.afterWorkUntil && (
            <Group gap={6}>
              <Text size="sm" c="dimmed">
                {t('contacts.desk.contact.afterWorkLeft')}
              </Text>
              <Countdown until={contact.afterWorkUntil} clock={clock} onZero={onAfterWorkOver} fw={600} />
            </Group>
          )}
        </Group>

        {contact.reason && contact.outcome && (
          <Text size="sm">
            {t(`contacts.reasons.${contact.reason}`)} → {t(`contacts.outcomes.${contact.outcome}`)}
          </Text>
        )}

        <Group gap="xs">
          {connected && (
            <Button
              variant="default"
              size="xs"
              loading={hold.isPending}
              onClick={() => hold.mutate({ contactId: contact.id, hold: !contact.onHold })}
              aria-keyshortcuts="H"
              rightSection={<Kbd size="xs">{deskKeys.hold.label}</Kbd>}
            >
              {contact.onHold ? t('contacts.desk.contact.resume') : t('contacts.desk.contact.hold')}
            </Button>
          )}
          {(connected || needsOutcome) && !ending && (
            <Button
              color="red"
              size="xs"
              onClick={() => setEnding(true)}
              aria-keyshortcuts="E"
              rightSection={<Kbd size="xs">{deskKeys.end.label}</Kbd>}
            >
              {connected ? t('contacts.desk.contact.end') : t('contacts.desk.contact.giveOutcome')}
            </Button>
          )}
          {afterWork && (
            <Button
              color="grape"
              size="xs"
              loading={finish.isPending}
              onClick={() => finish.mutate(contact.id)}
              aria-keyshortcuts="D"
              rightSection={<Kbd size="xs">{deskKeys.done.label}</Kbd>}
            >
              {t('contacts.desk.contact.done')}
            </Button>
          )}
        </Group>

        {error && <ProblemAlert error={error} />}

        {ending && (
          <EndContactForm
            contactId={contact.id}
            connected={connected}
            onClose={() => {
              setEnding(false);
              panel.current?.focus();
            }}
          />
        )}

        <NoteField contactId={contact.id} fieldRef={noteField} onLeave={() => panel.current?.focus()} />
      </Stack>
    </Paper>
  );
}

function NoteField({
  contactId,
  fieldRef,
  onLeave,
}: {
  contactId: number;
  fieldRef: Ref<HTMLTextAreaElement>;
  onLeave: () => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [added, setAdded] = useState(0);
  const note = useAddNote();

  const add = () => {
    const trimmed = text.trim();
    if (!trimmed || note.isPending) return;
    note.mutate(
      { contactId, note: { text: trimmed } },
      {
        onSuccess: () => {
          setText('');
          setAdded((count) => count + 1);
        },
      },
    );
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      add();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onLeave();
    }
  };

  return (
    <Stack gap={4}>
      <Textarea
        ref={fieldRef}
        label={t('contacts.desk.note.label')}
        description={t('contacts.desk.note.keys', { add: addNoteKeyLabel, focus: deskKeys.note.label })}
        aria-keyshortcuts="N"
        autosize
        minRows={2}
        maxRows={6}
        maxLength={2000}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <Group gap="xs">
        <Button
          size="xs"
          variant="light"
          onClick={add}
          loading={note.isPending}
          disabled={!text.trim()}
          rightSection={<Kbd size="xs">{addNoteKeyLabel}</Kbd>}
        >
          {t('contacts.desk.note.add')}
        </Button>
        {added > 0 && !note.isPending && (
          <Text size="xs" c="teal.8" role="status">
            {t('contacts.desk.note.added')}
          </Text>
        )}
      </Group>
      {note.isError && <ProblemAlert error={note.error} />}
    </Stack>
  );
}

/**
 * Reason and outcome, both required, picked from the keyboard: type a few letters and Enter, Tab
 * to the next; Escape leaves the form without ending.
 */
function EndContactForm({
  contactId,
  connected,
  onClose,
}: {
  contactId: number;
  connected: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<ContactReason | null>(null);
  const [outcome, setOutcome] = useState<ContactOutcome | null>(null);
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const end = useEndContact();
  const reasonField = useRef<HTMLInputElement>(null);
  useEffect(() => reasonField.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason || !outcome) {
      setMissing(true);
      return;
    }
    end.mutate(
      { contactId, end: { reason, outcome, ...(note.trim() ? { note: note.trim() } : {}) } },
      { onSuccess: onClose },
    );
  };
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    // An open dropdown closes on its own Escape first (Mantine stops that one).
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      onClose();
    }
  };

  return (
    <form onSubmit={submit} onKeyDown={onKeyDown} aria-label={t('contacts.desk.end.title')}>
      <Paper withBorder p="sm" bg="gray.0">
        <Stack gap="xs">
          <Text fw={600} size="sm">
            {connected ? t('contacts.desk.end.title') : t('contacts.desk.end.titleAfterHangUp')}
          </Text>
          <Group gap="sm" align="flex-start" grow>
            <PickOne
              ref={reasonField}
              label={t('contacts.desk.end.reason')}
              data={contactReasons.map((value) => ({ value, label: t(`contacts.reasons.${value}`) }))}
              value={reason}
              onChange={(value) => setReason(value as ContactReason | null)}
              required
              error={missing && !reason ? t('contacts.desk.end.required') : undefined}
            />
            <PickOne
              label={t('contacts.desk.end.outcome')}
              data={agentOutcomes.map((value) => ({ value, label: t(`contacts.outcomes.${value}`) }))}
              value={outcome}
              onChange={(value) => setOutcome(value as ContactOutcome | null)}
              required
              error={missing && !outcome ? t('contacts.desk.end.required') : undefined}
            />
          </Group>
          <Textarea
            label={t('contacts.desk.end.note')}
            autosize
            minRows={1}
            maxRows={4}
            maxLength={2000}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
          />
          {end.isError && <ProblemAlert error={end.error} />}
          <Group gap="xs">
            <Button type="submit" color="red" size="xs" loading={end.isPending}>
              {connected ? t('contacts.desk.end.submit') : t('contacts.desk.end.save')}
            </Button>
            <Button variant="subtle" size="xs" onClick={onClose} rightSection={<Kbd size="xs">Esc</Kbd>}>
              {t('contacts.desk.end.cancel')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </form>
  );
}
