import { AppShell, Badge, Burger, Button, Group, NavLink, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useCallerSearchShortcut } from '../features/subscribers/identify/search-shortcut.ts';
import { LiveProvider } from '../live/LiveProvider.tsx';
import { PageLoader } from '../ui/PageLoader.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { navigation } from './navigation.ts';
import { ScreenErrorBoundary } from './ScreenErrorBoundary.tsx';
import { useLogOut, useSignedIn } from './session.tsx';

export function AppLayout() {
  const { t } = useTranslation();
  const me = useSignedIn();
  const logOut = useLogOut();
  const location = useLocation();
  const [navOpened, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  useCallerSearchShortcut();

  // One live channel for the tab while someone is signed in (web/src/live).
  return (
    <LiveProvider>
      <AppShell
        header={{ height: 48 }}
        navbar={{ width: 200, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
        padding="md"
      >
        <AppShell.Header>
          <a href="#main" className="linedesk-skip-link">
            {t('app.skipToContent')}
          </a>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={navOpened}
                onClick={toggleNav}
                hiddenFrom="sm"
                size="sm"
                aria-label={t('app.nav.toggle')}
              />
              <Text fw={700} size="lg" c="blue.8">
                {t('app.name')}
              </Text>
              <Text size="sm" c="dimmed" visibleFrom="md">
                {t('app.tagline')}
              </Text>
            </Group>
            <Group gap="sm" wrap="nowrap">
              <Group gap={6} wrap="nowrap" visibleFrom="xs">
                <VisuallyHidden>
                  {t('app.header.signedIn', { name: me.fullName, role: t(`roles.${me.role}`) })}
                </VisuallyHidden>
                <Text size="sm" fw={500} aria-hidden>
                  {me.fullName}
                </Text>
                <Badge variant="light" size="sm" aria-hidden>
                  {t(`roles.${me.role}`)}
                </Badge>
              </Group>
              <LanguageSwitch />
              <Button size="compact-sm" variant="default" onClick={() => logOut.mutate()} loading={logOut.isPending}>
                {t('app.header.logout')}
              </Button>
            </Group>
          </Group>
        </AppShell.Header>

        <AppShell.Navbar p="xs" component="nav" aria-label={t('app.nav.label')}>
          <Stack gap={2}>
            {navigation
              .filter((item) => item.roles.includes(me.role))
              .map((item) => {
                const active = location.pathname === item.to || location.pathname.startsWith(`${item.to}/`);
                return (
                  <NavLink
                    key={item.to}
                    component={Link}
                    to={item.to}
                    label={t(item.label)}
                    active={active}
                    aria-current={active ? 'page' : undefined}
                    onClick={closeNav}
                  />
                );
              })}
          </Stack>
        </AppShell.Navbar>

        <AppShell.Main id="main" tabIndex={-1}>
          <ScreenErrorBoundary resetKey={location.pathname}>
            <Suspense fallback={<PageLoader />}>
              <Outlet />
            </Suspense>
          </ScreenErrorBoundary>
        </AppShell.Main>
      </AppShell>
    </LiveProvider>
  );
}
