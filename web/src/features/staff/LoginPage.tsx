import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { LanguageSwitch } from '../../app/LanguageSwitch.tsx';
import { useLogIn, useMeQuery, useSessionNotice } from '../../app/session.tsx';
import { problemMessage } from '../../ui/problem-message.ts';
import { safeNext } from './login-next.ts';

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = safeNext(searchParams.get('next'), window.location.origin);
  const me = useMeQuery();
  const { endedElsewhere } = useSessionNotice();
  const logIn = useLogIn();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');

  if (me.data && !logIn.isPending) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    logIn.mutate(
      { login: login.trim(), password },
      {
        onSuccess: () => navigate(next, { replace: true }),
        onError: () => setPassword(''),
      },
    );
  };

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="lg" w={360} component="main">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <div>
                <Title order={1} size="h3">
                  {t('auth.title')}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('auth.subtitle')}
                </Text>
              </div>
              <LanguageSwitch />
            </Group>
            {endedElsewhere && !logIn.isError && (
              <Alert color="blue" variant="light" py="xs" role="status">
                {t('auth.sessionOver')}
              </Alert>
            )}
            {logIn.isError && (
              <Alert color="red" variant="light" py="xs" role="alert">
                {problemMessage(t, logIn.error)}
              </Alert>
            )}
            <TextInput
              label={t('auth.login')}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              autoFocus
              maxLength={64}
              value={login}
              onChange={(event) => setLogin(event.currentTarget.value)}
            />
            <PasswordInput
              label={t('auth.password')}
              name="password"
              autoComplete="current-password"
              required
              maxLength={256}
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            <Button type="submit" loading={logIn.isPending} disabled={!login.trim() || !password} fullWidth>
              {t('auth.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
