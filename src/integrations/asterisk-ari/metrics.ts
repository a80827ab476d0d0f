import client from 'prom-client';

/**
 * The ARI adapter's metrics, in no registry of their own: src/server adds them to the one /metrics
 * serves, so an integration never imports the server. Each instance reports its own: only the
 * leader holds the event WebSocket, every instance sends commands.
 */
export const ariConnected = new client.Gauge({
  name: 'linedesk_ari_connected',
  help: "1 while this instance holds the Stasis application's event WebSocket to Asterisk, else 0",
  registers: [],
});

export const ariEventsReceived = new client.Counter({
  name: 'linedesk_ari_events_total',
  help: "Messages on ARI's event WebSocket by event type (ignored: not JSON, not acted on, or missing a field)",
  labelNames: ['type'] as const,
  registers: [],
});

export const ariCommands = new client.Counter({
  name: 'linedesk_ari_commands_total',
  help: 'Commands to Asterisk through ARI by command and outcome (sent, failed)',
  labelNames: ['command', 'outcome'] as const,
  registers: [],
});

export const ariReconnects = new client.Counter({
  name: 'linedesk_ari_reconnects_total',
  help: 'Times the event WebSocket was connected again after it was lost',
  registers: [],
});

export const ariMetrics = [ariConnected, ariEventsReceived, ariCommands, ariReconnects];
