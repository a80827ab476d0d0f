import { type Static, Type } from 'typebox';
import { StrictObject, Text } from '../../common/schema-kit.js';
import type { AppContext } from '../../modules/core/context.js';
import { macOf, option82Text } from '../../modules/nas-sessions/identity.js';
import { accountOfSession, type SessionKeys } from '../../modules/network/service.js';
import { nasByAddress } from '../../modules/settings/nas.js';
import type { NasVendor } from '../../modules/settings/nas-api.js';
import { type AccountProfile, accountProfileOf } from '../../modules/subscribers/account-profile.js';
import { ciscoTag, option82SubOptions } from './accounting-record.js';
import { isServed, type ServiceAttribute, serviceAttributes } from './service-profile.js';

/**
 * An attribute's name as FreeRADIUS writes it: its dictionary name (`Cisco-AVPair`), `Attr-26.9.99`
 * for one no dictionary lists, a tag after a colon.
 */
const ATTRIBUTE_NAME = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$';

/**
 * The request's attributes as rlm_rest's JSON body encodes them (raddb/mods-available/rest):
 * `{"User-Name": {"type": "string", "value": ["p100001"]}, …}`, every value in a list, octets as
 * "0x…" hex. `attr_num` comes with `attr_num = yes`. FreeRADIUS keeps at most 200 attributes
 * (security.max_attributes) and a RADIUS attribute at most 253 octets, 508 characters as hex.
 */
export const RestRequest = Type.Record(
  Type.String({ pattern: ATTRIBUTE_NAME }),
  StrictObject({
    type: Text(32, { minLength: 1 }),
    attr_num: Type.Optional(Type.Integer({ minimum: 0, maximum: 4_294_967_295 })),
    value: Type.Array(Type.Union([Text(1024), Type.Number()]), { minItems: 1, maxItems: 64 }),
  }),
  { additionalProperties: false, maxProperties: 255 },
);
export type RestRequest = Static<typeof RestRequest>;

/**
 * rlm_rest's JSON response: each key an attribute (`list:` in front, reply by default), each value
 * assigned with `op`, and `do_xlat: false` so FreeRADIUS never expands a `%{…}` in it.
 */
export const RestReply = Type.Record(
  Type.String({ pattern: '^(reply|control):[A-Za-z0-9][A-Za-z0-9._:-]*$' }),
  StrictObject({
    value: Type.Union([Type.String(), Type.Integer()]),
    op: Type.Literal(':='),
    do_xlat: Type.Literal(false),
  }),
  { additionalProperties: false },
);
export type RestReply = Static<typeof RestReply>;

const firstText = (request: RestRequest, name: string): string | null => {
  const value = request[name]?.value[0];
  return value === undefined ? null : String(value);
};

const allTexts = (request: RestRequest, name: string): string[] => (request[name]?.value ?? []).map(String);

/** Octets as rlm_rest prints them ("0x6574…"); a value written as text stays that text. */
function octetsOf(value: string | null): Buffer | null {
  if (value === null || value === '') return null;
  return /^0x([0-9A-Fa-f]{2})+$/.test(value) ? Buffer.from(value.slice(2), 'hex') : Buffer.from(value, 'latin1');
}

/**
 * Option 82 where the NAS relayed it, in FreeRADIUS's names: RFC 4679's ADSL-Agent-Circuit-Id and
 * -Remote-Id, Juniper's whole option in ERX-Dhcp-Option-82, Cisco's circuit-id-tag / remote-id-tag
 * AV-pairs; the first found of each wins, as for accounting (accounting-record.ts).
 */
function option82Of(request: RestRequest): { circuitId: Buffer | null; remoteId: Buffer | null } {
  let circuitId = octetsOf(firstText(request, 'ADSL-Agent-Circuit-Id'));
  let remoteId = octetsOf(firstText(request, 'ADSL-Agent-Remote-Id'));
  const juniper = octetsOf(firstText(request, 'ERX-Dhcp-Option-82'));
  if (juniper) {
    const options = option82SubOptions(juniper);
    circuitId ??= options.circuitId;
    remoteId ??= options.remoteId;
  }
  for (const pair of allTexts(request, 'Cisco-AVPair')) {
    const [key, ...rest] = pair.split('=');
    const value = rest.join('=');
    if (key === 'circuit-id-tag' && value) circuitId ??= ciscoTag(value);
    if (key === 'remote-id-tag' && value) remoteId ??= ciscoTag(value);
  }
  return { circuitId, remoteId };
}

/** What in an Access-Request may name the account: the same keys accounting is matched by. */
export function sessionKeysOf(request: RestRequest): SessionKeys {
  const { circuitId, remoteId } = option82Of(request);
  return {
    pppoeLogin: firstText(request, 'User-Name'),
    // Junos's DHCP requests carry the client's MAC in its own attribute.
    mac: macOf(firstText(request, 'Calling-Station-Id')) ?? macOf(firstText(request, 'ERX-Dhcp-Mac-Addr')),
    ip: firstText(request, 'Framed-IP-Address'),
    circuitId: option82Text(circuitId),
    remoteId: option82Text(remoteId),
  };
}

export type AuthorizeDecision =
  | { outcome: 'unknown' }
  | { outcome: 'closed'; account: AccountProfile }
  | { outcome: 'served'; account: AccountProfile; vendor: NasVendor; reply: RestReply };

/** An attribute as rlm_rest's response names it: the reply list, a tag after a colon. */
const replyName = (attribute: ServiceAttribute) =>
  `reply:${attribute.name}${attribute.tag === undefined ? '' : `:${attribute.tag}`}`;

/**
 * Linedesk's part of an Access-Request: whose session it is, and what the NAS it came through
 * should give it. The NAS is the one NAS-IP-Address names in the NAS list (its vendor decides the
 * attributes, its interim interval is handed on); one not listed is treated as another vendor's.
 * Whether the subscriber's password is right stays with the RADIUS server.
 */
export async function authorizeSession(ctx: AppContext, request: RestRequest): Promise<AuthorizeDecision> {
  const nasAddress = firstText(request, 'NAS-IP-Address') ?? firstText(request, 'NAS-IPv6-Address');
  const [nas, matched] = await Promise.all([
    nasAddress === null ? null : nasByAddress(ctx, nasAddress),
    accountOfSession(ctx.database.db, sessionKeysOf(request)),
  ]);
  const account = matched && (await accountProfileOf(ctx, matched.accountId));
  if (!account) return { outcome: 'unknown' };
  if (!isServed(account.state)) return { outcome: 'closed', account };
  const vendor = nas?.vendor ?? 'other';
  const reply: RestReply = {};
  for (const attribute of serviceAttributes(vendor, account)) {
    reply[replyName(attribute)] = { value: attribute.value, op: ':=', do_xlat: false };
  }
  // The interval travels only in Access-Accept (RFC 2869 §5.16): the one Linedesk's stale sweep expects.
  if (nas) reply['reply:Acct-Interim-Interval'] = { value: nas.interimIntervalSeconds, op: ':=', do_xlat: false };
  return { outcome: 'served', account, vendor, reply };
}
