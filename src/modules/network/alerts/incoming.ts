import type { AlertSource } from '../../../common/api/access-line.js';

/**
 * One alert as a monitoring system's webhook told it (src/integrations/monitoring reads each
 * system's body into these), before Linedesk knows its node.
 */
export interface IncomingAlert {
  source: AlertSource;
  /** What the system correlates on: Alertmanager's fingerprint, Zabbix's problem event id, LibreNMS's alert id. */
  externalId: string;
  /**
   * What the alert may name its node by, most telling first: a host name, an address (a port after
   * it is ignored), label values. The first that a node on record answers to wins.
   */
  identifiers: string[];
  name: string;
  severity: string | null;
  status: 'firing' | 'resolved';
  /** True or false when the notification says; absent leaves what is stored as it is. */
  acknowledged?: boolean;
  summary: string | null;
  startedAt: Date;
  /** When it was resolved; a resolved alert without one is taken as resolved when it arrived. */
  endedAt: Date | null;
}

/** An alert as stored: the state the card shows. */
export interface AlertState {
  nodeId: number | null;
  nodeIdentifier: string | null;
  name: string;
  severity: string | null;
  status: 'firing' | 'resolved';
  acknowledged: boolean;
  summary: string | null;
  startedAt: Date;
  endedAt: Date | null;
}

/** An incoming alert with its node looked up, and the time it arrived. */
export interface PlacedAlert extends IncomingAlert {
  nodeId: number | null;
  nodeIdentifier: string | null;
  receivedAt: Date;
}

/**
 * What an alert is after `incoming`, given what was stored (null: nothing yet). Notifications
 * may come late, twice, or out of order (a webhook retried, two instances, Alertmanager's repeat
 * interval), so the state is judged by the times the system gave, not by arrival:
 * - a firing that started after the stored resolution is the alert firing again (Alertmanager
 *   and LibreNMS reuse the fingerprint or alert id); one that started before is late, and leaves
 *   it resolved (a resolution that overtook its firing stays resolved);
 * - a resolution of an occurrence older than the one stored is late and changes nothing;
 * - a repeated notification gives the same state.
 */
export function nextAlertState(stored: AlertState | null, incoming: PlacedAlert): AlertState {
  const endedAt = incoming.status === 'resolved' ? (incoming.endedAt ?? incoming.receivedAt) : null;
  const fresh: AlertState = {
    nodeId: incoming.nodeId,
    nodeIdentifier: incoming.nodeIdentifier,
    name: incoming.name,
    severity: incoming.severity,
    status: incoming.status,
    acknowledged: incoming.acknowledged ?? false,
    summary: incoming.summary,
    startedAt: incoming.startedAt,
    endedAt,
  };
  if (stored === null) return fresh;
  const node = {
    nodeId: incoming.nodeId ?? stored.nodeId,
    nodeIdentifier:
      incoming.nodeId !== null || stored.nodeId === null ? incoming.nodeIdentifier : stored.nodeIdentifier,
  };
  const acknowledged = incoming.acknowledged ?? stored.acknowledged;
  if (stored.status === 'resolved') {
    const firesAgain = stored.endedAt !== null && incoming.startedAt > stored.endedAt;
    if (firesAgain) return fresh;
    return { ...stored, ...node, acknowledged };
  }
  if (incoming.startedAt < stored.startedAt && incoming.status === 'resolved') return { ...stored, ...node };
  return {
    ...node,
    name: incoming.name,
    severity: incoming.severity,
    status: incoming.status,
    acknowledged,
    summary: incoming.summary ?? stored.summary,
    startedAt: new Date(Math.min(incoming.startedAt.getTime(), stored.startedAt.getTime())),
    endedAt: endedAt !== null && endedAt < stored.startedAt ? stored.startedAt : endedAt,
  };
}

export function sameAlertState(a: AlertState, b: AlertState): boolean {
  return (
    a.nodeId === b.nodeId &&
    a.nodeIdentifier === b.nodeIdentifier &&
    a.name === b.name &&
    a.severity === b.severity &&
    a.status === b.status &&
    a.acknowledged === b.acknowledged &&
    a.summary === b.summary &&
    a.startedAt.getTime() === b.startedAt.getTime() &&
    (a.endedAt?.getTime() ?? null) === (b.endedAt?.getTime() ?? null)
  );
}
