import type { PortBounceResult, PortState } from '@common/api/access-line.ts';
import { Alert, Button, CloseButton, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../../ui/ProblemAlert.tsx';
import { usePortBounce } from '../queries.ts';
import { ifStatusText } from './access-line-words.ts';

/**
 * "Turn the port off and on again", for the 2nd line: confirmed first (the subscriber loses the
 * link for seconds), with an optional reason for the audit log, and the node's own answer shown
 * after. Shown only where the server says this staff member may and the node's settings allow it.
 */
export function PortBounceAction({
  subscriberId,
  accountId,
  port,
}: {
  subscriberId: number;
  accountId: number;
  port: PortState;
}) {
  const { t } = useTranslation();
  const bounce = usePortBounce(subscriberId, accountId);
  const [asking, setAsking] = useState(false);
  const [shown, setShown] = useState(false);

  const confirm = (reason: string) => {
    bounce.mutate(reason.trim() ? { reason: reason.trim() } : {}, {
      onSettled: () => {
        setAsking(false);
        setShown(true);
      },
    });
  };

  return (
    <Stack gap={6} mt={6}>
      <Group gap="xs">
        <Button size="compact-xs" variant="light" color="orange" onClick={() => setAsking(true)}>
          {t('subscribers.card.accessLine.bounce.button')}
        </Button>
      </Group>
      {shown && !bounce.isPending && (
        <BounceOutcome result={bounce.data} error={bounce.error} onDismiss={() => setShown(false)} />
      )}
      {asking && (
        <ConfirmBounce port={port} sending={bounce.isPending} onConfirm={confirm} onClose={() => setAsking(false)} />
      )}
    </Stack>
  );
}

function ConfirmBounce(props: {
  port: PortState;
  sending: boolean;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onConfirm(reason);
  };
  return (
    <Modal opened onClose={props.onClose} title={t('subscribers.card.accessLine.bounce.title')}>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Text size="sm">
            {t('subscribers.card.accessLine.bounce.text', { node: props.port.node, port: props.port.port })}
          </Text>
          <Textarea
            label={t('subscribers.card.accessLine.bounce.reason')}
            placeholder={t('subscribers.card.accessLine.bounce.reasonPlaceholder')}
            value={reason}
            maxLength={500}
            autosize
            minRows={2}
            data-autofocus
            onChange={(event) => setReason(event.currentTarget.value)}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={props.onClose}>
              {t('subscribers.card.accessLine.bounce.cancel')}
            </Button>
            <Button type="submit" color="orange" loading={props.sending}>
              {t('subscribers.card.accessLine.bounce.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The node's answer in words: done (and the link after), or what it said when it refused. */
function BounceOutcome(props: { result: PortBounceResult | undefined; error: unknown; onDismiss: () => void }) {
  const { t } = useTranslation();
  const { result, error } = props;
  // 403 (the role may not), 409 (the node does not allow it, no port): the problem's own sentence.
  if (error || !result) return <ProblemAlert error={error} />;
  const where = { node: result.node, port: result.port };
  const done = result.outcome === 'done';
  let words: string;
  if (done) {
    words =
      result.operStatusAfter === null
        ? t('subscribers.card.accessLine.bounce.doneNoStatus', where)
        : t('subscribers.card.accessLine.bounce.done', { ...where, status: ifStatusText(t, result.operStatusAfter) });
  } else {
    words = result.error
      ? t('subscribers.card.accessLine.bounce.failed', { ...where, error: result.error })
      : t('subscribers.card.accessLine.bounce.failedNoError', where);
  }
  return (
    <Alert color={done ? 'teal' : 'red'} variant="light" py={6} px="xs" role="status">
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
        <Text size="xs">{words}</Text>
        <CloseButton size="xs" aria-label={t('subscribers.card.accessLine.bounce.dismiss')} onClick={props.onDismiss} />
      </Group>
    </Alert>
  );
}
