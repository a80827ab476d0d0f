import { Anchor, Stack } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { NotFoundPage } from '../../app/NotFoundPage.tsx';
import { PageLoader } from '../../ui/PageLoader.tsx';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import { SubscriberCard } from './card/SubscriberCard.tsx';
import { cardOrigin } from './card-location.ts';
import { useSubscriberCard } from './queries.ts';

const maxId = 2_147_483_647;
const isId = (value: number) => Number.isInteger(value) && value >= 1 && value <= maxId;

export function SubscriberCardPage() {
  const { id } = useParams();
  const [searchParams] = useSearchParams();
  const subscriberId = Number(id);
  const accountId = Number(searchParams.get('account'));
  if (!isId(subscriberId)) return <NotFoundPage />;
  return <SubscriberCardScreen id={subscriberId} accountId={isId(accountId) ? accountId : undefined} />;
}

function SubscriberCardScreen({ id, accountId }: { id: number; accountId: number | undefined }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const card = useSubscriberCard(id, accountId);
  const origin = cardOrigin(location.state);
  // Escape returns to the list or the caller search, as their Enter opened the card: a call can go keyboard-only.
  useHotkeys([['Escape', () => navigate(origin.path)]]);

  return (
    <Stack gap="sm">
      <Anchor component={Link} to={origin.path} size="sm">
        ← {origin.screen === 'identify' ? t('subscribers.card.backToSearch') : t('subscribers.card.back')}
      </Anchor>
      {card.isPending ? (
        <PageLoader />
      ) : card.isError ? (
        <ProblemAlert error={card.error} onRetry={() => void card.refetch()} />
      ) : (
        <SubscriberCard card={card.data} />
      )}
    </Stack>
  );
}
