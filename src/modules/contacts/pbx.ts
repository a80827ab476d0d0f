/**
 * What the contacts module needs from a PBX, and what it accepts from one. Any PBX speaks to
 * Linedesk through an adapter in src/integrations/ that implements `Pbx` for the commands out and
 * turns what the PBX reports into `PbxEvent`s for `applyPbxEvent` (pbx-events.ts). The generic
 * adapter speaks signed webhooks (docs/integrations/telephony.md); Asterisk's ARI plugs in here too.
 */

import { sql } from 'drizzle-orm';
import type { AppContext } from '../core/context.js';
import { agentOf } from '../staff/agent-state.js';

/** What the PBX reports about a call. `eventId` is the PBX's own id of the event: a repeat carries the same one. */
export type PbxEvent =
  | {
      kind: 'offered';
      eventId: string;
      callId: string;
      at: Date;
      /** The caller ID as the PBX has it; null when withheld. */
      from: string | null;
      /** The number dialled or the menu choice made: it picks the line. */
      dialled: string | null;
      /** Card-pop mode: the extension the PBX's own queue is ringing. */
      agentExtension?: string | null;
    }
  | { kind: 'answered'; eventId: string; callId: string; at: Date; agentExtension?: string | null }
  | { kind: 'ended'; eventId: string; callId: string; at: Date }
  /**
   * The agent's phone rung for the call (connect, or the PBX's own queue in card-pop mode) did not
   * pick it up: rang out, busy, refused, unreachable. The caller is still on the line, waiting.
   */
  | { kind: 'unanswered'; eventId: string; callId: string; at: Date; agentExtension: string }
  | { kind: 'dtmf'; eventId: string; callId: string; at: Date; digits: string }
  | { kind: 'recording'; eventId: string; callId: string; at: Date; url: string };

export type PbxEventKind = PbxEvent['kind'];

/** What applying an event did; a repeated event gets the first one's result back. */
export interface PbxEventResult {
  contactId: number;
  status: 'waiting' | 'offered' | 'connected' | 'after_work' | 'ended';
  /** What the event changed, in a word: 'queued', 'answered', 'abandoned', 'ignored-older' … */
  applied: string;
}

/** What is played to a waiting caller. Minutes null: the wait is unknown (nobody serving the line). */
export type Announcement =
  | { kind: 'position'; position: number; minutes: number | null }
  | { kind: 'outside-hours'; opensAt: string | null }
  | { kind: 'callback-offer'; digit: string }
  | { kind: 'callback-confirmed' };

/** Commands to the PBX. Each is sent by a job (contacts/jobs.ts): retried when the PBX does not answer. */
export interface Pbx {
  /** Ring the agent's extension and bridge the caller to it. */
  connect(command: { callId: string; contactId: number; extension: string }): Promise<void>;
  announce(command: { callId: string; contactId: number; announcement: Announcement }): Promise<void>;
  /**
   * Move the call elsewhere. To an extension: ring it and hand the caller over when it answers. To a
   * line (`target` the line's id): the contact is in that line's queue now, so the caller goes back
   * to hold music until its next agent accepts (a `connect` follows).
   */
  transfer(command: {
    callId: string;
    contactId: number;
    target: string;
    targetType: 'line' | 'extension';
  }): Promise<void>;
  /** Call out from the agent's extension to a number (callbacks). */
  originate(command: { contactId: number; extension: string; number: string }): Promise<void>;
  /** Release the call (a caller who chose a callback, a line closed). */
  hangUp(command: { callId: string; contactId: number }): Promise<void>;
  /**
   * A supervisor joins a connected call from their extension: `listen` hears both sides unheard,
   * `whisper` also speaks to the agent alone, `barge` joins the conversation, `takeover` replaces
   * the agent. A PBX adapter that cannot do it leaves it out.
   */
  supervise?(command: SuperviseCommand): Promise<void>;
}

export type SupervisionMode = 'listen' | 'whisper' | 'barge' | 'takeover';

export interface SuperviseCommand {
  callId: string;
  contactId: number;
  /** The supervisor's extension, rung first. */
  extension: string;
  mode: SupervisionMode;
}

export type PbxCommand =
  | ({ command: 'connect' } & Parameters<Pbx['connect']>[0])
  | ({ command: 'announce' } & Parameters<Pbx['announce']>[0])
  | ({ command: 'transfer' } & Parameters<Pbx['transfer']>[0])
  | ({ command: 'originate' } & Parameters<Pbx['originate']>[0])
  | ({ command: 'hangUp' } & Parameters<Pbx['hangUp']>[0])
  | ({ command: 'supervise' } & SuperviseCommand);

/** No PBX configured: commands are logged and dropped (the demo's default until `npm run simulate` connects one). */
export const noPbx: Pbx = {
  connect: async () => {},
  announce: async () => {},
  transfer: async () => {},
  originate: async () => {},
  hangUp: async () => {},
  supervise: async () => {},
};

/** A call not over yet, as contacts has it: what an adapter reconciles with the PBX's own after a restart. */
export interface CallInProgress {
  callId: string;
  contactId: number;
  status: 'waiting' | 'offered' | 'connected';
  /**
   * Connected but never picked up on the PBX: the agent accepted and their phone is being rung
   * (or rang out unheard). The extension rung, and when the agent accepted.
   */
  ringing: { extension: string; acceptedAt: Date } | null;
}

/** Whether a call's `offered` came from the adapter whose event ids start with `eventIdPrefix`. */
export async function callReportedBy(ctx: AppContext, callId: string, eventIdPrefix: string): Promise<boolean> {
  const rows = await ctx.database.rows<{ one: number }>(sql`select 1 as one from pbx_events
    where call_id = ${callId} and kind = 'offered' and starts_with(event_id, ${eventIdPrefix}) limit 1`);
  return rows.length > 0;
}

/**
 * The calls still waiting, ringing or connected whose `offered` event an adapter reported under
 * its own event ids (those starting with `eventIdPrefix`), so an adapter never takes another's
 * calls for its own.
 */
export async function callsInProgress(ctx: AppContext, eventIdPrefix: string): Promise<CallInProgress[]> {
  const rows = await ctx.database.rows<
    Omit<CallInProgress, 'ringing'> & { agentId: number | null; acceptedAt: string | null }
  >(sql`
    select c.call_id as "callId", c.id::int as "contactId", c.status,
        case when c.status = 'connected' and c.picked_up_at is null then c.agent_id end as "agentId",
        c.answered_at as "acceptedAt"
      from contacts c
     where c.status in ('waiting', 'offered', 'connected') and c.call_id is not null
       and exists (select 1 from pbx_events e
                    where e.call_id = c.call_id and e.kind = 'offered' and starts_with(e.event_id, ${eventIdPrefix}))
     order by c.id`);
  const calls: CallInProgress[] = [];
  for (const { agentId, acceptedAt, ...call } of rows) {
    const agent = agentId ? await agentOf(ctx.database.db, agentId) : null;
    calls.push({
      ...call,
      ringing: agent?.extension && acceptedAt ? { extension: agent.extension, acceptedAt: new Date(acceptedAt) } : null,
    });
  }
  return calls;
}
