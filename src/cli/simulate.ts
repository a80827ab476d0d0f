/**
 * npm run simulate -- [--url http://localhost:3000] [--rate 60] [--duration 30m] [--agents 7] [--speed 1] [--seed 1]
 *   [--nas-port 1813] [--nas-host 127.0.0.1] [--no-nas] [--trap-port 162] [--trap-host 127.0.0.1] [--no-snmp]
 *
 * A demo tool: it plays a PBX on the generic webhook adapter and the demo agents other than l1, l2
 * and l3, so a new user sees the queue, the desk and the board live, and a NAS sending RADIUS
 * accounting for some demo subscribers, so the card's session comes and goes, and (with Debian's
 * snmpsim) a few access switches whose ports go down and up, so the card's access line changes;
 * with MONITORING_WEBHOOK_TOKEN, an Alertmanager alert on them now and then. The NAS lists
 * itself in the settings' NAS list and takes itself off it when it stops. It connects itself through
 * the settings API as the demo administrator (a fresh PBX secret, its own command URL on
 * 127.0.0.1) and gives the PBX connection back as it found it when it stops.
 */
import { parseArgs } from 'node:util';
import { reportBadInput, UsageError } from './command.js';
import {
  SimulationRefused,
  type SimulationSummary,
  simulatedAgentLogins,
  startSimulation,
} from './simulator/simulation.js';

const usage = `Usage: npm run simulate -- [options]

A DEMO tool: plays a PBX and simulated agents against a running demo Linedesk, so calls arrive,
wait, ring, get answered and end while you watch (log in as l1, l2 or l3 to take calls too, or
as supervisor for the board). Not for a Linedesk with real calls: it replaces the PBX connection.
  --url         Linedesk's address (default http://localhost:3000)
  --rate        calls per hour of simulated time, Poisson arrivals (default 60)
  --duration    how long to run: 90s, 30m, 2h (default: until Ctrl-C)
  --agents      how many simulated agents, 0..7 (default 7: l1-2..l1-5, l2-2, l2-3, l3-2)
  --speed       simulated time runs this many times faster: arrivals, patience, talk (default 1; 10 for a quick look)
  --seed        the same seed draws the same callers and calls (default 1)
  --open-lines  keeps every line open while it runs (a demo at night); their hours come back after
  --nas-port    where Linedesk takes RADIUS accounting (default 1813, as RADIUS_ACCT_PORT)
  --nas-host    its address (default 127.0.0.1)
  --no-nas      no simulated NAS (by default one sends Start/Interim/Stop for 20 demo subscribers'
                PPPoE sessions, with a CPE rebooting now and then and rarely the NAS itself)
  --trap-port   where Linedesk takes SNMP traps (default 162, as SNMP_TRAP_LISTEN)
  --trap-host   its address (default 127.0.0.1)
  --no-snmp     no simulated switches (by default, when Debian's snmpsim is installed, a few demo
                subscribers' access switches answer Linedesk's polls and their ports go down and up,
                with linkDown/linkUp traps; with MONITORING_WEBHOOK_TOKEN set, as for Linedesk, an
                Alertmanager alert on one of them now and then)
  --password    the demo password of admin and the agents (default demo)`;

interface Arguments {
  url: string;
  rate: number;
  durationMs: number | null;
  agents: number;
  speed: number;
  seed: number;
  password: string;
  openLines: boolean;
  nas: { host: string; port: number } | null;
  snmp: { trapHost: string; trapPort: number } | null;
  monitoringToken: string | undefined;
}

function numberArgument(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function durationArgument(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(raw.trim());
  if (!match) throw new UsageError(`--duration is a number with s, m or h (90s, 30m, 2h), got "${raw}"`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'm') as 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

function nasArgument(host: string | undefined, port: string | undefined): { host: string; port: number } {
  const address = host ?? '127.0.0.1';
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address)) {
    throw new UsageError(`--nas-host must be a loopback address (127.x.x.x): the NAS is a demo, got "${address}"`);
  }
  return { host: address, port: Math.floor(numberArgument('nas-port', port, 1813, 1, 65_535)) };
}

function snmpArgument(host: string | undefined, port: string | undefined): { trapHost: string; trapPort: number } {
  const address = host ?? '127.0.0.1';
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address)) {
    throw new UsageError(
      `--trap-host must be a loopback address (127.x.x.x): the switches are a demo, got "${address}"`,
    );
  }
  return { trapHost: address, trapPort: Math.floor(numberArgument('trap-port', port, 162, 1, 65_535)) };
}

function parseArguments(argv: string[]): Arguments {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        agents: { type: 'string' },
        speed: { type: 'string' },
        seed: { type: 'string' },
        password: { type: 'string' },
        'open-lines': { type: 'boolean' },
        'nas-port': { type: 'string' },
        'nas-host': { type: 'string' },
        'no-nas': { type: 'boolean' },
        'trap-port': { type: 'string' },
        'trap-host': { type: 'string' },
        'no-snmp': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const url = (values.url as string | undefined) ?? 'http://localhost:3000';
  if (!/^https?:\/\/[^/]+/.test(url)) throw new UsageError(`--url must be an http(s) address, got "${url}"`);
  return {
    url,
    rate: numberArgument('rate', values.rate as string | undefined, 60, 0.1, 100_000),
    durationMs: durationArgument(values.duration as string | undefined),
    agents: Math.floor(
      numberArgument('agents', values.agents as string | undefined, 7, 0, simulatedAgentLogins.length),
    ),
    speed: numberArgument('speed', values.speed as string | undefined, 1, 0.1, 1000),
    seed: Math.floor(numberArgument('seed', values.seed as string | undefined, 1, 0, 0xffffffff)),
    password: (values.password as string | undefined) ?? 'demo',
    openLines: values['open-lines'] === true,
    nas:
      values['no-nas'] === true
        ? null
        : nasArgument(values['nas-host'] as string | undefined, values['nas-port'] as string | undefined),
    snmp:
      values['no-snmp'] === true
        ? null
        : snmpArgument(values['trap-host'] as string | undefined, values['trap-port'] as string | undefined),
    monitoringToken: process.env.MONITORING_WEBHOOK_TOKEN || undefined,
  };
}

const clock = () => new Date().toLocaleTimeString('en-GB');
const say = (text: string) => console.log(`${clock()}  ${text}`);
const minutesAndSeconds = (seconds: number) =>
  `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;
const average = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);

async function simulate(args: Arguments): Promise<number> {
  console.log(
    `Linedesk call simulator: a DEMO tool. It plays a PBX and ${args.agents} agents against ${args.url}\n` +
      `at ${args.rate} calls per hour${args.speed === 1 ? '' : `, ${args.speed}× faster than real time`}. Do not point it at a Linedesk with real calls.\n`,
  );
  let simulation: Awaited<ReturnType<typeof startSimulation>>;
  try {
    simulation = await startSimulation({ ...args, nas: args.nas ?? undefined, snmp: args.snmp ?? undefined, say });
  } catch (error) {
    if (!(error instanceof SimulationRefused)) throw error;
    console.error(error.message);
    return 1;
  }
  console.log(
    `\nLog in at ${args.url} as l1, l2 or l3 (password ${args.password}) to take calls too, as supervisor for the board. Ctrl-C stops.\n`,
  );
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = () => {
      // A second Ctrl-C does not wait for the tidying up.
      if (stopping) process.exit(130);
      stopping = true;
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (args.durationMs !== null) setTimeout(stop, args.durationMs);
  });
  console.log(
    '\nStopping: the callers still on the line hang up, the agents log out, the PBX disconnects, the NAS goes down (Accounting-Off), the switches leave the SNMP settings.',
  );
  printSummary(args, await simulation.stop());
  return 0;
}

function printSummary(args: Arguments, summary: SimulationSummary) {
  const { elapsedMs, agents, endedAtStop } = summary;
  const s = summary.phones;
  const simulatedSeconds = (elapsedMs / 1000) * args.speed;
  const placed = Object.values(s.placed).reduce((a, b) => a + b, 0);
  const byLine = Object.entries(s.placed)
    .map(([line, count]) => `${line} ${count}`)
    .join(', ');
  // In real seconds: the agents' few seconds to accept and Linedesk's offer timeout are not sped up.
  const wait = average(s.waitedBeforeAnswer);
  const talk = average(agents.flatMap((agent) => agent.talkSeconds));
  const sum = (pick: (agent: SimulationSummary['agents'][number]) => number) =>
    agents.reduce((total, agent) => total + pick(agent), 0);
  const commands = Object.entries(s.commands)
    .map(([command, count]) => `${command} ${count}`)
    .join(', ');
  console.log(`
Simulated ${minutesAndSeconds(elapsedMs / 1000)}${args.speed === 1 ? '' : ` (${minutesAndSeconds(simulatedSeconds)} of hotline time at ×${args.speed})`}
Calls          ${placed}${byLine ? ` (${byLine})` : ''}; outside hours ${s.outsideHours}
Answered       ${s.answered}, average wait before the answer ${wait === null ? '–' : minutesAndSeconds(wait)} (real time)
Not answered   ${s.abandoned} hung up waiting, ${s.callbacksChosen} chose a callback, ${endedAtStop} still on the line at the end
Ended          ${s.endedByAgent} by the agent, ${s.endedByCaller} by the caller mid-conversation
Agents         ${agents.length} simulated: accepted ${sum((a) => a.accepted)}, let ${sum((a) => a.missed)} ring out, held ${sum((a) => a.held)}, ended ${sum((a) => a.ended)}; average talk ${talk === null ? '–' : minutesAndSeconds(talk)}
PBX webhooks   ${s.eventsSent} events sent (${s.eventsRefused} refused); commands received: ${commands || 'none'}`);
  const nas = summary.nas;
  if (nas) {
    console.log(
      `NAS accounting ${nas.subscribers} subscribers' sessions: ${nas.starts} Starts, ${nas.interims} Interims, ${nas.stops} Stops; ` +
        `${nas.cpeReboots} CPE reboots, ${nas.nasReboots} NAS reboots (Accounting-On); ${nas.answered} records answered, ${nas.unanswered} unanswered; ` +
        `${nas.disconnects} Disconnects and ${nas.coas} CoAs acknowledged, ${nas.naks} NAKs, ${nas.dropped} requests dropped`,
    );
  }
  const switches = summary.switches;
  if (switches) {
    console.log(
      `SNMP switches  ${switches.switches} switches, ${switches.ports} subscribers' ports: ${switches.flips} link flips, ${switches.macMoves} strange MACs, ${switches.traps} traps sent`,
    );
  }
  const monitoring = summary.monitoring;
  if (monitoring) {
    console.log(
      `Alerts         ${monitoring.fired} fired, ${monitoring.resolved} resolved, ${monitoring.refused} refused by Linedesk`,
    );
  }
}

simulate(
  (() => {
    try {
      return parseArguments(process.argv.slice(2));
    } catch (error) {
      process.exit(reportBadInput('simulate', error, usage));
    }
  })(),
)
  .then((code) => process.exit(code))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
