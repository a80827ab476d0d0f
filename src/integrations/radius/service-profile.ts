import type { AccountState } from '../../common/api/subscribers.js';
import type { NasVendor } from '../../modules/settings/nas-api.js';

/**
 * One reply attribute, by its name in FreeRADIUS's dictionaries (what rlm_rest and radclient
 * understand, and what codec.ts's dictionary names). `tag` is RFC 2868's tag byte, for the vendor
 * attributes a NAS reads tagged (Juniper's ERX-Service-Activate).
 */
export interface ServiceAttribute {
  name: string;
  value: string | number;
  tag?: number;
}

/**
 * What the NAS must have configured under these names: the walled garden a blocked subscriber is
 * put in (its rules send web traffic to the ISP's payment page) and Junos's service profiles.
 * docs/integrations/radius.md shows each vendor's side.
 */
export interface ServiceNames {
  /** MikroTik: the firewall address list whose members are redirected. */
  mikrotikAddressList: string;
  /** Cisco ISG: the local service (`policy-map type service`) with the layer-4 redirect. */
  ciscoRedirectService: string;
  /** Junos: the dynamic service profile with the captive-portal redirect. */
  juniperRedirectService: string;
  /** Junos: the dynamic service profile that takes the speed as two parameters, down and up. */
  juniperInternetService: string;
  /** Any other NAS: the address pool whose addresses the ISP's firewall redirects. */
  redirectPool: string;
}

export const defaultServiceNames: ServiceNames = {
  mikrotikAddressList: 'linedesk-blocked',
  ciscoRedirectService: 'LINEDESK-REDIRECT',
  juniperRedirectService: 'linedesk-redirect',
  juniperInternetService: 'linedesk-internet',
  redirectPool: 'linedesk-blocked',
};

/** A closed account gets no service: the RADIUS server rejects it, a live session is disconnected. */
export const isServed = (state: AccountState) => state !== 'closed';

/** A blocked or suspended account stays online in the walled garden, so it can reach the payment page. */
const isWalled = (state: AccountState) => state === 'blocked_debt' || state === 'suspended';

const bitsPerSecond = (mbps: number) => mbps * 1_000_000;

/**
 * Cisco's policer burst: 1.5 s of traffic in bytes, the normal burst Cisco's QoS guides recommend
 * for TCP (shorter bursts make TCP back off below the committed rate).
 */
const ciscoBurstBytes = (mbps: number) => Math.round((bitsPerSecond(mbps) / 8) * 1.5);

/**
 * The reply attributes that put an account's session where it belongs on a NAS of this vendor:
 * an active one at its tariff's speed (the same both ways: the tariff names one speed), a blocked
 * or suspended one in the walled garden with the payment page. A closed account gets none: the
 * caller rejects it (authorize) or disconnects it (CoA). Every name is in FreeRADIUS's
 * dictionaries (dictionary.mikrotik, .cisco, .erx), every value in the form the vendor documents:
 *
 * - MikroTik RouterOS: `Mikrotik-Rate-Limit` "rx/tx" from the router's side (rx is the
 *   subscriber's upload), "100M/100M"; `Mikrotik-Address-List` adds the session's address to a
 *   firewall list.
 * - Cisco IOS-XE ISG: `Cisco-Account-Info` "QU;<bps>;<burst bytes>;D;<bps>;<burst bytes>", ISG's
 *   per-session policing in a user profile (RADIUS-Based Policing; no policy-map per tariff
 *   needed, and the same attribute in a CoA changes the rate); "A<service>" activates a local
 *   service, here the one with the layer-4 redirect.
 * - Juniper Junos BNG (the ERX dictionary, vendor 4874): `ERX-Service-Activate`, tagged, activates
 *   a dynamic service profile, with parameters "name(down,up)" in Junos's rate notation ("100m").
 * - Any other NAS: `Framed-Pool` (RFC 2869) names the pool a blocked session's address comes from;
 *   an active one gets nothing vendor-specific, so the NAS's own default profile holds.
 */
export function serviceAttributes(
  vendor: NasVendor,
  account: { state: AccountState; downloadMbps: number },
  names: ServiceNames = defaultServiceNames,
): ServiceAttribute[] {
  if (!isServed(account.state)) return [];
  const walled = isWalled(account.state);
  const mbps = account.downloadMbps;
  switch (vendor) {
    case 'mikrotik':
      return walled
        ? [{ name: 'Mikrotik-Address-List', value: names.mikrotikAddressList }]
        : [{ name: 'Mikrotik-Rate-Limit', value: `${mbps}M/${mbps}M` }];
    case 'cisco': {
      if (walled) return [{ name: 'Cisco-Account-Info', value: `A${names.ciscoRedirectService}` }];
      const rate = `${bitsPerSecond(mbps)};${ciscoBurstBytes(mbps)}`;
      return [{ name: 'Cisco-Account-Info', value: `QU;${rate};D;${rate}` }];
    }
    case 'juniper':
      return [
        {
          name: 'ERX-Service-Activate',
          tag: 1,
          value: walled ? names.juniperRedirectService : `${names.juniperInternetService}(${mbps}m,${mbps}m)`,
        },
      ];
    case 'other':
      return walled ? [{ name: 'Framed-Pool', value: names.redirectPool }] : [];
  }
}
