import type { NasAnswer, NasSession, SessionActionRequest } from '@common/api/nas-sessions.ts';
import { Alert, Button, CloseButton, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiProblem } from '../../../api/client.ts';
import { ProblemAlert } from '../../../ui/ProblemAlert.tsx';
import { useSessionAction } from '../queries.ts';
import { errorCauseText } from './session-words.ts';

type Action = SessionActionRequest['action'];

/** The session ended between the screen and the click; nothing reached the NAS. */
const meansNoSession = (error: unknown) => isApiProblem(error) && error.code === 'nas-sessions.no-session-online';

/**
 * Disconnect and CoA for the 2nd line: each confirmed first (a disconnect drops the subscriber's
 * link), with an optional reason for the audit log, and the NAS's own answer shown after.
 */
export function SessionActions({
  subscriberId,
  accountId,
  current,
}: {
  subscriberId: number;
  accountId: number;
  current: NasSession | null;
}) {
  const { t } = useTranslation();
  const send = useSessionAction(subscriberId, accountId);
  const [asking, setAsking] = useState<Action | null>(null);
  const [shown, setShown] = useState(false);

  const confirm = (action: Action, reason: string) => {
    send.mutate(
      { action, ...(reason.trim() ? { reason: reason.trim() } : {}) },
      {
        onSettled: () => {
          setAsking(null);
          setShown(true);
        },
      },
    );
  };

  return (
    <Stack gap={6}>
      {/* Offline, nothing to send; an answer already shown stays (a disconnect's ACK takes the session offline). */}
      {current && (
        <Group gap="xs">
          <Button size="compact-xs" variant="light" color="red" onClick={() => setAsking('disconnect')}>
            {t('subscribers.card.session.actions.disconnect')}
          </Button>
          <Button size="compact-xs" variant="light" onClick={() => setAsking('reapply')}>
            {t('subscribers.card.session.actions.reapply')}
          </Button>
        </Group>
      )}
      {shown && !send.isPending && (
        <ActionOutcome answer={send.data} error={send.error} onDismiss={() => setShown(false)} />
      )}
      {asking && current && (
        <ConfirmAction
          action={asking}
          session={current}
          sending={send.isPending}
          onConfirm={(reason) => confirm(asking, reason)}
          onClose={() => setAsking(null)}
        />
      )}
    </Stack>
  );
}

function ConfirmAction(props: {
  action: Action;
  session: NasSession;
  sending: boolean;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const disconnect = props.action === 'disconnect';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onConfirm(reason);
  };
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={
        disconnect
          ? t('subscribers.card.session.actions.confirm.disconnectTitle')
          : t('subscribers.card.session.actions.confirm.reapplyTitle')
      }
    >
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Text size="sm">
            {t(`subscribers.card.session.actions.confirm.${disconnect ? 'disconnectText' : 'reapplyText'}`, {
              nas: props.session.nas,
              id: props.session.acctSessionId,
            })}
          </Text>
          <Textarea
            label={t('subscribers.card.session.actions.confirm.reason')}
            placeholder={t('subscribers.card.session.actions.confirm.reasonPlaceholder')}
            value={reason}
            maxLength={500}
            autosize
            minRows={2}
            data-autofocus
            onChange={(event) => setReason(event.currentTarget.value)}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={props.onClose}>
              {t('subscribers.card.session.actions.confirm.cancel')}
            </Button>
            <Button type="submit" color={disconnect ? 'red' : undefined} loading={props.sending}>
              {t(`subscribers.card.session.actions.confirm.${disconnect ? 'disconnect' : 'reapply'}`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The NAS's answer in words: ACK, NAK with its Error-Cause, or silence. */
function ActionOutcome(props: { answer: NasAnswer | undefined; error: unknown; onDismiss: () => void }) {
  const { t } = useTranslation();
  const { answer, error } = props;
  if (error && !meansNoSession(error)) return <ProblemAlert error={error} />;
  let color = 'orange';
  let words = t('subscribers.card.session.actions.answer.noSession');
  if (answer?.answer === 'ack') {
    color = 'teal';
    words = t('subscribers.card.session.actions.answer.ack', {
      request: t(`subscribers.card.session.actions.answer.requests.${answer.request}`),
    });
  } else if (answer?.answer === 'nak') {
    color = 'red';
    const cause = errorCauseText(t, answer.errorCause, answer.errorCauseWords);
    words = cause
      ? t('subscribers.card.session.actions.answer.nak', { cause })
      : t('subscribers.card.session.actions.answer.nakNoCause');
  } else if (answer?.answer === 'no-answer') {
    words = t('subscribers.card.session.actions.answer.no-answer');
  }
  return (
    <Alert color={color} variant="light" py={6} px="xs" role="status">
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
        <Text size="xs">{words}</Text>
        <CloseButton
          size="xs"
          aria-label={t('subscribers.card.session.actions.answer.dismiss')}
          onClick={props.onDismiss}
        />
      </Group>
    </Alert>
  );
}
