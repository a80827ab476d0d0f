import type { AuditRow } from '@common/api/audit.ts';
import type { Role } from '@common/api/staff.ts';
import { Anchor, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../ui/format.ts';
import { PageLoader } from '../../ui/PageLoader.tsx';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';
import { actionKey, auditActionFamilies, auditActions, isKnownAction } from './audit-actions.ts';
import { type AuditFilters, emptyAuditFilters, useAuditLog, useAuditStaff } from './queries.ts';

const noWrap = { whiteSpace: 'nowrap' } as const;
const roleNames = new Set<string>(['l1', 'l2', 'l3', 'supervisor', 'tech', 'admin'] satisfies Role[]);

/** The audit log for supervisors and administrators: who did what, to whom, when and from where. */
export function AuditPage() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<AuditFilters>(emptyAuditFilters);
  const [filters, setFilters] = useState<AuditFilters>(emptyAuditFilters);
  const staff = useAuditStaff();
  const log = useAuditLog(filters);
  const rows = log.data?.pages.flat() ?? [];

  const change = <K extends keyof AuditFilters>(field: K, value: AuditFilters[K]) =>
    setDraft((previous) => ({ ...previous, [field]: value }));
  const apply = (next: AuditFilters) => {
    setDraft(next);
    if (JSON.stringify(next) === JSON.stringify(filters)) void log.refetch();
    else setFilters(next);
  };

  const actionWords = (action: string) =>
    isKnownAction(action) ? t(`audit.actions.${actionKey(action)}` as 'audit.actions.staff_created') : action;

  const detailsText = (row: AuditRow): string => {
    const details = (row.details ?? {}) as Record<string, unknown>;
    const word = (value: unknown) =>
      typeof value === 'string' && roleNames.has(value) ? t(`roles.${value as Role}`) : String(value);
    if ('from' in details && 'to' in details) return `${word(details.from)} → ${word(details.to)}`;
    return Object.entries(details)
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
      .join('; ');
  };

  const target = (row: AuditRow) => {
    if (row.targetType === 'subscriber' && row.targetId) {
      return (
        <Anchor component={Link} to={`/subscribers/${row.targetId}`} size="sm">
          {row.targetName ?? t('audit.subscriberNumber', { id: row.targetId })}
        </Anchor>
      );
    }
    if (row.targetType === 'staff') return row.targetName ?? t('audit.staffNumber', { id: row.targetId });
    if (row.targetType === 'session') return t('audit.session');
    return '—';
  };

  return (
    <Stack gap="sm">
      <Title order={1} size="h3">
        {t('audit.title')}
      </Title>
      <search aria-label={t('audit.filters')}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            apply(draft);
          }}
        >
          <Group gap="xs" align="flex-end">
            {staff.data && staff.data.length > 0 && (
              <NativeSelect
                label={t('audit.staff')}
                w={220}
                value={draft.staffId}
                onChange={(event) => change('staffId', event.currentTarget.value)}
                data={[
                  { value: '', label: t('common.all') },
                  ...staff.data.map((member) => ({ value: String(member.id), label: member.fullName })),
                ]}
              />
            )}
            <TextInput
              label={t('audit.subscriberId')}
              w={150}
              inputMode="numeric"
              maxLength={10}
              value={draft.subscriberId}
              onChange={(event) => change('subscriberId', event.currentTarget.value)}
            />
            <NativeSelect
              label={t('audit.action')}
              w={260}
              value={draft.action}
              onChange={(event) => change('action', event.currentTarget.value)}
              data={[
                { value: '', label: t('audit.anyAction') },
                ...auditActionFamilies.map((family) => ({
                  value: family,
                  label: t(`audit.actions.${actionKey(family)}` as 'audit.actions.staff'),
                })),
                ...auditActions.map((action) => ({ value: action, label: actionWords(action) })),
              ]}
            />
            <TextInput
              type="date"
              label={t('audit.from')}
              w={160}
              value={draft.fromDay}
              onChange={(event) => change('fromDay', event.currentTarget.value)}
            />
            <TextInput
              type="date"
              label={t('audit.to')}
              w={160}
              value={draft.toDay}
              onChange={(event) => change('toDay', event.currentTarget.value)}
            />
            <Group gap={6}>
              <Button type="submit">{t('common.search')}</Button>
              <Button variant="default" onClick={() => apply(emptyAuditFilters)}>
                {t('common.reset')}
              </Button>
            </Group>
          </Group>
        </form>
      </search>

      {log.isError && <ProblemAlert error={log.error} onRetry={() => void log.refetch()} />}
      {log.isPending ? (
        <PageLoader />
      ) : rows.length === 0 ? (
        <Text c="dimmed" py="md">
          {t('audit.empty')}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={900}>
            <Table striped aria-label={t('audit.table')} aria-busy={log.isFetching}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('audit.columns.at')}</Table.Th>
                  <Table.Th>{t('audit.columns.staff')}</Table.Th>
                  <Table.Th>{t('audit.columns.action')}</Table.Th>
                  <Table.Th>{t('audit.columns.target')}</Table.Th>
                  <Table.Th>{t('audit.columns.details')}</Table.Th>
                  <Table.Th>{t('audit.columns.ip')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={row.id}>
                    <Table.Td style={noWrap}>{formatDateTime(row.at)}</Table.Td>
                    <Table.Td>
                      {row.staffName ??
                        (row.staffId === null ? t('audit.nobody') : t('audit.staffNumber', { id: row.staffId }))}
                    </Table.Td>
                    <Table.Td>{actionWords(row.action)}</Table.Td>
                    <Table.Td>{target(row)}</Table.Td>
                    <Table.Td maw={360}>
                      <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                        {detailsText(row)}
                      </Text>
                    </Table.Td>
                    <Table.Td ff="monospace" style={noWrap}>
                      {row.ip ?? '—'}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {log.hasNextPage && (
            <Group>
              <Button variant="default" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
                {t('audit.more')}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
