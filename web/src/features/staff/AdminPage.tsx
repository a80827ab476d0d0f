import { Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';

const sections = ['staff', 'sessions'] as const;

/** Administration: its sections as tabs, each a route of its own so it can be linked and reloaded. */
export function AdminPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const current = sections.find((section) => location.pathname.startsWith(`/admin/${section}`)) ?? 'staff';

  return (
    <Stack gap="sm">
      <Title order={1} size="h3">
        {t('staff.admin.title')}
      </Title>
      <Tabs value={current} onChange={(value) => value && navigate(`/admin/${value}`)} keepMounted={false}>
        <Tabs.List aria-label={t('staff.admin.tabs')}>
          <Tabs.Tab value="staff">{t('staff.admin.staffTab')}</Tabs.Tab>
          <Tabs.Tab value="sessions">{t('staff.admin.sessionsTab')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value={current} pt="sm">
          <Outlet />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
