import { Grid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { mayManageSettings } from '../../app/navigation.ts';
import { useSignedIn } from '../../app/session.tsx';
import { PageLoader } from '../../ui/PageLoader.tsx';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import { CalendarPanel } from './CalendarPanel.tsx';
import { ContactSettingsPanel } from './ContactSettingsPanel.tsx';
import { LinesPanel } from './LinesPanel.tsx';
import { useSettings } from './queries.ts';
import { SecretPanel } from './SecretPanel.tsx';
import { SnmpSettingsPanels } from './SnmpSettingsPanel.tsx';

/**
 * Operational settings: the lines and their hours, how contacts are routed, the production
 * calendar, the PBX's secret, how the switches and OLTs are polled. Administrators change them;
 * supervisors read them, since they plan the shifts around the lines' hours and targets (the SNMP
 * settings, which carry credentials, only administrators see).
 */
export function SettingsPage() {
  const { t } = useTranslation();
  const me = useSignedIn();
  const readOnly = !mayManageSettings(me.role);
  const settings = useSettings();

  return (
    <Stack gap="sm">
      <Title order={1} size="h3">
        {t('settings.title')}
      </Title>
      {readOnly && (
        <Text size="sm" c="dimmed">
          {t('settings.readOnly')}
        </Text>
      )}
      {settings.isPending ? (
        <PageLoader />
      ) : settings.isError ? (
        <ProblemAlert error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <>
          <LinesPanel view={settings.data} readOnly={readOnly} />
          <Grid gutter="md">
            <Grid.Col span={{ base: 12, lg: readOnly ? 12 : 7 }}>
              <ContactSettingsPanel view={settings.data} readOnly={readOnly} />
            </Grid.Col>
            {!readOnly && (
              <Grid.Col span={{ base: 12, lg: 5 }}>
                <SecretPanel view={settings.data} />
              </Grid.Col>
            )}
          </Grid>
          <CalendarPanel view={settings.data} readOnly={readOnly} />
          {!readOnly && <SnmpSettingsPanels />}
        </>
      )}
    </Stack>
  );
}
