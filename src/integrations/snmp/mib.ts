/**
 * The MIB objects Linedesk reads, each by its MIB's name (docs/integrations/snmp.md). Columns are
 * given without the instance; an instance is the table's index appended (ifIndex, or the PON
 * port's ifIndex and the ONT's number).
 */

/** IF-MIB (RFC 2863) ifTable and ifXTable columns, indexed by ifIndex. */
export const IF_MIB = {
  ifAdminStatus: '1.3.6.1.2.1.2.2.1.7',
  ifOperStatus: '1.3.6.1.2.1.2.2.1.8',
  ifInErrors: '1.3.6.1.2.1.2.2.1.14',
  ifOutErrors: '1.3.6.1.2.1.2.2.1.20',
  ifHCInOctets: '1.3.6.1.2.1.31.1.1.1.6',
  ifHCOutOctets: '1.3.6.1.2.1.31.1.1.1.10',
  /** Mb/s (RFC 2863: ifSpeed saturates at 4.29 Gb/s). */
  ifHighSpeed: '1.3.6.1.2.1.31.1.1.1.15',
  /** linkDown/linkUp traps carry the port as ifIndex.<ifIndex>. */
  ifIndex: '1.3.6.1.2.1.2.2.1.1',
} as const;

/** EtherLike-MIB (RFC 3635) dot3StatsDuplexStatus, indexed by dot3StatsIndex (= ifIndex). */
export const ETHERLIKE_MIB = {
  dot3StatsDuplexStatus: '1.3.6.1.2.1.10.7.2.1.19',
} as const;

/** BRIDGE-MIB (RFC 4188) and Q-BRIDGE-MIB (RFC 4363): which MAC is behind which bridge port. */
export const BRIDGE_MIB = {
  /** Bridge port → ifIndex: the forwarding tables name bridge ports, not interfaces. */
  dot1dBasePortIfIndex: '1.3.6.1.2.1.17.1.4.1.2',
  /** Indexed by the MAC's six octets; the value is the bridge port. */
  dot1dTpFdbPort: '1.3.6.1.2.1.17.4.3.1.2',
  /** Indexed by the FDB id (the VLAN on most switches) and the MAC's six octets. */
  dot1qTpFdbPort: '1.3.6.1.2.1.17.7.1.2.2.1.2',
} as const;

/** SNMPv2-MIB (RFC 3418): what every SNMPv2 trap carries first, and the generic traps. */
export const SNMPV2_MIB = {
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  snmpTrapOID: '1.3.6.1.6.3.1.1.4.1.0',
  /** IF-MIB's linkDown/linkUp NOTIFICATION-TYPEs (snmpTraps 3 and 4). */
  linkDown: '1.3.6.1.6.3.1.1.5.3',
  linkUp: '1.3.6.1.6.3.1.1.5.4',
} as const;

/** SNMPv1 generic-trap numbers (RFC 1157) of the same two. */
export const V1_GENERIC_TRAP = { linkDown: 2, linkUp: 3 } as const;

/**
 * HUAWEI-XPON-MIB (MA5600T/MA5608T/MA5800): hwGponDeviceOntControlInfoTable (.46) and
 * hwGponDeviceOntOpticalDdmInfoTable (.51) under hwXponDeviceControlObjects
 * (1.3.6.1.4.1.2011.6.128.1.1.2), both indexed by the PON port's ifIndex and hwGponDeviceOntIndex.
 */
export const HUAWEI_XPON_MIB = {
  /** up(1), down(2), invalid(-1). */
  hwGponDeviceOntControlRunStatus: '1.3.6.1.4.1.2011.6.128.1.1.2.46.1.15',
  /** Integer32: 1 LOS, 2 LOSi/LOBi, 3 LOFi, 4 SFi, 5 LOAi, 6 LOAMi, 8 deactivated, 13 dying-gasp, … (-1 query failed). */
  hwGponDeviceOntControlLastDownCause: '1.3.6.1.4.1.2011.6.128.1.1.2.46.1.24',
  /** Units of 0.01 dBm; 2147483647 when the ONT is not online. */
  hwGponOntOpticalDdmTxPower: '1.3.6.1.4.1.2011.6.128.1.1.2.51.1.3',
  hwGponOntOpticalDdmRxPower: '1.3.6.1.4.1.2011.6.128.1.1.2.51.1.4',
} as const;

/**
 * HUAWEI-XPON-TRAP-MIB's ONT alarms (hwGponOntAlarmTraps 0, under HUAWEI-GPON-MIB's hwGponDeviceObjects
 * 1.3.6.1.4.1.2011.5.100.1.1, hwGponTraps 31, hwGponAlarmTraps 2):
 * their OBJECTS are hwFrameIndex, hwSlotIndex, hwPortIndex, hwGponDeviceOntObjectIndex, in that
 * order (RFC 3416: a notification's varbinds follow its OBJECTS clause after sysUpTime and snmpTrapOID).
 */
export const HUAWEI_XPON_TRAP_MIB = {
  hwGponOntLOSAlarmTrap: '1.3.6.1.4.1.2011.5.100.1.1.31.2.2.0.12',
  hwGponOntLOSRecoverAlarmTrap: '1.3.6.1.4.1.2011.5.100.1.1.31.2.2.0.13',
  hwGponOntDGAlarmTrap: '1.3.6.1.4.1.2011.5.100.1.1.31.2.2.0.18',
  hwGponOntDGRecoverAlarmTrap: '1.3.6.1.4.1.2011.5.100.1.1.31.2.2.0.19',
} as const;

/**
 * A Huawei MA5600-series GPON port's ifIndex from frame/slot/port, as the OLT numbers them
 * (0xFA000000 + slot × 0x2000 + port × 0x100, frame 0): how an ONT trap's frame/slot/port finds the
 * port on record.
 */
export const huaweiGponIfIndex = (frame: number, slot: number, port: number) =>
  0xfa000000 + frame * 0x200000 + slot * 0x2000 + port * 0x100;

/**
 * ZXGPON-SERVICE-MIB (ZTE C300/C320), under zxGponRootMib (1.3.6.1.4.1.3902.1012.3), indexed by the
 * PON port's ifIndex and the ONU's number.
 */
export const ZXGPON_SERVICE_MIB = {
  /** logging(0), los(1), syncMib(2), working(3), dyinggasp(4), authFailed(5), offline(6). */
  zxGponOntPhaseState: '1.3.6.1.4.1.3902.1012.3.28.2.1.4',
  /** zxGponTraps (.45): LOSi, its restore, dying-gasp (DGi), its restore; OBJECTS ifIndex, zxGponOntDevMgmtName, … */
  zxGponOltLOSi: '1.3.6.1.4.1.3902.1012.3.45.101',
  zxGponOltLosiRestore: '1.3.6.1.4.1.3902.1012.3.45.102',
  zxGponOltDGi: '1.3.6.1.4.1.3902.1012.3.45.123',
  zxGponOltDGiRestore: '1.3.6.1.4.1.3902.1012.3.45.124',
  /** The trap's ONU by its zxGponOntDevMgmtName instance (PON ifIndex . ONU number). */
  zxGponOntDevMgmtName: '1.3.6.1.4.1.3902.1012.3.28.1.1.2',
} as const;

/**
 * ZTE's ONU optical levels (C300/C320 V1.x firmware), indexed by PON ifIndex, ONU number and the
 * ONU's optical interface (1): receive in column 10, transmit in column 14, each value × 0.002 − 30
 * dBm; no public MIB file names this table, so it is given by number only.
 */
export const ZTE_ONU_OPTICAL = {
  rxPower: '1.3.6.1.4.1.3902.1012.3.50.12.1.1.10',
  txPower: '1.3.6.1.4.1.3902.1012.3.50.12.1.1.14',
} as const;

/**
 * network_ports.if_index is a 32-bit signed integer, as IF-MIB's InterfaceIndex (1..2147483647)
 * promises; Huawei's OLTs number their GPON ports above that (0xFA000000 + …, unsigned). Such an
 * ifIndex is kept on record as its two's complement (negative), and put back on the wire.
 */
export const ifIndexOnRecord = (wire: number) => (wire > 0x7fffffff ? wire - 0x100000000 : wire);
export const ifIndexOnWire = (onRecord: number) => (onRecord < 0 ? onRecord + 0x100000000 : onRecord);
