import client from 'prom-client';

/**
 * The accounting listener's counters, in no registry of their own: src/server adds them to the
 * one /metrics serves (as pbx-webhook's), so an integration never imports the server.
 */
export const radiusRecords = new client.Counter({
  name: 'linedesk_radius_accounting_records_total',
  help: 'Accounting-Requests answered, by status type and outcome (applied, repeated, late, retransmission)',
  labelNames: ['status', 'outcome'] as const,
  registers: [],
});

export const radiusDropped = new client.Counter({
  name: 'linedesk_radius_dropped_total',
  help: 'Datagrams dropped without an answer, by reason (short, bad_length, bad_attribute, not_accounting, unknown_client, unknown_nas_behind_relay, no_secret, bad_authenticator, bad_record, write_failed)',
  labelNames: ['reason'] as const,
  registers: [],
});

export const radiusMetrics = [radiusRecords, radiusDropped];
