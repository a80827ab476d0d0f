import type { CreateStaffRequest, Role } from '@common/api/staff.ts';
import { Alert, Button, NativeSelect, PasswordInput, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Panel } from '../../ui/Panel.tsx';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import { useCreateStaff } from './queries.ts';
import { roleOptions } from './roles.ts';

// The same rules as CreateStaffRequest in src/common/api/staff.ts, checked here to answer at once.
const loginPattern = /^[A-Za-z0-9._-]{2,64}$/;
const minPasswordLength = 8;

const emptyForm: CreateStaffRequest = { login: '', fullName: '', role: 'l1', password: '' };
type FieldErrors = Partial<Record<keyof CreateStaffRequest, string>>;

export function CreateStaffForm() {
  const { t } = useTranslation();
  const create = useCreateStaff();
  const [form, setForm] = useState<CreateStaffRequest>(emptyForm);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [created, setCreated] = useState<string | null>(null);

  const set = <K extends keyof CreateStaffRequest>(field: K, value: CreateStaffRequest[K]) => {
    setForm((previous) => ({ ...previous, [field]: value }));
    setErrors((previous) => ({ ...previous, [field]: undefined }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    const request = { ...form, login: form.login.trim(), fullName: form.fullName.trim() };
    const found: FieldErrors = {};
    if (!loginPattern.test(request.login)) found.login = t('staff.create.invalidLogin');
    if (!request.fullName) found.fullName = t('staff.create.emptyName');
    if (request.password.length < minPasswordLength) found.password = t('staff.create.shortPassword');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    create.mutate(request, {
      onSuccess: (member) => {
        setCreated(t('staff.create.created', { login: member.login }));
        setForm(emptyForm);
      },
    });
  };

  return (
    <Panel title={t('staff.create.title')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          {create.isError && <ProblemAlert error={create.error} />}
          {created && (
            <Alert color="teal" variant="light" py="xs" role="status">
              {created}
            </Alert>
          )}
          <TextInput
            label={t('staff.create.login')}
            description={t('staff.create.loginHint')}
            autoComplete="off"
            spellCheck={false}
            maxLength={64}
            required
            value={form.login}
            error={errors.login}
            onChange={(event) => set('login', event.currentTarget.value)}
          />
          <TextInput
            label={t('staff.create.fullName')}
            maxLength={200}
            required
            value={form.fullName}
            error={errors.fullName}
            onChange={(event) => set('fullName', event.currentTarget.value)}
          />
          <NativeSelect
            label={t('staff.create.role')}
            data={roleOptions(t)}
            value={form.role}
            onChange={(event) => set('role', event.currentTarget.value as Role)}
          />
          <PasswordInput
            label={t('staff.create.password')}
            description={t('staff.create.passwordHint')}
            autoComplete="new-password"
            maxLength={256}
            required
            value={form.password}
            error={errors.password}
            onChange={(event) => set('password', event.currentTarget.value)}
          />
          <Button type="submit" loading={create.isPending}>
            {t('staff.create.submit')}
          </Button>
        </Stack>
      </form>
    </Panel>
  );
}
