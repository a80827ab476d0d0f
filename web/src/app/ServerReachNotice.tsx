import { Alert, Loader } from '@mantine/core';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { onServerReachChange, serverReach } from '../api/server-reach.ts';

/** Over every screen, the login page included, while the server does not answer. */
export function ServerReachNotice() {
  const { t } = useTranslation();
  const reach = useSyncExternalStore(onServerReachChange, serverReach);
  if (reach === 'reachable') return null;
  return (
    <Alert
      color="orange"
      variant="filled"
      role="alert"
      icon={<Loader size={14} color="white" />}
      style={{ position: 'fixed', top: 8, left: '50%', transform: 'translateX(-50%)', zIndex: 1000, maxWidth: '95vw' }}
      py={6}
    >
      {t('app.serverUnreachable')}
    </Alert>
  );
}
