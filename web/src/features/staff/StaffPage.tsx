import type { Role, StaffMember } from '@common/api/staff.ts';
import { Alert, Anchor, Badge, Button, Grid, Group, NativeSelect, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSignedIn } from '../../app/session.tsx';
import { formatDate } from '../../ui/format.ts';
import { PageLoader } from '../../ui/PageLoader.tsx';
import { Panel } from '../../ui/Panel.tsx';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import { CreateStaffForm } from './CreateStaffForm.tsx';
import { useRevokeAllSessions, useStaff, useUpdateStaff } from './queries.ts';
import { roleOptions } from './roles.ts';

export function StaffPage() {
  const { t } = useTranslation();
  const me = useSignedIn();
  const staff = useStaff();
  const update = useUpdateStaff();
  const revokeAll = useRevokeAllSessions();
  const [outcome, setOutcome] = useState<string | null>(null);
  const failure = update.error ?? revokeAll.error;

  const changeRole = (member: StaffMember, role: Role) => {
    setOutcome(null);
    revokeAll.reset();
    update.mutate({ id: member.id, change: { role } });
  };
  const toggleActive = (member: StaffMember) => {
    setOutcome(null);
    revokeAll.reset();
    update.mutate({ id: member.id, change: { isActive: !member.isActive } });
  };
  const endSessions = (member: StaffMember) => {
    setOutcome(null);
    update.reset();
    revokeAll.mutate(member, { onSuccess: ({ ended }) => setOutcome(t('staff.list.sessionsEnded', { total: ended })) });
  };

  return (
    <Grid gutter="md">
      <Grid.Col span={{ base: 12, xl: 9 }}>
        <Panel title={t('staff.list.table')}>
          {failure && <ProblemAlert error={failure} />}
          {outcome && (
            <Alert color="teal" variant="light" py="xs" mb="xs" role="status">
              {outcome}
            </Alert>
          )}
          {staff.isPending ? (
            <PageLoader />
          ) : staff.isError ? (
            <ProblemAlert error={staff.error} onRetry={() => void staff.refetch()} />
          ) : (
            <Table.ScrollContainer minWidth={760}>
              <Table striped highlightOnHover aria-label={t('staff.list.table')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('staff.list.login')}</Table.Th>
                    <Table.Th>{t('staff.list.fullName')}</Table.Th>
                    <Table.Th>{t('staff.list.role')}</Table.Th>
                    <Table.Th>{t('staff.list.status')}</Table.Th>
                    <Table.Th ta="right">{t('staff.list.sessions')}</Table.Th>
                    <Table.Th>{t('staff.list.createdAt')}</Table.Th>
                    <Table.Th>{t('staff.list.actions')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {staff.data.map((member) => {
                    const isMe = member.id === me.id;
                    return (
                      <Table.Tr key={member.id}>
                        <Table.Td>
                          <Text size="sm" ff="monospace">
                            {member.login}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          {member.fullName}
                          {isMe && (
                            <Text span size="xs" c="dimmed">
                              {' '}
                              ({t('staff.list.you')})
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <NativeSelect
                            size="xs"
                            w={170}
                            aria-label={t('staff.list.roleOf', { login: member.login })}
                            data={roleOptions(t)}
                            value={member.role}
                            disabled={isMe || update.isPending}
                            onChange={(event) => changeRole(member, event.currentTarget.value as Role)}
                          />
                        </Table.Td>
                        <Table.Td>
                          <Badge color={member.isActive ? 'teal' : 'gray'} variant="light">
                            {member.isActive ? t('staff.list.active') : t('staff.list.inactive')}
                          </Badge>
                        </Table.Td>
                        <Table.Td ta="right">
                          {member.activeSessions > 0 ? (
                            <Anchor component={Link} to={`/admin/sessions?staffId=${member.id}`} size="sm">
                              {member.activeSessions}
                            </Anchor>
                          ) : (
                            0
                          )}
                        </Table.Td>
                        <Table.Td>{formatDate(member.createdAt)}</Table.Td>
                        <Table.Td>
                          <Group gap={4} wrap="nowrap">
                            {!isMe && (
                              <Button
                                size="compact-xs"
                                variant="light"
                                color={member.isActive ? 'red' : 'teal'}
                                aria-label={t(
                                  member.isActive ? 'staff.list.deactivateLogin' : 'staff.list.activateLogin',
                                  {
                                    login: member.login,
                                  },
                                )}
                                onClick={() => toggleActive(member)}
                                disabled={update.isPending}
                              >
                                {member.isActive ? t('staff.list.deactivate') : t('staff.list.activate')}
                              </Button>
                            )}
                            {!isMe && member.activeSessions > 0 && (
                              <Button
                                size="compact-xs"
                                variant="default"
                                aria-label={t('staff.list.revokeSessionsOf', { login: member.login })}
                                onClick={() => endSessions(member)}
                                loading={revokeAll.isPending && revokeAll.variables?.id === member.id}
                              >
                                {t('staff.list.revokeSessions')}
                              </Button>
                            )}
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Panel>
      </Grid.Col>
      <Grid.Col span={{ base: 12, xl: 3 }}>
        <CreateStaffForm />
      </Grid.Col>
    </Grid>
  );
}
