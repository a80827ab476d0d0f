import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Title order={1} size="h3">
        {t('app.notFound.title')}
      </Title>
      <Text>{t('app.notFound.text')}</Text>
      <Anchor component={Link} to="/subscribers">
        {t('app.notFound.back')}
      </Anchor>
    </Stack>
  );
}
