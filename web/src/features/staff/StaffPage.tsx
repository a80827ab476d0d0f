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
import { useResetPassword, useRevokeAllSessions, useStaff, useUpdateStaff } from './queries.ts';
import { roleOptions } from './roles.ts';
import { ConfirmDialog, PasswordDialog, RenameDialog } from './StaffDialogs.tsx';

type Dialog =
  | { kind: 'promote'; member: StaffMember }
  | { kind: 'deactivate'; member: StaffMember }
  | { kind: 'rename'; member: StaffMember }
  | { kind: 'password'; member: StaffMember };

export function StaffPage() {
  const { t } = useTranslation();
  const me = useSignedIn();
  const staff = useStaff();
  const update = useUpdateStaff();
  const revokeAll = useRevokeAllSessions();
  const resetPassword = useResetPassword();
  const [outcome, setOutcome] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const failure = update.error ?? revokeAll.error ?? resetPassword.error;
  const busy = update.isPending || resetPassword.isPending;

  const startAction = () => {
    setOutcome(null);
    setDialog(null);
    update.reset();
    revokeAll.reset();
    resetPassword.reset();
  };

  const setRole = (member: StaffMember, role: Role) => {
    startAction();
    update.mutate(
      { id: member.id, change: { role } },
      {
        onSuccess: (changed) =>
          setOutcome(t('staff.list.roleChanged', { login: changed.login, role: t(`roles.${changed.role}`) })),
      },
    );
  };
  // Making someone an administrator gives them everything: said back and confirmed first.
  const changeRole = (member: StaffMember, role: Role) =>
    role === 'admin' ? setDialog({ kind: 'promote', member }) : setRole(member, role);

  const setActive = (member: StaffMember, isActive: boolean) => {
    startAction();
    update.mutate(
      { id: member.id, change: { isActive } },
      {
        onSuccess: (changed) =>
          setOutcome(t(changed.isActive ? 'staff.list.activated' : 'staff.list.deactivated', { login: changed.login })),
      },
    );
  };
  const toggleActive = (member: StaffMember) =>
    member.isActive ? setDialog({ kind: 'deactivate', member }) : setActive(member, true);

  const rename = (member: StaffMember, fullName: string) => {
    startAction();
    update.mutate(
      { id: member.id, change: { fullName } },
      { onSuccess: (changed) => setOutcome(t('staff.rename.done', { login: changed.login, name: changed.fullName })) },
    );
  };
  const setPassword = (member: StaffMember, password: string) => {
    startAction();
    resetPassword.mutate(
      { member, password },
      {
        onSuccess: ({ endedSessions }) =>
          setOutcome(t('staff.password.done', { login: member.login, count: endedSessions })),
      },
    );
  };
  const endSessions = (member: StaffMember) => {
    startAction();
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
                            disabled={isMe || busy}
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
                          {/* Wrapped, so all three actions stay in sight beside the new-member form. */}
                          <Group gap={4}>
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
                                disabled={busy}
                              >
                                {member.isActive ? t('staff.list.deactivate') : t('staff.list.activate')}
                              </Button>
                            )}
                            <Button
                              size="compact-xs"
                              variant="default"
                              aria-label={t('staff.rename.of', { login: member.login })}
                              onClick={() => setDialog({ kind: 'rename', member })}
                              disabled={busy}
                            >
                              {t('staff.rename.action')}
                            </Button>
                            {!isMe && (
                              <Button
                                size="compact-xs"
                                variant="default"
                                aria-label={t('staff.password.of', { login: member.login })}
                                onClick={() => setDialog({ kind: 'password', member })}
                                disabled={busy}
                              >
                                {t('staff.password.action')}
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
      {dialog?.kind === 'promote' && (
        <ConfirmDialog
          title={t('staff.promote.title')}
          text={t('staff.promote.text', { login: dialog.member.login, name: dialog.member.fullName })}
          confirm={t('staff.promote.confirm')}
          danger
          onConfirm={() => setRole(dialog.member, 'admin')}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'deactivate' && (
        <ConfirmDialog
          title={t('staff.deactivate.title')}
          text={t('staff.deactivate.text', { login: dialog.member.login, name: dialog.member.fullName })}
          confirm={t('staff.deactivate.confirm')}
          danger
          onConfirm={() => setActive(dialog.member, false)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'rename' && (
        <RenameDialog
          member={dialog.member}
          onRename={(fullName) => rename(dialog.member, fullName)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'password' && (
        <PasswordDialog
          member={dialog.member}
          onReset={(password) => setPassword(dialog.member, password)}
          onClose={() => setDialog(null)}
        />
      )}
    </Grid>
  );
}
