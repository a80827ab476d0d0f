import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import type { SubscriberCard, SubscriberList } from '../../common/api/subscribers.js';
import type { Random } from '../../demo-data/random.js';
import {
  type AttributeToSend,
  accountingRequest,
  CODE_ACCOUNTING_RESPONSE,
  decodePacket,
  responseAuthenticatorHolds,
} from '../../integrations/radius/codec.js';
import { exponential, uniform } from './draws.js';
import { ApiError, type LinedeskClient } from './linedesk-client.js';

/**
 * A NAS (a MikroTik BRAS, as far as Linedesk can tell) on loopback: it lists itself in the
 * settings' NAS list through the admin API, then sends RADIUS accounting for demo subscribers'
 * PPPoE sessions to Linedesk's listener: a Start, an Interim every interval with growing counters,
 * now and then a CPE that reboots (a Stop with its cause, a new session shortly after) and rarely
 * a NAS reboot (Accounting-On closes all its sessions, then they come back one by one). On stop it
 * sends Accounting-Off and takes itself off the list. Unanswered records are resent as a NAS
 * resends them (the same datagram, three times, a second apart).
 */

/** Its name in the NAS list: a leftover of a simulator that did not stop cleanly is taken over. */
export const SIMULATED_NAS_NAME = 'linedesk-simulator';
/** Its own address on loopback, so it cannot be mistaken for another NAS; 127.0.0.1 where only that exists. */
const PREFERRED_ADDRESS = '127.0.0.13';
/** The interval the NAS list is given (the smallest it takes): the stale sweep judges by it. */
const INTERIM_SECONDS = 60;
const RESENDS = 3;
const RESEND_AFTER_MS = 1000;

const ACCT = { start: 1, stop: 2, interim: 3, on: 7, off: 8 } as const;
/** RFC 2866 §5.10: what a CPE reboot looks like from the NAS, in rough shares. */
const CPE_CAUSES = [
  { code: 2, weight: 5 }, // Lost-Carrier
  { code: 1, weight: 2 }, // User-Request
  { code: 4, weight: 2 }, // Idle-Timeout
  { code: 8, weight: 1 }, // Port-Error
];

export interface SimulatedNasOptions {
  /** The admin's client (signed in). */
  admin: LinedeskClient;
  /** Where Linedesk's RADIUS accounting listens. */
  radiusHost: string;
  radiusPort: number;
  random: Random;
  /** Simulated time runs this many times faster (Interims, reboots); Event-Timestamp stays the clock's. */
  speed: number;
  say: (text: string) => void;
  /** How many demo subscribers have a session (default 20). */
  subscribers?: number;
  /** Mean simulated minutes between one subscriber's CPE reboots (default 30). */
  cpeRebootMinutes?: number;
  /** Mean simulated minutes between NAS reboots (default 240). */
  nasRebootMinutes?: number;
}

export interface NasStatistics {
  subscribers: number;
  starts: number;
  interims: number;
  stops: number;
  cpeReboots: number;
  nasReboots: number;
  answered: number;
  /** Records the listener never answered, after the resends. */
  unanswered: number;
}

interface Line {
  login: string;
  /** Said at the start, so a new user knows which cards to open. */
  accountNumber: string;
  mac: string | null;
  /** The session going on, or null while the CPE reboots. */
  session: { id: string; startedAt: number; interims: number } | null;
  timers: NodeJS.Timeout[];
}

/** A refusal said to the user as it is: the NAS does not play, the rest of the simulator does. */
export class NasRefused extends Error {}

const pickCause = (random: Random) => {
  let draw = random.next() * CPE_CAUSES.reduce((sum, cause) => sum + cause.weight, 0);
  for (const cause of CPE_CAUSES) {
    draw -= cause.weight;
    if (draw < 0) return cause.code;
  }
  return 2;
};

/**
 * The PPPoE logins of some demo subscribers, from their cards (the admin may open them; each opening
 * is audited, as the simulator's phone numbers are).
 */
async function pppoeLines(admin: LinedeskClient, random: Random, count: number): Promise<Line[]> {
  const list = await admin.get<SubscriberList>('/api/subscribers?limit=100');
  const lines: Line[] = [];
  for (const item of random.shuffle([...list.items])) {
    if (lines.length >= count) break;
    const card = await admin.get<SubscriberCard>(`/api/subscribers/${item.id}`);
    const login = card.connection?.method === 'pppoe' ? card.connection.pppoeLogin : null;
    if (login) {
      lines.push({
        login,
        accountNumber: item.accountNumber,
        mac: card.connection?.mac ?? null,
        session: null,
        timers: [],
      });
    }
  }
  return lines;
}

export class SimulatedNas {
  readonly statistics: NasStatistics = {
    subscribers: 0,
    starts: 0,
    interims: 0,
    stops: 0,
    cpeReboots: 0,
    nasReboots: 0,
    answered: 0,
    unanswered: 0,
  };
  private socket: dgram.Socket | undefined;
  private secret = Buffer.alloc(0);
  private lines: Line[] = [];
  private readonly waiting = new Map<number, (answer: Buffer) => void>();
  private identifier = 0;
  private serial = 0;
  private rebootTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly sending = new Set<Promise<unknown>>();
  address = PREFERRED_ADDRESS;

  constructor(private readonly options: SimulatedNasOptions) {}

  private ms(simulatedSeconds: number) {
    return (simulatedSeconds * 1000) / this.options.speed;
  }

  /** Lists itself, finds its subscribers, and brings their sessions up over the next few seconds. */
  async start(): Promise<void> {
    const { admin, random, say } = this.options;
    this.socket = dgram.createSocket('udp4');
    this.socket.on('message', (answer) => this.waiting.get(answer[1] as number)?.(answer));
    this.socket.on('error', (error) => say(`NAS  socket: ${error.message}`));
    try {
      await this.bind(PREFERRED_ADDRESS);
    } catch {
      // Only 127.0.0.1 on this system's loopback (macOS).
      this.address = '127.0.0.1';
      await this.bind(this.address);
    }
    const listed = await admin.get<{ name: string; address: string; version: number }[]>('/api/settings/nas');
    const taken = listed.find((nas) => nas.address === this.address && nas.name !== SIMULATED_NAS_NAME);
    if (taken) {
      this.socket.close();
      throw new NasRefused(
        `NAS  not playing: NAS ${taken.name} in the settings has the address ${this.address}, so its records would be taken for that NAS's`,
      );
    }
    const leftover = listed.find((nas) => nas.name === SIMULATED_NAS_NAME);
    if (leftover)
      say(`NAS  ${SIMULATED_NAS_NAME} was left in the NAS list by a simulator that did not stop: taken over`);
    const secret = randomBytes(24).toString('base64url');
    await admin.put(`/api/settings/nas/${SIMULATED_NAS_NAME}`, {
      address: this.address,
      vendor: 'mikrotik',
      interimIntervalSeconds: INTERIM_SECONDS,
      secret,
      ...(leftover ? { version: leftover.version } : {}),
    });
    this.secret = Buffer.from(secret);
    this.lines = await pppoeLines(admin, random.fork('lines'), this.options.subscribers ?? 20);
    this.statistics.subscribers = this.lines.length;
    say(
      `NAS  ${SIMULATED_NAS_NAME} (${this.address}, MikroTik) listed; accounting to ${this.options.radiusHost}:${this.options.radiusPort} for ${this.lines.length} demo subscribers' PPPoE sessions`,
    );
    const some = this.lines.slice(0, 3).map((line) => line.accountNumber);
    if (some.length > 0) say(`NAS  to watch a session on the card, find account ${some.join(', ')} (as l2)`);
    // Linedesk re-reads its NAS list at most once a second; then a NAS coming up says so first.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await this.send([['Acct-Status-Type', ACCT.on]]);
    for (const line of this.lines) this.later(line, uniform(random, 0, 3000), () => this.startSession(line));
    this.scheduleNasReboot();
  }

  private bind(address: string) {
    return new Promise<void>((resolve, reject) => {
      const socket = this.socket as dgram.Socket;
      socket.once('error', reject);
      socket.bind(0, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
  }

  private later(line: Line, delayMs: number, work: () => void) {
    const timer = setTimeout(() => {
      line.timers.splice(line.timers.indexOf(timer), 1);
      if (!this.stopped) work();
    }, delayMs);
    line.timers.push(timer);
  }

  private startSession(line: Line) {
    const id = `${Date.now().toString(16).slice(-6)}${(this.serial++).toString(16).padStart(4, '0')}`;
    line.session = { id, startedAt: Date.now(), interims: 0 };
    this.statistics.starts++;
    this.track(this.send([['Acct-Status-Type', ACCT.start], ...this.sessionAttributes(line)]));
    this.nextInterim(line);
    // A CPE reboot some time in this session.
    const { random } = this.options;
    this.later(line, this.ms(exponential(random, (this.options.cpeRebootMinutes ?? 30) * 60)), () =>
      this.rebootCpe(line),
    );
  }

  private nextInterim(line: Line) {
    const session = line.session;
    this.later(line, this.ms(INTERIM_SECONDS), () => {
      if (line.session !== session || !session) return;
      session.interims++;
      this.statistics.interims++;
      this.track(
        this.send([['Acct-Status-Type', ACCT.interim], ...this.sessionAttributes(line), ...this.counters(line)]),
      );
      this.nextInterim(line);
    });
  }

  private rebootCpe(line: Line) {
    if (!line.session) return;
    this.statistics.cpeReboots++;
    this.statistics.stops++;
    const cause = pickCause(this.options.random);
    this.track(
      this.send([
        ['Acct-Status-Type', ACCT.stop],
        ...this.sessionAttributes(line),
        ...this.counters(line),
        ['Acct-Terminate-Cause', cause],
      ]),
    );
    this.clear(line);
    // The CPE comes back up and dials again after half a minute or so.
    this.later(line, this.ms(uniform(this.options.random, 20, 90)), () => this.startSession(line));
  }

  private scheduleNasReboot() {
    const minutes = this.options.nasRebootMinutes ?? 240;
    this.rebootTimer = setTimeout(() => void this.rebootNas(), this.ms(exponential(this.options.random, minutes * 60)));
  }

  /**
   * The NAS restarts: its sessions end without a Stop; coming back it sends Accounting-On, which
   * closes them all in Linedesk, and the CPEs dial again one by one.
   */
  async rebootNas(): Promise<void> {
    if (this.stopped) return;
    clearTimeout(this.rebootTimer);
    this.statistics.nasReboots++;
    for (const line of this.lines) this.clear(line);
    this.options.say(`NAS  ${SIMULATED_NAS_NAME} reboots: Accounting-On, its ${this.lines.length} sessions come back`);
    await this.send([['Acct-Status-Type', ACCT.on]]);
    for (const line of this.lines) {
      this.later(line, this.ms(uniform(this.options.random, 10, 60)), () => this.startSession(line));
    }
    this.scheduleNasReboot();
  }

  private clear(line: Line) {
    for (const timer of line.timers) clearTimeout(timer);
    line.timers = [];
    line.session = null;
  }

  private sessionAttributes(line: Line): AttributeToSend[] {
    const index = this.lines.indexOf(line);
    const attributes: AttributeToSend[] = [
      ['Acct-Session-Id', line.session?.id ?? ''],
      ['User-Name', line.login],
      ['NAS-Port-Type', 15], // Ethernet: PPPoE
      ['Framed-IP-Address', `100.64.200.${10 + index}`],
      ['Event-Timestamp', new Date()],
      ['Acct-Delay-Time', 0],
    ];
    if (line.mac) attributes.push(['Calling-Station-Id', line.mac.toUpperCase()]);
    return attributes;
  }

  /** Counters as the simulated time goes: a few megabytes a simulated minute. */
  private counters(line: Line): AttributeToSend[] {
    const seconds = Math.round(((Date.now() - (line.session?.startedAt ?? Date.now())) / 1000) * this.options.speed);
    const down = seconds * 60_000 + (line.session?.interims ?? 0) * 1_000_003;
    const up = Math.round(down / 8);
    return [
      ['Acct-Session-Time', seconds],
      ['Acct-Input-Octets', up % 2 ** 32],
      ['Acct-Input-Gigawords', Math.floor(up / 2 ** 32)],
      ['Acct-Output-Octets', down % 2 ** 32],
      ['Acct-Output-Gigawords', Math.floor(down / 2 ** 32)],
    ];
  }

  private track(sending: Promise<unknown>) {
    this.sending.add(sending);
    void sending.finally(() => this.sending.delete(sending));
  }

  /** Sends one record, resending the same datagram until answered; resolves with whether it was. */
  private async send(attributes: AttributeToSend[]): Promise<boolean> {
    const socket = this.socket;
    if (!socket) return false;
    let identifier = this.identifier;
    while (this.waiting.has(identifier)) identifier = (identifier + 1) % 256;
    this.identifier = (identifier + 1) % 256;
    const datagram = accountingRequest(identifier, attributes, this.secret);
    const decoded = decodePacket(datagram);
    if (!decoded.ok) throw new Error('the simulated NAS built a bad packet');
    const answered = await new Promise<boolean>((resolve) => {
      let tries = 0;
      let timer: NodeJS.Timeout;
      const attempt = () => {
        if (tries++ > RESENDS) {
          this.waiting.delete(identifier);
          resolve(false);
          return;
        }
        socket.send(datagram, this.options.radiusPort, this.options.radiusHost);
        timer = setTimeout(attempt, RESEND_AFTER_MS);
      };
      this.waiting.set(identifier, (answer) => {
        if (answer[0] !== CODE_ACCOUNTING_RESPONSE) return;
        if (!responseAuthenticatorHolds(answer, decoded.packet, this.secret)) return;
        clearTimeout(timer);
        this.waiting.delete(identifier);
        resolve(true);
      });
      attempt();
    });
    if (answered) this.statistics.answered++;
    else {
      this.statistics.unanswered++;
      if (this.statistics.unanswered === 1) {
        this.options.say(
          `NAS  no answer from ${this.options.radiusHost}:${this.options.radiusPort}: is Linedesk's RADIUS accounting on (RADIUS_ACCT_PORT)?`,
        );
      }
    }
    return answered;
  }

  /** Goes down as a NAS that is switched off: Accounting-Off, then off the NAS list. */
  async stop(): Promise<NasStatistics> {
    this.stopped = true;
    clearTimeout(this.rebootTimer);
    for (const line of this.lines) this.clear(line);
    await Promise.all([...this.sending]);
    if (this.socket) {
      // Only a NAS that was listed has anything to say (and a secret to sign with).
      if (this.secret.length > 0) await this.send([['Acct-Status-Type', ACCT.off]]);
      this.socket.close();
    }
    await this.options.admin.delete(`/api/settings/nas/${SIMULATED_NAS_NAME}`).catch((error: Error) => {
      if (!(error instanceof ApiError && error.status === 404)) {
        this.options.say(
          `Could not take the NAS off the list (${error.message}): remove ${SIMULATED_NAS_NAME} on the settings screen.`,
        );
      }
    });
    return this.statistics;
  }
}
