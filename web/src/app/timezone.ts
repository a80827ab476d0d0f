/**
 * Every date and time an operator sees is in the ISP's zone, whatever the zone of the operator's
 * computer: a night-shift operator in Novosibirsk reads the same "14:20" as the subscriber in
 * Moscow. The zone comes from the server (ISP_TIMEZONE, sent with the signed-in member); the
 * server's own default, the demo city's Yekaterinburg time, stands in until the first answer.
 */
const defaultIspTimeZone = 'Asia/Yekaterinburg';

let current = defaultIspTimeZone;

/** The IANA zone to show instants in. */
export const ispTimeZone = () => current;

/** Takes the zone the server names; a zone this browser does not know keeps the previous one. */
export function adoptIspTimeZone(zone: string | undefined) {
  if (!zone || zone === current) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    current = zone;
  } catch {
    // RangeError: an old browser without this zone. The zone it had beats showing nothing.
  }
}
