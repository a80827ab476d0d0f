import type { NasSession, SessionPanel } from '@common/api/nas-sessions.ts';
import { ActionIcon, Box, Button, Group, Table, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { Fragment, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDayTime } from '../../../ui/format.ts';
import { causeOf, stripSegments, TIMELINE_DAYS } from './session-view.ts';
import { durationText, endReasonText, reasonText } from './session-words.ts';

/** Rows shown before "all sessions": the last few drops are what a diagnosis asks about. */
const FIRST_ROWS = 5;

const segmentColor: Record<NasSession['state'], string> = {
  open: 'var(--mantine-color-teal-6)',
  stale: 'var(--mantine-color-yellow-5)',
  closed: 'var(--mantine-color-teal-3)',
};

/**
 * The last 30 days: a strip where the gaps are the time offline, then the sessions newest first,
 * each with the changes the NAS reported (only changes of state are kept).
 */
export function SessionTimeline({ panel }: { panel: SessionPanel }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const [opened, setOpened] = useState<string | null>(null);
  const sessions = all ? panel.timeline : panel.timeline.slice(0, FIRST_ROWS);
  const keyOf = (session: NasSession) => `${session.nas}/${session.acctSessionId}/${session.startedAt}`;

  return (
    <Box>
      <Text size="xs" fw={600} c="dimmed" mb={4}>
        {t('subscribers.card.session.timeline.title')}
      </Text>
      <SessionStrip panel={panel} />
      {panel.timeline.length === 0 ? (
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
            {sessions.map((session) => {
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
      {panel.timeline.length > FIRST_ROWS && (
        <Button size="compact-xs" variant="subtle" mt={4} onClick={() => setAll(!all)}>
          {all
            ? t('subscribers.card.session.timeline.showFewer')
            : t('subscribers.card.session.timeline.showAll', { count: panel.timeline.length })}
        </Button>
      )}
    </Box>
  );
}

const Nowrap = ({ children }: { children: ReactNode }) => <span style={{ whiteSpace: 'nowrap' }}>{children}</span>;

/** Online stretches on a 30-day line; the hover names each session. The table below says the same for screen readers. */
function SessionStrip({ panel }: { panel: SessionPanel }) {
  const { t } = useTranslation();
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
