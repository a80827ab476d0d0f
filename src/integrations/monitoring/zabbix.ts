import { type Static, Type } from 'typebox';
import type { IncomingAlert } from '../../modules/network/alerts/service.js';
import { MalformedAlert, parseLocalTime } from './malformed.js';

/**
 * What the shipped Zabbix media type (shipped/zabbix-media-linedesk.yaml) posts: its parameters,
 * each one macro, as Zabbix hands them to a webhook script: every value a string. A macro Zabbix
 * could not resolve stays as its own text ("{EVENT.RECOVERY.DATE}" in a problem notification) or
 * becomes "*UNKNOWN*"; both are read as absent. Parameters an administrator adds are let through.
 */
export const ZabbixNotification = Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 65_536 }), {
  maxProperties: 100,
});
export type ZabbixNotification = Static<typeof ZabbixNotification>;

const UNRESOLVED = /^(\{[A-Z0-9_.#$:]+\}|\*UNKNOWN\*)$/;

const given = (notification: ZabbixNotification, name: string): string | undefined => {
  const value = notification[name]?.trim();
  return value === undefined || value === '' || UNRESOLVED.test(value) ? undefined : value;
};

/**
 * The alert a Zabbix notification tells of, correlated on the problem's event id ({EVENT.ID}: a
 * recovery and each update carry the problem's own): {EVENT.VALUE} "1" a problem (or an update of
 * it: acknowledged, commented, severity changed), "0" its recovery. Null for what is not an alert
 * on a host (network discovery, autoregistration).
 */
export function alertFromZabbix(
  notification: ZabbixNotification,
  zone: string,
  receivedAt: Date,
): IncomingAlert | null {
  const source = given(notification, 'event_source');
  if (source !== undefined && source !== '0' && source !== '3') return null;
  const eventId = given(notification, 'event_id');
  if (eventId === undefined || !/^\d{1,20}$/.test(eventId)) {
    throw new MalformedAlert(
      `event_id must be the problem's event id ({EVENT.ID}), got "${(notification.event_id ?? '').slice(0, 64)}"`,
    );
  }
  const value = given(notification, 'event_value');
  if (value !== '0' && value !== '1') {
    throw new MalformedAlert(
      `event_value must be "1" (problem) or "0" (recovery) ({EVENT.VALUE}), got "${(notification.event_value ?? '').slice(0, 64)}"`,
    );
  }
  const localTime = (dateField: string, timeField: string) => {
    const date = given(notification, dateField);
    const time = given(notification, timeField);
    return date === undefined || time === undefined
      ? null
      : parseLocalTime(date, time, zone, `${dateField} ${timeField}`);
  };
  const startedAt = localTime('event_date', 'event_time');
  const recoveredAt = value === '0' ? localTime('event_recovery_date', 'event_recovery_time') : null;
  const ack = given(notification, 'event_ack_status');
  return {
    source: 'zabbix',
    externalId: eventId,
    identifiers: ['host_host', 'host_name', 'host_ip', 'host_dns']
      .map((field) => given(notification, field))
      .filter((identifier): identifier is string => identifier !== undefined),
    name: given(notification, 'event_name') ?? given(notification, 'trigger_name') ?? 'Zabbix problem',
    severity: given(notification, 'event_severity') ?? null,
    status: value === '1' ? 'firing' : 'resolved',
    ...(ack === 'Yes' ? { acknowledged: true } : ack === 'No' ? { acknowledged: false } : {}),
    summary: given(notification, 'event_opdata') ?? given(notification, 'trigger_description') ?? null,
    // Without {EVENT.DATE} (an administrator's own media type) the problem counts from its first
    // notification; its recovery without {EVENT.RECOVERY.DATE}, from its arrival.
    startedAt: startedAt ?? recoveredAt ?? receivedAt,
    endedAt: recoveredAt,
  };
}
