import { randomUUID } from 'node:crypto';
import { callsInProgress, type Pbx, type PbxEvent, type SuperviseCommand } from '../../modules/contacts/pbx.js';
import { PbxEventBatcher } from '../../modules/contacts/pbx-event-batches.js';
import { applyPbxEvents } from '../../modules/contacts/pbx-events.js';
import type { AppContext } from '../../modules/core/context.js';
import {
  announcementIdOf,
  callBridgeId,
  callOfAnnouncement,
  channelIdOf,
  outboundCallId,
  partOf,
  supervisorBridgeId,
} from './call-ids.js';
import { type AriClient, AriError } from './client.js';
import { callerNumberOf, dialledOf } from './events.js';
import { announcementMedia } from './media.js';
import { ariCommands } from './metrics.js';
import type { AriEvent, Bridge, Channel, StasisStart } from './models.js';

/** Where the agents' phones and the outside world are, as ARI endpoints. */
export interface AriDialling {
  /** `{extension}` is replaced: PJSIP/{extension} rings the agent's SIP phone. */
  agentEndpoint: string;
  /** `{number}` is replaced: a Local channel into a dialplan context that picks the trunk. */
  outboundEndpoint: string;
  /** How long an agent's phone rings before Asterisk gives up (originate's timeout). */
  ringSeconds: number;
}

export const defaultDialling: AriDialling = {
  agentEndpoint: 'PJSIP/{extension}',
  outboundEndpoint: 'Local/{number}@linedesk-outbound',
  ringSeconds: 30,
};

/** Tries at applying an event before it is logged as lost: 0.25 + 0.5 + 1 + 2 + 4 s of pauses. */
const REPORT_ATTEMPTS = 6;

/**
 * Seconds beyond the ringing time before a reconciliation takes an accepted call with no phone
 * ringing for it as unanswered: the connect command's job may still be on its way.
 */
const RING_SLACK_SECONDS = 15;

/** How long after an announcement ends the next one queued for the caller would have started. */
const ANNOUNCEMENT_GAP_MS = 250;

/** The ids of events this adapter reports start so, which tells its calls from another adapter's. */
export const ARI_EVENT_PREFIX = 'ari:';

/** ARI's timestamps carry an offset without a colon (+0500); Date reads it with one. */
export function timeOfAri(timestamp: string | undefined, fallback: Date): Date {
  if (!timestamp) return fallback;
  const at = new Date(timestamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(at.getTime()) ? fallback : at;
}

/**
 * The agent's phone rung for the call did not pick it up. The id carries the moment: the same
 * extension may be rung for the call again later, and that ringing's report is a new event.
 */
function unansweredEvent(callId: string, extension: string, at: Date): PbxEvent {
  return {
    kind: 'unanswered',
    eventId: `${ARI_EVENT_PREFIX}${callId}:unanswered:${extension}:${at.toISOString()}`,
    callId,
    at,
    agentExtension: extension,
  };
}

/** From a command (any instance): applied at once, a refusal logged as the application's are. */
async function reportUnanswered(ctx: AppContext, callId: string, extension: string, at: Date): Promise<void> {
  const [outcome] = await applyPbxEvents(ctx, [unansweredEvent(callId, extension, at)]);
  if (outcome && 'refused' in outcome) {
    ctx.log.warn({ callId, problem: outcome.refused.code }, 'ARI event refused');
  }
}

const endpointOf = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_match, key: string) => values[key] ?? '');

const gone = (error: unknown) => error instanceof AriError && (error.status === 404 || error.status === 422);
const ignoreGone = (error: unknown) => {
  if (!gone(error)) throw error;
};

/**
 * The commands out through ARI's REST interface. They need not run where the event WebSocket is
 * held: each one leaves its intent in the ids of what it creates (call-ids.ts), and the instance
 * holding the application acts on the events that follow (StasisApplication below).
 */
export function ariPbx(ctx: AppContext, client: AriClient, dialling: AriDialling = defaultDialling): Pbx {
  return countedCommands(commandsThrough(ctx, client, dialling));
}

/** Each command counted once, as sent or failed (a failure the job will retry counts each time). */
function countedCommands(pbx: Required<Pbx>): Pbx {
  const counted =
    <C>(command: string, send: (fields: C) => Promise<void>) =>
    async (fields: C) => {
      try {
        await send(fields);
      } catch (error) {
        ariCommands.inc({ command, outcome: 'failed' });
        throw error;
      }
      ariCommands.inc({ command, outcome: 'sent' });
    };
  return {
    connect: counted('connect', pbx.connect),
    announce: counted('announce', pbx.announce),
    transfer: counted('transfer', pbx.transfer),
    originate: counted('originate', pbx.originate),
    hangUp: counted('hangUp', pbx.hangUp),
    supervise: counted('supervise', pbx.supervise),
  };
}

function commandsThrough(ctx: AppContext, client: AriClient, dialling: AriDialling): Required<Pbx> {
  const ring = async (callId: string, role: 'agent' | 'supervisor', extension: string, args: string[]) => {
    try {
      await client.originate({
        endpoint: endpointOf(dialling.agentEndpoint, { extension }),
        channelId: channelIdOf(callId, role, extension),
        appArgs: [role, ...args],
        timeoutSeconds: dialling.ringSeconds,
      });
    } catch (error) {
      // That phone is ringing for this call already: the command is a repeat.
      if (error instanceof AriError && error.status === 409) return;
      throw error;
    }
  };
  const callerIsThere = async (callId: string, what: string) => {
    if (await client.getChannel(callId)) return true;
    ctx.log.info({ callId, pbxCommand: what }, 'ARI: the call is gone; nothing to do');
    return false;
  };
  return {
    async connect({ callId, extension }) {
      if (!(await callerIsThere(callId, 'connect'))) return;
      try {
        await ring(callId, 'agent', extension, []);
      } catch (error) {
        // Asterisk cannot ring that endpoint at all (no such technology or endpoint): ringing again
        // will not help, so the call goes to the next agent. Anything else is retried by the job.
        if (!(error instanceof AriError && [400, 404, 422].includes(error.status))) throw error;
        ctx.log.warn({ callId, extension, err: error }, "ARI: the agent's phone could not be rung");
        await reportUnanswered(ctx, callId, extension, ctx.clock());
      }
    },
    async announce({ callId, announcement }) {
      // An announcement late for a caller already talking to the agent would talk over them.
      const bridge = (await client.listBridges()).find((candidate) => candidate.id === callBridgeId(callId));
      if (bridge?.channels.includes(callId)) {
        ctx.log.info({ callId, pbxCommand: 'announce' }, 'ARI: the caller is connected; announcement dropped');
        return;
      }
      try {
        // Hold music and an announcement would play over each other; it comes back when the playback ends.
        await client.stopMoh(callId);
        await client.play(
          callId,
          announcementMedia(announcement, ctx.config.timezone),
          announcementIdOf(callId, randomUUID()),
        );
      } catch (error) {
        if (gone(error) || (error instanceof AriError && error.status === 409)) {
          ctx.log.info({ callId, pbxCommand: 'announce' }, 'ARI: the call is gone; nothing to do');
          return;
        }
        throw error;
      }
    },
    async transfer({ callId, target, targetType }) {
      if (!(await callerIsThere(callId, 'transfer'))) return;
      // An extension: rung like an agent; the caller is handed over when it answers and the
      // current agent's leg is hung up then (StasisApplication.agentAnswered).
      if (targetType === 'extension') return ring(callId, 'agent', target, []);
      // A line: the contact waits in that line's queue now. The caller leaves the bridge first (an
      // agent's leg hung up beside a lone caller would end the call), then everyone else on it
      // goes, and the hold music plays until the line's next agent is connected.
      const bridge = (await client.listBridges()).find((candidate) => candidate.id === callBridgeId(callId));
      if (bridge?.channels.includes(callId)) await client.removeChannel(bridge.id, [callId]).catch(ignoreGone);
      if (bridge) await client.destroyBridge(bridge.id);
      for (const channel of await client.listChannels()) {
        const part = partOf(channel.id);
        if (part?.callId === callId && (part.role === 'agent' || part.role === 'supervisor')) {
          await client.hangup(channel.id);
        }
      }
      await client.startMoh(callId).catch(ignoreGone);
      ctx.log.info({ callId, line: target }, "ARI: the caller is back on hold music in another line's queue");
    },
    async originate({ contactId, extension, number }) {
      // The agent's phone first; when it is picked up, the number (StasisApplication.outboundAnswered).
      try {
        await client.originate({
          endpoint: endpointOf(dialling.agentEndpoint, { extension }),
          channelId: channelIdOf(outboundCallId(contactId), 'outbound', extension),
          appArgs: ['outbound', number],
          timeoutSeconds: dialling.ringSeconds,
        });
      } catch (error) {
        if (error instanceof AriError && error.status === 409) return;
        throw error;
      }
    },
    async hangUp({ callId }) {
      await client.hangup(callId);
    },
    async supervise({ callId, extension, mode }: SuperviseCommand) {
      if (!(await callerIsThere(callId, 'supervise'))) return;
      await ring(callId, 'supervisor', extension, [mode]);
    },
  };
}

/**
 * Linedesk's Stasis application: what Asterisk reports on the event WebSocket becomes contacts'
 * PBX events, and what the commands started (an agent's phone picked up, an announcement over)
 * is finished here. One instance runs it at a time (leader.ts); `reconcile` brings a newly
 * leading instance up to date with the channels and bridges that exist.
 */
export class StasisApplication {
  private readonly batcher: PbxEventBatcher;
  /** Per call, the events in the order they came: a call's DTMF never overtakes its StasisStart. */
  private readonly chains = new Map<string, Promise<void>>();
  /**
   * Inbound channels whose arrival this instance handled: a reconciliation running while a call
   * arrives sees the channel before its contact is on record, and must not answer it twice.
   */
  private readonly arrived = new Set<string>();
  /** Per call, the announcements playing now and how many ever started (PlaybackStarted, PlaybackFinished). */
  private readonly announcing = new Map<string, { playing: number; started: number }>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ctx: AppContext,
    private readonly client: AriClient,
    private readonly dialling: AriDialling = defaultDialling,
  ) {
    this.batcher = new PbxEventBatcher(ctx);
  }

  /** Takes an event off the WebSocket; handled after the earlier ones of its call. */
  receive(event: AriEvent): Promise<void> {
    return this.enqueue(this.callOfEvent(event) ?? '', () => this.handle(event), event.type);
  }

  private enqueue(key: string, work: () => Promise<void>, what = 'follow-up'): Promise<void> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(work)
      .catch((error: Error) =>
        this.ctx.log.error({ err: error, callId: key, ariEvent: what }, 'ARI event not handled'),
      );
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }

  /** Everything received so far handled (tests, and a clean stop). */
  async settled(): Promise<void> {
    while (this.chains.size > 0 || this.timers.size > 0) {
      if (this.chains.size > 0) await Promise.all([...this.chains.values()]);
      else await new Promise((resolve) => setTimeout(resolve, ANNOUNCEMENT_GAP_MS / 2));
    }
  }

  private callOfEvent(event: AriEvent): string | null {
    if ('channel' in event && event.channel) return partOf(event.channel.id)?.callId ?? event.channel.id;
    if (event.type === 'PlaybackFinished' || event.type === 'PlaybackStarted') {
      return callOfAnnouncement(event.playback.id);
    }
    return null;
  }

  private async handle(event: AriEvent): Promise<void> {
    switch (event.type) {
      case 'StasisStart':
        return this.stasisStart(event);
      case 'ChannelDtmfReceived': {
        if (partOf(event.channel.id)) return; // an agent's or supervisor's keys are theirs
        await this.report({
          kind: 'dtmf',
          eventId: `${ARI_EVENT_PREFIX}${event.channel.id}:dtmf:${event.timestamp}:${event.digit}`,
          callId: event.channel.id,
          at: this.at(event.timestamp),
          digits: event.digit,
        });
        return;
      }
      case 'ChannelDestroyed':
        return this.channelDestroyed(event.channel, event.cause, event.cause_txt, event.timestamp);
      case 'PlaybackStarted': {
        const callId = callOfAnnouncement(event.playback.id);
        if (!callId) return;
        const known = this.announcing.get(callId) ?? { playing: 0, started: 0 };
        this.announcing.set(callId, { playing: known.playing + 1, started: known.started + 1 });
        return;
      }
      case 'PlaybackFinished': {
        const callId = callOfAnnouncement(event.playback.id);
        if (!callId) return;
        const known = this.announcing.get(callId) ?? { playing: 1, started: 0 };
        const playing = Math.max(0, known.playing - 1);
        this.announcing.set(callId, { ...known, playing });
        // Asterisk starts a queued announcement as the one before ends (two may be asked for at
        // once: the place and a callback offer); the hold music comes back only when none started
        // since this one ended, or it would play over the next.
        const startedBefore = known.started;
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          void this.enqueue(callId, async () => {
            const now = this.announcing.get(callId);
            if (!now || now.playing > 0 || now.started !== startedBefore) return;
            this.announcing.delete(callId);
            if (!(await this.isBridged(callId))) await this.holdMusic(callId);
          });
        }, ANNOUNCEMENT_GAP_MS);
        this.timers.add(timer);
        return;
      }
      default:
        return;
    }
  }

  private at(timestamp: string | undefined): Date {
    return timeOfAri(timestamp, this.ctx.clock());
  }

  /**
   * Applied through contacts, tried again on a failure (the database restarting): the event's id
   * makes a repeat harmless, and an event given up on here would be a call never ended.
   */
  private async report(event: PbxEvent): Promise<void> {
    let outcome: Awaited<ReturnType<PbxEventBatcher['apply']>>[number] | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        [outcome] = await this.batcher.apply([event]);
        break;
      } catch (error) {
        if (attempt >= REPORT_ATTEMPTS) throw error;
        this.ctx.log.warn(
          { err: error, callId: event.callId, eventId: event.eventId, attempt },
          'ARI event not applied; trying again',
        );
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** (attempt - 1)));
      }
    }
    if (outcome && 'refused' in outcome) {
      this.ctx.log.warn(
        { callId: event.callId, eventId: event.eventId, problem: outcome.refused.code },
        'ARI event refused',
      );
    }
  }

  private async stasisStart(event: StasisStart): Promise<void> {
    const channel = event.channel;
    const part = partOf(channel.id);
    if (!part) return this.callArrived(channel, event.args, event.timestamp);
    switch (part.role) {
      case 'agent':
        return this.agentAnswered(part.callId, channel, part.who, event.timestamp);
      case 'supervisor':
        return this.supervisorAnswered(part.callId, channel, part.who, event.args[1] ?? 'listen');
      case 'outbound':
        return this.outboundAnswered(part.callId, channel, event.args[1] ?? '');
      case 'callee':
        return this.calleeAnswered(part.callId, channel);
      case 'snoop':
        return; // bridged by the supervisor's StasisStart that asked for it
    }
  }

  /** An inbound call the dialplan handed over: answered, on hold music, and reported to contacts. */
  private async callArrived(channel: Channel, args: string[], timestamp: string): Promise<void> {
    if (this.arrived.has(channel.id)) return;
    this.arrived.add(channel.id);
    try {
      if (channel.state !== 'Up') await this.client.answer(channel.id);
      await this.client.startMoh(channel.id);
    } catch (error) {
      // Hung up at once: still a call that came (its ChannelDestroyed follows and makes it an abandon).
      if (!gone(error)) throw error;
    }
    // Stasis(linedesk,<menu choice>) names an IVR choice; otherwise the number dialled picks the line.
    await this.report({
      kind: 'offered',
      eventId: `${ARI_EVENT_PREFIX}${channel.id}:offered`,
      callId: channel.id,
      at: this.at(timestamp),
      from: callerNumberOf(channel.caller.number),
      dialled: dialledOf(args[0]) ?? dialledOf(channel.dialplan.exten),
    });
  }

  /** The agent picked up: caller and agent in one mixing bridge; an agent there before (a transfer) leaves. */
  private async agentAnswered(callId: string, agent: Channel, extension: string, timestamp: string): Promise<void> {
    const bridgeId = callBridgeId(callId);
    try {
      await this.client.createBridge(bridgeId, 'mixing');
      await this.client.addChannel(bridgeId, [callId, agent.id]);
    } catch (error) {
      if (!gone(error)) throw error;
      // The caller hung up while the agent's phone rang.
      await this.client.hangup(agent.id);
      return;
    }
    await this.client.stopMoh(callId).catch(() => {});
    const bridge = await this.bridge(bridgeId);
    for (const other of bridge?.channels ?? []) {
      const otherPart = partOf(other);
      if (other !== agent.id && otherPart?.role === 'agent') await this.client.hangup(other);
    }
    await this.report({
      kind: 'answered',
      eventId: `${ARI_EVENT_PREFIX}${callId}:answered:${extension}`,
      callId,
      at: this.at(timestamp),
      agentExtension: extension,
    });
  }

  private async supervisorAnswered(callId: string, supervisor: Channel, extension: string, mode: string) {
    const call = await this.bridge(callBridgeId(callId));
    const agent = call?.channels.find((id) => partOf(id)?.role === 'agent');
    if (!call || !agent) {
      // Nothing to supervise any more: the call ended or was never bridged.
      await this.client.hangup(supervisor.id);
      return;
    }
    if (mode === 'barge' || mode === 'takeover') {
      await this.client.addChannel(call.id, [supervisor.id]);
      if (mode === 'takeover') {
        const agents = call.channels.filter((id) => partOf(id)?.role === 'agent');
        await this.client.removeChannel(call.id, agents);
        for (const id of agents) await this.client.hangup(id);
      }
      this.ctx.log.info({ callId, extension, mode }, 'ARI: supervisor joined the call');
      return;
    }
    // Listen: hear both sides of the agent's leg; whisper: and speak into it, to the agent alone.
    const snoop = await this.client.snoop(agent, {
      snoopId: channelIdOf(callId, 'snoop', extension),
      spy: 'both',
      whisper: mode === 'whisper' ? 'out' : 'none',
      appArgs: ['snoop'],
    });
    const bridgeId = supervisorBridgeId(callId, extension);
    await this.client.createBridge(bridgeId, 'mixing');
    await this.client.addChannel(bridgeId, [supervisor.id, snoop.id]);
    this.ctx.log.info({ callId, extension, mode }, 'ARI: supervisor listening');
  }

  private async outboundAnswered(callId: string, agent: Channel, number: string) {
    if (!number) {
      await this.client.hangup(agent.id);
      return;
    }
    await this.client.startMoh(agent.id).catch(() => {});
    try {
      await this.client.originate({
        endpoint: endpointOf(this.dialling.outboundEndpoint, { number }),
        channelId: channelIdOf(callId, 'callee', number),
        appArgs: ['callee'],
        timeoutSeconds: 60,
      });
    } catch (error) {
      if (!(error instanceof AriError && error.status === 409)) throw error;
    }
  }

  private async calleeAnswered(callId: string, callee: Channel) {
    const agent = (await this.client.listChannels()).find(
      (channel) => partOf(channel.id)?.callId === callId && partOf(channel.id)?.role === 'outbound',
    );
    if (!agent) {
      await this.client.hangup(callee.id);
      return;
    }
    await this.client.stopMoh(agent.id).catch(() => {});
    await this.client.createBridge(callBridgeId(callId), 'mixing');
    await this.client.addChannel(callBridgeId(callId), [agent.id, callee.id]);
  }

  private async channelDestroyed(channel: Channel, cause: number, causeText: string, timestamp: string) {
    const part = partOf(channel.id);
    if (!part) {
      this.arrived.delete(channel.id);
      this.announcing.delete(channel.id);
      // The caller is gone: the call ends (contacts makes it an abandon if nobody had answered),
      // reported before the rest is released, which a failing REST call must not hold up.
      await this.report({
        kind: 'ended',
        eventId: `${ARI_EVENT_PREFIX}${channel.id}:ended`,
        callId: channel.id,
        at: this.at(timestamp),
      });
      await this.releaseCall(channel.id);
      return;
    }
    const { callId, role, who } = part;
    if (role === 'agent') {
      const bridge = await this.bridge(callBridgeId(callId));
      if (bridge?.channels.includes(callId)) {
        // The agent hung up (or was taken over): the call ends with them unless someone else is on it.
        if (bridge.channels.every((id) => id === callId)) await this.client.hangup(callId);
        return;
      }
      // Picked up and let go without a bridge around the caller: the call moved on (a transfer to
      // another line's queue), nothing the phone failed to do.
      if (channel.state === 'Up') return;
      // Rang out, busy or refused before the bridge: the caller, still on hold music, goes back to
      // the queue for the next agent. A caller gone meanwhile has been reported ended already.
      if (!(await this.client.getChannel(callId))) return;
      this.ctx.log.warn({ callId, extension: who, cause, causeText }, "ARI: the agent's phone did not answer");
      await this.report(unansweredEvent(callId, who, this.at(timestamp)));
      return;
    }
    if (role === 'supervisor') {
      const bridgeId = supervisorBridgeId(callId, who);
      await this.client.hangup(channelIdOf(callId, 'snoop', who));
      await this.client.destroyBridge(bridgeId);
      return;
    }
    if (role === 'outbound' || role === 'callee') await this.releaseCall(callId);
  }

  /** Every channel and bridge Linedesk made for the call goes with it. */
  private async releaseCall(callId: string): Promise<void> {
    for (const channel of await this.client.listChannels()) {
      if (channel.id === callId || partOf(channel.id)?.callId === callId) await this.client.hangup(channel.id);
    }
    for (const bridge of await this.client.listBridges()) {
      if (bridge.id === callBridgeId(callId) || bridge.id.startsWith(`${callBridgeId(callId)}-supervisor-`)) {
        await this.client.destroyBridge(bridge.id);
      }
    }
  }

  private async bridge(bridgeId: string): Promise<Bridge | undefined> {
    return (await this.client.listBridges()).find((bridge) => bridge.id === bridgeId);
  }

  private async isBridged(callId: string): Promise<boolean> {
    return (await this.bridge(callBridgeId(callId)))?.channels.includes(callId) ?? false;
  }

  private async holdMusic(callId: string): Promise<void> {
    await this.client.startMoh(callId).catch((error) => {
      if (!gone(error)) throw error;
    });
  }

  /**
   * After taking the application over (or reconnecting): what happened while nobody listened. A
   * call on record whose channel is gone is ended; a caller in the application whose arrival was
   * never reported is reported now; a connected caller left alone in its bridge (the agent hung
   * up meanwhile) is released; an accepted caller whose agent's phone rang out meanwhile goes back to
   * the queue. Calls still up carry on, their events now come here.
   */
  async reconcile(): Promise<{ kept: number; ended: number; arrived: number }> {
    const [channels, bridges, calls] = await Promise.all([
      this.client.listChannels(),
      this.client.listBridges(),
      callsInProgress(this.ctx, ARI_EVENT_PREFIX),
    ]);
    const up = new Map(channels.map((channel) => [channel.id, channel]));
    const known = new Set(calls.map((call) => call.callId));
    const now = this.ctx.clock();
    let kept = 0;
    let ended = 0;
    for (const call of calls) {
      if (!up.has(call.callId)) {
        await this.report({
          kind: 'ended',
          eventId: `${ARI_EVENT_PREFIX}${call.callId}:ended`,
          callId: call.callId,
          at: now,
        });
        await this.releaseCall(call.callId);
        ended++;
        continue;
      }
      const bridge = bridges.find((candidate) => candidate.id === callBridgeId(call.callId));
      const legs = channels.filter((channel) => partOf(channel.id)?.callId === call.callId);
      // Accepted, never bridged, no phone ringing for it, and longer ago than a phone rings: the
      // agent's phone rang out while nobody held the WebSocket (its ChannelDestroyed went unheard).
      const rangOutUnheard =
        call.ringing &&
        !bridge?.channels.includes(call.callId) &&
        legs.length === 0 &&
        now.getTime() - call.ringing.acceptedAt.getTime() > (this.dialling.ringSeconds + RING_SLACK_SECONDS) * 1000;
      if (call.ringing && rangOutUnheard) {
        await this.report(unansweredEvent(call.callId, call.ringing.extension, now));
        kept++;
        continue;
      }
      if (call.status === 'connected' && bridge && bridge.channels.every((id) => id === call.callId)) {
        const ringing = channels.some((channel) => partOf(channel.id)?.callId === call.callId);
        if (!ringing) {
          await this.client.hangup(call.callId);
          continue;
        }
      }
      kept++;
    }
    let arrived = 0;
    for (const channel of channels) {
      const inApp =
        channel.dialplan.app_name === 'Stasis' && channel.dialplan.app_data.split(',')[0] === this.client.app;
      if (partOf(channel.id) || known.has(channel.id) || !inApp) continue;
      await this.receive({
        type: 'StasisStart',
        application: this.client.app,
        timestamp: channel.creationtime,
        args: channel.dialplan.app_data.split(',').slice(1),
        channel,
      });
      arrived++;
    }
    this.ctx.log.info({ kept, ended, arrived }, 'ARI: reconciled the calls on record with Asterisk');
    return { kept, ended, arrived };
  }
}
