import { isIPv4 } from 'node:net';
import type { NasAnswer } from '../../common/api/nas-sessions.js';
import type { AppContext } from '../../modules/core/context.js';
import { Problem } from '../../modules/core/problem.js';
import type { NasRequests, SessionOnNas } from '../../modules/nas-sessions/nas-requests.js';
import { listedNases, type NasClient } from '../../modules/settings/nas.js';
import type { AttributeToSend } from './codec.js';
import { type DynamicRequestKind, type SendOptions, sendDynamicAuthorization } from './dynamic-authorization.js';
import { type ServiceAttribute, serviceAttributes } from './service-profile.js';

/**
 * nas-sessions' requests to a NAS over RADIUS (RFC 5176), to the NAS list's address and CoA port
 * with its shared secret. Wired in src/server/main.ts (jobs) and used by the agents' session
 * actions (session-action-routes.ts).
 */
export function radiusNasRequests(ctx: AppContext, options: SendOptions = {}): NasRequests {
  const nasNamed = async (name: string): Promise<NasClient & { secret: Buffer }> => {
    const nas = (await listedNases(ctx)).find((listed) => listed.name === name && !listed.relay);
    if (!nas) {
      throw new Problem('nas-sessions.nas_not_listed', 409, `NAS ${name} is not in the NAS list`, 'Nothing was sent.');
    }
    if (!nas.secret) {
      throw new Problem(
        'nas-sessions.nas_secret_unreadable',
        409,
        `The shared secret of NAS ${name} cannot be opened`,
        'It was stored with another SETTINGS_KEY: set it again in the NAS list. Nothing was sent.',
      );
    }
    return { ...nas, secret: nas.secret };
  };

  const ask = async (
    kind: DynamicRequestKind,
    session: SessionOnNas,
    service: ServiceAttribute[] = [],
  ): Promise<NasAnswer> => {
    const nas = await nasNamed(session.nas);
    const attributes = [...sessionIdentification(nas, session), ...service.map(attributeToSend)];
    const outcome = await sendDynamicAuthorization(
      { address: nas.address, port: nas.coaPort, secret: nas.secret },
      kind,
      attributes,
      options,
    );
    ctx.log.info(
      { nas: nas.name, acctSessionId: session.acctSessionId, request: kind, ...outcome },
      'the NAS answered a dynamic authorization request',
    );
    return {
      request: kind,
      nas: nas.name,
      acctSessionId: session.acctSessionId,
      ...outcome,
      answeredAt: ctx.clock().toISOString(),
    };
  };

  return {
    disconnect: (session) => ask('disconnect', session),
    changeOfAuthorization: async (session, service) => {
      const nas = await nasNamed(session.nas);
      return ask('coa', session, serviceAttributes(nas.vendor, service));
    },
    changesSpeedInPlace: async (name) => {
      const vendor = (await listedNases(ctx)).find((listed) => listed.name === name)?.vendor;
      return vendor !== undefined && changesSpeedInPlace.has(vendor);
    },
  };
}

/**
 * Vendors whose NAS takes a new speed by CoA on a live session: RouterOS (Mikrotik-Rate-Limit),
 * IOS-XE ISG (Cisco-Account-Info's per-session policing), Junos (ERX-Service-Activate of the
 * same service with new parameters). Any other NAS gets a Disconnect and the speed at its login.
 */
const changesSpeedInPlace = new Set<NasClient['vendor']>(['mikrotik', 'cisco', 'juniper']);

/**
 * How the request names the session (RFC 5176 §3: every identification attribute sent must
 * match, so each vendor gets the ones its NAS matches on): Acct-Session-Id always; User-Name
 * except for Cisco ISG (where a User-Name in a CoA reads as an account logon); the session's
 * address for RouterOS, ISG and others; Junos also checks NAS-IP-Address against its own.
 */
function sessionIdentification(nas: NasClient, session: SessionOnNas): AttributeToSend[] {
  const attributes: AttributeToSend[] = [];
  if (session.userName !== null && nas.vendor !== 'cisco') attributes.push(['User-Name', session.userName]);
  attributes.push(['Acct-Session-Id', session.acctSessionId]);
  if (session.framedIp !== null && nas.vendor !== 'juniper') attributes.push(['Framed-IP-Address', session.framedIp]);
  if (nas.vendor === 'juniper' && isIPv4(nas.address)) attributes.push(['NAS-IP-Address', nas.address]);
  return attributes;
}

/** RFC 2868's tagged attributes carry the tag as the value's first octet. */
const attributeToSend = (attribute: ServiceAttribute): AttributeToSend =>
  attribute.tag === undefined || typeof attribute.value !== 'string'
    ? [attribute.name, attribute.value]
    : [attribute.name, Buffer.concat([Buffer.from([attribute.tag]), Buffer.from(attribute.value, 'utf8')])];
