import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import type { SubscriberCard, SubscriberList } from '../../common/api/subscribers.js';
import type { Random } from '../../demo-data/random.js';
import {
  type AttributeToSend,
  accountingRequest,
  CODE_ACCOUNTING_RESPONSE,
  decodePacket,
  type RadiusPacket,
  requestAuthenticatorHolds,
  responseAuthenticatorHolds,
} from '../../integrations/radius/codec.js';
import { errorCauseInWords } from '../../integrations/radius/dictionary.js';
import { dynamicAuthorizationAnswer } from '../../integrations/radius/dynamic-authorization.js';
import { exponential, uniform } from './draws.js';
import { ApiError, type LinedeskClient } from './linedesk-client.js';

/**
 * A NAS (a MikroTik BRAS, as far as Linedesk can tell) on loopback: it lists itself in the
 * settings' NAS list through the admin API, then sends RADIUS accounting for demo subscribers'
 * PPPoE sessions to Linedesk's listener: a Start, an Interim every interval with growing counters,
 * now and then a CPE that reboots (a Stop with its cause, a new session shortly after) and rarely
 * a NAS reboot (Accounting-On closes all its sessions, then they come back one by one). On stop it
 * sends Accounting-Off and takes itself off the list. Unanswered records are resent as a NAS
 * resends them (the same datagram, three times, a second apart). It also answers Linedesk's
 * Disconnect-Request and CoA-Request (RFC 5176) on its CoA port, as RouterOS does: the agents'
 * session actions and an account's change get an ACK, or a NAK for a session it does not have.
 */

/** Its name in the NAS list: a leftover of a simulator that did not stop cleanly is taken over. */
export const SIMULATED_NAS_NAME = 'linedesk-simulator';
/** Its own address on loopback, so it cannot be mistaken for another NAS; 127.0.0.1 where only that exists. */
const PREFERRED_ADDRESS = '127.0.0.13';
/** The interval the NAS list is given (the smallest it takes): the stale sweep judges by it. */
const INTERIM_SECONDS = 60;
const RESENDS = 3;
const RESEND_AFTER_MS = 1000;
/** RFC 5176's port, where RouterOS listens unless told otherwise (settings' defaultCoaPort for MikroTik). */
const COA_PORT = 3799;
/** How long an answer is kept for a retransmitted request (RFC 5080 §2.2.2): Linedesk resends after a second. */
const ANSWER_KEPT_MS = 10_000;

const ACCT = { start: 1, stop: 2, interim: 3, on: 7, off: 8 } as const;
const ADMIN_RESET = 6;
const REQUEST = { disconnect: 40, coa: 43 } as const;
/** RFC 5176 §3.6. */
const ERROR = { unsupportedAttribute: 401, missingAttribute: 402, sessionContextNotFound: 503 } as const;
/** What names a session in a request (nas-requests.ts sends RouterOS the first three). */
const IDENTIFICATION = new Set([
  'User-Name',
  'Acct-Session-Id',
  'Framed-IP-Address',
  'NAS-IP-Address',
  'NAS-Identifier',
]);
/** What RouterOS changes on a live session by CoA (and Linedesk sends it). */
const CHANGEABLE = new Set(['Mikrotik-Rate-Limit', 'Mikrotik-Address-List']);
/** Carried by a request but naming nothing and changing nothing. */
const ALONGSIDE = new Set(['Message-Authenticator', 'Event-Timestamp']);
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
  /** Where it listens for Disconnect and CoA, and what the NAS list is told (default 3799; 0: any free port). */
  coaPort?: number;
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
  /** Disconnect-Requests acknowledged (each ends its session with Admin-Reset). */
  disconnects: number;
  /** CoA-Requests acknowledged. */
  coas: number;
  /** Disconnect- or CoA-NAKs sent (a session it did not have, an attribute it does not take). */
  naks: number;
  /** Requests dropped unanswered: they did not verify under its secret. */
  dropped: number;
}

interface Line {
  login: string;
  /** Said at the start, so a new user knows which cards to open. */
  accountNumber: string;
  subscriberId: number;
  accountId: number;
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
    // The card of this row's account: a subscriber with two flats has a login for each.
    const card = await admin.get<SubscriberCard>(`/api/subscribers/${item.id}?accountId=${item.accountId}`);
    const login = card.connection?.method === 'pppoe' ? card.connection.pppoeLogin : null;
    if (login && !lines.some((line) => line.login === login)) {
      lines.push({
        login,
        accountNumber: card.account.number,
        subscriberId: card.id,
        accountId: card.account.id,
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
    disconnects: 0,
    coas: 0,
    naks: 0,
    dropped: 0,
  };
  private socket: dgram.Socket | undefined;
  /** Its Dynamic Authorization Server (RFC 5176); none when its port was taken. */
  private coaSocket: dgram.Socket | undefined;
  /** Answers by request, for a retransmission of one already answered. */
  private readonly answers = new Map<string, { answer: Buffer; at: number }>();
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
    const coaPort = await this.listenForRequests(this.options.coaPort ?? COA_PORT);
    const secret = randomBytes(24).toString('base64url');
    await admin.put(`/api/settings/nas/${SIMULATED_NAS_NAME}`, {
      address: this.address,
      vendor: 'mikrotik',
      interimIntervalSeconds: INTERIM_SECONDS,
      ...(coaPort > 0 ? { coaPort } : {}),
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

  /** The accounts whose sessions it plays, those it names first (the switches play their ports too). */
  accounts(): { subscriberId: number; accountId: number }[] {
    return this.lines.map(({ subscriberId, accountId }) => ({ subscriberId, accountId }));
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

  /**
   * Binds its CoA port on its own address; resolves with the port bound, or the one asked for
   * when it is taken (said once: the NAS plays on, the session actions get no answer).
   */
  private async listenForRequests(port: number): Promise<number> {
    const socket = dgram.createSocket('udp4');
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port, this.address, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      socket.close();
      this.options.say(
        `NAS  cannot listen for Disconnect and CoA on ${this.address}:${port} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): the card's session actions will get no answer`,
      );
      return port;
    }
    socket.on('message', (datagram, from) => this.answerRequest(datagram, from));
    socket.on('error', (error) => this.options.say(`NAS  CoA socket: ${error.message}`));
    this.coaSocket = socket;
    return socket.address().port;
  }

  /**
   * A Disconnect- or CoA-Request as RouterOS takes it: dropped unless it verifies under the secret
   * (RFC 5176 §3.5), then the session it names, where every identifying attribute must match (§3),
   * ended with Admin-Reset or changed in place; NAK with its Error-Cause otherwise.
   */
  private answerRequest(datagram: Buffer, from: dgram.RemoteInfo) {
    const decoded = decodePacket(datagram);
    if (this.stopped || !decoded.ok) return;
    const request = decoded.packet;
    const kind = request.code === REQUEST.disconnect ? 'Disconnect' : request.code === REQUEST.coa ? 'CoA' : null;
    if (kind === null) return;
    const key = `${from.address}:${from.port}:${request.identifier}:${request.authenticator.toString('hex')}`;
    const now = Date.now();
    for (const [kept, { at }] of this.answers) if (now - at > ANSWER_KEPT_MS) this.answers.delete(kept);
    const answered = this.answers.get(key);
    if (answered) {
      this.coaSocket?.send(answered.answer, from.port, from.address);
      return;
    }
    if (this.secret.length === 0 || !requestAuthenticatorHolds(request, this.secret)) {
      this.statistics.dropped++;
      this.options.say(`NAS  ${kind}-Request from ${from.address} dropped: it does not verify under the shared secret`);
      return;
    }
    const value = (name: string) => request.attributes.find((attribute) => attribute.name === name)?.value;
    const named = [value('Acct-Session-Id'), value('User-Name')].filter((v) => v !== undefined).join(' ');
    const refuse = (errorCause: number, why: string) => {
      this.statistics.naks++;
      this.reply(key, from, dynamicAuthorizationAnswer(request, 'nak', [['Error-Cause', errorCause]], this.secret));
      this.options.say(`NAS  ${kind}-Request for ${named || 'no session'}: ${kind}-NAK, ${why}`);
    };
    const identifying = request.attributes.filter((attribute) => IDENTIFICATION.has(attribute.name));
    if (identifying.length === 0) return refuse(ERROR.missingAttribute, errorCauseInWords(ERROR.missingAttribute));
    const line = this.lines.find((candidate) => this.isNamed(candidate, request));
    if (!line?.session) {
      return refuse(ERROR.sessionContextNotFound, errorCauseInWords(ERROR.sessionContextNotFound));
    }
    if (kind === 'Disconnect') {
      this.statistics.disconnects++;
      this.reply(key, from, dynamicAuthorizationAnswer(request, 'ack', [], this.secret));
      this.options.say(
        `NAS  Disconnect-Request for ${line.login} (session ${line.session.id}): Disconnect-ACK, Stop with Admin-Reset, the CPE logs in again`,
      );
      // The CPE notices within seconds and dials again.
      this.endSession(line, ADMIN_RESET, uniform(this.options.random, 3, 10));
      return;
    }
    const unsupported = request.attributes.find(
      (attribute) =>
        !IDENTIFICATION.has(attribute.name) && !CHANGEABLE.has(attribute.name) && !ALONGSIDE.has(attribute.name),
    );
    if (unsupported)
      return refuse(
        ERROR.unsupportedAttribute,
        `${errorCauseInWords(ERROR.unsupportedAttribute)} (${unsupported.name})`,
      );
    this.statistics.coas++;
    this.reply(key, from, dynamicAuthorizationAnswer(request, 'ack', [], this.secret));
    const changes = request.attributes
      .filter((attribute) => CHANGEABLE.has(attribute.name))
      .map((attribute) => `${attribute.name} ${String(attribute.value)}`);
    this.options.say(
      `NAS  CoA-Request for ${line.login} (session ${line.session.id}): CoA-ACK${changes.length > 0 ? `, ${changes.join(', ')}` : ''}`,
    );
  }

  /** Whether every identifying attribute of the request matches the line's session. */
  private isNamed(line: Line, request: RadiusPacket) {
    if (!line.session) return false;
    const own: Record<string, string> = {
      'User-Name': line.login,
      'Acct-Session-Id': line.session.id,
      'Framed-IP-Address': this.framedIp(line),
      'NAS-IP-Address': this.address,
      'NAS-Identifier': SIMULATED_NAS_NAME,
    };
    return request.attributes.every(
      (attribute) => !Object.hasOwn(own, attribute.name) || own[attribute.name] === attribute.value,
    );
  }

  private reply(key: string, to: dgram.RemoteInfo, answer: Buffer) {
    this.answers.set(key, { answer, at: Date.now() });
    this.coaSocket?.send(answer, to.port, to.address);
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
    // The CPE comes back up and dials again after half a minute or so.
    this.endSession(line, pickCause(this.options.random), uniform(this.options.random, 20, 90));
  }

  /** A Stop with its cause; the CPE dials again after that many simulated seconds. */
  private endSession(line: Line, cause: number, againAfterSeconds: number) {
    this.statistics.stops++;
    this.track(
      this.send([
        ['Acct-Status-Type', ACCT.stop],
        ...this.sessionAttributes(line),
        ...this.counters(line),
        ['Acct-Terminate-Cause', cause],
      ]),
    );
    this.clear(line);
    this.later(line, this.ms(againAfterSeconds), () => this.startSession(line));
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

  private framedIp(line: Line) {
    return `100.64.200.${10 + this.lines.indexOf(line)}`;
  }

  private sessionAttributes(line: Line): AttributeToSend[] {
    const attributes: AttributeToSend[] = [
      ['Acct-Session-Id', line.session?.id ?? ''],
      ['User-Name', line.login],
      ['NAS-Port-Type', 15], // Ethernet: PPPoE
      ['Framed-IP-Address', this.framedIp(line)],
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
    this.coaSocket?.close();
    this.coaSocket = undefined;
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
