import type { SettingsView } from '@common/api/settings.ts';
import { Alert, Badge, Button, FileButton, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../../ui/format.ts';
import { Panel } from '../../ui/Panel.tsx';
import { useLoadCalendar } from './queries.ts';
import { SettingsProblem } from './SettingsProblem.tsx';

const kindColour = { holiday: 'red', shortened: 'yellow', working: 'blue' } as const;
const maxFileBytes = 100_000;

/** The production calendar: each loaded year's marked days, and a file to load another year from. */
export function CalendarPanel({ view, readOnly }: { view: SettingsView; readOnly: boolean }) {
  const { t } = useTranslation();
  const load = useLoadCalendar();
  const years = view.calendar.map((year) => String(year.year));
  const [shown, setShown] = useState<string | undefined>(years.at(-1));
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!shown || !years.includes(shown)) setShown(years.at(-1));
  }, [shown, years]);
  const year = view.calendar.find((entry) => String(entry.year) === shown);

  const upload = async (file: File | null) => {
    if (!file) return;
    setNotice(null);
    load.reset();
    if (file.size > maxFileBytes) return setNotice(t('settings.calendar.tooBig'));
    const content = await file.text();
    load.mutate(
      { version: view.calendarVersion, content, fileName: file.name.slice(0, 200) },
      {
        onSuccess: (next) => {
          const loaded = next.calendar.find((entry) => entry.source === file.name.slice(0, 200));
          if (loaded) setShown(String(loaded.year));
          setNotice(t('settings.calendar.loaded', { year: loaded?.year ?? '' }));
        },
      },
    );
  };

  return (
    <Panel
      title={t('settings.calendar.title')}
      aside={
        !readOnly && (
          <FileButton
            onChange={(file) => void upload(file)}
            accept=".xml,.csv,.json,text/xml,text/csv,application/json"
          >
            {(props) => (
              <Button size="compact-sm" variant="light" loading={load.isPending} {...props}>
                {t('settings.calendar.upload')}
              </Button>
            )}
          </FileButton>
        )
      }
    >
      <Stack gap="xs">
        <Text size="xs" c="dimmed">
          {t('settings.calendar.hint')}
        </Text>
        {load.error && <SettingsProblem error={load.error} />}
        {notice && (
          <Alert color={load.isSuccess ? 'teal' : 'yellow'} variant="light" py="xs" role="status">
            {notice}
          </Alert>
        )}
        {years.length === 0 ? (
          <Text size="sm">{t('settings.calendar.none')}</Text>
        ) : (
          <>
            <Group gap="sm">
              <SegmentedControl
                size="xs"
                data={years}
                value={shown ?? ''}
                onChange={setShown}
                aria-label={t('settings.calendar.year')}
              />
              {year && (
                <Text size="xs" c="dimmed">
                  {t('settings.calendar.source', {
                    source: year.source,
                    at: formatDateTime(year.loadedAt),
                    by: year.loadedBy ?? t('settings.calendar.system'),
                  })}
                </Text>
              )}
            </Group>
            {year && (
              <Table.ScrollContainer minWidth={520}>
                <Table striped aria-label={t('settings.calendar.daysOf', { year: year.year })}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('settings.calendar.date')}</Table.Th>
                      <Table.Th>{t('settings.calendar.kind')}</Table.Th>
                      <Table.Th>{t('settings.calendar.what')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {year.days.map((day) => (
                      <Table.Tr key={day.date}>
                        <Table.Td>
                          {formatDate(day.date, 'long')}, {t(`settings.weekdaysShort.${weekdayOf(day.date)}`)}
                        </Table.Td>
                        <Table.Td>
                          <Badge color={kindColour[day.kind]} variant="light">
                            {t(`settings.calendar.kinds.${day.kind}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          {day.title ??
                            (day.movedFrom
                              ? t('settings.calendar.movedFrom', { date: formatDate(day.movedFrom, 'long') })
                              : '')}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </>
        )}
      </Stack>
    </Panel>
  );
}

const weekdayOf = (date: string) => (new Date(`${date}T00:00:00Z`).getUTCDay() || 7) as 1 | 2 | 3 | 4 | 5 | 6 | 7;
