import type { AccessLinePanel as Line, NodeAlert, NodeState, OntState, PortState } from '@common/api/access-line.ts';
import { Badge, Box, Button, Group, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, localeOf } from '../../../i18n/index.ts';
import { useLiveEvent } from '../../../live/useLive.ts';
import { FieldList } from '../../../ui/FieldList.tsx';
import { formatDateTime, formatDayTime } from '../../../ui/format.ts';
import { Panel as CardPanel } from '../../../ui/Panel.tsx';
import { ProblemAlert } from '../../../ui/ProblemAlert.tsx';
import { useFallbackPoll } from '../../contacts/fallback-poll.ts';
import { useAccessLinePanel } from '../queries.ts';
import {
  type CpeMatch,
  cpeMatch,
  duplexSuspect,
  errorTrend,
  type LineVerdict,
  type LinkState,
  lineVerdict,
  linkState,
  otherMacs,
  type Reachability,
  reachability,
  rxStanding,
  splitAlerts,
  verdictIsBad,
  wakesPanel,
} from './access-line-view.ts';
import { downCauseHint, downCauseText, formatDbm, formatRate, ifStatusText } from './access-line-words.ts';
import { DataAge } from './DataAge.tsx';
import { PortBounceAction } from './PortBounceAction.tsx';
import { durationText } from './session-words.ts';

/**
 * A poll that finds nothing changed wakes nobody, yet moves each part's age and the error
 * counters; the panel is read again this often so the ages shown are the poller's, not the page's.
 */
const REREAD_MS = 60_000;

const verdictColors: Record<LineVerdict, string> = {
  up: 'teal',
  'port-down': 'red',
  'port-admin-down': 'red',
  'ont-offline': 'red',
  'node-unreachable': 'red',
  alerts: 'orange',
  'rx-out-of-range': 'orange',
  unknown: 'gray',
};

const linkColors: Record<LinkState, string | undefined> = {
  up: 'teal.8',
  down: 'red.8',
  'admin-down': 'red.8',
  other: 'orange.8',
  unknown: undefined,
};

const cpeColors: Record<CpeMatch, string | undefined> = {
  'cpe-seen': 'teal.8',
  'foreign-mac': 'red.8',
  'no-mac': 'orange.8',
  'no-cpe-on-record': undefined,
  'cpe-absent': 'orange.8',
  'not-read': 'dimmed',
};

const reachColors: Record<Reachability, string> = { reachable: 'teal.8', unreachable: 'red.8', 'not-polled': 'dimmed' };

const mono = (value: string) => (
  <Text span ff="monospace" size="sm">
    {value}
  </Text>
);

/**
 * "Is it the port, the ONT or the node?": what the access switch or OLT says of the subscriber's
 * port and ONT, whether each node up to the core answers, and the monitoring systems' alerts on
 * them, each part with its own age. Read again within a second of a change on one of its nodes
 * (the live channel's 'access-line' wake-up).
 */
export function AccessLinePanel({ subscriberId, accountId }: { subscriberId: number; accountId: number }) {
  const { t } = useTranslation();
  const line = useAccessLinePanel(subscriberId, accountId, useFallbackPoll() || REREAD_MS);
  // A storm of wake-ups (a node's ports flapping) reads the panel once more after the read under
  // way, rather than cancelling it each time and never showing anything.
  const readAgain = useRef(false);
  useLiveEvent('access-line', (event) => {
    if (!(event.reset || wakesPanel(line.data, event.data))) return;
    if (line.isFetching) readAgain.current = true;
    else void line.refetch();
  });
  const { isFetching, refetch } = line;
  useEffect(() => {
    if (isFetching || !readAgain.current) return;
    readAgain.current = false;
    void refetch();
  }, [isFetching, refetch]);
  const panel = line.data;
  const verdict = panel ? lineVerdict(panel) : null;

  return (
    <CardPanel
      title={t('subscribers.card.panels.accessLine')}
      aside={
        verdict && (
          <Badge color={verdictColors[verdict]} variant={verdictIsBad(verdict) ? 'filled' : 'light'}>
            {t(`subscribers.card.accessLine.verdict.${verdict}`)}
          </Badge>
        )
      }
    >
      {line.isPending ? (
        <Text size="sm" c="dimmed">
          {t('app.loading')}
        </Text>
      ) : line.isError ? (
        <ProblemAlert error={line.error} onRetry={() => void line.refetch()} />
      ) : (
        <LineBody subscriberId={subscriberId} accountId={accountId} panel={line.data} receivedAt={line.dataUpdatedAt} />
      )}
    </CardPanel>
  );
}

interface PartProps {
  panel: Line;
  receivedAt: number;
}

function LineBody(props: PartProps & { subscriberId: number; accountId: number }) {
  const { t } = useTranslation();
  const { panel } = props;
  if (!panel.port && !panel.ont && panel.nodes.length === 0) {
    return (
      <Stack gap={4}>
        <Text size="sm">{t('subscribers.card.accessLine.empty')}</Text>
        <Text size="xs" c="dimmed">
          {t('subscribers.card.accessLine.emptyHint')}
        </Text>
      </Stack>
    );
  }
  return (
    <Stack gap="sm">
      {panel.port && (
        <PortPart {...props} port={panel.port} shared={panel.ont !== null}>
          {/* Bouncing a PON port would drop every ONT behind it, not this subscriber's alone. */}
          {panel.canBouncePort && panel.ont === null && (
            <PortBounceAction subscriberId={props.subscriberId} accountId={props.accountId} port={panel.port} />
          )}
        </PortPart>
      )}
      {panel.ont && <OntPart {...props} ont={panel.ont} />}
      {panel.nodes.length > 0 && <NodesPart {...props} />}
    </Stack>
  );
}

/** A part's heading with its own age: the port may have been polled a minute ago, the node a second ago. */
function PartHeading(props: PartProps & { title: string; checkedAt: string | null; where?: string }) {
  return (
    <Box mb={2}>
      <Group justify="space-between" gap="xs" wrap="nowrap" align="baseline">
        <Title order={3} size="h6" style={{ whiteSpace: 'nowrap' }}>
          {props.title}
        </Title>
        <PartAge {...props} at={props.checkedAt} />
      </Group>
      {props.where && (
        <Text size="xs" c="dimmed" ff="monospace">
          {props.where}
        </Text>
      )}
    </Box>
  );
}

function PartAge({ panel, receivedAt, at }: PartProps & { at: string | null }) {
  const { t } = useTranslation();
  if (at === null) {
    return (
      <Text span size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {t('subscribers.card.accessLine.notChecked')}
      </Text>
    );
  }
  return (
    <DataAge
      at={at}
      readAt={panel.readAt}
      receivedAt={receivedAt}
      label={(age) => t('subscribers.card.accessLine.checked', { age })}
    />
  );
}

/** "с 25.11.2026, 10:00 2 ч 15 мин": since when, and how long that is. */
function Since({ since, readAt }: { since: string | null; readAt: string }) {
  const { t } = useTranslation();
  if (since === null) return null;
  return (
    <Text span size="xs" c="dimmed">
      {' '}
      {t('subscribers.card.accessLine.since', { time: formatDateTime(since) })} ·{' '}
      {durationText(t, Date.parse(readAt) - Date.parse(since))}
    </Text>
  );
}

const Hint = ({ children }: { children: ReactNode }) => (
  <Text size="xs" c="dimmed">
    {children}
  </Text>
);

/** The access port, or on GPON the OLT's PON port the ONT hangs on (shared by every ONT behind it). */
function PortPart(props: PartProps & { port: PortState; shared: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  const { port, panel, shared } = props;
  const locale = localeOf[currentLanguage()];
  const link = linkState(port);
  const trend = errorTrend(port);
  const match = cpeMatch(port, shared);
  // Other subscribers' MACs on a PON port are theirs, not a clue to this line.
  const others = shared ? [] : otherMacs(port);
  return (
    <Box>
      <PartHeading
        {...props}
        title={shared ? t('subscribers.card.accessLine.port.ponTitle') : t('subscribers.card.accessLine.port.title')}
        checkedAt={port.checkedAt}
        where={t('subscribers.card.accessLine.port.where', { node: port.node, port: port.port })}
      />
      <FieldList
        fields={[
          {
            label: t('subscribers.card.accessLine.port.link'),
            value: (
              <>
                <Text span size="sm" fw={600} c={linkColors[link]}>
                  {link === 'admin-down' || link === 'up' || link === 'down'
                    ? t(`subscribers.card.accessLine.port.state.${link}`)
                    : ifStatusText(t, port.operStatus)}
                </Text>
                <Since since={port.since} readAt={panel.readAt} />
              </>
            ),
          },
          (port.speedMbps !== null || port.duplex !== null) && {
            label: t('subscribers.card.accessLine.port.speed'),
            value: (
              <>
                {port.speedMbps !== null && t('subscribers.card.accessLine.port.speedValue', { speed: port.speedMbps })}
                {port.speedMbps !== null && port.duplex !== null && ', '}
                {port.duplex !== null &&
                  (duplexSuspect(port) ? (
                    <Text span size="sm" fw={600} c="orange.9">
                      ⚠ {t(`subscribers.card.accessLine.port.duplex.${port.duplex}`)}
                    </Text>
                  ) : (
                    t(`subscribers.card.accessLine.port.duplex.${port.duplex}`)
                  ))}
                {duplexSuspect(port) && <Hint>{t('subscribers.card.accessLine.port.halfDuplexHint')}</Hint>}
              </>
            ),
          },
          (port.inErrors !== null || port.outErrors !== null) && {
            label: t('subscribers.card.accessLine.port.errors'),
            value: (
              <>
                {t('subscribers.card.accessLine.port.errorsValue', {
                  in: port.inErrors ?? '—',
                  out: port.outErrors ?? '—',
                })}{' '}
                {trend === 'rising' ? (
                  <>
                    <Warning>
                      {t('subscribers.card.accessLine.port.trend.rising', {
                        perHour: formatRate(port.errorsPerHour ?? 0, locale),
                      })}
                    </Warning>
                    <Hint>{t('subscribers.card.accessLine.port.risingHint')}</Hint>
                  </>
                ) : (
                  <Text span size="xs" c="dimmed">
                    {t(`subscribers.card.accessLine.port.trend.${trend}`)}
                  </Text>
                )}
              </>
            ),
          },
          {
            label: t('subscribers.card.accessLine.port.mac'),
            value: (
              <>
                <Text span size="sm" fw={match === 'cpe-seen' ? undefined : 600} c={cpeColors[match]}>
                  {t(`subscribers.card.accessLine.port.cpe.${match}`)}
                </Text>{' '}
                {port.macsCheckedAt && port.macsCheckedAt !== port.checkedAt && (
                  <PartAge {...props} at={port.macsCheckedAt} />
                )}
                {port.cpeMacOnRecord && (
                  <Hint>
                    {t('subscribers.card.accessLine.port.cpeOnRecord')} {mono(port.cpeMacOnRecord)}
                  </Hint>
                )}
                {others.length > 0 && (
                  <Hint>
                    {t('subscribers.card.accessLine.port.macsSeen')} {mono(others.join(', '))}
                  </Hint>
                )}
                {match === 'foreign-mac' && <Hint>{t('subscribers.card.accessLine.port.foreignHint')}</Hint>}
                {match === 'no-mac' && link === 'up' && <Hint>{t('subscribers.card.accessLine.port.noMacHint')}</Hint>}
              </>
            ),
          },
        ]}
      />
      {props.children}
    </Box>
  );
}

/** A warning in words, marked ⚠ as well as by colour. */
const Warning = ({ children }: { children: ReactNode }) => (
  <Text size="xs" c="orange.9" fw={600}>
    ⚠ {children}
  </Text>
);

function OntPart(props: PartProps & { ont: OntState }) {
  const { t } = useTranslation();
  const { ont, panel } = props;
  const locale = localeOf[currentLanguage()];
  const standing = rxStanding(ont);
  const cause = ont.lastDownCause;
  const hint = cause && ont.state === 'offline' ? downCauseHint(t, cause) : null;
  const healthy = t('subscribers.card.accessLine.ont.window', {
    min: formatDbm(ont.rxMinDbm, locale, 0),
    max: formatDbm(ont.rxMaxDbm, locale, 0),
  });
  return (
    <Box>
      <PartHeading
        {...props}
        title={t('subscribers.card.accessLine.ont.title')}
        checkedAt={ont.checkedAt}
        where={t('subscribers.card.accessLine.ont.where', { node: ont.node, pon: ont.ponPort, id: ont.ontId })}
      />
      <FieldList
        fields={[
          {
            label: t('subscribers.card.accessLine.ont.state'),
            value: (
              <>
                <Text
                  span
                  size="sm"
                  fw={600}
                  c={ont.state === 'online' ? 'teal.8' : ont.state === 'offline' ? 'red.8' : undefined}
                >
                  {t(`subscribers.card.accessLine.ont.states.${ont.state}`)}
                </Text>
                <Since since={ont.since} readAt={panel.readAt} />
              </>
            ),
          },
          cause !== null && {
            label: t('subscribers.card.accessLine.ont.lastCause'),
            value: (
              <>
                {downCauseText(t, cause)}
                {hint && <Hint>{hint}</Hint>}
              </>
            ),
          },
          {
            label: t('subscribers.card.accessLine.ont.rx'),
            value:
              ont.rxPowerDbm === null ? (
                t('subscribers.card.accessLine.ont.standing.not-read')
              ) : standing === 'within' ? (
                <>
                  {t('subscribers.card.accessLine.ont.dbm', { value: formatDbm(ont.rxPowerDbm, locale) })}{' '}
                  <Text span size="xs" c="dimmed">
                    {healthy}
                  </Text>
                </>
              ) : (
                <>
                  <Text span size="sm" fw={600} c="red.8">
                    {t('subscribers.card.accessLine.ont.dbm', { value: formatDbm(ont.rxPowerDbm, locale) })}
                  </Text>
                  <Warning>
                    {t(`subscribers.card.accessLine.ont.standing.${standing}`)} ({healthy})
                  </Warning>
                </>
              ),
          },
          ont.txPowerDbm !== null && {
            label: t('subscribers.card.accessLine.ont.tx'),
            value: t('subscribers.card.accessLine.ont.dbm', { value: formatDbm(ont.txPowerDbm, locale) }),
          },
        ]}
      />
    </Box>
  );
}

/** The access node, then its uplinks towards the core: which one stopped answering explains who else is down. */
function NodesPart(props: PartProps) {
  const { t } = useTranslation();
  return (
    <Box>
      <Title order={3} size="h6" mb={2}>
        {t('subscribers.card.accessLine.nodes.title')}
      </Title>
      <Stack
        component="ol"
        gap={6}
        m={0}
        p={0}
        style={{ listStyle: 'none' }}
        aria-label={t('subscribers.card.accessLine.nodes.list')}
      >
        {props.panel.nodes.map((node) => (
          <NodeRow key={node.node} {...props} node={node} />
        ))}
      </Stack>
    </Box>
  );
}

function NodeRow(props: PartProps & { node: NodeState }) {
  const { t } = useTranslation();
  const { node, panel } = props;
  const reach = reachability(node);
  const { firing, resolved } = splitAlerts(node.alerts);
  const [showResolved, setShowResolved] = useState(false);
  return (
    <Box component="li">
      <Text size="sm">
        {mono(node.node)}{' '}
        <Text span size="xs" c="dimmed">
          {t(`subscribers.card.accessLine.nodes.kinds.${node.kind}`)} · {node.managementIp}
        </Text>
      </Text>
      <Group justify="space-between" gap="xs" wrap="nowrap" align="baseline">
        <Text size="xs">
          <Text span size="xs" fw={600} c={reachColors[reach]}>
            {t(`subscribers.card.accessLine.nodes.reachability.${reach}`)}
          </Text>
          {reach === 'not-polled' ? (
            <Text span size="xs" c="dimmed">
              {' '}
              {t('subscribers.card.accessLine.nodes.notPolledHint')}
            </Text>
          ) : (
            <Since since={node.since} readAt={panel.readAt} />
          )}
        </Text>
        {reach !== 'not-polled' && <PartAge {...props} at={node.checkedAt} />}
      </Group>
      {firing.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('subscribers.card.accessLine.nodes.noAlerts')}
        </Text>
      ) : (
        <AlertList node={node.node} alerts={firing} />
      )}
      {resolved.length > 0 && (
        <>
          <Button
            size="compact-xs"
            variant="subtle"
            color="gray"
            aria-expanded={showResolved}
            onClick={() => setShowResolved(!showResolved)}
          >
            {showResolved ? '▾' : '▸'} {t('subscribers.card.accessLine.nodes.resolved', { count: resolved.length })}
          </Button>
          {showResolved && <AlertList node={node.node} alerts={resolved} />}
        </>
      )}
    </Box>
  );
}

function AlertList({ node, alerts }: { node: string; alerts: NodeAlert[] }) {
  const { t } = useTranslation();
  return (
    <Box
      component="ul"
      m={0}
      p={0}
      style={{ listStyle: 'none' }}
      aria-label={t('subscribers.card.accessLine.nodes.alerts', { node })}
    >
      {alerts.map((alert) => (
        <Text component="li" size="xs" key={`${alert.source}/${alert.name}/${alert.startedAt}`}>
          <Badge
            size="xs"
            radius="sm"
            color={alert.status === 'firing' ? 'red' : 'gray'}
            variant={alert.status === 'firing' ? 'filled' : 'light'}
            mr={4}
          >
            {t(`subscribers.card.accessLine.nodes.alert.${alert.status}`)}
          </Badge>
          <Text span size="xs" fw={600}>
            {alert.name}
          </Text>
          {' · '}
          {[
            alert.severity && t('subscribers.card.accessLine.nodes.alert.severity', { severity: alert.severity }),
            t(`subscribers.card.accessLine.nodes.alert.sources.${alert.source}`),
            t('subscribers.card.accessLine.nodes.alert.since', { time: formatDayTime(alert.startedAt) }),
            alert.status === 'resolved' &&
              alert.endedAt &&
              t('subscribers.card.accessLine.nodes.alert.ended', { time: formatDayTime(alert.endedAt) }),
            alert.acknowledged && t('subscribers.card.accessLine.nodes.alert.acknowledged'),
          ]
            .filter(Boolean)
            .join(' · ')}
          {alert.summary && (
            <Text size="xs" c="dimmed">
              {alert.summary}
            </Text>
          )}
        </Text>
      ))}
    </Box>
  );
}
