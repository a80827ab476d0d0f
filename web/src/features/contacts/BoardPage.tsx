import type { Board, BoardAgent, BoardLine } from '@common/api/contacts.ts';
import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useThrottledCallback } from '@mantine/hooks';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { screenPaths } from '../../app/navigation.ts';
import { useLiveEvent } from '../../live/useLive.ts';
import { PageLoader } from '../../ui/PageLoader.tsx';
import { Panel } from '../../ui/Panel.tsx';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import { agentsByState, belowTarget, formatShare, secondsAgo, shortOfAgents } from './board-figures.ts';
import { formatDuration, type ServerClock, serverClock } from './clock.ts';
import { useFallbackPoll } from './fallback-poll.ts';
import { useBoard } from './queries.ts';
import { GrowingTimer, SinceTimer } from './Timers.tsx';
import { useTicker } from './use-ticker.ts';
import { isBreakReason, stateColors } from './vocabulary.ts';

// Every arrival, answer and state change wakes the board; two reads a second are as live as the eye needs.
const boardWakeThrottleMs = 500;

/** The supervisor's board: each line's queue and figures for today, and every agent's state, live. */
export function BoardPage() {
  const { t } = useTranslation();
  const board = useBoard(useFallbackPoll());
  const refetch = useThrottledCallback(() => void board.refetch(), boardWakeThrottleMs);
  useLiveEvent('queue', () => refetch());
  useLiveEvent('agents', () => refetch());

  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="sm">
        <Title order={1} size="h3">
          {t('contacts.board.title')}
        </Title>
        {board.data && <UpdatedAgo at={board.dataUpdatedAt} />}
      </Group>
      {board.isPending ? (
        <PageLoader />
      ) : board.isError ? (
        <ProblemAlert error={board.error} onRetry={() => void board.refetch()} />
      ) : (
        <BoardScreen board={board.data} receivedAt={board.dataUpdatedAt} />
      )}
    </Stack>
  );
}

function UpdatedAgo({ at }: { at: number }) {
  const { t } = useTranslation();
  const now = useTicker();
  return (
    <Text size="xs" c="dimmed" role="status" data-testid="board-updated">
      {t('contacts.board.updated', { seconds: secondsAgo(at, now) })}
    </Text>
  );
}

function BoardScreen({ board, receivedAt }: { board: Board; receivedAt: number }) {
  const { t } = useTranslation();
  const clock = useMemo(() => serverClock(board.now, receivedAt), [board.now, receivedAt]);
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="sm">
        {board.lines.map((line) => (
          <LineTile key={line.line} line={line} clock={clock} />
        ))}
      </SimpleGrid>
      <Panel
        title={t('contacts.board.agents.title')}
        aside={
          <Anchor component={Link} to={screenPaths.agents} size="sm">
            {t('contacts.agents.open')}
          </Anchor>
        }
      >
        <AgentTable agents={board.agents} clock={clock} />
      </Panel>
    </Stack>
  );
}

function Figure({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="sm" data-testid={testId}>
        {children}
      </Text>
    </Stack>
  );
}

const seconds = (value: number | null) => (value === null ? '—' : formatDuration(value));

function LineTile({ line, clock }: { line: BoardLine; clock: ServerClock }) {
  const { t } = useTranslation();
  const below = belowTarget(line);
  const forecast = line.forecast;
  return (
    <Paper withBorder p="sm" component="section" aria-label={line.name} data-testid={`line-${line.line}`}>
      <Stack gap="xs">
        <Group justify="space-between" gap="xs">
          <Title order={2} size="h5">
            {line.name}
          </Title>
          {!line.open && (
            <Badge color="gray" variant="light">
              {t('contacts.queue.closed')}
            </Badge>
          )}
        </Group>
        <Group gap="xl" align="flex-end">
          <Figure label={t('contacts.queue.waiting')} testId="waiting">
            <Text span fw={700} size="xl" c={line.waiting > 0 ? 'orange.8' : undefined}>
              {line.waiting}
            </Text>
          </Figure>
          <Figure label={t('contacts.queue.longestWait')}>
            <Text span fw={700} size="xl">
              {line.longestWaitSeconds === null ? (
                '—'
              ) : (
                <GrowingTimer seconds={line.longestWaitSeconds} clock={clock} inherit />
              )}
            </Text>
          </Figure>
          <Figure label={t('contacts.board.line.serviceLevel')}>
            <Text
              span
              fw={700}
              size="xl"
              c={line.serviceLevel === null ? 'dimmed' : below ? 'red.7' : 'teal.8'}
              data-below-target={below}
            >
              {formatShare(line.serviceLevel)}
            </Text>
            <Text span size="xs" c="dimmed">
              {' '}
              {t('contacts.board.line.target', { percent: line.targetPercent, seconds: line.targetSeconds })}
            </Text>
          </Figure>
        </Group>
        <SimpleGrid cols={4} spacing="xs">
          <Figure label={t('contacts.board.line.handledToday')} testId="answered-today">
            {line.answeredToday} / {line.offeredToday}
          </Figure>
          <Figure label={t('contacts.board.line.abandonRate')}>{formatShare(line.abandonRate)}</Figure>
          <Figure label={t('contacts.board.line.asa')}>{seconds(line.averageSpeedOfAnswerSeconds)}</Figure>
          <Figure label={t('contacts.board.line.aht')}>{seconds(line.averageHandleTimeSeconds)}</Figure>
        </SimpleGrid>
        <Group gap="xs" justify="space-between" wrap="wrap">
          <Group gap={4}>
            {agentsByState(line.agents).map(({ state, count }) => (
              <Badge key={state} color={stateColors[state]} variant="light" size="sm">
                {t(`contacts.states.${state}`)}: {count}
              </Badge>
            ))}
          </Group>
          <Text size="xs">
            {t('contacts.board.line.occupancy')}: <b>{formatShare(line.occupancy)}</b>
          </Text>
        </Group>
        <Paper bg="gray.0" p={6} radius="sm">
          {forecast ? (
            <Text size="xs">
              <b>{t('contacts.board.forecast.title')}:</b>{' '}
              {t('contacts.board.forecast.arrivals', {
                perHour: Math.round(forecast.arrivalsPerHour),
                erlangs: forecast.trafficErlangs.toFixed(1),
              })}
              {' · '}
              <Text span size="xs" fw={700} c={shortOfAgents(forecast) ? 'red.7' : undefined}>
                {t('contacts.board.forecast.agents', {
                  serving: forecast.agentsServing,
                  needed: forecast.agentsNeeded ?? '—',
                })}
              </Text>
              {' · '}
              {t('contacts.board.forecast.probabilityOfWaiting', {
                value: formatShare(forecast.probabilityOfWaiting),
              })}
            </Text>
          ) : (
            <Text size="xs" c="dimmed">
              {t('contacts.board.forecast.none')}
            </Text>
          )}
        </Paper>
      </Stack>
    </Paper>
  );
}

function AgentTable({ agents, clock }: { agents: readonly BoardAgent[]; clock: ServerClock }) {
  const { t } = useTranslation();
  if (agents.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('contacts.board.agents.none')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table fz="sm" verticalSpacing={4} striped aria-label={t('contacts.board.agents.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('contacts.board.agents.name')}</Table.Th>
            <Table.Th>{t('contacts.board.agents.state')}</Table.Th>
            <Table.Th ta="right">{t('contacts.board.agents.timeInState')}</Table.Th>
            <Table.Th>{t('contacts.board.agents.lines')}</Table.Th>
            <Table.Th>{t('contacts.board.agents.contact')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {agents.map((agent) => (
            <Table.Tr key={agent.staffId} data-login={agent.login}>
              <Table.Td>{agent.name}</Table.Td>
              <Table.Td>
                <Badge color={stateColors[agent.state]} variant="filled" size="sm">
                  {t(`contacts.states.${agent.state}`)}
                </Badge>
                {agent.breakReason && (
                  <Text span size="xs" c="dimmed" ml={6}>
                    {isBreakReason(agent.breakReason)
                      ? t(`contacts.breakReasons.${agent.breakReason}`)
                      : agent.breakReason}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">
                <SinceTimer instant={agent.since} clock={clock} size="sm" />
              </Table.Td>
              <Table.Td>{agent.lines.map((line) => line.toUpperCase()).join(', ')}</Table.Td>
              <Table.Td>{agent.contactId === null ? '—' : `#${agent.contactId}`}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
