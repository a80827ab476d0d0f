import { sql } from 'drizzle-orm';
import type { AppContext } from '../core/context.js';
import { cancelJob, scheduleJob } from '../jobs/service.js';
import { operationalSettings } from '../settings/service.js';
import { agentOf, changeAgentState, markAgentsSeen } from '../staff/agent-state.js';
import { appendContactEvent, contactColumns, contactRows } from './contact-row.js';
import { offerJobKey, routeLine } from './routing.js';
import { wakeBoard, wakeContact, wakeDesk, wakeQueue } from './wake-ups.js';

export const AGENT_GONE_JOB = 'contacts.agent-gone';
const goneJobKey = (staffId: number) => `contacts.agent-gone:${staffId}`;

/**
 * The agent's browser on the live channel is their presence. When their last stream closes they
 * keep their contacts for the grace period (a reload, a flaky Wi-Fi); if no stream is back by
 * then, their offer and the calls they were on return to the head of the queue and they go
 * offline (docs/decisions.md, "An agent whose browser goes away").
 */
export const deskPresence = {
  async opened(ctx: AppContext, staffId: number) {
    await ctx.database.db.transaction(async (tx) => {
      await markAgentsSeen(tx, [staffId], ctx.clock());
      await cancelJob(tx, goneJobKey(staffId));
    });
  },
  async closed(ctx: AppContext, staffId: number) {
    const { contacts } = await operationalSettings(ctx);
    const at = ctx.clock();
    await ctx.database.db.transaction(async (tx) => {
      await markAgentsSeen(tx, [staffId], at);
      await scheduleJob(tx, {
        kind: AGENT_GONE_JOB,
        runAt: new Date(at.getTime() + contacts.disconnectGraceSeconds * 1000),
        payload: { staffId },
        key: goneJobKey(staffId),
      });
    });
  },
  async alive(ctx: AppContext, staffIds: number[]) {
    await markAgentsSeen(ctx.database.db, staffIds, ctx.clock());
  },
};

export async function agentGone(ctx: AppContext, payload: Record<string, unknown>): Promise<void> {
  const staffId = Number(payload.staffId);
  const { contacts } = await operationalSettings(ctx);
  const lines = await ctx.database.db.transaction(async (tx) => {
    const agent = await agentOf(tx, staffId, { lock: true });
    if (!agent || agent.state === 'offline') return [];
    const at = ctx.clock();
    // A stream on another instance kept the heartbeat going: the agent is still here.
    if (agent.lastSeenAt && at.getTime() - agent.lastSeenAt.getTime() < contacts.disconnectGraceSeconds * 1000)
      return [];
    const theirs = await contactRows(
      tx,
      sql`select ${contactColumns} from contacts
        where (offered_to = ${staffId} and status = 'offered') or (agent_id = ${staffId} and status = 'connected')
        for update`,
    );
    for (const contact of theirs) {
      await tx.execute(sql`update contacts set status = 'waiting', offered_to = null, offered_at = null, agent_id = null,
          hold_started_at = null where id = ${contact.id}`);
      await appendContactEvent(tx, { contactId: contact.id, at, kind: 'returned_to_queue', staffId });
      await cancelJob(tx, offerJobKey(contact.id));
      await wakeQueue(tx, contact.line);
      await wakeContact(tx, contact);
    }
    await tx.execute(sql`update agent_states set calls = 0, chats = 0 where staff_id = ${staffId}`);
    await changeAgentState(tx, { staffId, to: 'offline', at });
    await wakeDesk(tx, staffId);
    await wakeBoard(tx);
    return [...new Set(theirs.map((contact) => contact.line))];
  });
  for (const line of lines) await routeLine(ctx, line);
}
