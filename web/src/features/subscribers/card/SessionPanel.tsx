import type { NasSession, NetworkApplication, SessionPanel as Panel } from '@common/api/nas-sessions.ts';
import { Alert, Badge, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { maySendToNas } from '../../../app/navigation.ts';
import { useSignedIn } from '../../../app/session.tsx';
import { currentLanguage, localeOf } from '../../../i18n/index.ts';
import { useLiveEvent } from '../../../live/useLive.ts';
import { FieldList } from '../../../ui/FieldList.tsx';
import { formatDateTime } from '../../../ui/format.ts';
import { Panel as CardPanel } from '../../../ui/Panel.tsx';
import { ProblemAlert } from '../../../ui/ProblemAlert.tsx';
import { useFallbackPoll } from '../../contacts/fallback-poll.ts';
import { useAccessLineChanges, useSessionPanel } from '../queries.ts';
import { DataAge } from './DataAge.tsx';
import { SessionActions } from './SessionActions.tsx';
import { SessionTimeline } from './SessionTimeline.tsx';
import { endReason, formatBytes, type LineState, lastEnded, lineState, notApplied } from './session-view.ts';
import { causeHint, causeName, durationText, errorCauseText, reasonText } from './session-words.ts';

const stateColors: Record<LineState, string> = { online: 'teal', stale: 'yellow', offline: 'gray', unknown: 'gray' };

const mono = (value: string) => (
  <Text span ff="monospace" size="sm">
    {value}
  </Text>
);

/** An identifier in monospace with what it is, dimmed: "2001:db8::/56 делегирован". */
const Labelled = ({ value, label }: { value: string; label: string }) => (
  <span>
    {mono(value)}{' '}
    <Text span size="xs" c="dimmed">
      {label}
    </Text>
  </span>
);

/**
 * An Interim that only moves the byte counters wakes nobody (every browser hears every 'session'
 * wake-up, and Interims are most of the NAS's records), so the traffic is read again this often.
 */
const TRAFFIC_REREAD_MS = 60_000;

/**
 * "I can see your equipment is on the line": the subscriber's NAS session from RADIUS
 * accounting, read again within a second of every change the NAS reports (the live channel's
 * 'session' wake-up), with its own age so a frozen screen is not mistaken for a live one.
 */
export function SessionPanel({ subscriberId, accountId }: { subscriberId: number; accountId: number }) {
  const { t } = useTranslation();
  const session = useSessionPanel(subscriberId, accountId, useFallbackPoll() || TRAFFIC_REREAD_MS);
  useLiveEvent('session', (event) => {
    if (event.reset || event.data.subscriberId === subscriberId) void session.refetch();
  });
  const panel = session.data;
  const state = panel ? lineState(panel) : null;

  return (
    <CardPanel
      title={t('subscribers.card.panels.session')}
      aside={
        panel &&
        state && (
          <Group gap={6} wrap="nowrap">
            <DataAge
              at={panel.readAt}
              readAt={panel.readAt}
              receivedAt={session.dataUpdatedAt}
              label={(age) => t('subscribers.card.session.age.label', { age })}
            />
            <Badge color={stateColors[state]} variant={state === 'online' ? 'filled' : 'light'}>
              {t(`subscribers.card.session.state.${state}`)}
            </Badge>
          </Group>
        )
      }
    >
      {session.isPending ? (
        <Text size="sm" c="dimmed">
          {t('app.loading')}
        </Text>
      ) : session.isError ? (
        <ProblemAlert error={session.error} onRetry={() => void session.refetch()} />
      ) : (
        <SessionBody subscriberId={subscriberId} accountId={accountId} panel={session.data} />
      )}
    </CardPanel>
  );
}

function SessionBody({ subscriberId, accountId, panel }: { subscriberId: number; accountId: number; panel: Panel }) {
  const { t } = useTranslation();
  const me = useSignedIn();
  const state = lineState(panel);
  const notice = notApplied(panel.application);
  // The access line's changes go on the same timeline (the port went down, then the session ended).
  const lineChanges = useAccessLineChanges(subscriberId, accountId);
  if (state === 'unknown') {
    return (
      <Stack gap={4}>
        {notice && <ApplicationNotice application={notice} />}
        <Text size="sm">{t('subscribers.card.session.empty')}</Text>
        <Text size="xs" c="dimmed">
          {t('subscribers.card.session.emptyHint')}
        </Text>
        {lineChanges.length > 0 && <SessionTimeline panel={panel} lineChanges={lineChanges} />}
      </Stack>
    );
  }
  const ended = lastEnded(panel);
  // Offline: what the last session was (address, NAS, traffic) still helps the diagnosis.
  const shown = panel.current ?? ended;
  return (
    <Stack gap="xs">
      {notice && <ApplicationNotice application={notice} />}
      {state === 'stale' && panel.current && (
        <Text size="xs" c="yellow.9">
          {t('subscribers.card.session.staleHint', { time: formatDateTime(panel.current.lastEventAt) })}
        </Text>
      )}
      {shown && <SessionFields panel={panel} session={shown} ended={ended} />}
      {maySendToNas(me.role) && (
        <SessionActions subscriberId={subscriberId} accountId={accountId} current={panel.current} />
      )}
      <SessionTimeline panel={panel} lineChanges={lineChanges} />
    </Stack>
  );
}

function SessionFields({ panel, session, ended }: { panel: Panel; session: NasSession; ended: NasSession | null }) {
  const { t } = useTranslation();
  const locale = localeOf[currentLanguage()];
  const online = session.state !== 'closed';
  const since = online ? session.startedAt : (session.endedAt ?? session.lastEventAt);
  return (
    <FieldList
      fields={[
        {
          label: online ? t('subscribers.card.session.onlineSince') : t('subscribers.card.session.offlineSince'),
          value: (
            <>
              {formatDateTime(since)}{' '}
              <Text span size="xs" c="dimmed">
                {durationText(t, Date.parse(panel.readAt) - Date.parse(since))}
              </Text>
              {online && !session.startSeen && (
                <Text size="xs" c="dimmed">
                  {t('subscribers.card.session.startNotSeen')}
                </Text>
              )}
            </>
          ),
        },
        session.framedIp !== null && { label: t('subscribers.card.session.ipv4'), value: mono(session.framedIp) },
        (session.framedIpv6Prefix !== null || session.delegatedIpv6Prefix !== null) && {
          label: t('subscribers.card.session.ipv6'),
          value: (
            <Stack gap={0}>
              {session.framedIpv6Prefix !== null && (
                <Labelled value={session.framedIpv6Prefix} label={t('subscribers.card.session.framedPrefix')} />
              )}
              {session.delegatedIpv6Prefix !== null && (
                <Labelled value={session.delegatedIpv6Prefix} label={t('subscribers.card.session.delegatedPrefix')} />
              )}
            </Stack>
          ),
        },
        {
          label: t('subscribers.card.session.nas'),
          value: (
            <Labelled
              value={session.nas}
              label={t('subscribers.card.session.sessionId', { id: session.acctSessionId })}
            />
          ),
        },
        {
          label: t('subscribers.card.session.traffic'),
          value: (
            <Group gap="sm">
              <Tooltip label={t('subscribers.card.session.down')}>
                <Text
                  span
                  size="sm"
                  aria-label={`${t('subscribers.card.session.down')}: ${formatBytes(session.bytesDown, locale)}`}
                >
                  ↓ {formatBytes(session.bytesDown, locale)}
                </Text>
              </Tooltip>
              <Tooltip label={t('subscribers.card.session.up')}>
                <Text
                  span
                  size="sm"
                  aria-label={`${t('subscribers.card.session.up')}: ${formatBytes(session.bytesUp, locale)}`}
                >
                  ↑ {formatBytes(session.bytesUp, locale)}
                </Text>
              </Tooltip>
            </Group>
          ),
        },
        ended !== null && { label: t('subscribers.card.session.lastCause'), value: <LastDrop session={ended} /> },
      ]}
    />
  );
}

/** Why the last session ended, in words, with the NAS's own name for it and when. */
function LastDrop({ session }: { session: NasSession }) {
  const { t } = useTranslation();
  const reason = endReason(session);
  const name = causeName(reason);
  const hint = causeHint(t, reason);
  return (
    <>
      {reasonText(t, reason)}
      {name && reason.kind === 'cause' && (
        <Text span size="xs" c="dimmed">
          {' '}
          ({name})
        </Text>
      )}
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {formatDateTime(session.endedAt ?? session.lastEventAt)}
      </Text>
    </>
  );
}

/** "Not yet applied on the network": an account's change the NAS has not confirmed. */
function ApplicationNotice({ application }: { application: NetworkApplication }) {
  const { t } = useTranslation();
  const what = t(`subscribers.card.session.application.what.${application.reason}`);
  const time = formatDateTime(application.requestedAt);
  const answer = application.lastAnswer;
  const cause = answer ? errorCauseText(t, answer.errorCause, answer.errorCauseWords) : null;
  return (
    <Alert
      color={application.state === 'refused' ? 'red' : 'orange'}
      variant="light"
      py={6}
      px="xs"
      role="status"
      title={t('subscribers.card.session.application.title')}
    >
      <Text size="xs">
        {application.state === 'refused'
          ? t('subscribers.card.session.application.refused', { what, time })
          : t('subscribers.card.session.application.waiting', { what, time })}{' '}
        {answer?.answer === 'nak' && cause && t('subscribers.card.session.application.nak', { cause })}
        {answer?.answer === 'no-answer' && t('subscribers.card.session.application.noAnswer')}
      </Text>
    </Alert>
  );
}
