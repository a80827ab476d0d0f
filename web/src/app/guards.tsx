import type { Role } from '@common/api/staff.ts';
import { Center, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { PageLoader } from '../ui/PageLoader.tsx';
import { ProblemAlert } from '../ui/ProblemAlert.tsx';
import { landingPath } from './navigation.ts';
import { SignedInProvider, useMeQuery, useSignedIn } from './session.tsx';

/** Screens behind it need a live session; without one the browser goes to the login page at once. */
export function RequireSession({ children }: { children: ReactNode }) {
  const location = useLocation();
  const me = useMeQuery();
  if (me.data === undefined) {
    return me.isError ? (
      <Center p="xl">
        <ProblemAlert error={me.error} onRetry={() => void me.refetch()} />
      </Center>
    ) : (
      <PageLoader />
    );
  }
  if (me.data === null) {
    const next = `${location.pathname}${location.search}`;
    const search = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
    return <Navigate to={`/login${search}`} replace />;
  }
  return <SignedInProvider value={me.data}>{children}</SignedInProvider>;
}

export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { t } = useTranslation();
  const me = useSignedIn();
  if (roles.includes(me.role)) return children;
  return (
    <Stack gap="xs">
      <Title order={1} size="h3">
        {t('app.forbidden.title')}
      </Title>
      <Text>{t('app.forbidden.text')}</Text>
    </Stack>
  );
}

/** The first screen after login, by role (navigation.ts). */
export function LandingRedirect() {
  const me = useSignedIn();
  return <Navigate to={landingPath(me.role)} replace />;
}
