import client from 'prom-client';

/**
 * The SNMP poller's and trap receiver's counters, in no registry of their own: src/server adds them
 * to the one /metrics serves (as radius's), so an integration never imports the server.
 */
export const snmpPolls = new client.Counter({
  name: 'linedesk_snmp_polls_total',
  help: 'Polls of a node, by outcome (answered, unreachable)',
  labelNames: ['outcome'] as const,
  registers: [],
});

export const snmpPollFailures = new client.Counter({
  name: 'linedesk_snmp_poll_failures_total',
  help: 'Polls that failed, by reason (timeout, error, sink: the store refused the observations)',
  labelNames: ['reason'] as const,
  registers: [],
});

export const snmpPollSeconds = new client.Histogram({
  name: 'linedesk_snmp_poll_duration_seconds',
  help: 'How long one poll of one node took, answered or not',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  registers: [],
});

export const snmpTraps = new client.Counter({
  name: 'linedesk_snmp_traps_total',
  help: 'Traps received and turned into observations, by kind (link, ont, other)',
  labelNames: ['kind'] as const,
  registers: [],
});

export const snmpTrapsDropped = new client.Counter({
  name: 'linedesk_snmp_traps_dropped_total',
  help: 'Traps dropped, by reason (unknown_sender, wrong_community, wrong_user, no_credentials, malformed, sink)',
  labelNames: ['reason'] as const,
  registers: [],
});

export const snmpMetrics = [snmpPolls, snmpPollFailures, snmpPollSeconds, snmpTraps, snmpTrapsDropped];
