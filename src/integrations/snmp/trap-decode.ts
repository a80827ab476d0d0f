import type { OntDownCause } from '../../common/api/access-line.js';
import type { OntObservation, PortObservation } from '../../modules/network/access-line/observations.js';
import {
  HUAWEI_XPON_TRAP_MIB,
  huaweiGponIfIndex,
  IF_MIB,
  ifIndexOnRecord,
  SNMPV2_MIB,
  V1_GENERIC_TRAP,
  ZXGPON_SERVICE_MIB,
} from './mib.js';
import { ifStatusOf } from './poll.js';

/** A varbind as net-snmp hands it. */
export interface TrapVarbind {
  oid: string;
  value: unknown;
}

/** A trap's PDU, v1 or v2 (net-snmp's Trap-PDU and SNMPv2-Trap-PDU/Inform fields). */
export interface TrapPdu {
  type: number;
  varbinds: TrapVarbind[];
  /** v1 only. */
  enterprise?: string;
  generic?: number;
  specific?: number;
}

/** What a trap says, before it is tied to a node: a port's state, an ONT's, or nothing we read. */
export type TrapMeaning =
  | { kind: 'link'; observation: Omit<PortObservation, 'nodeId' | 'at' | 'source'> }
  | { kind: 'ont'; observation: Omit<OntObservation, 'nodeId' | 'at' | 'source'> }
  | { kind: 'other'; trapOid: string | null };

const V1_TRAP = 164;
// SNMPv2-MIB's snmpTrapEnterprise.0, which RFC 3584 proxies add to a translated v1 trap.
const SNMP_TRAP_ENTERPRISE = '1.3.6.1.6.3.1.1.4.3.0';

/**
 * The trap's identity as SNMPv2 names it: snmpTrapOID.0 for v2; for v1 the generic trap's
 * snmpTraps OID, or enterprise.0.specific for an enterprise-specific one (RFC 3584 §3.1).
 */
export function trapOidOf(pdu: TrapPdu): string | null {
  if (pdu.type === V1_TRAP) {
    if (pdu.generic === undefined) return null;
    if (pdu.generic < 6) return `1.3.6.1.6.3.1.1.5.${pdu.generic + 1}`;
    return pdu.enterprise && pdu.specific !== undefined ? `${pdu.enterprise}.0.${pdu.specific}` : null;
  }
  const trapOid = pdu.varbinds.find((varbind) => varbind.oid === SNMPV2_MIB.snmpTrapOID)?.value;
  return typeof trapOid === 'string' ? trapOid : null;
}

/** The varbinds a notification's OBJECTS clause put there (without sysUpTime and snmpTrapOID). */
const objectsOf = (pdu: TrapPdu) =>
  pdu.varbinds.filter(
    (varbind) =>
      varbind.oid !== SNMPV2_MIB.sysUpTime &&
      varbind.oid !== SNMPV2_MIB.snmpTrapOID &&
      varbind.oid !== SNMP_TRAP_ENTERPRISE,
  );

const instanceUnder = (oid: string, column: string) =>
  oid.startsWith(`${column}.`) ? oid.slice(column.length + 1) : null;

function linkTrap(pdu: TrapPdu, up: boolean): TrapMeaning {
  // IF-MIB linkDown/linkUp: OBJECTS { ifIndex, ifAdminStatus, ifOperStatus }, each with the ifIndex as instance.
  let ifIndex: number | null = null;
  let adminStatus: PortObservation['adminStatus'];
  let operStatus: PortObservation['operStatus'];
  for (const { oid, value } of objectsOf(pdu)) {
    const viaIndex = instanceUnder(oid, IF_MIB.ifIndex);
    const viaAdmin = instanceUnder(oid, IF_MIB.ifAdminStatus);
    const viaOper = instanceUnder(oid, IF_MIB.ifOperStatus);
    if (viaIndex !== null && typeof value === 'number') ifIndex = value;
    if (viaAdmin !== null) {
      ifIndex ??= Number(viaAdmin);
      adminStatus = ifStatusOf(value);
    }
    if (viaOper !== null) {
      ifIndex ??= Number(viaOper);
      operStatus = ifStatusOf(value);
    }
  }
  if (ifIndex === null || !Number.isInteger(ifIndex)) return { kind: 'other', trapOid: trapOidOf(pdu) };
  const observation: Omit<PortObservation, 'nodeId' | 'at' | 'source'> = {
    kind: 'port',
    ifIndex: ifIndexOnRecord(ifIndex),
    operStatus: operStatus ?? (up ? 'up' : 'down'),
  };
  if (adminStatus) observation.adminStatus = adminStatus;
  return { kind: 'link', observation };
}

const huaweiOntTraps: Record<string, { state: 'online' | 'offline'; lastDownCause?: OntDownCause }> = {
  [HUAWEI_XPON_TRAP_MIB.hwGponOntLOSAlarmTrap]: { state: 'offline', lastDownCause: 'los' },
  [HUAWEI_XPON_TRAP_MIB.hwGponOntLOSRecoverAlarmTrap]: { state: 'online' },
  [HUAWEI_XPON_TRAP_MIB.hwGponOntDGAlarmTrap]: { state: 'offline', lastDownCause: 'dying-gasp' },
  [HUAWEI_XPON_TRAP_MIB.hwGponOntDGRecoverAlarmTrap]: { state: 'online' },
};

const zteOntTraps: Record<string, { state: 'online' | 'offline'; lastDownCause?: OntDownCause }> = {
  [ZXGPON_SERVICE_MIB.zxGponOltLOSi]: { state: 'offline', lastDownCause: 'los' },
  [ZXGPON_SERVICE_MIB.zxGponOltLosiRestore]: { state: 'online' },
  [ZXGPON_SERVICE_MIB.zxGponOltDGi]: { state: 'offline', lastDownCause: 'dying-gasp' },
  [ZXGPON_SERVICE_MIB.zxGponOltDGiRestore]: { state: 'online' },
};

/** What a trap means for the card, from its OID and varbinds; 'other' for traps Linedesk does not read. */
export function meaningOf(pdu: TrapPdu): TrapMeaning {
  const trapOid = trapOidOf(pdu);
  if (pdu.type === V1_TRAP && (pdu.generic === V1_GENERIC_TRAP.linkDown || pdu.generic === V1_GENERIC_TRAP.linkUp)) {
    return linkTrap(pdu, pdu.generic === V1_GENERIC_TRAP.linkUp);
  }
  if (trapOid === SNMPV2_MIB.linkDown || trapOid === SNMPV2_MIB.linkUp)
    return linkTrap(pdu, trapOid === SNMPV2_MIB.linkUp);
  const huawei = trapOid ? huaweiOntTraps[trapOid] : undefined;
  if (huawei) {
    // OBJECTS { hwFrameIndex, hwSlotIndex, hwPortIndex, hwGponDeviceOntObjectIndex, … } in that order.
    const [frame, slot, port, ontId] = objectsOf(pdu).map((varbind) => varbind.value);
    if ([frame, slot, port, ontId].every((value) => typeof value === 'number')) {
      return {
        kind: 'ont',
        observation: {
          kind: 'ont',
          ifIndex: ifIndexOnRecord(huaweiGponIfIndex(frame as number, slot as number, port as number)),
          ontId: ontId as number,
          ...huawei,
          ...(huawei.state === 'offline' ? { rxPowerDbm: null, txPowerDbm: null } : {}),
        },
      };
    }
  }
  const zte = trapOid ? zteOntTraps[trapOid] : undefined;
  if (zte) {
    // The ONU is the instance of zxGponOntDevMgmtName (PON ifIndex . ONU number) among the OBJECTS.
    for (const { oid } of objectsOf(pdu)) {
      const instance = instanceUnder(oid, ZXGPON_SERVICE_MIB.zxGponOntDevMgmtName);
      const [ifIndex, ontId] = (instance ?? '').split('.').map(Number);
      if (instance !== null && Number.isInteger(ifIndex) && Number.isInteger(ontId)) {
        return {
          kind: 'ont',
          observation: {
            kind: 'ont',
            ifIndex: ifIndexOnRecord(ifIndex as number),
            ontId: ontId as number,
            ...zte,
            ...(zte.state === 'offline' ? { rxPowerDbm: null, txPowerDbm: null } : {}),
          },
        };
      }
    }
  }
  return { kind: 'other', trapOid };
}
