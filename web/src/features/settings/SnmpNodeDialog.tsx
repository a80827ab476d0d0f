import type { SnmpNodeView } from '@common/api/snmp-settings.ts';
import {
  Button,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  PasswordInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SettingsProblem } from './SettingsProblem.tsx';
import {
  type DraftField,
  type DraftProblem,
  draftOf,
  draftProblems,
  type SnmpNodeDraft,
  saveRequestOf,
} from './snmp-node-form.ts';
import type { useSaveSnmpNode } from './snmp-queries.ts';

/**
 * A node's SNMP settings: version, community or v3 user and keys (write-only: never shown back,
 * an empty field keeps what is stored), the agent's port, whether its ports may be bounced, an
 * interval of its own.
 */
export function SnmpNodeDialog(props: {
  node: SnmpNodeView | undefined;
  configured: string[];
  globalIntervalSeconds: number;
  save: ReturnType<typeof useSaveSnmpNode>;
  onSaved: (node: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const editing = props.node;
  const [draft, setDraft] = useState<SnmpNodeDraft>(() => draftOf(editing));
  const [problems, setProblems] = useState<Partial<Record<DraftField, DraftProblem>>>({});
  const versionLabel = useId();

  const change = <K extends keyof SnmpNodeDraft>(field: K, value: SnmpNodeDraft[K]) =>
    setDraft((previous) => ({ ...previous, [field]: value }));
  const problem = (field: DraftField) => {
    const found = problems[field];
    // The keys exist per field in both languages (locales.test.ts); the pair is checked by draftProblems' type.
    return found
      ? t(`settings.snmp.dialog.problems.${field}.${found}` as 'settings.snmp.dialog.problems.port.range')
      : undefined;
  };
  // Whether an empty credential field keeps the stored one (same version, stored, openable here).
  const stored =
    editing !== undefined && editing.version === draft.version && editing.credentialsSet && editing.credentialsReadable;
  const secretHint = stored ? t('settings.snmp.dialog.keepStored') : t('settings.snmp.dialog.writeOnly');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = draftProblems(draft, editing, props.configured);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    const node = editing?.node ?? draft.node.trim();
    props.save.mutate({ node, request: saveRequestOf(draft, editing) }, { onSuccess: () => props.onSaved(node) });
  };

  const secret = (field: 'community' | 'authKey' | 'privKey', label: string) => (
    <PasswordInput
      label={label}
      description={secretHint}
      placeholder={stored ? '••••••••' : undefined}
      autoComplete="new-password"
      value={draft[field]}
      error={problem(field)}
      maxLength={128}
      onChange={(event) => change(field, event.currentTarget.value)}
    />
  );

  return (
    <Modal
      opened
      onClose={props.onClose}
      size="lg"
      title={editing ? t('settings.snmp.dialog.editTitle', { node: editing.node }) : t('settings.snmp.dialog.addTitle')}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {Boolean(props.save.error) && <SettingsProblem error={props.save.error} />}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('settings.snmp.dialog.node')}
              description={t('settings.snmp.dialog.nodeHint')}
              value={draft.node}
              disabled={Boolean(editing)}
              error={problem('node')}
              maxLength={64}
              data-autofocus
              onChange={(event) => change('node', event.currentTarget.value)}
            />
            <Stack gap={4}>
              <Text size="sm" fw={500} id={versionLabel}>
                {t('settings.snmp.dialog.version')}
              </Text>
              <SegmentedControl
                aria-labelledby={versionLabel}
                data={[
                  { value: 'v2c', label: 'v2c' },
                  { value: 'v3', label: 'v3' },
                ]}
                value={draft.version}
                onChange={(value) => change('version', value === 'v3' ? 'v3' : 'v2c')}
              />
            </Stack>
          </SimpleGrid>
          {draft.version === 'v2c' ? (
            secret('community', t('settings.snmp.dialog.community'))
          ) : (
            <>
              <TextInput
                label={t('settings.snmp.dialog.user')}
                value={draft.user}
                error={problem('user')}
                maxLength={64}
                autoComplete="off"
                onChange={(event) => change('user', event.currentTarget.value)}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <NativeSelect
                  label={t('settings.snmp.dialog.authProtocol')}
                  data={(['sha', 'md5'] as const).map((value) => ({
                    value,
                    label: t(`settings.snmp.protocols.${value}`),
                  }))}
                  value={draft.authProtocol}
                  onChange={(event) => change('authProtocol', event.currentTarget.value === 'md5' ? 'md5' : 'sha')}
                />
                {secret('authKey', t('settings.snmp.dialog.authKey'))}
                <NativeSelect
                  label={t('settings.snmp.dialog.privProtocol')}
                  data={[
                    { value: '', label: t('settings.snmp.dialog.privNone') },
                    ...(['aes', 'des'] as const).map((value) => ({
                      value,
                      label: t(`settings.snmp.protocols.${value}`),
                    })),
                  ]}
                  value={draft.privProtocol ?? ''}
                  onChange={(event) => {
                    const value = event.currentTarget.value;
                    change('privProtocol', value === 'aes' || value === 'des' ? value : null);
                  }}
                />
                {draft.privProtocol !== null && secret('privKey', t('settings.snmp.dialog.privKey'))}
              </SimpleGrid>
            </>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label={t('settings.snmp.dialog.port')}
              min={1}
              max={65_535}
              allowDecimal={false}
              allowNegative={false}
              value={draft.port}
              error={problem('port')}
              onChange={(value) => change('port', typeof value === 'number' ? value : Number.NaN)}
            />
            <NumberInput
              label={t('settings.snmp.dialog.interval')}
              description={t('settings.snmp.dialog.intervalHint', { seconds: props.globalIntervalSeconds })}
              min={10}
              max={86_400}
              allowDecimal={false}
              allowNegative={false}
              value={draft.intervalSeconds}
              error={problem('intervalSeconds')}
              onChange={(value) => change('intervalSeconds', typeof value === 'number' ? value : '')}
            />
          </SimpleGrid>
          <Switch
            label={t('settings.snmp.dialog.bounceAllowed')}
            description={t('settings.snmp.dialog.bounceHint')}
            checked={draft.bounceAllowed}
            onChange={(event) => change('bounceAllowed', event.currentTarget.checked)}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={props.onClose}>
              {t('settings.snmp.dialog.cancel')}
            </Button>
            <Button type="submit" loading={props.save.isPending}>
              {t('settings.snmp.dialog.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
