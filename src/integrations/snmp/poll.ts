import type { Duplex, IfStatus } from '../../common/api/access-line.js';
import type {
  AccessObservation,
  OntObservation,
  PortMacsObservation,
  PortObservation,
} from '../../modules/network/access-line/observations.js';
import type { PolledNode, PortOnRecord } from '../../modules/network/polling/nodes.js';
import { BRIDGE_MIB, ETHERLIKE_MIB, IF_MIB, ifIndexOnRecord, ifIndexOnWire } from './mib.js';
import { oltVendorOf, readOnts } from './olt.js';
import { numberOf, type SnmpSession, snmpErrorText } from './session.js';

/** IF-MIB's IfOperStatus/IfAdminStatus numbers (RFC 2863). */
const ifStatusByNumber: Record<number, IfStatus> = {
  1: 'up',
  2: 'down',
  3: 'testing',
  4: 'unknown',
  5: 'dormant',
  6: 'notPresent',
  7: 'lowerLayerDown',
};
export const ifStatusOf = (value: unknown): IfStatus | undefined =>
  typeof value === 'number' ? ifStatusByNumber[value] : undefined;

/** EtherLike-MIB dot3StatsDuplexStatus: unknown(1), halfDuplex(2), fullDuplex(3). */
const duplexByNumber: Record<number, Duplex> = { 1: 'unknown', 2: 'half', 3: 'full' };

export interface PollResult {
  answered: boolean;
  error?: string;
  observations: AccessObservation[];
}

/**
 * One poll of one node: its ports on record from IF-MIB and EtherLike-MIB, the MACs behind them
 * from BRIDGE-MIB/Q-BRIDGE-MIB (switches), the ONTs on its PON ports from the vendor's MIB (OLTs),
 * and whether it answered at all. Interfaces not on record are not the ISP's lines: left out.
 */
export async function pollNode(
  session: SnmpSession,
  node: PolledNode,
  ports: PortOnRecord[],
  clock: () => Date,
): Promise<PollResult> {
  const onRecord = new Set(ports.map((port) => port.ifIndex));
  const observed = { nodeId: node.id, source: 'poll' as const };
  // Every reading of the poll is dated when the node was first asked: a trap that arrives while the
  // walks go on is newer than what they read, so the store keeps the trap's state (a poll dated at
  // its end would overwrite a linkDown with the "up" it read before).
  const askedAt = clock();
  const readingTime = () => askedAt;
  let operStatus: Map<string, unknown>;
  try {
    // The first request tells whether the node answers at all.
    operStatus = await session.walkColumn(IF_MIB.ifOperStatus);
  } catch (error) {
    const why = snmpErrorText(error);
    return {
      answered: false,
      error: why,
      observations: [{ kind: 'node', reachable: false, error: why, at: askedAt, ...observed }],
    };
  }
  const observations: AccessObservation[] = [{ kind: 'node', reachable: true, at: askedAt, ...observed }];
  try {
    const [adminStatus, inErrors, outErrors, highSpeed, , , duplex] = await Promise.all([
      session.walkColumn(IF_MIB.ifAdminStatus),
      session.walkColumn(IF_MIB.ifInErrors),
      session.walkColumn(IF_MIB.ifOutErrors),
      session.walkColumn(IF_MIB.ifHighSpeed),
      // Read for the traffic figures the card may show later; the store takes no octets yet.
      session.walkColumn(IF_MIB.ifHCInOctets),
      session.walkColumn(IF_MIB.ifHCOutOctets),
      session.walkColumn(ETHERLIKE_MIB.dot3StatsDuplexStatus),
    ]);
    const at = askedAt;
    for (const port of ports) {
      const key = String(ifIndexOnWire(port.ifIndex));
      if (!operStatus.has(key) && !adminStatus.has(key)) continue;
      const reading: PortObservation = { kind: 'port', ifIndex: port.ifIndex, at, ...observed };
      const oper = ifStatusOf(operStatus.get(key));
      const admin = ifStatusOf(adminStatus.get(key));
      const speed = numberOf(highSpeed.get(key));
      const inErr = numberOf(inErrors.get(key));
      const outErr = numberOf(outErrors.get(key));
      const duplexNumber = numberOf(duplex.get(key));
      if (oper) reading.operStatus = oper;
      if (admin) reading.adminStatus = admin;
      if (speed !== null) reading.speedMbps = speed;
      if (inErr !== null) reading.inErrors = inErr;
      if (outErr !== null) reading.outErrors = outErr;
      if (duplexNumber !== null && duplexByNumber[duplexNumber]) reading.duplex = duplexByNumber[duplexNumber];
      observations.push(reading);
    }
    if (node.kind === 'olt') {
      const vendor = oltVendorOf(node.model);
      if (vendor) observations.push(...(await readOnts(session, vendor, onRecord, readingTime, observed)));
    } else {
      observations.push(...(await readPortMacs(session, ports, readingTime, observed)));
    }
  } catch (error) {
    // The node answered, then stopped (or refused a table): what was read stands.
    return { answered: true, error: snmpErrorText(error), observations };
  }
  return { answered: true, observations };
}

/** Six octets of an FDB instance (the MAC) in lower-case colon form. */
export function macOfInstance(octets: string[]): string | null {
  if (octets.length !== 6) return null;
  const bytes = octets.map(Number);
  if (bytes.some((byte) => !Number.isInteger(byte) || byte < 0 || byte > 255)) return null;
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}

/**
 * The MACs behind each port on record: the bridge port of each forwarding entry (BRIDGE-MIB, and
 * Q-BRIDGE-MIB for VLAN-aware switches) through dot1dBasePortIfIndex to its ifIndex. Every port
 * on record gets its list, empty when nothing is learnt there (the CPE is gone).
 */
async function readPortMacs(
  session: SnmpSession,
  ports: PortOnRecord[],
  clock: () => Date,
  observed: { nodeId: number; source: 'poll' },
): Promise<PortMacsObservation[]> {
  const [basePorts, fdb, qFdb] = await Promise.all([
    session.walkColumn(BRIDGE_MIB.dot1dBasePortIfIndex),
    session.walkColumn(BRIDGE_MIB.dot1dTpFdbPort),
    session.walkColumn(BRIDGE_MIB.dot1qTpFdbPort),
  ]);
  if (basePorts.size === 0) return [];
  const ifIndexOfBridgePort = new Map<number, number>();
  for (const [bridgePort, ifIndex] of basePorts) {
    const value = numberOf(ifIndex);
    if (value !== null) ifIndexOfBridgePort.set(Number(bridgePort), ifIndexOnRecord(value));
  }
  const macsByIfIndex = new Map<number, Set<string>>();
  const learn = (mac: string | null, bridgePort: unknown) => {
    const port = numberOf(bridgePort as never);
    const ifIndex = port === null ? undefined : ifIndexOfBridgePort.get(port);
    if (!mac || ifIndex === undefined) return;
    let macs = macsByIfIndex.get(ifIndex);
    if (!macs) {
      macs = new Set();
      macsByIfIndex.set(ifIndex, macs);
    }
    macs.add(mac);
  };
  for (const [instance, bridgePort] of fdb) learn(macOfInstance(instance.split('.')), bridgePort);
  // dot1qTpFdbPort's instance is the FDB id, then the MAC.
  for (const [instance, bridgePort] of qFdb) learn(macOfInstance(instance.split('.').slice(1)), bridgePort);
  const at = clock();
  return ports.map((port) => ({
    kind: 'port-macs',
    ifIndex: port.ifIndex,
    macs: [...(macsByIfIndex.get(port.ifIndex) ?? [])].sort(),
    at,
    ...observed,
  }));
}

export type { OntObservation };
