import type { SnmpNodeView, SnmpPollingSettings, SnmpSettingsView } from '@common/api/snmp-settings.ts';
import { Alert, Badge, Button, Group, NumberInput, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/format.ts';
import { Panel } from '../../ui/Panel.tsx';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import { ConfirmDialog } from '../staff/StaffDialogs.tsx';
import { SettingsProblem } from './SettingsProblem.tsx';
import { SnmpNodeDialog } from './SnmpNodeDialog.tsx';
import { pollingFields, pollingProblems, pollingRanges, pollingRequestOf } from './snmp-node-form.ts';
import { useRemoveSnmpNode, useSaveSnmpNode, useSaveSnmpPolling, useSnmpSettings } from './snmp-queries.ts';

const nodeKinds = ['core', 'aggregation', 'access_switch', 'olt'] as const;

type Dialog = { kind: 'edit'; node: SnmpNodeView } | { kind: 'add' } | { kind: 'remove'; node: SnmpNodeView };

/**
 * How Linedesk reaches the switches and OLTs by SNMP (administrators only): the poller's global
 * settings, then each node's version, credentials (whether set, never their value), port, interval
 * and whether the 2nd line may bounce its ports.
 */
export function SnmpSettingsPanels() {
  const snmp = useSnmpSettings();
  if (snmp.isPending) return null;
  if (snmp.isError) return <ProblemAlert error={snmp.error} onRetry={() => void snmp.refetch()} />;
  return (
    <>
      <SnmpPollingPanel view={snmp.data} />
      <SnmpNodesPanel view={snmp.data} />
    </>
  );
}

type PollingDraft = Record<keyof SnmpPollingSettings, number | ''>;

const pollingHints: Partial<Record<keyof SnmpPollingSettings, 'backoffHint' | 'jitterHint' | 'concurrencyHint'>> = {
  backoffMaxSeconds: 'backoffHint',
  jitterPercent: 'jitterHint',
  concurrency: 'concurrencyHint',
};

function SnmpPollingPanel({ view }: { view: SnmpSettingsView }) {
  const { t } = useTranslation();
  const save = useSaveSnmpPolling();
  const [draft, setDraft] = useState<PollingDraft>(view.polling);
  const [wrong, setWrong] = useState<(keyof SnmpPollingSettings)[]>([]);
  const [saved, setSaved] = useState(false);
  // Saved by someone (or by this form): the form shows what is in force now.
  const [shownVersion, setShownVersion] = useState(view.pollingVersion);
  if (view.pollingVersion !== shownVersion) {
    setShownVersion(view.pollingVersion);
    setDraft(view.polling);
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const found = pollingProblems(draft);
    setWrong(found);
    if (found.length > 0) return;
    save.mutate(pollingRequestOf(draft as SnmpPollingSettings, view.pollingVersion), {
      onSuccess: () => setSaved(true),
    });
  };

  return (
    <Panel title={t('settings.snmp.polling.title')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          <Text size="xs" c="dimmed">
            {t('settings.snmp.polling.hint')} {view.pollingVersion === 0 && t('settings.snmp.polling.defaults')}
          </Text>
          {save.error && <SettingsProblem error={save.error} />}
          {saved && (
            <Alert color="teal" variant="light" py="xs" role="status">
              {t('settings.snmp.polling.saved')}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 3, lg: 6 }}>
            {pollingFields.map((field) => {
              const [min, max] = pollingRanges[field];
              const hint = pollingHints[field];
              return (
                <NumberInput
                  key={field}
                  label={t(`settings.snmp.polling.${field}`)}
                  description={hint ? t(`settings.snmp.polling.${hint}`) : undefined}
                  min={min}
                  max={max}
                  allowDecimal={false}
                  allowNegative={false}
                  value={draft[field]}
                  error={wrong.includes(field) ? t('settings.snmp.polling.range', { min, max }) : undefined}
                  onChange={(value) =>
                    setDraft((previous) => ({ ...previous, [field]: typeof value === 'number' ? value : '' }))
                  }
                />
              );
            })}
          </SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" size="compact-sm" loading={save.isPending}>
              {t('settings.snmp.polling.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Panel>
  );
}

function SnmpNodesPanel({ view }: { view: SnmpSettingsView }) {
  const { t } = useTranslation();
  const save = useSaveSnmpNode();
  const remove = useRemoveSnmpNode();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);

  const open = (next: Dialog) => {
    save.reset();
    remove.reset();
    setOutcome(null);
    setDialog(next);
  };

  const credentialsOf = (node: SnmpNodeView) => {
    if (!node.credentialsSet)
      return (
        <Badge color="red" variant="light">
          {t('settings.snmp.credentialsNotSet')}
        </Badge>
      );
    if (!node.credentialsReadable) {
      return (
        <Text size="xs" c="red.8">
          {t('settings.snmp.credentialsOtherKey')}
        </Text>
      );
    }
    return (
      <Badge color="teal" variant="light">
        {t('settings.snmp.credentialsSet')}
      </Badge>
    );
  };

  // The network's kinds of node, in the words the card uses for them; another kind as the records name it.
  const kindText = (kind: string) =>
    (nodeKinds as readonly string[]).includes(kind)
      ? t(`subscribers.card.accessLine.nodes.kinds.${kind as (typeof nodeKinds)[number]}`)
      : kind;

  const versionOf = (node: SnmpNodeView) =>
    node.version === 'v3' && node.v3
      ? t('settings.snmp.v3Value', {
          user: node.v3.user,
          auth: t(`settings.snmp.protocols.${node.v3.authProtocol}`),
          priv: node.v3.privProtocol
            ? t(`settings.snmp.protocols.${node.v3.privProtocol}`)
            : t('settings.snmp.dialog.privNone'),
          port: node.port,
        })
      : t('settings.snmp.v2cValue', { port: node.port });

  return (
    <Panel
      title={t('settings.snmp.title')}
      aside={
        <Button size="compact-sm" variant="light" onClick={() => open({ kind: 'add' })}>
          {t('settings.snmp.add')}
        </Button>
      }
    >
      <Stack gap="xs">
        <Text size="xs" c="dimmed">
          {t('settings.snmp.intro')}
        </Text>
        {remove.error && <SettingsProblem error={remove.error} />}
        {outcome && (
          <Alert color="teal" variant="light" py="xs" role="status">
            {outcome}
          </Alert>
        )}
        {view.nodes.length === 0 ? (
          <Text size="sm">{t('settings.snmp.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table striped aria-label={t('settings.snmp.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('settings.snmp.node')}</Table.Th>
                  <Table.Th>{t('settings.snmp.address')}</Table.Th>
                  <Table.Th>{t('settings.snmp.snmp')}</Table.Th>
                  <Table.Th>{t('settings.snmp.credentials')}</Table.Th>
                  <Table.Th>{t('settings.snmp.interval')}</Table.Th>
                  <Table.Th>{t('settings.snmp.bounce')}</Table.Th>
                  <Table.Th>{t('settings.snmp.updated')}</Table.Th>
                  <Table.Th>{t('settings.snmp.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {view.nodes.map((node) => (
                  <Table.Tr key={node.node}>
                    <Table.Td>
                      <Text span size="sm" ff="monospace">
                        {node.node}
                      </Text>
                      <Text size="xs" c={node.kind === null ? 'red.8' : 'dimmed'}>
                        {node.kind === null
                          ? t('settings.snmp.notOnRecord')
                          : [kindText(node.kind), node.model].filter(Boolean).join(' · ')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text span size="sm" ff="monospace">
                        {node.managementIp ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{versionOf(node)}</Text>
                    </Table.Td>
                    <Table.Td>{credentialsOf(node)}</Table.Td>
                    <Table.Td>
                      {node.intervalSeconds === null
                        ? t('settings.snmp.intervalGlobal', { seconds: view.polling.intervalSeconds })
                        : t('settings.snmp.intervalValue', { seconds: node.intervalSeconds })}
                    </Table.Td>
                    <Table.Td>
                      {node.bounceAllowed ? t('settings.snmp.bounceAllowed') : t('settings.snmp.bounceForbidden')}
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">
                        {node.updatedBy
                          ? t('settings.snmp.updatedBy', { at: formatDateTime(node.updatedAt), by: node.updatedBy })
                          : formatDateTime(node.updatedAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button
                          size="compact-xs"
                          variant="default"
                          aria-label={t('settings.snmp.editOf', { node: node.node })}
                          onClick={() => open({ kind: 'edit', node })}
                        >
                          {t('settings.snmp.edit')}
                        </Button>
                        <Button
                          size="compact-xs"
                          variant="light"
                          color="red"
                          aria-label={t('settings.snmp.removeOf', { node: node.node })}
                          onClick={() => open({ kind: 'remove', node })}
                        >
                          {t('settings.snmp.remove')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      {(dialog?.kind === 'edit' || dialog?.kind === 'add') && (
        <SnmpNodeDialog
          node={dialog.kind === 'edit' ? dialog.node : undefined}
          configured={view.nodes.map((node) => node.node)}
          globalIntervalSeconds={view.polling.intervalSeconds}
          save={save}
          onSaved={(node) => {
            setDialog(null);
            setOutcome(t('settings.snmp.saved', { node }));
          }}
          onClose={() => {
            save.reset();
            setDialog(null);
          }}
        />
      )}
      {dialog?.kind === 'remove' && (
        <ConfirmDialog
          title={t('settings.snmp.removeTitle')}
          text={t('settings.snmp.removeText', { node: dialog.node.node })}
          confirm={t('settings.snmp.remove')}
          danger
          onConfirm={() => {
            const { node } = dialog.node;
            setDialog(null);
            remove.mutate(node, { onSuccess: () => setOutcome(t('settings.snmp.removed', { node })) });
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </Panel>
  );
}
