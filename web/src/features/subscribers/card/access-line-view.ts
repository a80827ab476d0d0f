import type {
  AccessLineChange,
  AccessLinePanel,
  NodeAlert,
  NodeState,
  OntState,
  PortState,
} from '@common/api/access-line.ts';
import type { NasSession } from '@common/api/nas-sessions.ts';

/**
 * What the card's access-line panel says, computed apart from the screen so it can be tested:
 * the port's link, whether the CPE is the MAC on the port, the ONT's levels against the window,
 * which node answers, and the line's changes merged with the sessions on one timeline.
 */

/** The port as the agent says it: admin down first (nothing else matters while it is switched off). */
export type LinkState = 'up' | 'down' | 'admin-down' | 'other' | 'unknown';

export function linkState(port: PortState): LinkState {
  if (port.adminStatus === 'down') return 'admin-down';
  if (port.operStatus === null || port.operStatus === 'unknown') return 'unknown';
  if (port.operStatus === 'up') return 'up';
  // lowerLayerDown and notPresent are a link that is not there, as far as the subscriber can tell.
  if (port.operStatus === 'down' || port.operStatus === 'lowerLayerDown' || port.operStatus === 'notPresent') {
    return 'down';
  }
  return 'other';
}

/**
 * The CPE on record against the switch's forwarding table: on the port, someone else's router
 * there instead (a router swapped without telling the ISP, a cable in the wrong port), or nothing.
 * A PON port carries every ONT behind it (`shared`): other subscribers' MACs are expected there, so
 * it only says whether the CPE is among them.
 */
export type CpeMatch = 'not-read' | 'cpe-seen' | 'foreign-mac' | 'no-mac' | 'no-cpe-on-record' | 'cpe-absent';

const macKey = (mac: string) => mac.toLowerCase().replace(/[^0-9a-f]/g, '');

export function cpeMatch(port: PortState, shared = false): CpeMatch {
  if (port.macsCheckedAt === null) return 'not-read';
  if (port.macs.length === 0) return 'no-mac';
  if (port.cpeMacOnRecord === null) return 'no-cpe-on-record';
  // cpeSeen is the server's answer; the comparison again here covers a table read before the CPE was recorded.
  const recorded = macKey(port.cpeMacOnRecord);
  if (port.cpeSeen || port.macs.some((mac) => macKey(mac) === recorded)) return 'cpe-seen';
  return shared ? 'cpe-absent' : 'foreign-mac';
}

/** The MACs on the port other than the CPE on record: what "someone else's MAC" names. */
export const otherMacs = (port: PortState): string[] =>
  port.cpeMacOnRecord === null
    ? port.macs
    : port.macs.filter((mac) => macKey(mac) !== macKey(port.cpeMacOnRecord ?? ''));

/** Half duplex on a modern port is almost always a failed auto-negotiation: a cause of errors and slowness. */
export const duplexSuspect = (port: PortState) => port.duplex === 'half';

export type ErrorTrend = 'rising' | 'steady' | 'not-yet';

export const errorTrend = (port: PortState): ErrorTrend => port.errorTrend ?? 'not-yet';

/** Where an optical level stands against the healthy window (GPON class B+: −27 to −8 dBm). */
export type LevelStanding = 'low' | 'high' | 'within' | 'not-read';

export function levelStanding(dbm: number | null, minDbm: number, maxDbm: number): LevelStanding {
  if (dbm === null || !Number.isFinite(dbm)) return 'not-read';
  if (dbm < minDbm) return 'low';
  if (dbm > maxDbm) return 'high';
  return 'within';
}

export const rxStanding = (ont: OntState): LevelStanding => levelStanding(ont.rxPowerDbm, ont.rxMinDbm, ont.rxMaxDbm);

/** A node's answer to the poller; `not-polled` when it has no SNMP settings (nobody asks it). */
export type Reachability = 'reachable' | 'unreachable' | 'not-polled';

export const reachability = (node: NodeState): Reachability =>
  node.reachable === null ? 'not-polled' : node.reachable ? 'reachable' : 'unreachable';

/** Firing alerts, and those resolved, each newest first (the server sends them so; kept so whatever arrives). */
export function splitAlerts(alerts: readonly NodeAlert[]): { firing: NodeAlert[]; resolved: NodeAlert[] } {
  const newest = (a: NodeAlert, b: NodeAlert) => Date.parse(b.startedAt) - Date.parse(a.startedAt);
  return {
    firing: alerts.filter((alert) => alert.status === 'firing').sort(newest),
    resolved: alerts
      .filter((alert) => alert.status === 'resolved')
      .sort((a, b) => Date.parse(b.endedAt ?? b.updatedAt) - Date.parse(a.endedAt ?? a.updatedAt)),
  };
}

/**
 * The one sentence the panel's header gives, worst first: a node that does not answer explains
 * every subscriber behind it; a dark ONT or a dead port is this subscriber's own fault; then
 * alerts; else the line is fine (or nothing is known).
 */
export type LineVerdict =
  | 'node-unreachable'
  | 'ont-offline'
  | 'port-admin-down'
  | 'port-down'
  | 'alerts'
  | 'rx-out-of-range'
  | 'up'
  | 'unknown';

export function lineVerdict(panel: AccessLinePanel): LineVerdict {
  if (panel.nodes.some((node) => node.reachable === false)) return 'node-unreachable';
  if (panel.ont?.state === 'offline') return 'ont-offline';
  const link = panel.port ? linkState(panel.port) : null;
  if (link === 'admin-down') return 'port-admin-down';
  if (link === 'down') return 'port-down';
  if (panel.nodes.some((node) => node.alerts.some((alert) => alert.status === 'firing'))) return 'alerts';
  if (panel.ont && ['low', 'high'].includes(rxStanding(panel.ont))) return 'rx-out-of-range';
  if (link === 'up' || panel.ont?.state === 'online') return 'up';
  return 'unknown';
}

export const verdictIsBad = (verdict: LineVerdict) => verdict !== 'up' && verdict !== 'unknown';

/**
 * Whether a live wake-up of the 'access-line' topic concerns this panel: it names the node by id
 * (`nodeId`), and the panel carries its nodes' ids. A wake-up the panel cannot match (no panel
 * yet, a server that sends no ids) reads the panel again: better a read too many than a stale card.
 */
export function wakesPanel(panel: AccessLinePanel | undefined, data: Record<string, unknown>): boolean {
  if (!panel) return true;
  const ids = panel.nodes.map((node) => node.nodeId);
  if (typeof data.nodeId !== 'number' || ids.length === 0 || ids.some((id) => id === undefined)) return true;
  return ids.includes(data.nodeId);
}

/** The part of the line a change is about, for its mark on the timeline. */
export type ChangeKind = 'port' | 'ont' | 'node' | 'alert' | 'other';

export function changeKind(change: AccessLineChange): ChangeKind {
  const name = change.change;
  if (name.startsWith('port-') || name.startsWith('speed-') || name.startsWith('cpe-mac-')) return 'port';
  if (name.startsWith('ont-')) return 'ont';
  if (name.startsWith('node-')) return 'node';
  if (name.startsWith('alert-')) return 'alert';
  return 'other';
}

/** Whether a change took the line down (red), brought it back (green) or only says something (grey). */
export type ChangeTone = 'bad' | 'good' | 'neutral';

const badChanges = new Set([
  'port-down',
  'port-admin-down',
  'cpe-mac-gone',
  'ont-offline',
  'ont-rx-out-of-range',
  'node-unreachable',
  'alert-firing',
]);
const goodChanges = new Set([
  'port-up',
  'port-admin-up',
  'cpe-mac-seen',
  'ont-online',
  'ont-rx-within',
  'node-reachable',
  'alert-resolved',
]);

export const changeTone = (change: AccessLineChange): ChangeTone =>
  badChanges.has(change.change) ? 'bad' : goodChanges.has(change.change) ? 'good' : 'neutral';

/**
 * The monitoring systems' alerts as changes on the line: raised at its start, resolved at its end.
 * The store keeps the SNMP changes; the alerts come with the nodes, each as last heard.
 */
export function alertChanges(nodes: readonly NodeState[]): AccessLineChange[] {
  return nodes.flatMap((node) =>
    node.alerts.flatMap((alert) => {
      const details = { name: alert.name, severity: alert.severity, source: alert.source };
      const raised: AccessLineChange = { at: alert.startedAt, change: 'alert-firing', node: node.node, details };
      return alert.status === 'resolved' && alert.endedAt
        ? [raised, { at: alert.endedAt, change: 'alert-resolved', node: node.node, details }]
        : [raised];
    }),
  );
}

/** Every change on the line for the timeline, newest first: the stored ones, and the alerts unless the server sent them among those. */
export function lineChangesOf(panel: AccessLinePanel): AccessLineChange[] {
  if (panel.changes.some((change) => changeKind(change) === 'alert')) return panel.changes;
  return [...panel.changes, ...alertChanges(panel.nodes)].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

/** One row of the card's 30-day timeline: a session, or a change on the line between and during them. */
export type TimelineRow =
  | { kind: 'session'; at: string; session: NasSession }
  | { kind: 'line'; at: string; change: AccessLineChange };

/**
 * Sessions and line changes in one list, newest first. A session stands at its start: the changes
 * during it come above it, so reading down, "port down 10:00" sits right above the session that
 * ended then and below the one that began after. On the same instant the session is the later
 * (above): the port came up, then the router logged in.
 */
export function mergeTimeline(sessions: readonly NasSession[], changes: readonly AccessLineChange[]): TimelineRow[] {
  const rows: TimelineRow[] = [
    ...sessions.map((session) => ({ kind: 'session' as const, at: session.startedAt, session })),
    ...changes.map((change) => ({ kind: 'line' as const, at: change.at, change })),
  ];
  const order = (row: TimelineRow) => (row.kind === 'session' ? 0 : 1);
  // Array.prototype.sort is stable: rows of one kind on the same instant keep the server's order.
  return rows.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || order(a) - order(b));
}
