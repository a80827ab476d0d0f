import { Alert, Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { problemMessage } from './problem-message.ts';

interface ProblemAlertProps {
  error: unknown;
  onRetry?: () => void;
}

/** A failed call, in the operator's language, with a retry where retrying makes sense. */
export function ProblemAlert({ error, onRetry }: ProblemAlertProps) {
  const { t } = useTranslation();
  return (
    <Alert color="red" variant="light" role="alert" py="xs">
      <Group justify="space-between" gap="sm" wrap="nowrap">
        <span>{problemMessage(t, error)}</span>
        {onRetry && (
          <Button size="compact-sm" variant="subtle" color="red" onClick={onRetry}>
            {t('app.retry')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
