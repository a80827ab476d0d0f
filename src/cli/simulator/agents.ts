import type { ContactSummary, Desk } from '../../common/api/contacts.js';
import type { Random } from '../../demo-data/random.js';
import { logNormal, meanHandleSeconds, outcomeFor, reasonFor, uniform } from './draws.js';
import { ApiError, LinedeskClient } from './linedesk-client.js';

/**
 * Agents played by the simulator, on the same desk API as the people in the browser: they go
 * available, take what rings after a few seconds (now and then they miss one), hold some calls,
 * end each after a realistic talk with a reason and an outcome, write it up and come back.
 */

export interface AgentOptions {
  linedeskUrl: string;
  password: string;
  random: Random;
  speed: number;
  say: (text: string) => void;
  /** How often the desk is looked at, ms (real time). */
  pollMs?: number;
}

export interface AgentStatistics {
  accepted: number;
  missed: number;
  ended: number;
  held: number;
  talkSeconds: number[];
}

export class SimulatedAgent {
  private readonly client: LinedeskClient;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Contacts this agent has already reacted to, by what it did. */
  private readonly seenOffers = new Set<number>();
  private readonly talking = new Set<number>();
  private readonly wrapping = new Set<number>();
  private readonly pending = new Set<NodeJS.Timeout>();
  private comingBack = false;
  private line = '';
  readonly statistics: AgentStatistics = { accepted: 0, missed: 0, ended: 0, held: 0, talkSeconds: [] };

  constructor(
    readonly login: string,
    private readonly options: AgentOptions,
  ) {
    this.client = new LinedeskClient(options.linedeskUrl, login);
  }

  async start(): Promise<void> {
    await this.client.signIn(this.options.password);
    await this.client.put('/api/desk/state', { state: 'available' });
    const desk = await this.client.get<Desk>('/api/desk');
    this.line = desk.agent.lines[0] ?? '';
    this.say(`available on ${desk.agent.lines.join(', ')} (extension ${desk.agent.extension ?? 'none'})`);
    this.schedulePoll(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const timer of this.pending) clearTimeout(timer);
    // What is still on the desk is written up first, so no contact is left without its outcome
    // and the agent does not come back available after the simulator has gone.
    const desk = await this.client.get<Desk>('/api/desk').catch(() => null);
    for (const contact of desk?.current ?? []) {
      const reason = reasonFor(this.options.random, contact.line);
      await this.client
        .post(`/api/contacts/${contact.id}/end`, { reason, outcome: outcomeFor(this.options.random) })
        .catch(() => {});
      await this.client.post(`/api/contacts/${contact.id}/finish-after-work`).catch(() => {});
    }
    await this.client.put('/api/desk/state', { state: 'offline' }).catch(() => {});
    await this.client.signOut();
  }

  private say(text: string) {
    this.options.say(`${this.login.padEnd(4)} ${text}`);
  }

  private later(ms: number, action: () => Promise<void>) {
    const timer = setTimeout(
      () => {
        this.pending.delete(timer);
        if (this.stopped) return;
        action().catch((error: Error) => this.complain(error));
      },
      Math.max(0, ms),
    );
    this.pending.add(timer);
  }

  private complain(error: Error) {
    // 409s are races the real desk has too (the caller hung up as the agent clicked): said, not fatal.
    this.say(
      error instanceof ApiError && error.status === 409 ? `too late: ${error.code}` : `trouble: ${error.message}`,
    );
  }

  private schedulePoll(ms: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.look()
        .catch((error: Error) => this.complain(error))
        .finally(() => this.schedulePoll(this.options.pollMs ?? 1000));
    }, ms);
  }

  /** One look at the desk: react to what is new on it. */
  private async look(): Promise<void> {
    const desk = await this.client.get<Desk>('/api/desk');
    if (desk.offer && !this.seenOffers.has(desk.offer.contact.id)) this.ringing(desk.offer.contact);
    for (const contact of desk.current) {
      if (contact.status === 'connected' && !this.talking.has(contact.id)) this.talk(contact);
      if (contact.status === 'after_work' && !this.talking.has(contact.id) && !this.wrapping.has(contact.id)) {
        // Put through by the PBX and already over (card-pop), or hung up before the talk began.
        this.talking.add(contact.id);
        this.later(0, () => this.end(contact));
      }
    }
    // A missed offer, or the desk taken offline by the disconnect rule: back after a moment.
    if ((desk.agent.state === 'missed' || desk.agent.state === 'offline') && !this.comingBack) {
      this.comingBack = true;
      this.later(Math.max(1000, uniform(this.options.random, 3000, 8000) / this.options.speed), async () => {
        this.comingBack = false;
        await this.client.put('/api/desk/state', { state: 'available' });
        this.say('available again');
      });
    }
  }

  private ringing(contact: ContactSummary) {
    this.seenOffers.add(contact.id);
    // About one offer in thirty rings out: the agent was looking elsewhere.
    if (this.options.random.chance(1 / 30)) {
      this.statistics.missed++;
      this.say(`lets contact ${contact.id} ring out`);
      return;
    }
    // Two to six seconds to notice and click, sped up with the rest but never instant.
    const delay = Math.max(500, uniform(this.options.random, 2000, 6000) / this.options.speed);
    this.later(delay, async () => {
      await this.client.post(`/api/desk/offers/${contact.id}/accept`);
      this.statistics.accepted++;
      this.say(
        `accepts contact ${contact.id} (${contact.callerNumber ?? 'withheld'}) after ${Math.round(delay / 1000)} s`,
      );
    });
  }

  private talk(contact: ContactSummary) {
    this.talking.add(contact.id);
    const speed = this.options.speed;
    const talkMs =
      (logNormal(this.options.random, meanHandleSeconds[contact.line] ?? meanHandleSeconds[this.line] ?? 300) * 1000) /
      speed;
    // One call in four is put on hold once, part-way, to look something up.
    if (this.options.random.chance(0.25)) {
      const holdAt = talkMs * uniform(this.options.random, 0.2, 0.6);
      const holdMs = (uniform(this.options.random, 20, 90) * 1000) / speed;
      this.later(holdAt, async () => {
        await this.client.post(`/api/contacts/${contact.id}/hold`, { hold: true });
        this.statistics.held++;
        this.say(`holds contact ${contact.id}`);
        this.later(holdMs, async () => {
          await this.client.post(`/api/contacts/${contact.id}/hold`, { hold: false });
          this.say(`back on contact ${contact.id} after ${Math.round((holdMs * speed) / 1000)} s on hold`);
        });
      });
    }
    const started = Date.now();
    this.later(talkMs, async () => {
      this.statistics.talkSeconds.push(((Date.now() - started) * speed) / 1000);
      await this.end(contact);
    });
  }

  private async end(contact: ContactSummary) {
    const reason = reasonFor(this.options.random, contact.line);
    const outcome = outcomeFor(this.options.random);
    try {
      await this.client.post(`/api/contacts/${contact.id}/end`, { reason, outcome });
    } catch (error) {
      // The caller hung up first and after-contact work ran out before the agent got to it.
      if (!(error instanceof ApiError && error.status === 409)) throw error;
    }
    this.statistics.ended++;
    this.say(`ends contact ${contact.id}: ${reason}, ${outcome}`);
    this.wrapping.add(contact.id);
    // Writing it up: done before the line's after-contact timer, mostly.
    this.later((uniform(this.options.random, 10, 40) * 1000) / this.options.speed, async () => {
      try {
        await this.client.post(`/api/contacts/${contact.id}/finish-after-work`);
        this.say(`done writing up contact ${contact.id}`);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 409)) throw error;
      }
    });
  }
}
