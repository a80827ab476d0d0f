import { randomUUID } from 'node:crypto';
import type { Random } from '../../demo-data/random.js';
import { type CommandListener, listenForCommands } from '../../integrations/pbx-webhook/command-listener.js';
import { PBX_EVENTS_PATH } from '../../integrations/pbx-webhook/routes.js';
import { signatureHeaders } from '../../integrations/pbx-webhook/signature.js';
import type { WireCommand, WireEvent } from '../../integrations/pbx-webhook/wire.js';
import { exponential, logNormal, meanHandleSeconds, uniform } from './draws.js';

/**
 * A PBX, as far as Linedesk can tell: it reports calls through the signed event webhook and does
 * what the commands say (rings the extension and reports the answer, hangs up, plays the
 * announcements to its callers, who sometimes press 1 for a callback or give up waiting).
 * In card-pop mode it is also the queue: it rings a free extension of the line itself.
 */

export interface Dialling {
  line: string;
  to: string | null;
  menuChoice: string | null;
}

export interface PhoneSystemOptions {
  linedeskUrl: string;
  secret: string;
  random: Random;
  /** Simulated time runs this many times faster than the clock (patience, talk). */
  speed: number;
  mode: 'acd' | 'card-pop';
  say: (text: string) => void;
  /** Mean patience of a waiting caller, simulated seconds. */
  patienceSeconds?: number;
  /** Share of callers who take the callback offered. */
  callbackTakers?: number;
  /** Share of callers who hang up mid-conversation before the agent ends it. */
  callersWhoHangUp?: number;
}

type CallState = 'waiting' | 'ringing' | 'talking' | 'ended';

interface Call {
  callId: string;
  line: string;
  from: string | null;
  state: CallState;
  arrivedAt: number;
  contactId?: number;
  extension?: string;
  timers: NodeJS.Timeout[];
  /** Events of one call go out one after another, in the order they happened. */
  sending: Promise<void>;
}

export interface PhoneStatistics {
  placed: Record<string, number>;
  queued: number;
  outsideHours: number;
  answered: number;
  abandoned: number;
  callbacksChosen: number;
  endedByAgent: number;
  endedByCaller: number;
  waitedBeforeAnswer: number[];
  eventsSent: number;
  eventsRefused: number;
  commands: Record<string, number>;
}

export class PhoneSystem {
  private readonly calls = new Map<string, Call>();
  private listener: CommandListener | undefined;
  private serial = 0;
  private readonly run = randomUUID().slice(0, 8);
  /** Card-pop mode: the extensions of each line's agents who are available, as the agents' poll last saw them. */
  private availableExtensions = new Map<string, string[]>();
  private onContactExtensions = new Set<string>();
  private readonly closedLinesSaid = new Set<string>();
  readonly statistics: PhoneStatistics = {
    placed: {},
    queued: 0,
    outsideHours: 0,
    answered: 0,
    abandoned: 0,
    callbacksChosen: 0,
    endedByAgent: 0,
    endedByCaller: 0,
    waitedBeforeAnswer: [],
    eventsSent: 0,
    eventsRefused: 0,
    commands: {},
  };

  constructor(private readonly options: PhoneSystemOptions) {}

  /** Listens for commands on 127.0.0.1 (a free port); the answer is the URL Linedesk should POST them to. */
  async start(): Promise<string> {
    this.listener = await listenForCommands({
      secret: () => this.options.secret,
      onCommand: (command) => this.onCommand(command),
      onRefused: (status, why) => this.options.say(`PBX  refused a command: ${status} ${why}`),
    });
    return this.listener.url;
  }

  async stop(): Promise<void> {
    for (const call of this.calls.values()) for (const timer of call.timers) clearTimeout(timer);
    await this.listener?.close();
  }

  /** Calls not over yet: on the way out the PBX reports them ended, so none stays waiting in Linedesk. */
  async endAllCalls(): Promise<number> {
    const open = [...this.calls.values()].filter((call) => call.state !== 'ended');
    for (const call of open) {
      for (const timer of call.timers) clearTimeout(timer);
      call.state = 'ended';
    }
    await Promise.all(open.map((call) => call.sending));
    for (let start = 0; start < open.length; start += 200) {
      const events = open.slice(start, start + 200).map((call) => this.event(call, 'ended'));
      await this.post(events).catch((error: Error) =>
        this.options.say(`PBX  ending the calls failed: ${error.message}`),
      );
    }
    return open.length;
  }

  get activeCalls(): number {
    return [...this.calls.values()].filter((call) => call.state !== 'ended').length;
  }

  /** A caller dials in. */
  placeCall(dialling: Dialling, from: string | null): void {
    const call: Call = {
      callId: `sim-${this.run}-${++this.serial}`,
      line: dialling.line,
      from,
      state: 'waiting',
      arrivedAt: Date.now(),
      timers: [],
      sending: Promise.resolve(),
    };
    this.calls.set(call.callId, call);
    this.statistics.placed[call.line] = (this.statistics.placed[call.line] ?? 0) + 1;
    const extension = this.options.mode === 'card-pop' ? this.takeFreeExtension(call.line) : undefined;
    if (extension) {
      call.state = 'ringing';
      call.extension = extension;
    }
    this.send(call, {
      ...this.event(call, 'offered'),
      from,
      ...(dialling.to ? { to: dialling.to } : {}),
      ...(dialling.menuChoice ? { menuChoice: dialling.menuChoice } : {}),
      ...(extension ? { agentExtension: extension } : {}),
    });
    // Patience runs while the caller waits or rings; an answer stops it.
    const patience =
      (exponential(this.options.random, this.options.patienceSeconds ?? 180) * 1000) / this.options.speed;
    this.after(call, patience, () => {
      if (call.state !== 'waiting' && call.state !== 'ringing') return;
      this.statistics.abandoned++;
      this.end(call, `hangs up after waiting ${seconds(Date.now() - call.arrivedAt)}`);
    });
  }

  /** Card-pop mode: which agents are free and which are on a call, from the agents' states in Linedesk. */
  seeAgents(agents: { state: string; lines: string[]; extension: string | null }[]): void {
    const available = new Map<string, string[]>();
    this.onContactExtensions = new Set();
    for (const agent of agents) {
      if (!agent.extension) continue;
      if (agent.state === 'on_contact') this.onContactExtensions.add(agent.extension);
      if (agent.state !== 'available') continue;
      for (const line of agent.lines) available.set(line, [...(available.get(line) ?? []), agent.extension]);
    }
    this.availableExtensions = available;
    if (this.options.mode !== 'card-pop') return;
    for (const call of this.calls.values()) {
      // The agent took the ringing call on the desk: their phone is off the hook.
      if (call.state === 'ringing' && call.extension && this.onContactExtensions.has(call.extension)) {
        this.answer(call, call.extension);
      }
    }
    // The PBX's own queue: the longest-waiting caller of a line goes to a free extension of it.
    const waiting = [...this.calls.values()]
      .filter((call) => call.state === 'waiting')
      .sort((a, b) => a.arrivedAt - b.arrivedAt);
    for (const call of waiting) {
      const extension = this.takeFreeExtension(call.line);
      if (extension) this.answer(call, extension);
    }
  }

  private takeFreeExtension(line: string): string | undefined {
    const busy = new Set(
      [...this.calls.values()].filter((call) => call.state !== 'ended').map((call) => call.extension),
    );
    const free = (this.availableExtensions.get(line) ?? []).filter((extension) => !busy.has(extension));
    if (free.length === 0) return undefined;
    return this.options.random.pick(free);
  }

  private onCommand(command: WireCommand): number {
    this.statistics.commands[command.command] = (this.statistics.commands[command.command] ?? 0) + 1;
    const call = 'callId' in command ? this.calls.get(command.callId) : undefined;
    if (call && command.contactId) call.contactId = command.contactId;
    switch (command.command) {
      case 'connect':
        this.options.say(`PBX  ← connect ${label(command.callId)} to extension ${command.extension}`);
        // The phone rings and is picked up: the headset, a second or so.
        if (call && call.state !== 'ended') {
          call.state = 'ringing';
          this.after(call, uniform(this.options.random, 300, 1200), () => this.answer(call, command.extension));
        }
        return 200;
      case 'announce': {
        const { announcement } = command;
        const words =
          announcement.kind === 'position'
            ? `you are number ${announcement.position}, ${announcement.minutes === null ? 'the wait is unknown' : `about ${announcement.minutes} min`}`
            : announcement.kind === 'outside-hours'
              ? `we are closed${announcement.opensAt ? `, open at ${new Date(announcement.opensAt).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' })}` : ''}`
              : announcement.kind === 'callback-offer'
                ? `press ${announcement.digit} to be called back`
                : 'we will call you back';
        this.options.say(`PBX  ← announce to ${label(command.callId)}: "${words}"`);
        if (call && announcement.kind === 'callback-offer' && call.state === 'waiting') {
          if (this.options.random.chance(this.options.callbackTakers ?? 0.3)) {
            this.after(call, uniform(this.options.random, 2000, 5000), () => {
              if (call.state !== 'waiting') return;
              this.statistics.callbacksChosen++;
              this.send(call, { ...this.event(call, 'dtmf'), digits: announcement.digit });
              this.options.say(`PBX  ${label(call.callId)} presses ${announcement.digit}: call me back`);
            });
          }
        }
        return 200;
      }
      case 'hangUp':
        this.options.say(`PBX  ← hang up ${label(command.callId)}`);
        if (call && call.state !== 'ended') {
          if (call.state === 'talking') this.statistics.endedByAgent++;
          this.end(call, 'released');
        }
        return 200;
      case 'transfer':
        if (command.targetType === 'line' && call && call.state !== 'ended') {
          // Back on hold music in the other line's queue until Linedesk connects its next agent.
          this.options.say(`PBX  ← transfer ${label(command.callId)} to line ${command.target}: on hold again`);
          call.state = 'waiting';
          call.line = command.target;
          call.extension = undefined;
          return 200;
        }
        this.options.say(
          `PBX  ← transfer ${label(command.callId)} to ${command.target} (the simulator keeps the call where it is)`,
        );
        return 200;
      case 'originate':
        this.options.say(`PBX  ← call ${command.number} from extension ${command.extension} (not simulated yet)`);
        return 200;
      case 'supervise':
        this.options.say(
          `PBX  ← supervisor at ${command.extension} to ${command.mode} ${label(command.callId)} (not simulated: nobody hears them)`,
        );
        return 200;
    }
  }

  private answer(call: Call, extension: string) {
    if (call.state === 'ended' || call.state === 'talking') return;
    call.state = 'talking';
    call.extension = extension;
    this.statistics.answered++;
    this.statistics.waitedBeforeAnswer.push((Date.now() - call.arrivedAt) / 1000);
    this.send(call, { ...this.event(call, 'answered'), agentExtension: extension });
    // A few callers hang up before the agent is done (the line dropped, they had enough).
    if (this.options.random.chance(this.options.callersWhoHangUp ?? 0.1)) {
      const talk = logNormal(this.options.random, meanHandleSeconds[call.line] ?? 300) * 1000;
      this.after(call, talk / this.options.speed, () => {
        if (call.state !== 'talking') return;
        this.statistics.endedByCaller++;
        this.end(call, 'caller hangs up mid-conversation');
      });
    }
  }

  private end(call: Call, why: string) {
    for (const timer of call.timers) clearTimeout(timer);
    call.state = 'ended';
    this.send(call, this.event(call, 'ended'), why);
  }

  private after(call: Call, ms: number, action: () => void) {
    call.timers.push(setTimeout(action, Math.max(0, ms)));
  }

  private event(call: Call, type: WireEvent['type']): WireEvent {
    return {
      id: `${call.callId}-${type}-${randomUUID().slice(0, 8)}`,
      type,
      callId: call.callId,
      timestamp: new Date().toISOString(),
    };
  }

  private send(call: Call, event: WireEvent, why?: string) {
    call.sending = call.sending.then(async () => {
      try {
        const [outcome] = await this.post([event]);
        const result = outcome?.result;
        if (event.type === 'offered' && result) {
          call.contactId = result.contactId;
          if (result.applied === 'queued' || result.applied === 'offered-to-agent') this.statistics.queued++;
          if (result.applied === 'outside-hours') {
            this.statistics.outsideHours++;
            if (!this.closedLinesSaid.has(call.line)) {
              this.closedLinesSaid.add(call.line);
              this.options.say(
                `PBX  ${call.line} is closed now: its callers hear when it opens and are released (--open-lines keeps the lines open while simulating)`,
              );
            }
            call.state = 'ended';
            for (const timer of call.timers) clearTimeout(timer);
          }
        }
        const caller = event.type === 'offered' ? ` from ${call.from ?? 'a withheld number'} on ${call.line}` : '';
        this.options.say(
          `PBX  → ${event.type.padEnd(9)} ${label(call.callId)}${caller}${why ? ` (${why})` : ''}: ${result ? `contact ${result.contactId} ${result.applied}` : (outcome?.problem?.code ?? '?')}`,
        );
      } catch (error) {
        this.options.say(`PBX  → ${event.type} ${label(call.callId)} not taken: ${(error as Error).message}`);
      }
    });
  }

  private async post(
    events: WireEvent[],
  ): Promise<{ result?: { contactId: number; applied: string }; problem?: { code: string } }[]> {
    const body = JSON.stringify({ events });
    const response = await fetch(new URL(PBX_EVENTS_PATH, this.options.linedeskUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signatureHeaders(this.options.secret, body, new Date()) },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const answer = (await response.json().catch(() => ({}))) as {
      results?: { status: number; result?: { contactId: number; applied: string }; problem?: { code: string } }[];
      code?: string;
      title?: string;
    };
    if (answer.results) {
      this.statistics.eventsSent += events.length;
      this.statistics.eventsRefused += answer.results.filter((outcome) => outcome.status !== 200).length;
      return answer.results;
    }
    this.statistics.eventsRefused += events.length;
    throw new Error(`${response.status} ${answer.code ?? ''} ${answer.title ?? ''}`.trim());
  }
}

const label = (callId: string) => `call ${callId.split('-').at(-1)}`;
const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
