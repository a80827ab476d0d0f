import type { Duplex, IfStatus, OntDownCause } from '../../../common/api/access-line.js';
import { macDigits } from '../service.js';
import type {
  AccessObservation,
  AccessOutcome,
  NodeObservation,
  OntObservation,
  PortMacsObservation,
  PortObservation,
} from './observations.js';

/**
 * The receive window an ONT's optical level is judged against: ITU-T G.984.2 class B+ optics
 * (-27 dBm sensitivity, -8 dBm overload), what the demo's Huawei and ZTE OLTs carry.
 */
export const GPON_RX_WINDOW_DBM = { min: -27, max: -8 } as const;

/**
 * How the access line is held while a batch is applied: what the tables had (null: never read),
 * changed in memory one observation after another, then written back (service.ts).
 */
export interface PortLine {
  nodeId: number;
  ifIndex: number;
  /** Null when no port of that node has that ifIndex on record. */
  portId: number | null;
  state: PortRow | null;
  macs: MacsRow | null;
  /** The CPE MACs on record for the accounts on this port (12 lower-case hex digits). */
  cpes: { accountId: number; mac: string }[];
  stateWritten: boolean;
  macsWritten: boolean;
}

export interface PortRow {
  adminStatus: IfStatus | null;
  operStatus: IfStatus | null;
  since: Date | null;
  speedMbps: number | null;
  duplex: Duplex | null;
  inErrors: number | null;
  outErrors: number | null;
  errorsAt: Date | null;
  previousInErrors: number | null;
  previousOutErrors: number | null;
  previousErrorsAt: Date | null;
  checkedAt: Date;
}

export interface MacsRow {
  /** Lower-case colon form. */
  macs: string[];
  checkedAt: Date;
}

export interface OntLine {
  nodeId: number;
  ifIndex: number;
  ontId: number;
  state: OntRow | null;
  written: boolean;
}

export interface OntRow {
  state: 'online' | 'offline' | null;
  since: Date | null;
  lastDownCause: OntDownCause | null;
  rxPowerDbm: number | null;
  txPowerDbm: number | null;
  rxWithin: boolean | null;
  checkedAt: Date;
}

export interface NodeLine {
  nodeId: number;
  known: boolean;
  state: NodeRow | null;
  written: boolean;
}

export interface NodeRow {
  reachable: boolean;
  since: Date;
  lastError: string | null;
  checkedAt: Date;
}

export interface ChangeLine {
  nodeId: number;
  ifIndex: number | null;
  ontId: number | null;
  at: Date;
  change: string;
  details: Record<string, unknown>;
}

/** What applying a batch leaves to write besides the rows: the changes, and the nodes whose cards to wake. */
export interface Pending {
  changes: ChangeLine[];
  nodes: Set<number>;
}

export const colonMac = (digits: string) => digits.match(/../g)?.join(':') ?? digits;

const INT4_MAX = 2_147_483_647;
const isIndex = (value: number) => Number.isInteger(value) && value >= 0 && value <= INT4_MAX;
const countOrAbsent = (value: number | undefined) =>
  value === undefined || (Number.isSafeInteger(value) && value >= 0) ? value : undefined;
const levelOrAbsent = (value: number | null | undefined) =>
  value === undefined || value === null || Number.isFinite(value) ? value : undefined;

/**
 * The reading with what the tables cannot hold left out (a Gauge32 speed past 32 bits, a
 * Counter64 past 2^53, a level that is not a number), or null when it cannot name anything on
 * record (an index past 32 bits, no valid time): a bad value from one agent must not fail the
 * batch it shares with the others.
 */
export function plausible(observation: AccessObservation): AccessObservation | null {
  if (!isIndex(observation.nodeId) || Number.isNaN(observation.at.getTime())) return null;
  if (observation.kind === 'node') return observation;
  if (!isIndex(observation.ifIndex)) return null;
  switch (observation.kind) {
    case 'port':
      return {
        ...observation,
        speedMbps:
          observation.speedMbps === undefined || isIndex(observation.speedMbps) ? observation.speedMbps : undefined,
        inErrors: countOrAbsent(observation.inErrors),
        outErrors: countOrAbsent(observation.outErrors),
      };
    case 'port-macs':
      return observation;
    case 'ont':
      if (!isIndex(observation.ontId)) return null;
      return {
        ...observation,
        rxPowerDbm: levelOrAbsent(observation.rxPowerDbm),
        txPowerDbm: levelOrAbsent(observation.txPowerDbm),
      };
  }
}

const changed = (pending: Pending, line: ChangeLine) => {
  pending.changes.push(line);
};

/**
 * Sets a port's field to what was read (absent: left as it is). A move from a known value is a
 * change on the timeline, with the value it had; returns whether the field moved.
 */
function moved<Field extends 'adminStatus' | 'speedMbps' | 'duplex'>(
  state: PortRow,
  field: Field,
  value: PortRow[Field] | undefined,
  change: string,
  where: Pick<ChangeLine, 'nodeId' | 'ifIndex' | 'ontId' | 'at'>,
  pending: Pending,
): boolean {
  if (value === undefined || value === state[field]) return false;
  if (state[field] !== null) changed(pending, { ...where, change, details: { [field]: value, was: state[field] } });
  state[field] = value;
  return true;
}

/**
 * A port's reading. The first reading of a port makes its state known and goes into no history
 * (there is no earlier state to change from); a reading older than the stored state changes
 * nothing. Error counters only move the readings errors per hour are derived from.
 */
export function applyPort(observation: PortObservation, line: PortLine, pending: Pending): AccessOutcome {
  if (line.portId === null) return 'unknown';
  const at = observation.at;
  const state = line.state;
  if (state && at < state.checkedAt) return 'late';
  line.stateWritten = true;
  if (!state) {
    const up = observation.operStatus === undefined || observation.operStatus === 'up';
    line.state = {
      adminStatus: observation.adminStatus ?? null,
      operStatus: observation.operStatus ?? null,
      since: observation.operStatus === undefined ? null : at,
      speedMbps: up ? (observation.speedMbps ?? null) : null,
      duplex: up ? (observation.duplex ?? null) : null,
      inErrors: observation.inErrors ?? null,
      outErrors: observation.outErrors ?? null,
      errorsAt: observation.inErrors === undefined && observation.outErrors === undefined ? null : at,
      previousInErrors: null,
      previousOutErrors: null,
      previousErrorsAt: null,
      checkedAt: at,
    };
    pending.nodes.add(line.nodeId);
    return 'changed';
  }
  const where = { nodeId: line.nodeId, ifIndex: line.ifIndex, ontId: null, at };
  const adminChange = observation.adminStatus === 'up' ? 'port-admin-up' : 'port-admin-down';
  let stateChanged = moved(state, 'adminStatus', observation.adminStatus, adminChange, where, pending);
  if (observation.operStatus !== undefined && observation.operStatus !== state.operStatus) {
    if (state.operStatus !== null && (observation.operStatus === 'up' || state.operStatus === 'up')) {
      changed(pending, {
        ...where,
        change: observation.operStatus === 'up' ? 'port-up' : 'port-down',
        details: { operStatus: observation.operStatus, was: state.operStatus },
      });
    }
    state.operStatus = observation.operStatus;
    state.since = at;
    stateChanged = true;
  }
  // A port without link reads 0 or 10 Mb/s and an unknown duplex on most switches: only what it
  // negotiated while up is its speed, so a flap is not also a speed change.
  if (state.operStatus === 'up' || state.operStatus === null) {
    const speedMoved = moved(state, 'speedMbps', observation.speedMbps, 'speed-changed', where, pending);
    const duplexMoved = moved(state, 'duplex', observation.duplex, 'duplex-changed', where, pending);
    stateChanged ||= speedMoved || duplexMoved;
  }
  if (observation.inErrors !== undefined || observation.outErrors !== undefined) {
    // The same reading twice (a poll answered twice) replaces it rather than making a zero-hour interval.
    if (state.errorsAt !== null && state.errorsAt.getTime() !== at.getTime()) {
      state.previousInErrors = state.inErrors;
      state.previousOutErrors = state.outErrors;
      state.previousErrorsAt = state.errorsAt;
    }
    state.inErrors = observation.inErrors ?? state.inErrors;
    state.outErrors = observation.outErrors ?? state.outErrors;
    state.errorsAt = at;
  }
  state.checkedAt = at;
  if (!stateChanged) return 'refreshed';
  pending.nodes.add(line.nodeId);
  return 'changed';
}

/**
 * A port's forwarding table. The account's CPE on record (its MAC in any written form) appearing
 * or leaving is a change; other MACs coming and going change the list the card shows, no history.
 */
export function applyPortMacs(observation: PortMacsObservation, line: PortLine, pending: Pending): AccessOutcome {
  if (line.portId === null) return 'unknown';
  const at = observation.at;
  if (line.macs && at < line.macs.checkedAt) return 'late';
  const digits = [...new Set(observation.macs.map(macDigits).filter((mac): mac is string => mac !== null))].sort();
  const macs = digits.map(colonMac);
  const before = line.macs;
  line.macs = { macs, checkedAt: at };
  line.macsWritten = true;
  if (!before) {
    pending.nodes.add(line.nodeId);
    return 'changed';
  }
  const was = new Set(before.macs.map(macDigits));
  const now = new Set(digits);
  for (const cpe of line.cpes) {
    if (was.has(cpe.mac) === now.has(cpe.mac)) continue;
    changed(pending, {
      nodeId: line.nodeId,
      ifIndex: line.ifIndex,
      ontId: null,
      at,
      change: now.has(cpe.mac) ? 'cpe-mac-seen' : 'cpe-mac-gone',
      details: { mac: colonMac(cpe.mac), accountId: cpe.accountId },
    });
  }
  const same = was.size === now.size && [...now].every((mac) => was.has(mac));
  if (same) return 'refreshed';
  pending.nodes.add(line.nodeId);
  return 'changed';
}

/** Whether an ONT's receive level is inside GPON_RX_WINDOW_DBM (the edges are). */
export const rxWithinWindow = (dbm: number) => dbm >= GPON_RX_WINDOW_DBM.min && dbm <= GPON_RX_WINDOW_DBM.max;

/**
 * An ONT's reading. Its receive level is judged against GPON_RX_WINDOW_DBM; leaving the window or
 * coming back is a change, the level moving inside it is not. While the ONT reads no level
 * (offline) the last judgement stays, so an ONT that comes back out of range is a change too.
 */
export function applyOnt(
  observation: OntObservation,
  portKnown: boolean,
  line: OntLine,
  pending: Pending,
): AccessOutcome {
  if (!portKnown) return 'unknown';
  const at = observation.at;
  const rx = observation.rxPowerDbm;
  if (!line.state) {
    line.state = {
      state: observation.state ?? null,
      since: observation.state === undefined ? null : at,
      lastDownCause: observation.lastDownCause ?? null,
      rxPowerDbm: rx ?? null,
      txPowerDbm: observation.txPowerDbm ?? null,
      rxWithin: typeof rx === 'number' ? rxWithinWindow(rx) : null,
      checkedAt: at,
    };
    line.written = true;
    pending.nodes.add(line.nodeId);
    return 'changed';
  }
  const state = line.state;
  if (at < state.checkedAt) return 'late';
  line.written = true;
  const where = { nodeId: line.nodeId, ifIndex: line.ifIndex, ontId: line.ontId, at };
  let stateChanged = false;
  if (observation.lastDownCause !== undefined && observation.lastDownCause !== state.lastDownCause) {
    state.lastDownCause = observation.lastDownCause;
    stateChanged = true;
  }
  if (observation.state !== undefined && observation.state !== state.state) {
    if (state.state !== null) {
      changed(pending, {
        ...where,
        change: observation.state === 'online' ? 'ont-online' : 'ont-offline',
        details: observation.state === 'online' ? {} : { cause: observation.lastDownCause ?? null },
      });
    }
    state.state = observation.state;
    state.since = at;
    stateChanged = true;
  }
  if (rx !== undefined) {
    state.rxPowerDbm = rx;
    if (rx !== null) {
      const now = rxWithinWindow(rx);
      if (now !== state.rxWithin) {
        if (state.rxWithin !== null) {
          changed(pending, {
            ...where,
            change: now ? 'ont-rx-within' : 'ont-rx-out-of-range',
            details: { rxPowerDbm: rx, minDbm: GPON_RX_WINDOW_DBM.min, maxDbm: GPON_RX_WINDOW_DBM.max },
          });
        }
        state.rxWithin = now;
        stateChanged = true;
      }
    }
  }
  if (observation.txPowerDbm !== undefined) state.txPowerDbm = observation.txPowerDbm;
  state.checkedAt = at;
  if (!stateChanged) return 'refreshed';
  pending.nodes.add(line.nodeId);
  return 'changed';
}

/** Whether a node answered its poll: becoming unreachable or reachable again is a change. */
export function applyNode(observation: NodeObservation, line: NodeLine, pending: Pending): AccessOutcome {
  if (!line.known) return 'unknown';
  const at = observation.at;
  const error = observation.reachable ? null : (observation.error ?? null);
  if (!line.state) {
    line.state = { reachable: observation.reachable, since: at, lastError: error, checkedAt: at };
    line.written = true;
    pending.nodes.add(line.nodeId);
    return 'changed';
  }
  const state = line.state;
  if (at < state.checkedAt) return 'late';
  line.written = true;
  state.checkedAt = at;
  // The last error stays once the node answers again: it says why it was unreachable.
  if (error !== null) state.lastError = error;
  if (observation.reachable === state.reachable) return 'refreshed';
  changed(pending, {
    nodeId: line.nodeId,
    ifIndex: null,
    ontId: null,
    at,
    change: observation.reachable ? 'node-reachable' : 'node-unreachable',
    details: observation.reachable ? {} : { error },
  });
  state.reachable = observation.reachable;
  state.since = at;
  pending.nodes.add(line.nodeId);
  return 'changed';
}
