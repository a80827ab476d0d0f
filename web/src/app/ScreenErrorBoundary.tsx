import { Alert, Button, Stack, Text } from '@mantine/core';
import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  /** A new value (the screen's address) clears the error: the operator went elsewhere. */
  resetKey: string;
  children: ReactNode;
}

/** A screen that failed to load or render shows why and a way out; the header and menu stay. */
export class ScreenErrorBoundary extends Component<Props, { failed: boolean; key: string }> {
  override state = { failed: false, key: this.props.resetKey };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: Props, state: { failed: boolean; key: string }) {
    return props.resetKey === state.key ? null : { failed: false, key: props.resetKey };
  }

  override render() {
    return this.state.failed ? <ScreenFailed /> : this.props.children;
  }
}

function ScreenFailed() {
  const { t } = useTranslation();
  return (
    <Alert color="red" variant="light" role="alert" title={t('app.screenFailed.title')}>
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{t('app.screenFailed.text')}</Text>
        <Button size="compact-sm" variant="light" color="red" onClick={() => window.location.reload()}>
          {t('app.screenFailed.reload')}
        </Button>
      </Stack>
    </Alert>
  );
}
