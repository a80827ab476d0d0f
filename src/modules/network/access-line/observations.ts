import type { Duplex, IfStatus, OntDownCause } from '../../../common/api/access-line.js';

/**
 * What the SNMP integration tells the access-line store (recordAccessObservations): a reading of
 * one port, one port's forwarding table, one ONT, or whether a node answered. A poll sends every
 * field it read; a trap only what it carries (an absent field leaves the stored one as it is). The
 * store keeps only changes of state in the history, and the latest reading (with its time) as the
 * state the card shows.
 */
export type AccessObservation = PortObservation | PortMacsObservation | OntObservation | NodeObservation;

interface Observed {
  nodeId: number;
  /** When the node said it (a trap's arrival, a poll's answer). */
  at: Date;
  source: 'poll' | 'trap';
}

export interface PortObservation extends Observed {
  kind: 'port';
  ifIndex: number;
  adminStatus?: IfStatus;
  operStatus?: IfStatus;
  speedMbps?: number;
  duplex?: Duplex;
  inErrors?: number;
  outErrors?: number;
}

/** The MACs BRIDGE-MIB/Q-BRIDGE-MIB has on a port (lower-case colon form), the whole list at once. */
export interface PortMacsObservation extends Observed {
  kind: 'port-macs';
  ifIndex: number;
  macs: string[];
}

export interface OntObservation extends Observed {
  kind: 'ont';
  /** The PON port's ifIndex on the OLT. */
  ifIndex: number;
  ontId: number;
  state?: 'online' | 'offline';
  lastDownCause?: OntDownCause;
  rxPowerDbm?: number | null;
  txPowerDbm?: number | null;
}

export interface NodeObservation extends Observed {
  kind: 'node';
  reachable: boolean;
  /** Why not (timeout, authentication), for the log and the timeline. */
  error?: string;
}

/**
 * 'changed': a change of state was stored; 'refreshed': only the reading's time (and counters,
 * levels); 'late': older than the state stored (a trap overtaken by a poll), so nothing changed;
 * 'unknown': no such node, port or ONT's PON port on record.
 */
export type AccessOutcome = 'changed' | 'refreshed' | 'late' | 'unknown';
