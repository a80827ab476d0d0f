/**
 * The ISP works on Moscow time: every date and time an operator sees is in this zone, whatever
 * the zone of the operator's computer (a night-shift operator in Novosibirsk reads the same
 * "14:20" as the subscriber in Moscow). The server's ISP_TIMEZONE defaults to the same zone.
 */
export const ispTimeZone = 'Europe/Moscow';
