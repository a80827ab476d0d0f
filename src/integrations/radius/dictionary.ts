/**
 * The attributes Linedesk reads from accounting, by number, with the names FreeRADIUS's
 * dictionaries give them (/usr/share/freeradius), so a NAS engineer recognises them in a log and
 * radclient sends them by the same name. An attribute not listed is kept raw, never refused.
 */
export type AttributeKind = 'string' | 'octets' | 'integer' | 'ipaddr' | 'ipv6addr' | 'ipv6prefix' | 'date' | 'ifid';

export interface AttributeDefinition {
  name: string;
  kind: AttributeKind;
}

/** RFC 2865, RFC 2866, RFC 2869, RFC 3162, RFC 4818, RFC 5176, RFC 6911. */
export const standardAttributes: ReadonlyMap<number, AttributeDefinition> = new Map([
  [1, { name: 'User-Name', kind: 'string' }],
  [4, { name: 'NAS-IP-Address', kind: 'ipaddr' }],
  [5, { name: 'NAS-Port', kind: 'integer' }],
  [6, { name: 'Service-Type', kind: 'integer' }],
  [7, { name: 'Framed-Protocol', kind: 'integer' }],
  [8, { name: 'Framed-IP-Address', kind: 'ipaddr' }],
  [25, { name: 'Class', kind: 'octets' }],
  [30, { name: 'Called-Station-Id', kind: 'string' }],
  [31, { name: 'Calling-Station-Id', kind: 'string' }],
  [32, { name: 'NAS-Identifier', kind: 'string' }],
  [40, { name: 'Acct-Status-Type', kind: 'integer' }],
  [41, { name: 'Acct-Delay-Time', kind: 'integer' }],
  [42, { name: 'Acct-Input-Octets', kind: 'integer' }],
  [43, { name: 'Acct-Output-Octets', kind: 'integer' }],
  [44, { name: 'Acct-Session-Id', kind: 'string' }],
  [45, { name: 'Acct-Authentic', kind: 'integer' }],
  [46, { name: 'Acct-Session-Time', kind: 'integer' }],
  [47, { name: 'Acct-Input-Packets', kind: 'integer' }],
  [48, { name: 'Acct-Output-Packets', kind: 'integer' }],
  [49, { name: 'Acct-Terminate-Cause', kind: 'integer' }],
  [50, { name: 'Acct-Multi-Session-Id', kind: 'string' }],
  [51, { name: 'Acct-Link-Count', kind: 'integer' }],
  [52, { name: 'Acct-Input-Gigawords', kind: 'integer' }],
  [53, { name: 'Acct-Output-Gigawords', kind: 'integer' }],
  [55, { name: 'Event-Timestamp', kind: 'date' }],
  [61, { name: 'NAS-Port-Type', kind: 'integer' }],
  [80, { name: 'Message-Authenticator', kind: 'octets' }],
  [85, { name: 'Acct-Interim-Interval', kind: 'integer' }],
  [87, { name: 'NAS-Port-Id', kind: 'string' }],
  [88, { name: 'Framed-Pool', kind: 'string' }],
  [95, { name: 'NAS-IPv6-Address', kind: 'ipv6addr' }],
  [96, { name: 'Framed-Interface-Id', kind: 'ifid' }],
  [97, { name: 'Framed-IPv6-Prefix', kind: 'ipv6prefix' }],
  [101, { name: 'Error-Cause', kind: 'integer' }],
  [123, { name: 'Delegated-IPv6-Prefix', kind: 'ipv6prefix' }],
  [168, { name: 'Framed-IPv6-Address', kind: 'ipv6addr' }],
]);

export const VENDOR_CISCO = 9;
export const VENDOR_JUNIPER_ERX = 4874;
export const VENDOR_DSL_FORUM = 3561;
export const VENDOR_MIKROTIK = 14988;

/** Vendor-Specific (26) sub-attributes of the vendors Linedesk's NASes come from. */
export const vendorAttributes: ReadonlyMap<
  number,
  { vendor: string; attributes: ReadonlyMap<number, AttributeDefinition> }
> = new Map([
  [
    VENDOR_CISCO,
    {
      vendor: 'Cisco',
      attributes: new Map([
        [1, { name: 'Cisco-AVPair', kind: 'string' }],
        [2, { name: 'Cisco-NAS-Port', kind: 'string' }],
        [250, { name: 'Cisco-Account-Info', kind: 'string' }],
      ]),
    },
  ],
  [
    VENDOR_JUNIPER_ERX,
    {
      vendor: 'ERX',
      attributes: new Map([
        [1, { name: 'ERX-Virtual-Router-Name', kind: 'string' }],
        [56, { name: 'ERX-Dhcp-Mac-Addr', kind: 'string' }],
        [57, { name: 'ERX-Dhcp-Gi-Address', kind: 'ipaddr' }],
        // Tagged (RFC 2868): its value's first octet is the tag.
        [65, { name: 'ERX-Service-Activate', kind: 'octets' }],
        [159, { name: 'ERX-Dhcp-Option-82', kind: 'octets' }],
        [182, { name: 'ERX-Acc-Loop-Remote-Id', kind: 'string' }],
      ]),
    },
  ],
  [
    VENDOR_DSL_FORUM,
    {
      vendor: 'ADSL-Forum',
      attributes: new Map([
        [1, { name: 'ADSL-Agent-Circuit-Id', kind: 'octets' }],
        [2, { name: 'ADSL-Agent-Remote-Id', kind: 'octets' }],
        [129, { name: 'Actual-Data-Rate-Upstream', kind: 'integer' }],
        [130, { name: 'Actual-Data-Rate-Downstream', kind: 'integer' }],
      ]),
    },
  ],
  [
    VENDOR_MIKROTIK,
    {
      vendor: 'Mikrotik',
      attributes: new Map([
        [3, { name: 'Mikrotik-Group', kind: 'string' }],
        [8, { name: 'Mikrotik-Rate-Limit', kind: 'string' }],
        [9, { name: 'Mikrotik-Realm', kind: 'string' }],
        [10, { name: 'Mikrotik-Host-IP', kind: 'ipaddr' }],
        [19, { name: 'Mikrotik-Address-List', kind: 'string' }],
        [22, { name: 'Mikrotik-Delegated-IPv6-Pool', kind: 'string' }],
      ]),
    },
  ],
]);

/** Acct-Status-Type (RFC 2866 §5.1; 7 and 8 are Accounting-On and -Off). */
export const ACCT_START = 1;
export const ACCT_STOP = 2;
export const ACCT_INTERIM = 3;
export const ACCT_ON = 7;
export const ACCT_OFF = 8;

/** Acct-Terminate-Cause in words: 1-18 from RFC 2866 §5.10, 19-22 from RFC 3580 §3.32. */
export const terminateCauses: ReadonlyMap<number, string> = new Map([
  [1, 'User Request'],
  [2, 'Lost Carrier'],
  [3, 'Lost Service'],
  [4, 'Idle Timeout'],
  [5, 'Session Timeout'],
  [6, 'Admin Reset'],
  [7, 'Admin Reboot'],
  [8, 'Port Error'],
  [9, 'NAS Error'],
  [10, 'NAS Request'],
  [11, 'NAS Reboot'],
  [12, 'Port Unneeded'],
  [13, 'Port Preempted'],
  [14, 'Port Suspended'],
  [15, 'Service Unavailable'],
  [16, 'Callback'],
  [17, 'User Error'],
  [18, 'Host Request'],
  [19, 'Supplicant Restart'],
  [20, 'Reauthentication Failure'],
  [21, 'Port Reinitialized'],
  [22, 'Port Administratively Disabled'],
]);

export function terminateCauseInWords(cause: number): string {
  return terminateCauses.get(cause) ?? `Unknown cause ${cause}`;
}

/**
 * Error-Cause in a Disconnect-NAK or CoA-NAK (RFC 5176 §3.6), in words for the agent: 2xx the
 * request was done all the same, 4xx the request was wrong, 5xx the NAS could not do it.
 */
export const errorCauses: ReadonlyMap<number, string> = new Map([
  [201, 'Residual Session Context Removed'],
  [202, 'Invalid EAP Packet (Ignored)'],
  [401, 'Unsupported Attribute'],
  [402, 'Missing Attribute'],
  [403, 'NAS Identification Mismatch'],
  [404, 'Invalid Request'],
  [405, 'Unsupported Service'],
  [406, 'Unsupported Extension'],
  [407, 'Invalid Attribute Value'],
  [501, 'Administratively Prohibited'],
  [502, 'Request Not Routable (Proxy)'],
  [503, 'Session Context Not Found'],
  [504, 'Session Context Not Removable'],
  [505, 'Other Proxy Processing Error'],
  [506, 'Resources Unavailable'],
  [507, 'Request Initiated'],
  [508, 'Multiple Session Selection Unsupported'],
]);

export function errorCauseInWords(cause: number): string {
  return errorCauses.get(cause) ?? `Unknown error cause ${cause}`;
}
