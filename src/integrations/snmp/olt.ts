import type { OntDownCause } from '../../common/api/access-line.js';
import type { OntObservation } from '../../modules/network/access-line/observations.js';
import { HUAWEI_XPON_MIB, ifIndexOnRecord, ZTE_ONU_OPTICAL, ZXGPON_SERVICE_MIB } from './mib.js';
import { numberOf, type SnmpSession } from './session.js';

/** The OLT vendors whose MIBs Linedesk reads, by network_nodes.model ('Huawei MA5608T', 'ZTE C320'). */
export type OltVendor = 'huawei' | 'zte';

export function oltVendorOf(model: string): OltVendor | null {
  if (/huawei|ma56|ma58|ea5800/i.test(model)) return 'huawei';
  if (/zte|c300|c320|c600|c620/i.test(model)) return 'zte';
  return null;
}

/** hwGponDeviceOntControlLastDownCause's codes (HUAWEI-XPON-MIB) as the card names them. */
export function huaweiDownCause(code: number): OntDownCause | undefined {
  if (code < 0) return undefined; // -1: the query failed
  switch (code) {
    case 1: // LOS
    case 2: // LOSi / LOBi
      return 'los';
    case 3: // LOFi
      return 'lofi';
    case 5: // LOAi, loss of acknowledgement
    case 6: // LOAMi, loss of PLOAM
      return 'loami';
    case 7: // deactivating failed
    case 8: // deactivated
      return 'deactivated';
    case 13:
      return 'dying-gasp';
    default:
      return 'other';
  }
}

/** hwGponOntOpticalDdm*Power: 0.01 dBm; 2147483647 (0x7FFFFFFF) while the ONT is not online. */
export function huaweiDbm(value: number | null): number | null {
  if (value === null || value === 0x7fffffff || value === -0x80000000) return null;
  return Math.round(value) / 100;
}

/** ZTE's ONU optical level: value × 0.002 − 30 dBm; 0 and 65535 and above mean none was read. */
export function zteDbm(value: number | null): number | null {
  if (value === null || value <= 0 || value >= 65535) return null;
  return Math.round((value * 0.002 - 30) * 1000) / 1000;
}

/** zxGponOntPhaseState as the card's state and down cause; transitional states say neither. */
export function zteState(phase: number): { state?: 'online' | 'offline'; lastDownCause?: OntDownCause } {
  switch (phase) {
    case 3: // working
      return { state: 'online' };
    case 1: // los
      return { state: 'offline', lastDownCause: 'los' };
    case 4: // dyinggasp
      return { state: 'offline', lastDownCause: 'dying-gasp' };
    case 5: // authFailed
    case 6: // offline
      return { state: 'offline' };
    default: // logging(0), syncMib(2): on its way up
      return {};
  }
}

/** "ifIndex.ontId[.more]" of a table instance. */
function ontKey(instance: string): { ifIndex: number; ontId: number } | null {
  const [ifIndex, ontId] = instance.split('.').map(Number);
  if (!Number.isInteger(ifIndex) || !Number.isInteger(ontId)) return null;
  return { ifIndex: ifIndexOnRecord(ifIndex as number), ontId: ontId as number };
}

/**
 * The ONTs on the OLT's PON ports on record: state, last down cause and optical levels, read from
 * the vendor's tables (mib.ts) column by column.
 */
export async function readOnts(
  session: SnmpSession,
  vendor: OltVendor,
  ponPorts: Set<number>,
  clock: () => Date,
  observed: { nodeId: number; source: 'poll' },
): Promise<OntObservation[]> {
  const onts = new Map<string, OntObservation>();
  const ontOf = (instance: string): OntObservation | null => {
    const key = ontKey(instance);
    if (!key || !ponPorts.has(key.ifIndex)) return null;
    const id = `${key.ifIndex}.${key.ontId}`;
    let ont = onts.get(id);
    if (!ont) {
      ont = { kind: 'ont', ifIndex: key.ifIndex, ontId: key.ontId, at: new Date(0), ...observed };
      onts.set(id, ont);
    }
    return ont;
  };
  if (vendor === 'huawei') {
    const [runStatus, downCause, rx, tx] = await Promise.all([
      session.walkColumn(HUAWEI_XPON_MIB.hwGponDeviceOntControlRunStatus),
      session.walkColumn(HUAWEI_XPON_MIB.hwGponDeviceOntControlLastDownCause),
      session.walkColumn(HUAWEI_XPON_MIB.hwGponOntOpticalDdmRxPower),
      session.walkColumn(HUAWEI_XPON_MIB.hwGponOntOpticalDdmTxPower),
    ]);
    for (const [instance, value] of runStatus) {
      const ont = ontOf(instance);
      const status = numberOf(value);
      if (ont && status === 1) ont.state = 'online';
      if (ont && status === 2) ont.state = 'offline';
    }
    for (const [instance, value] of downCause) {
      const ont = ontOf(instance);
      const code = numberOf(value);
      const cause = code === null ? undefined : huaweiDownCause(code);
      if (ont && cause) ont.lastDownCause = cause;
    }
    for (const [instance, value] of rx) {
      const ont = ontOf(instance);
      if (ont) ont.rxPowerDbm = huaweiDbm(numberOf(value));
    }
    for (const [instance, value] of tx) {
      const ont = ontOf(instance);
      if (ont) ont.txPowerDbm = huaweiDbm(numberOf(value));
    }
  } else {
    const [phase, rx, tx] = await Promise.all([
      session.walkColumn(ZXGPON_SERVICE_MIB.zxGponOntPhaseState),
      session.walkColumn(ZTE_ONU_OPTICAL.rxPower),
      session.walkColumn(ZTE_ONU_OPTICAL.txPower),
    ]);
    for (const [instance, value] of phase) {
      const ont = ontOf(instance);
      const number = numberOf(value);
      if (ont && number !== null) Object.assign(ont, zteState(number));
    }
    for (const [instance, value] of rx) {
      const ont = ontOf(instance);
      if (ont) ont.rxPowerDbm = zteDbm(numberOf(value));
    }
    for (const [instance, value] of tx) {
      const ont = ontOf(instance);
      if (ont) ont.txPowerDbm = zteDbm(numberOf(value));
    }
  }
  const at = clock();
  for (const ont of onts.values()) {
    ont.at = at;
    // An offline ONT has no levels, whatever the table still says.
    if (ont.state === 'offline') {
      ont.rxPowerDbm = null;
      ont.txPowerDbm = null;
    }
  }
  return [...onts.values()];
}
