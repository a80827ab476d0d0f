import type { StaffMember } from '@common/api/staff.ts';
import { Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';

// The same rules as the server's (src/common/api/staff.ts), checked here to answer at once.
const minPasswordLength = 8;

/** A change that is hard to undo (a new administrator, a member locked out) is said back and confirmed. */
export function ConfirmDialog(props: {
  title: string;
  text: ReactNode;
  confirm: string;
  danger?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={props.onClose} title={props.title} centered>
      <Stack gap="md">
        <Text size="sm">{props.text}</Text>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={props.onClose}>
            {t('staff.dialog.cancel')}
          </Button>
          <Button color={props.danger ? 'red' : undefined} onClick={props.onConfirm} data-autofocus>
            {props.confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function RenameDialog(props: {
  member: StaffMember;
  onRename: (fullName: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [fullName, setFullName] = useState(props.member.fullName);
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = fullName.trim();
    if (!name) return setError(t('staff.create.emptyName'));
    props.onRename(name);
  };
  return (
    <Modal opened onClose={props.onClose} title={t('staff.rename.title', { login: props.member.login })} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput
            label={t('staff.list.fullName')}
            maxLength={200}
            required
            data-autofocus
            value={fullName}
            error={error}
            onChange={(event) => {
              setFullName(event.currentTarget.value);
              setError(null);
            }}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={props.onClose}>
              {t('staff.dialog.cancel')}
            </Button>
            <Button type="submit">{t('staff.rename.submit')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function PasswordDialog(props: {
  member: StaffMember;
  onReset: (password: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password.length < minPasswordLength) return setError(t('staff.create.shortPassword'));
    props.onReset(password);
  };
  return (
    <Modal opened onClose={props.onClose} title={t('staff.password.title', { login: props.member.login })} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm">{t('staff.password.text')}</Text>
          <PasswordInput
            label={t('staff.password.new')}
            description={t('staff.create.passwordHint')}
            autoComplete="new-password"
            maxLength={256}
            required
            data-autofocus
            value={password}
            error={error}
            onChange={(event) => {
              setPassword(event.currentTarget.value);
              setError(null);
            }}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={props.onClose}>
              {t('staff.dialog.cancel')}
            </Button>
            <Button type="submit" color="red">
              {t('staff.password.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
