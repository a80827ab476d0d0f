import client from 'prom-client';

/**
 * The adapter's counters, in no registry of their own: src/server adds them to the one /metrics
 * serves, so an integration never imports the server.
 */
export const pbxEventsReceived = new client.Counter({
  name: 'linedesk_pbx_events_total',
  help: 'PBX events received by type and outcome (applied, repeated, refused)',
  labelNames: ['type', 'outcome'] as const,
  registers: [],
});

export const pbxRequestsRefused = new client.Counter({
  name: 'linedesk_pbx_requests_refused_total',
  help: 'PBX webhook requests refused before any event was applied, by reason',
  labelNames: ['reason'] as const,
  registers: [],
});

export const pbxCommandsSent = new client.Counter({
  name: 'linedesk_pbx_commands_total',
  help: 'Commands to the PBX by command and outcome (sent, failed, not_connected)',
  labelNames: ['command', 'outcome'] as const,
  registers: [],
});

export const pbxWebhookMetrics = [pbxEventsReceived, pbxRequestsRefused, pbxCommandsSent];
