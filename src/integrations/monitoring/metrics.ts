import client from 'prom-client';

/**
 * The monitoring webhooks' counters, in no registry of their own: src/server adds them to the one
 * /metrics serves (as radius's), so an integration never imports the server.
 */
export const monitoringAlertsReceived = new client.Counter({
  name: 'linedesk_monitoring_alerts_received_total',
  help: 'Alerts read from monitoring webhooks, by source (alertmanager, zabbix, librenms)',
  labelNames: ['source'] as const,
  registers: [],
});

export const monitoringUnknownNodes = new client.Counter({
  name: 'linedesk_monitoring_alerts_unknown_node_total',
  help: 'Alerts stored without a node because no node on record answers to what they name, by source',
  labelNames: ['source'] as const,
  registers: [],
});

export const monitoringRefused = new client.Counter({
  name: 'linedesk_monitoring_requests_refused_total',
  help: 'Webhook requests refused, by source and reason (malformed, unauthorized, not_configured)',
  labelNames: ['source', 'reason'] as const,
  registers: [],
});

export const monitoringMetrics = [monitoringAlertsReceived, monitoringUnknownNodes, monitoringRefused];
