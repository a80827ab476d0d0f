/** One accounting record, as the RADIUS adapter hands it over (src/integrations/radius). */
export interface AccountingRecord {
  /** The NAS's name in the settings (its address found it). */
  nas: string;
  status: 'start' | 'interim' | 'stop' | 'accounting_on' | 'accounting_off';
  /** Acct-Session-Id; null only for Accounting-On/Off, which concern the whole NAS. */
  sessionId: string | null;
  /** Event-Timestamp, else arrival minus Acct-Delay-Time (RFC 2869 §5.3, RFC 2866 §5.2). */
  eventAt: Date;
  userName: string | null;
  callingStationId: string | null;
  framedIp: string | null;
  framedIpv6Prefix: string | null;
  delegatedIpv6Prefix: string | null;
  /** Gigawords × 2^32 + Octets; null when the record carries none (a Start). */
  inputBytes: number | null;
  outputBytes: number | null;
  /** Acct-Session-Time: places a session's start when its Start was never seen. */
  sessionSeconds: number | null;
  terminateCause: { code: number; words: string } | null;
  /** DHCP Option 82 as the NAS relayed it (Cisco AV-pair, RFC 4679, Juniper ERX), raw. */
  circuitId: Buffer | null;
  remoteId: Buffer | null;
}

export type AccountingOutcome = 'applied' | 'repeated' | 'late';

/** A record carrying only what is given, the rest absent (as a NAS leaves attributes out). */
export function accountingRecord(
  fields: Pick<AccountingRecord, 'nas' | 'status' | 'sessionId' | 'eventAt'> & Partial<AccountingRecord>,
): AccountingRecord {
  return {
    userName: null,
    callingStationId: null,
    framedIp: null,
    framedIpv6Prefix: null,
    delegatedIpv6Prefix: null,
    inputBytes: null,
    outputBytes: null,
    sessionSeconds: null,
    terminateCause: null,
    circuitId: null,
    remoteId: null,
    ...fields,
  };
}
