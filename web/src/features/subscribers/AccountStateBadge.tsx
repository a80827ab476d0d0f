import type { AccountState } from '@common/api/subscribers.ts';
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { accountStateColors } from './account-states.ts';

export function AccountStateBadge({ state, size = 'sm' }: { state: AccountState; size?: 'xs' | 'sm' | 'md' }) {
  const { t } = useTranslation();
  return (
    <Badge color={accountStateColors[state]} variant="light" size={size}>
      {t(`subscribers.state.${state}`)}
    </Badge>
  );
}
