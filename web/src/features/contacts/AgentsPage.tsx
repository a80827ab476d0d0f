import type { AgentProfile, ListedAgent } from '@common/api/contacts.ts';
import { Alert, Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useThrottledCallback } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { screenPaths } from '../../app/navigation.ts';
import { useLiveEvent } from '../../live/useLive.ts';
import { PageLoader } from '../../ui/PageLoader.tsx';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import { useSettings } from '../settings/queries.ts';
import { AgentsDialog } from './AgentsDialog.tsx';
import { lineNames } from './agents-profile.ts';
import { useFallbackPoll } from './fallback-poll.ts';
import { stateColors } from './vocabulary.ts';

const agentsKey = ['contacts', 'agents'] as const;

const useAgents = (pollMs: number | false) =>
  useQuery({
    queryKey: agentsKey,
    queryFn: ({ signal }) => api.get<ListedAgent[]>('/api/agents', signal),
    staleTime: 0,
    refetchInterval: pollMs,
  });

function useSaveProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ staffId, profile }: { staffId: number; profile: AgentProfile }) =>
      api.put<void>(`/api/agents/${staffId}`, profile),
    // The board lists the agents' lines too; the live wake-up may come later than this answer.
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: agentsKey }),
        queryClient.invalidateQueries({ queryKey: ['contacts', 'board'] }),
      ]),
  });
}

// Each state change of any agent wakes this screen, as it wakes the board.
const wakeThrottleMs = 500;

/** Supervisors and administrators set which lines each agent serves, their skills and their PBX extension. */
export function AgentsPage() {
  const { t } = useTranslation();
  const agents = useAgents(useFallbackPoll());
  const settings = useSettings();
  const save = useSaveProfile();
  const [editing, setEditing] = useState<ListedAgent | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const refetch = useThrottledCallback(() => void agents.refetch(), wakeThrottleMs);
  useLiveEvent('agents', () => refetch());

  const open = (agent: ListedAgent) => {
    save.reset();
    setOutcome(null);
    setEditing(agent);
  };
  const close = () => {
    save.reset();
    setEditing(null);
  };
  const lines = settings.data?.lines ?? [];

  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="sm">
        <Title order={1} size="h3">
          {t('contacts.agents.title')}
        </Title>
        <Anchor component={Link} to={screenPaths.board} size="sm">
          {t('contacts.board.title')}
        </Anchor>
      </Group>
      <Text size="sm" c="dimmed">
        {t('contacts.agents.hint')}
      </Text>
      {outcome && (
        <Alert color="teal" variant="light" py="xs" role="status">
          {outcome}
        </Alert>
      )}
      {agents.isPending || settings.isPending ? (
        <PageLoader />
      ) : agents.isError ? (
        <ProblemAlert error={agents.error} onRetry={() => void agents.refetch()} />
      ) : settings.isError ? (
        <ProblemAlert error={settings.error} onRetry={() => void settings.refetch()} />
      ) : agents.data.length === 0 ? (
        <Text size="sm">{t('contacts.agents.none')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table fz="sm" striped highlightOnHover aria-label={t('contacts.agents.table')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('contacts.agents.name')}</Table.Th>
                <Table.Th>{t('contacts.agents.login')}</Table.Th>
                <Table.Th>{t('contacts.agents.role')}</Table.Th>
                <Table.Th>{t('contacts.agents.state')}</Table.Th>
                <Table.Th>{t('contacts.agents.lines')}</Table.Th>
                <Table.Th>{t('contacts.agents.skills')}</Table.Th>
                <Table.Th>{t('contacts.agents.extension')}</Table.Th>
                <Table.Th>{t('contacts.agents.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {agents.data.map((agent) => (
                <Table.Tr key={agent.staffId} data-login={agent.login}>
                  <Table.Td>{agent.fullName}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {agent.login}
                    </Text>
                  </Table.Td>
                  <Table.Td>{t(`roles.${agent.role}`)}</Table.Td>
                  <Table.Td>
                    <Badge color={stateColors[agent.state]} variant="filled" size="sm">
                      {t(`contacts.states.${agent.state}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{lineNames(agent.lines, lines).join(', ')}</Table.Td>
                  <Table.Td>{agent.skills.length === 0 ? '—' : agent.skills.join(', ')}</Table.Td>
                  <Table.Td data-testid="extension">{agent.extension ?? '—'}</Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      variant="default"
                      aria-label={t('contacts.agents.editOf', { login: agent.login })}
                      onClick={() => open(agent)}
                    >
                      {t('contacts.agents.edit')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && (
        <AgentsDialog
          agent={editing}
          lines={lines}
          saving={save.isPending}
          error={save.error}
          onSave={(profile) =>
            save.mutate(
              { staffId: editing.staffId, profile },
              {
                onSuccess: () => {
                  setEditing(null);
                  setOutcome(t('contacts.agents.saved', { name: editing.fullName, login: editing.login }));
                },
              },
            )
          }
          onClose={close}
        />
      )}
    </Stack>
  );
}
