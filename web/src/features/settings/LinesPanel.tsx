import type { LineSettings, SettingsView } from '@common/api/settings.ts';
import { Alert, Badge, Button, Code, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/format.ts';
import { Panel } from '../../ui/Panel.tsx';
import { ConfirmDialog } from '../staff/StaffDialogs.tsx';
import { daysWithSameHours } from './hours-text.ts';
import { LineDialog } from './LineDialog.tsx';
import { useSaveLines } from './queries.ts';
import { SettingsProblem } from './SettingsProblem.tsx';

const noWrap = { whiteSpace: 'nowrap' } as const;

type Dialog = { kind: 'edit'; line: LineSettings } | { kind: 'add' } | { kind: 'remove'; line: LineSettings };

/** The lines: who serves each, the numbers that pick it, its hours and targets, whether it is open now. */
export function LinesPanel({ view, readOnly }: { view: SettingsView; readOnly: boolean }) {
  const { t } = useTranslation();
  const save = useSaveLines();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);

  const saveLines = (lines: LineSettings[], done: string) => {
    setOutcome(null);
    save.mutate(
      { version: view.linesVersion, lines },
      {
        onSuccess: () => {
          setDialog(null);
          setOutcome(done);
        },
      },
    );
  };

  /** A line's week as runs of days with the same hours, one run a row: "Mon–Fri 09:00–18:00". */
  const hoursOf = (line: LineSettings): string[] => {
    if (line.alwaysOpen) return [t('settings.lines.alwaysOpen')];
    return daysWithSameHours(line.hours).map(({ first, last, hours }) => {
      const days =
        first === 1 && last === 7
          ? t('settings.lines.everyDay')
          : first === last
            ? t(`settings.weekdaysShort.${first}`)
            : `${t(`settings.weekdaysShort.${first}`)}–${t(`settings.weekdaysShort.${last}`)}`;
      return `${days} ${hours || t('settings.lines.closed')}`;
    });
  };

  const nowOf = (line: LineSettings) => {
    const now = view.openNow.find((entry) => entry.lineId === line.id);
    if (!now) return null;
    if (now.open) {
      return (
        <Badge color="teal" variant="light">
          {now.closesAt
            ? t('settings.lines.openUntil', { at: formatDateTime(now.closesAt) })
            : t('settings.lines.open')}
        </Badge>
      );
    }
    return (
      <Badge color="gray" variant="light">
        {now.opensAt
          ? t('settings.lines.closedUntil', { at: formatDateTime(now.opensAt) })
          : t('settings.lines.closed')}
      </Badge>
    );
  };

  return (
    <Panel
      title={t('settings.lines.title')}
      aside={
        !readOnly && (
          <Button size="compact-sm" variant="light" onClick={() => setDialog({ kind: 'add' })}>
            {t('settings.lines.add')}
          </Button>
        )
      }
    >
      <Stack gap="xs">
        <Text size="xs" c="dimmed">
          {t('settings.lines.zone', { zone: view.timezone })}
        </Text>
        {save.error && !dialog && <SettingsProblem error={save.error} />}
        {outcome && (
          <Alert color="teal" variant="light" py="xs" role="status">
            {outcome}
          </Alert>
        )}
        <Table.ScrollContainer minWidth={900}>
          <Table striped aria-label={t('settings.lines.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('settings.lines.name')}</Table.Th>
                <Table.Th>{t('settings.lines.role')}</Table.Th>
                <Table.Th>{t('settings.lines.dialled')}</Table.Th>
                <Table.Th>{t('settings.lines.hours')}</Table.Th>
                <Table.Th>{t('settings.lines.target')}</Table.Th>
                <Table.Th>{t('settings.lines.timers')}</Table.Th>
                <Table.Th>{t('settings.lines.now')}</Table.Th>
                {!readOnly && <Table.Th>{t('settings.lines.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {view.lines.map((line) => (
                <Table.Tr key={line.id}>
                  <Table.Td>
                    {line.name}{' '}
                    <Text span size="xs" c="dimmed" ff="monospace">
                      {line.id}
                    </Text>
                    {view.contacts.defaultLine === line.id && (
                      <Badge size="xs" variant="outline" ml={4}>
                        {t('settings.lines.default')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`roles.${line.role}`)}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {line.dialled.length === 0
                        ? '—'
                        : line.dialled.map((dialled) => (
                            <Code key={dialled} style={noWrap}>
                              {dialled}
                            </Code>
                          ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {hoursOf(line).map((run) => (
                      <Text key={run} size="sm" style={noWrap}>
                        {run}
                      </Text>
                    ))}
                    {!line.alwaysOpen && (
                      <Text size="xs" c="dimmed">
                        {t('settings.lines.onHolidays', {
                          hours: line.holidayHours.length
                            ? line.holidayHours.map(({ from, to }) => `${from}–${to}`).join(', ')
                            : t('settings.lines.closed'),
                        })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {t('settings.lines.targetValue', { percent: line.targetPercent, seconds: line.targetSeconds })}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">
                      {t('settings.lines.timersValue', {
                        callback: line.callbackOfferAfterSeconds,
                        offer: line.offerTimeoutSeconds,
                        acw: line.afterContactWorkSeconds,
                        chats: line.chatCapacity,
                      })}
                    </Text>
                  </Table.Td>
                  <Table.Td>{nowOf(line)}</Table.Td>
                  {!readOnly && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button
                          size="compact-xs"
                          variant="default"
                          aria-label={t('settings.lines.editOf', { name: line.name })}
                          onClick={() => {
                            save.reset();
                            setDialog({ kind: 'edit', line });
                          }}
                        >
                          {t('settings.lines.edit')}
                        </Button>
                        {view.contacts.defaultLine !== line.id && (
                          <Button
                            size="compact-xs"
                            variant="light"
                            color="red"
                            aria-label={t('settings.lines.removeOf', { name: line.name })}
                            onClick={() => setDialog({ kind: 'remove', line })}
                          >
                            {t('settings.lines.remove')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
      {(dialog?.kind === 'edit' || dialog?.kind === 'add') && (
        <LineDialog
          line={dialog.kind === 'edit' ? dialog.line : undefined}
          takenIds={view.lines
            .filter((line) => dialog.kind === 'add' || line.id !== dialog.line.id)
            .map((line) => line.id)}
          saving={save.isPending}
          error={save.error}
          onSave={(changed) =>
            saveLines(
              dialog.kind === 'edit'
                ? view.lines.map((line) => (line.id === dialog.line.id ? changed : line))
                : [...view.lines, changed],
              t('settings.lines.saved', { name: changed.name }),
            )
          }
          onClose={() => {
            save.reset();
            setDialog(null);
          }}
        />
      )}
      {dialog?.kind === 'remove' && (
        <ConfirmDialog
          title={t('settings.lines.removeTitle')}
          text={t('settings.lines.removeText', { name: dialog.line.name })}
          confirm={t('settings.lines.remove')}
          danger
          onConfirm={() =>
            saveLines(
              view.lines.filter((line) => line.id !== dialog.line.id),
              t('settings.lines.removed', { name: dialog.line.name }),
            )
          }
          onClose={() => setDialog(null)}
        />
      )}
    </Panel>
  );
}
