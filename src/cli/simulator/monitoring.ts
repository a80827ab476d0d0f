import { createHash } from 'node:crypto';
import type { Random } from '../../demo-data/random.js';
import { exponential, uniform } from './draws.js';

/**
 * The ISP's Prometheus Alertmanager, as far as Linedesk can tell: now and then an alert on one of
 * the simulated switches (a blackbox probe failing, the switch's CPU high) fires, and some minutes
 * later resolves, each sent to Linedesk's webhook as Alertmanager's webhook (version 4) sends it,
 * with the bearer token both sides are given (MONITORING_WEBHOOK_TOKEN).
 */

export interface MonitoredNode {
  name: string;
  address: string;
}

export interface SimulatedMonitoringOptions {
  url: string;
  token: string;
  nodes: MonitoredNode[];
  random: Random;
  speed: number;
  say: (text: string) => void;
  /** Mean simulated minutes between alerts (default 30). */
  alertMinutes?: number;
}

export interface MonitoringStatistics {
  fired: number;
  resolved: number;
  refused: number;
}

const RULES = [
  { alertname: 'SwitchHighCpu', severity: 'warning', summary: 'CPU load above 90 % for 5 minutes' },
  { alertname: 'BlackboxProbeFailed', severity: 'critical', summary: 'ICMP probe of the management address fails' },
  { alertname: 'SwitchTemperatureHigh', severity: 'warning', summary: 'Temperature above 60 °C' },
] as const;

interface Alert {
  node: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  fingerprint: string;
}

export class SimulatedMonitoring {
  readonly statistics: MonitoringStatistics = { fired: 0, resolved: 0, refused: 0 };
  private timers: NodeJS.Timeout[] = [];
  private readonly firing = new Set<Alert>();
  private readonly sending = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly options: SimulatedMonitoringOptions) {}

  start(): void {
    this.options.say(
      `ALERT Alertmanager sends an alert on ${this.options.nodes.map((node) => node.name).join(', ')} now and then to ${this.options.url}/api/monitoring/alertmanager`,
    );
    this.scheduleNext();
  }

  /** Resolves what is still firing, so no alert stays behind on the cards. */
  async stop(): Promise<MonitoringStatistics> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    // An alert being sent as it stops is firing once its request is answered: resolved with the rest.
    await Promise.all(this.sending);
    for (const alert of [...this.firing]) await this.resolve(alert);
    return this.statistics;
  }

  private later(simulatedSeconds: number, work: () => void) {
    if (this.stopped) return;
    const timer = setTimeout(
      () => {
        this.timers = this.timers.filter((t) => t !== timer);
        if (!this.stopped) work();
      },
      (simulatedSeconds * 1000) / this.options.speed,
    );
    this.timers.push(timer);
  }

  private scheduleNext() {
    const { random } = this.options;
    if (this.stopped) return;
    this.later(exponential(random, (this.options.alertMinutes ?? 30) * 60), () => {
      const sending = this.fire().finally(() => {
        this.sending.delete(sending);
        this.scheduleNext();
      });
      this.sending.add(sending);
    });
  }

  private async fire() {
    const { random, nodes } = this.options;
    const node = random.pick(nodes);
    const rule = random.pick([...RULES]);
    const labels = {
      alertname: rule.alertname,
      instance: `${node.address}:9116`,
      job: 'blackbox',
      severity: rule.severity,
    };
    const alert: Alert = {
      node: node.name,
      labels,
      annotations: { summary: rule.summary },
      startsAt: new Date().toISOString(),
      // Alertmanager's fingerprint is a hash of the labels: the same alert keeps it.
      fingerprint: createHash('sha256').update(JSON.stringify(labels)).digest('hex').slice(0, 16),
    };
    if ([...this.firing].some((other) => other.fingerprint === alert.fingerprint)) return;
    if (await this.send('firing', alert)) {
      this.firing.add(alert);
      this.statistics.fired++;
      this.options.say(`ALERT ${rule.alertname} on ${node.name} firing`);
      this.later(uniform(random, 120, 600), () => void this.resolve(alert));
    }
  }

  private async resolve(alert: Alert) {
    this.firing.delete(alert);
    if (await this.send('resolved', alert)) {
      this.statistics.resolved++;
      this.options.say(`ALERT ${alert.labels.alertname} on ${alert.node} resolved`);
    }
  }

  /** One notification of Alertmanager's webhook (version 4) with this alert in its group. */
  private async send(status: 'firing' | 'resolved', alert: Alert): Promise<boolean> {
    const body = {
      version: '4',
      groupKey: `{}:{alertname="${alert.labels.alertname}"}`,
      truncatedAlerts: 0,
      status,
      receiver: 'linedesk',
      groupLabels: { alertname: alert.labels.alertname },
      commonLabels: alert.labels,
      commonAnnotations: alert.annotations,
      externalURL: 'http://alertmanager.simulator.invalid:9093',
      alerts: [
        {
          status,
          labels: alert.labels,
          annotations: alert.annotations,
          startsAt: alert.startsAt,
          endsAt: status === 'resolved' ? new Date().toISOString() : '0001-01-01T00:00:00Z',
          generatorURL: 'http://prometheus.simulator.invalid:9090/graph',
          fingerprint: alert.fingerprint,
        },
      ],
    };
    try {
      const response = await fetch(new URL('/api/monitoring/alertmanager', this.options.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.ok) return true;
      this.statistics.refused++;
      this.options.say(`ALERT Linedesk answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    } catch (error) {
      this.statistics.refused++;
      this.options.say(`ALERT not delivered: ${(error as Error).message}`);
    }
    return false;
  }
}
