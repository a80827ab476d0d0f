import type { StaffSession } from '@common/api/staff.ts';
import { Alert, Badge, Button, Group, NativeSelect, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { formatDateTime } from '../../ui/format.ts';
import { PageLoader } from '../../ui/PageLoader.tsx';
import { Panel } from '../../ui/Panel.tsx';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import { useRevokeSession, useSessions, useStaff } from './queries.ts';
import { browserAndDevice } from './user-agent.ts';

function staffIdFrom(value: string | null): number | undefined {
  const id = Number(value);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

export function SessionsPage() {
  const { t } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const staffId = staffIdFrom(searchParams.get('staffId'));
  const staff = useStaff();
  const sessions = useSessions(staffId);
  const revoke = useRevokeSession();
  const [outcome, setOutcome] = useState<string | null>(null);

  const chooseStaff = (value: string) => {
    setOutcome(null);
    setSearchParams(value ? { staffId: value } : {}, { replace: true });
  };

  const end = (session: StaffSession) => {
    setOutcome(null);
    revoke.mutate(session, { onSuccess: () => setOutcome(t('staff.sessions.revoked', { login: session.staffLogin })) });
  };

  const browserText = (userAgent: string | null) => {
    const { browser, device } = browserAndDevice(userAgent);
    if (browser && device) return t('staff.sessions.browserOn', { browser, device });
    return browser ?? device ?? (userAgent ? t('staff.sessions.unknownBrowser') : '—');
  };

  const staffChoices = [
    { value: '', label: t('staff.sessions.everyone') },
    ...(staff.data ?? []).map((member) => ({
      value: String(member.id),
      label: `${member.login} — ${member.fullName}`,
    })),
  ];

  return (
    <Panel
      title={t('staff.sessions.table')}
      aside={
        <NativeSelect
          size="xs"
          w={280}
          aria-label={t('staff.sessions.filter')}
          data={staffChoices}
          value={staffId ? String(staffId) : ''}
          onChange={(event) => chooseStaff(event.currentTarget.value)}
        />
      }
    >
      {revoke.isError && <ProblemAlert error={revoke.error} />}
      {outcome && (
        <Alert color="teal" variant="light" py="xs" mb="xs" role="status">
          {outcome}
        </Alert>
      )}
      {sessions.isPending ? (
        <PageLoader />
      ) : sessions.isError ? (
        <ProblemAlert error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : sessions.data.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('staff.sessions.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover aria-label={t('staff.sessions.table')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('staff.sessions.login')}</Table.Th>
                <Table.Th>{t('staff.sessions.startedAt')}</Table.Th>
                <Table.Th>{t('staff.sessions.lastSeenAt')}</Table.Th>
                <Table.Th>{t('staff.sessions.expiresAt')}</Table.Th>
                <Table.Th>{t('staff.sessions.ip')}</Table.Th>
                <Table.Th>{t('staff.sessions.userAgent')}</Table.Th>
                <Table.Th>{t('staff.sessions.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sessions.data.map((session) => (
                <Table.Tr key={session.id} bg={session.current ? 'blue.0' : undefined}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" ff="monospace">
                        {session.staffLogin}
                      </Text>
                      {session.current && (
                        <Badge size="xs" variant="light">
                          {t('staff.sessions.current')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{formatDateTime(session.createdAt)}</Table.Td>
                  <Table.Td>{formatDateTime(session.lastSeenAt)}</Table.Td>
                  <Table.Td>{formatDateTime(session.expiresAt)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {session.ip ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={280}>
                    <Text size="sm" title={session.userAgent ?? undefined}>
                      {browserText(session.userAgent)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {session.current ? (
                      <Text size="xs" c="dimmed">
                        {t('staff.sessions.currentHint')}
                      </Text>
                    ) : (
                      <Button
                        size="compact-xs"
                        variant="light"
                        color="red"
                        aria-label={t('staff.sessions.revokeOf', {
                          login: session.staffLogin,
                          date: formatDateTime(session.createdAt),
                        })}
                        loading={revoke.isPending && revoke.variables?.id === session.id}
                        onClick={() => end(session)}
                      >
                        {t('staff.sessions.revoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Panel>
  );
}
