import type { SecretName, SecretStatus, SettingsView } from '@common/api/settings.ts';
import { Alert, Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/format.ts';
import { Panel } from '../../ui/Panel.tsx';
import { ConfirmDialog } from '../staff/StaffDialogs.tsx';
import { useClearSecret, useWriteSecret } from './queries.ts';
import { SettingsProblem } from './SettingsProblem.tsx';

// The server's rule (WriteSecretRequest in src/common/api/settings.ts).
const secretRule = /^[\x21-\x7E]{16,512}$/;

/** Secrets are write-only: set or replace one, see when and by whom; its value is never shown again. */
export function SecretPanel({ view }: { view: SettingsView }) {
  const { t } = useTranslation();
  return (
    <Panel title={t('settings.secrets.title')}>
      <Stack gap="md">
        {view.secrets.map((secret) => (
          <SecretField key={secret.name} secret={secret} />
        ))}
      </Stack>
    </Panel>
  );
}

const labelKeys: Record<SecretName, 'settings.secrets.names.pbx_webhookSecret'> = {
  'pbx.webhookSecret': 'settings.secrets.names.pbx_webhookSecret',
};

function SecretField({ secret }: { secret: SecretStatus }) {
  const { t } = useTranslation();
  const write = useWriteSecret();
  const clear = useClearSecret();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirmClear, setConfirmClear] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    if (!secretRule.test(value)) return setError(t('settings.secrets.rule'));
    write.mutate(
      { name: secret.name, value },
      {
        onSuccess: () => {
          setValue('');
          setDone(t('settings.secrets.stored'));
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs">
        <Text size="sm" fw={500}>
          {t(labelKeys[secret.name])}
        </Text>
        <Text size="sm" c={secret.set ? undefined : 'dimmed'}>
          {secret.set && secret.updatedAt
            ? t('settings.secrets.setOn', {
                at: formatDateTime(secret.updatedAt),
                by: secret.updatedBy ?? t('settings.calendar.system'),
              })
            : t('settings.secrets.notSet')}
        </Text>
        {secret.set && !secret.readable && (
          <Alert color="yellow" variant="light" py="xs">
            {t('settings.secrets.otherKey')}
          </Alert>
        )}
        {(write.error || clear.error) && <SettingsProblem error={write.error ?? clear.error} />}
        {done && (
          <Alert color="teal" variant="light" py="xs" role="status">
            {done}
          </Alert>
        )}
        <PasswordInput
          label={secret.set ? t('settings.secrets.replace') : t('settings.secrets.set')}
          description={t('settings.secrets.writeOnly')}
          autoComplete="new-password"
          value={value}
          error={error}
          maxLength={512}
          onChange={(event) => {
            setValue(event.currentTarget.value);
            setError(null);
          }}
        />
        <Group justify="flex-end" gap="xs">
          {secret.set && (
            <Button variant="light" color="red" onClick={() => setConfirmClear(true)} loading={clear.isPending}>
              {t('settings.secrets.clear')}
            </Button>
          )}
          <Button type="submit" loading={write.isPending}>
            {secret.set ? t('settings.secrets.replace') : t('settings.secrets.set')}
          </Button>
        </Group>
      </Stack>
      {confirmClear && (
        <ConfirmDialog
          title={t('settings.secrets.clearTitle')}
          text={t('settings.secrets.clearText')}
          confirm={t('settings.secrets.clear')}
          danger
          onConfirm={() => {
            setConfirmClear(false);
            clear.mutate(secret.name, { onSuccess: () => setDone(t('settings.secrets.cleared')) });
          }}
          onClose={() => setConfirmClear(false)}
        />
      )}
    </form>
  );
}
