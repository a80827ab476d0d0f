import type { AccessLineChange } from '@common/api/access-line.ts';
import type { NasSession, SessionPanel } from '@common/api/nas-sessions.ts';
import { ActionIcon, Box, Button, Group, Table, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { Fragment, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, localeOf } from '../../../i18n/index.ts';
import { formatDayTime } from '../../../ui/format.ts';
import { type ChangeKind, type ChangeTone, changeKind, changeTone, mergeTimeline } from './access-line-view.ts';
import { lineChangeText } from './access-line-words.ts';
import { causeOf, stripPosition, stripSegments, TIMELINE_DAYS } from './session-view.ts';
import { durationText, endReasonText, reasonText } from './session-words.ts';

/** Rows shown before "show all": the last few drops, and what the line did around them, are what a diagnosis asks about. */
const FIRST_ROWS = 8;

const segmentColor: Record<NasSession['state'], string> = {
  open: 'var(--mantine-color-teal-6)',
  stale: 'var(--mantine-color-yellow-5)',
  closed: 'var(--mantine-color-teal-3)',
};

/** Each part of the line its mark, so a port's changes are told from the ONT's or an alert at a glance. */
const kindMarks: Record<ChangeKind, string> = { port: '⇆', ont: '◉', node: '▣', alert: '⚠', other: '•' };
const toneColors: Record<ChangeTone, string | undefined> = { bad: 'red.8', good: 'teal.8', neutral: undefined };

/**
 * The last 30 days: a strip where the gaps are the time offline, then the sessions newest first,
 * each with the changes the NAS reported, and between them the changes on the access line (port,
 * ONT, node, alerts) in time order: "the port went down at 10:00" sits beside the session that
 * ended then. Only changes of state are kept.
 */
export function SessionTimeline({
  panel,
  lineChanges = [],
}: {
  panel: SessionPanel;
  lineChanges?: readonly AccessLineChange[];
}) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const [opened, setOpened] = useState<string | null>(null);
  const merged = mergeTimeline(panel.timeline, lineChanges);
  const rows = all ? merged : merged.slice(0, FIRST_ROWS);
  const keyOf = (session: NasSession) => `${session.nas}/${session.acctSessionId}/${session.startedAt}`;

  return (
    <Box>
      <Text size="xs" fw={600} c="dimmed" mb={4}>
        {t('subscribers.card.session.timeline.title')}
      </Text>
      <SessionStrip panel={panel} lineChanges={lineChanges} />
      {merged.length === 0 ? (
        <Text size="xs" c="dimmed" mt={4}>
          {t('subscribers.card.session.timeline.none')}
        </Text>
      ) : (
        // Fixed layout: the panel is a third of the card, and the outcome column wraps rather than widens it.
        <Table
          aria-label={t('subscribers.card.session.timeline.table')}
          fz="xs"
          verticalSpacing={2}
          horizontalSpacing={6}
          mt={6}
          layout="fixed"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={26} />
              <Table.Th w="36%">{t('subscribers.card.session.timeline.when')}</Table.Th>
              <Table.Th w="22%">{t('subscribers.card.session.timeline.duration')}</Table.Th>
              <Table.Th>{t('subscribers.card.session.timeline.end')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => {
              if (row.kind === 'line') return <LineChangeRow key={lineKey(row.change)} change={row.change} />;
              const { session } = row;
              const key = keyOf(session);
              const open = opened === key;
              return (
                <Fragment key={key}>
                  <Table.Tr>
                    <Table.Td px={0}>
                      <ActionIcon
                        size="xs"
                        variant="subtle"
                        color="gray"
                        aria-expanded={open}
                        aria-label={t('subscribers.card.session.timeline.showChanges', { id: session.acctSessionId })}
                        onClick={() => setOpened(open ? null : key)}
                      >
                        {open ? '▾' : '▸'}
                      </ActionIcon>
                    </Table.Td>
                    <Table.Td>
                      <Nowrap>{formatDayTime(session.startedAt)} –</Nowrap>{' '}
                      {session.endedAt === null ? (
                        <Text span size="xs" c={session.state === 'open' ? 'teal.8' : 'yellow.9'} fw={600}>
                          {t(`subscribers.card.session.timeline.${session.state === 'open' ? 'online' : 'stale'}`)}
                        </Text>
                      ) : (
                        <Nowrap>{formatDayTime(session.endedAt)}</Nowrap>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {durationText(t, Date.parse(session.endedAt ?? panel.readAt) - Date.parse(session.startedAt))}
                    </Table.Td>
                    <Table.Td>{session.state === 'closed' ? endReasonText(t, session) : '—'}</Table.Td>
                  </Table.Tr>
                  {open && (
                    <Table.Tr>
                      <Table.Td />
                      <Table.Td colSpan={3}>
                        <SessionChanges session={session} />
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {merged.length > FIRST_ROWS && (
        <Button size="compact-xs" variant="subtle" mt={4} onClick={() => setAll(!all)}>
          {all
            ? t('subscribers.card.session.timeline.showFewer')
            : t('subscribers.card.session.timeline.showAll', { count: merged.length })}
        </Button>
      )}
    </Box>
  );
}

const Nowrap = ({ children }: { children: ReactNode }) => <span style={{ whiteSpace: 'nowrap' }}>{children}</span>;

const lineKey = (change: AccessLineChange) =>
  `${change.at}/${change.node}/${change.change}/${JSON.stringify(change.details)}`;

/** A change on the access line between the sessions: its part's mark, when, and what in words (coloured as well). */
function LineChangeRow({ change }: { change: AccessLineChange }) {
  const { t } = useTranslation();
  const kind = changeKind(change);
  const tone = changeTone(change);
  return (
    <Table.Tr>
      <Table.Td px={0} ta="center">
        <Text span size="xs" c={toneColors[tone] ?? 'dimmed'} aria-hidden>
          {kindMarks[kind]}
        </Text>
      </Table.Td>
      <Table.Td>
        <Nowrap>{formatDayTime(change.at)}</Nowrap>
      </Table.Td>
      <Table.Td colSpan={2}>
        <Text span size="xs" c="dimmed">
          {t(`subscribers.card.accessLine.kinds.${kind}`)} {change.node}:
        </Text>{' '}
        <Text span size="xs" c={toneColors[tone]} fw={tone === 'bad' ? 600 : undefined}>
          {lineChangeText(t, change, localeOf[currentLanguage()])}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * Online stretches on a 30-day line, and under it a tick where the line went down (port, ONT,
 * node); the hover names each. The table below says the same for screen readers.
 */
function SessionStrip({ panel, lineChanges }: { panel: SessionPanel; lineChanges: readonly AccessLineChange[] }) {
  const { t } = useTranslation();
  const downs = lineChanges.filter((change) => changeTone(change) === 'bad' && changeKind(change) !== 'alert');
  return (
    <Box>
      <Box
        role="img"
        aria-label={t('subscribers.card.session.timeline.strip', { count: panel.timeline.length })}
        pos="relative"
        h={10}
        style={{ borderRadius: 3, overflow: 'hidden', background: 'var(--mantine-color-gray-2)' }}
      >
        {/* A mark every week, so "last Tuesday" can be found by eye. */}
        {[1, 2, 3, 4].map((week) => (
          <Box
            key={week}
            pos="absolute"
            top={0}
            bottom={0}
            w={1}
            style={{ left: `${(1 - (week * 7) / TIMELINE_DAYS) * 100}%`, background: 'var(--mantine-color-gray-4)' }}
          />
        ))}
        {stripSegments(panel).map(({ session, from, to }) => (
          <Box
            key={`${session.nas}/${session.acctSessionId}/${session.startedAt}`}
            pos="absolute"
            top={0}
            bottom={0}
            title={`${formatDayTime(session.startedAt)} – ${session.endedAt ? formatDayTime(session.endedAt) : '…'}`}
            style={{ left: `${from * 100}%`, width: `${(to - from) * 100}%`, background: segmentColor[session.state] }}
          />
        ))}
      </Box>
      {downs.length > 0 && (
        <Box pos="relative" h={4} mt={1} aria-hidden>
          {downs.map((change) => (
            <Box
              key={lineKey(change)}
              pos="absolute"
              top={0}
              bottom={0}
              w={2}
              title={`${formatDayTime(change.at)} ${lineChangeText(t, change, localeOf[currentLanguage()])}`}
              style={{ left: `${stripPosition(panel, change.at) * 100}%`, background: 'var(--mantine-color-red-6)' }}
            />
          ))}
        </Box>
      )}
      <Group justify="space-between" mt={2}>
        <Text size="10px" c="dimmed">
          {t('subscribers.card.session.timeline.from')}
        </Text>
        <Text size="10px" c="dimmed">
          {t('subscribers.card.session.timeline.to')}
        </Text>
      </Group>
    </Box>
  );
}

function SessionChanges({ session }: { session: NasSession }) {
  const { t } = useTranslation();
  return (
    <Box component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
      {session.changes.map((change) => (
        <Text component="li" size="xs" key={`${change.at}/${change.change}`}>
          <Text span size="xs" c="dimmed" ff="monospace">
            {formatDayTime(change.at)}
          </Text>{' '}
          {changeText(t, change)}
        </Text>
      ))}
    </Box>
  );
}

const knownChanges = [
  'started',
  'start_not_seen',
  'stopped',
  'replaced',
  'resumed',
  'address',
  'closed_by_nas',
  'stale',
] as const;
type KnownChange = (typeof knownChanges)[number];
const matchedBy = ['pppoe_login', 'mac', 'ip', 'option82'] as const;

type SessionChange = NasSession['changes'][number];

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/** One line of a session's history: what changed, with the detail that matters (the address, the cause). */
function changeText(t: TFunction, change: SessionChange): string {
  if (!(knownChanges as readonly string[]).includes(change.change)) return change.change;
  const kind = change.change as KnownChange;
  const words = [t(`subscribers.card.session.changes.${kind}`)];
  const { details } = change;
  if (kind === 'started' || kind === 'start_not_seen') {
    const how = text(details.matchedBy);
    if (how && (matchedBy as readonly string[]).includes(how)) {
      words.push(t(`subscribers.card.session.changes.matchedBy.${how as (typeof matchedBy)[number]}`));
    }
    const ip = text(details.framedIp);
    if (ip) words.push(ip);
  }
  if (kind === 'address') {
    for (const field of ['framedIp', 'framedIpv6Prefix', 'delegatedIpv6Prefix']) {
      const value = text(details[field]);
      if (value) words.push(value);
    }
  }
  if (kind === 'stopped') {
    const cause = text(details.cause);
    if (cause) words.push(reasonText(t, causeOf(cause)));
  }
  return words.join(' · ');
}
