import { randomBytes } from 'node:crypto';
import type { SettingsView } from '../../common/api/settings.js';
import type { SubscriberCard, SubscriberList } from '../../common/api/subscribers.js';
import { Random, Weighted } from '../../demo-data/random.js';
import { type AgentStatistics, SimulatedAgent } from './agents.js';
import { exponential, unknownNumber } from './draws.js';
import { ApiError, LinedeskClient } from './linedesk-client.js';
import { type MonitoringStatistics, SimulatedMonitoring } from './monitoring.js';
import { NasRefused, type NasStatistics, SimulatedNas } from './nas.js';
import { type Dialling, type PhoneStatistics, PhoneSystem } from './phone-system.js';
import { SimulatedSwitches, SnmpsimMissing, type SwitchStatistics } from './switches.js';

/**
 * One run of the simulator against a running Linedesk: it connects itself as the PBX through the
 * settings API, plays the callers and the agents (and a NAS sending RADIUS accounting), and on
 * stop ends its calls and gives the settings back as it found them. `npm run simulate` drives it, and so does its test.
 */

/** In an order that covers every line first, so `--agents 3` still serves l1, l2 and l3. */
export const simulatedAgentLogins = ['l1-2', 'l2-2', 'l3-2', 'l1-3', 'l2-3', 'l1-4', 'l1-5'];
/** Calls per line: the first line takes most, the network engineers few. */
const lineShares: Record<string, number> = { l1: 70, l2: 25, l3: 5 };

export interface SimulationOptions {
  url: string;
  /** Calls per hour of simulated time. */
  rate: number;
  agents: number;
  speed: number;
  seed: number;
  password: string;
  openLines: boolean;
  say: (text: string) => void;
  /** How often the simulated agents look at their desks, ms (default 1000). */
  agentPollMs?: number;
  /** A NAS sending RADIUS accounting to Linedesk's listener there; none when absent. */
  nas?: { host: string; port: number; subscribers?: number; cpeRebootMinutes?: number; nasRebootMinutes?: number };
  /** Access switches on snmpsim, sending traps to Linedesk's receiver there; none when absent. */
  snmp?: { trapHost: string; trapPort: number };
  /** MONITORING_WEBHOOK_TOKEN: with it, an Alertmanager alert now and then on the simulated switches. */
  monitoringToken?: string;
}

export interface SimulationSummary {
  elapsedMs: number;
  phones: PhoneStatistics;
  agents: AgentStatistics[];
  /** Calls still on the line when it stopped, reported ended then. */
  endedAtStop: number;
  /** What the NAS sent; null when it did not play. */
  nas: NasStatistics | null;
  /** What the switches did; null when they did not play. */
  switches: SwitchStatistics | null;
  monitoring: MonitoringStatistics | null;
}

export interface Simulation {
  mode: 'acd' | 'card-pop';
  commandUrl: string;
  agents: string[];
  /** The simulated NAS, when it plays. */
  nas: SimulatedNas | null;
  /** The figures so far, while it runs. */
  progress(): Omit<SimulationSummary, 'endedAtStop'>;
  stop(): Promise<SimulationSummary>;
}

/** Why the simulator will not run here: said to the user as it is. */
export class SimulationRefused extends Error {}

const isLoopback = (address: string) => {
  const host = new URL(address).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
};

/**
 * How a caller reaches each line with the numbers the settings give it: a menu choice (a short
 * entry such as '2') after dialling the main number, or the line's own number.
 */
export function diallingPlan(lines: SettingsView['lines']): Weighted<Dialling> {
  const isMenuChoice = (entry: string) => entry.replace(/\D/g, '').length <= 2;
  const mainNumber = lines.flatMap((line) => line.dialled).find((entry) => !isMenuChoice(entry)) ?? null;
  const plans = lines.map((line): Dialling => {
    const menu = line.dialled.find(isMenuChoice);
    const own = line.dialled.find((entry) => !isMenuChoice(entry));
    if (menu) return { line: line.id, to: mainNumber, menuChoice: menu };
    return { line: line.id, to: own ?? null, menuChoice: null };
  });
  const known = plans.some((plan) => lineShares[plan.line]);
  return new Weighted(
    plans,
    plans.map((plan) => (known ? (lineShares[plan.line] ?? 0) : 1)),
  );
}

/**
 * The phones of a few demo subscribers, so some callers' numbers pop a card. Lists mask phones,
 * so they come from the cards, which the administrator may open (each opening is audited, as any
 * other: the audit log shows the simulator's admin reading them).
 */
async function subscriberPhones(admin: LinedeskClient, random: Random, count = 15): Promise<string[]> {
  const list = await admin.get<SubscriberList>('/api/subscribers?limit=100');
  const picked = random.shuffle([...list.items]).slice(0, count);
  const phones: string[] = [];
  for (const item of picked) {
    const card = await admin.get<SubscriberCard>(`/api/subscribers/${item.id}`);
    for (const { phone } of card.holder.phones) if (/^\+\d{10,15}$/.test(phone)) phones.push(phone);
  }
  return phones;
}

async function connectPbx(admin: LinedeskClient, commandUrl: string, secret: string) {
  const settings = await admin.get<SettingsView>('/api/settings');
  await admin.put('/api/settings/secrets/pbx.webhookSecret', { value: secret });
  await admin.put('/api/settings/contacts', {
    version: settings.contactsVersion,
    contacts: { ...settings.contacts, pbxCommandUrl: commandUrl },
  });
}

/** Every line open round the clock, or (after) each line's own setting back. */
async function keepLinesOpen(admin: LinedeskClient, open: boolean, before: SettingsView) {
  const now = await admin.get<SettingsView>('/api/settings');
  const wasOpen = new Map(before.lines.map((line) => [line.id, line.alwaysOpen]));
  await admin.put('/api/settings/lines', {
    version: now.linesVersion,
    lines: now.lines.map((line) => ({ ...line, alwaysOpen: open || (wasOpen.get(line.id) ?? line.alwaysOpen) })),
  });
}

/** Gives the PBX connection back as it was: the previous command URL, no secret if there was none. */
async function disconnectPbx(admin: LinedeskClient, before: SettingsView) {
  const now = await admin.get<SettingsView>('/api/settings');
  await admin.put('/api/settings/contacts', {
    version: now.contactsVersion,
    contacts: { ...now.contacts, pbxCommandUrl: before.contacts.pbxCommandUrl },
  });
  const hadSecret = before.secrets.some((secret) => secret.name === 'pbx.webhookSecret' && secret.set);
  if (!hadSecret) await admin.delete('/api/settings/secrets/pbx.webhookSecret');
}

export async function startSimulation(options: SimulationOptions): Promise<Simulation> {
  const { say } = options;
  const admin = new LinedeskClient(options.url, 'admin');
  try {
    await admin.signIn(options.password);
  } catch (error) {
    throw new SimulationRefused(
      error instanceof ApiError
        ? `Cannot log in as admin with the demo password (${error.message}): is this a demo Linedesk?`
        : `Linedesk does not answer at ${options.url} (${(error as Error).message}): start it with npm start.`,
    );
  }
  const before = await admin.get<SettingsView>('/api/settings');
  const connected = before.contacts.pbxCommandUrl;
  if (connected && !isLoopback(connected)) {
    throw new SimulationRefused(
      `A PBX is connected at ${new URL(connected).host}: the simulator would take its place. Use it on a demo Linedesk only.`,
    );
  }

  if (connected) {
    say(
      `PBX  a simulator at ${new URL(connected).host} did not stop cleanly: callers it left waiting stay in the queue until agents take them`,
    );
  }

  const random = new Random(options.seed);
  const secret = randomBytes(32).toString('base64url');
  const mode = before.contacts.routingMode;
  const phones = new PhoneSystem({
    linedeskUrl: options.url,
    secret,
    random: random.fork('pbx'),
    speed: options.speed,
    mode,
    say,
  });
  const commandUrl = await phones.start();
  await connectPbx(admin, commandUrl, secret);
  if (options.openLines) await keepLinesOpen(admin, true, before);
  say(`PBX  connected: commands to ${commandUrl}, routing mode ${mode} (kept as configured)`);

  const known = await subscriberPhones(admin, random.fork('subscribers')).catch((error: Error) => {
    say(`callers: could not read subscribers' numbers (${error.message}); every caller is a stranger`);
    return [];
  });
  const plan = diallingPlan(before.lines);
  say(`callers: ${known.length} demo subscribers' numbers (read from their cards), unknown numbers, a few withheld`);

  let nas: SimulatedNas | null = null;
  if (options.nas) {
    const starting = new SimulatedNas({
      admin,
      radiusHost: options.nas.host,
      radiusPort: options.nas.port,
      random: random.fork('nas'),
      speed: options.speed,
      say,
      subscribers: options.nas.subscribers,
      cpeRebootMinutes: options.nas.cpeRebootMinutes,
      nasRebootMinutes: options.nas.nasRebootMinutes,
    });
    try {
      await starting.start();
      nas = starting;
    } catch (error) {
      if (!(error instanceof NasRefused)) await starting.stop().catch(() => {});
      say(error instanceof NasRefused ? error.message : `NAS  not playing: ${(error as Error).message}`);
    }
  }

  let switches: SimulatedSwitches | null = null;
  if (options.snmp) {
    const starting = new SimulatedSwitches({
      admin,
      trapHost: options.snmp.trapHost,
      trapPort: options.snmp.trapPort,
      random: random.fork('switches'),
      speed: options.speed,
      say,
      // The NAS's subscribers first: their cards then show the session and the port together.
      preferred: nas?.accounts(),
    });
    try {
      await starting.start();
      switches = starting;
    } catch (error) {
      if (!(error instanceof SnmpsimMissing)) await starting.stop().catch(() => {});
      say(error instanceof SnmpsimMissing ? error.message : `SNMP not playing: ${(error as Error).message}`);
    }
  }
  let monitoring: SimulatedMonitoring | null = null;
  const monitoredNodes = switches?.nodes() ?? [];
  if (options.monitoringToken && monitoredNodes.length > 0) {
    monitoring = new SimulatedMonitoring({
      url: options.url,
      token: options.monitoringToken,
      nodes: monitoredNodes,
      random: random.fork('monitoring'),
      speed: options.speed,
      say,
    });
    monitoring.start();
  } else if (switches && !options.monitoringToken) {
    say('ALERT no alerts: give the simulator and Linedesk the same MONITORING_WEBHOOK_TOKEN for an alert now and then');
  }

  const agents: SimulatedAgent[] = [];
  for (const login of simulatedAgentLogins.slice(0, options.agents)) {
    const agent = new SimulatedAgent(login, {
      linedeskUrl: options.url,
      password: options.password,
      random: random.fork(login),
      speed: options.speed,
      say,
      pollMs: options.agentPollMs,
    });
    try {
      await agent.start();
      agents.push(agent);
    } catch (error) {
      say(`${login}: not playing (${(error as Error).message}); regenerate the demo data if this login is missing`);
    }
  }

  // Card-pop mode: the PBX rings extensions itself and needs to know who is free.
  const agentWatch =
    mode === 'card-pop'
      ? setInterval(() => {
          admin
            .get<{ state: string; lines: string[]; extension: string | null }[]>('/api/agents')
            .then((list) => phones.seeAgents(list))
            .catch((error: Error) => say(`PBX  cannot see the agents: ${error.message}`));
        }, 1000)
      : undefined;

  // Poisson arrivals: exponential gaps with the mean the rate gives.
  const callers = random.fork('callers');
  const started = Date.now();
  let arrivals: NodeJS.Timeout | undefined;
  const nextArrival = () => {
    const gapMs = (exponential(callers, 3600 / options.rate) * 1000) / options.speed;
    arrivals = setTimeout(() => {
      const dialling = plan.pick(callers);
      const draw = callers.next();
      const from = draw < 0.03 ? null : draw < 0.68 && known.length > 0 ? callers.pick(known) : unknownNumber(callers);
      phones.placeCall(dialling, from);
      nextArrival();
    }, gapMs);
  };
  nextArrival();

  return {
    mode,
    commandUrl,
    agents: agents.map((agent) => agent.login),
    nas,
    progress: () => ({
      elapsedMs: Date.now() - started,
      phones: phones.statistics,
      agents: agents.map((agent) => agent.statistics),
      nas: nas?.statistics ?? null,
      switches: switches?.statistics ?? null,
      monitoring: monitoring?.statistics ?? null,
    }),
    async stop() {
      clearTimeout(arrivals);
      clearInterval(agentWatch);
      const endedAtStop = await phones.endAllCalls();
      await Promise.all(agents.map((agent) => agent.stop()));
      await phones.stop();
      const nasStatistics = nas ? await nas.stop() : null;
      const monitoringStatistics = monitoring ? await monitoring.stop() : null;
      const switchStatistics = switches ? await switches.stop() : null;
      await disconnectPbx(admin, before).catch((error: Error) =>
        say(`Could not give the PBX settings back (${error.message}): check them on the settings screen.`),
      );
      if (options.openLines) {
        await keepLinesOpen(admin, false, before).catch((error: Error) =>
          say(`Could not give the lines their hours back (${error.message}): check them on the settings screen.`),
        );
      }
      await admin.signOut();
      return {
        elapsedMs: Date.now() - started,
        phones: phones.statistics,
        agents: agents.map((agent) => agent.statistics),
        endedAtStop,
        nas: nasStatistics,
        switches: switchStatistics,
        monitoring: monitoringStatistics,
      };
    },
  };
}
