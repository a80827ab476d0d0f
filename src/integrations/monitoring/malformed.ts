import { instantOf } from '../../modules/settings/business-hours.js';

/** A body Linedesk cannot read an alert from: answered 400, logged and counted, nothing stored. */
export class MalformedAlert extends Error {}

/** An RFC 3339 time with its zone, as Alertmanager writes them (nanoseconds allowed). */
export function parseInstant(value: string, where: string): Date {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i.exec(value.trim());
  if (!match) throw new MalformedAlert(`${where} is not a time with a zone: "${value.slice(0, 64)}"`);
  const millis = (match[2] ?? '').slice(0, 3).padEnd(3, '0');
  const instant = new Date(`${match[1]}.${millis}${match[3]?.toUpperCase()}`);
  if (Number.isNaN(instant.getTime())) throw new MalformedAlert(`${where} is not a time: "${value.slice(0, 64)}"`);
  return instant;
}

/**
 * A wall-clock date and time without a zone, as Zabbix's {EVENT.DATE} {EVENT.TIME} ("2026.12.06",
 * "10:15:03") and LibreNMS's timestamp ("2026-12-06 10:15:03") give them: the monitoring server's
 * local time, taken as the ISP's (ISP_TIMEZONE), where its monitoring stands.
 */
export function parseLocalTime(date: string, time: string, zone: string, where: string): Date {
  const day = /^(\d{4})[.-](\d{2})[.-](\d{2})$/.exec(date.trim());
  const clock = /^(\d{2}):(\d{2}):(\d{2})$/.exec(time.trim());
  if (!day || !clock) throw new MalformedAlert(`${where} is not a date and time: "${`${date} ${time}`.slice(0, 64)}"`);
  const [hours, minutes, seconds] = [Number(clock[1]), Number(clock[2]), Number(clock[3])];
  const isoDate = `${day[1]}-${day[2]}-${day[3]}`;
  if (hours > 23 || minutes > 59 || seconds > 59 || Number.isNaN(Date.parse(`${isoDate}T00:00:00Z`))) {
    throw new MalformedAlert(`${where} is not a date and time: "${`${date} ${time}`.slice(0, 64)}"`);
  }
  return new Date(instantOf(isoDate, hours * 60 + minutes, zone).getTime() + seconds * 1000);
}
