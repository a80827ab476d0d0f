import { type Static, Type } from 'typebox';
import type { IncomingAlert } from '../../modules/network/alerts/service.js';
import { MalformedAlert, parseInstant } from './malformed.js';

/**
 * Prometheus Alertmanager's webhook body, version 4 (notify/webhook/webhook.go: template.Data with
 * version, groupKey and truncatedAlerts): one notification for a group of alerts, each with its
 * own status and fingerprint. Fields Linedesk does not read may be there and more may come with a
 * new Alertmanager (Grafana's adds orgId, values, silenceURL), so unknown fields are let through:
 * a 4xx makes Alertmanager drop the notification for good.
 */
const LabelSet = Type.Record(Type.String(), Type.String());

export const AlertmanagerAlert = Type.Object({
  status: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
  labels: LabelSet,
  annotations: Type.Optional(LabelSet),
  startsAt: Type.String({ maxLength: 64 }),
  endsAt: Type.Optional(Type.String({ maxLength: 64 })),
  generatorURL: Type.Optional(Type.String()),
  fingerprint: Type.Optional(Type.String({ maxLength: 64 })),
});

export const AlertmanagerMessage = Type.Object({
  version: Type.Literal('4'),
  groupKey: Type.String(),
  truncatedAlerts: Type.Optional(Type.Integer({ minimum: 0 })),
  status: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
  receiver: Type.String(),
  groupLabels: Type.Optional(LabelSet),
  commonLabels: Type.Optional(LabelSet),
  commonAnnotations: Type.Optional(LabelSet),
  externalURL: Type.Optional(Type.String()),
  alerts: Type.Array(AlertmanagerAlert, { maxItems: 10_000 }),
});
export type AlertmanagerMessage = Static<typeof AlertmanagerMessage>;

/**
 * The labels that may name the node, most telling first. Prometheus's own `instance` is the
 * scrape target ("127.0.3.7:9116" for an SNMP exporter's target, with its port); exporters and
 * relabelling rules add the others.
 */
const NODE_LABELS = ['node', 'hostname', 'host', 'sysName', 'device', 'instance', 'target', 'exported_instance', 'ip'];

/** Go's zero time: what Alertmanager writes as endsAt of an alert still firing. */
const GO_ZERO_TIME = /^0001-01-01T00:00:00(\.0+)?Z$/;

export function alertsFromAlertmanager(message: AlertmanagerMessage): IncomingAlert[] {
  return message.alerts.map((alert, index) => {
    const where = `alerts/${index}`;
    const annotations = alert.annotations ?? {};
    const endsAt = alert.endsAt && !GO_ZERO_TIME.test(alert.endsAt) ? alert.endsAt : undefined;
    if (alert.fingerprint !== undefined && !/^[0-9a-f]{1,64}$/i.test(alert.fingerprint)) {
      throw new MalformedAlert(`${where}/fingerprint is not hexadecimal`);
    }
    return {
      source: 'alertmanager',
      externalId: (alert.fingerprint ?? fingerprintOf(alert.labels)).toLowerCase(),
      identifiers: NODE_LABELS.map((label) => alert.labels[label]).filter(
        (value): value is string => value !== undefined && value.trim() !== '',
      ),
      name: alert.labels.alertname || 'alert',
      severity: alert.labels.severity || null,
      status: alert.status,
      summary: annotations.summary || annotations.description || annotations.message || null,
      startedAt: parseInstant(alert.startsAt, `${where}/startsAt`),
      endedAt: alert.status === 'resolved' && endsAt ? parseInstant(endsAt, `${where}/endsAt`) : null,
    };
  });
}

const FNV_OFFSET = 14695981039346656037n;
const FNV_PRIME = 1099511628211n;
const MASK = (1n << 64n) - 1n;
const SEPARATOR = 0xff;

/**
 * What Alertmanager would give as the fingerprint (prometheus/common model.LabelSet.Fingerprint:
 * FNV-1a 64 over the labels sorted by name, name and value each followed by 0xff, as 16 hex
 * digits), for a sender that leaves it out (older Alertmanagers, hand-made test payloads).
 */
export function fingerprintOf(labels: Record<string, string>): string {
  let hash = FNV_OFFSET;
  const add = (byte: number) => {
    hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK;
  };
  const names = Object.keys(labels).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const name of names) {
    for (const byte of Buffer.from(name, 'utf8')) add(byte);
    add(SEPARATOR);
    for (const byte of Buffer.from(labels[name] ?? '', 'utf8')) add(byte);
    add(SEPARATOR);
  }
  return hash.toString(16).padStart(16, '0');
}
