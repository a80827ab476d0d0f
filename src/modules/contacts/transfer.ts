import { sql } from 'drizzle-orm';
import type { SignedInStaff } from '../../common/api/staff.js';
import { recordAudit } from '../audit/service.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { operationalSettings } from '../settings/service.js';
import { agentOf, releaseAgentLoad } from '../staff/agent-state.js';
import { appendContactEvent, contactById, runningHoldSeconds } from './contact-row.js';
import { schedulePbxCommand } from './pbx-commands.js';
import { routeLine } from './routing.js';
import { wakeBoard, wakeContact, wakeDesk, wakeQueue } from './wake-ups.js';

/**
 * The agent hands the caller over to another line (line 1 to the technicians of line 2): the
 * contact moves to that line's queue — everything learned so far stays on it, for the next agent
 * who opens it — and the PBX takes the caller back to hold music (`transfer` to a line) until that
 * line's next agent accepts and is connected. The agent is free at once: the talk is theirs no
 * more. The caller joins the back of the new line's queue, as a call dialled to it would.
 */
export async function transferToLine(
  ctx: AppContext,
  me: SignedInStaff,
  contactId: number,
  lineId: string,
  ip: string | null = null,
): Promise<void> {
  const settings = await operationalSettings(ctx);
  const line = settings.lines.find((candidate) => candidate.id === lineId);
  if (!line) throw new Problem('contacts.unknown_line', 400, 'No such line', `There is no line "${lineId}".`);
  const agent = await ctx.database.db.transaction(async (tx) => {
    const contact = await contactById(tx, contactId, { lock: true });
    if (!contact || contact.agentId !== me.id) {
      throw new Problem('contacts.not_found', 404, 'No such contact on your desk');
    }
    if (contact.status !== 'connected') {
      throw new Problem('contacts.not_connected', 409, 'The contact is not on the line');
    }
    if (contact.line === line.id) {
      throw new Problem('contacts.same_line', 409, 'The contact is on this line already');
    }
    const at = ctx.clock();
    const held = runningHoldSeconds(contact, at);
    // Answered and picked up again by the next agent: the times are theirs to set.
    await tx.execute(sql`update contacts set line = ${line.id}, status = 'waiting', queued_at = ${at},
        agent_id = null, offered_to = null, offered_at = null, answered_at = null, picked_up_at = null,
        hold_started_at = null, hold_seconds = hold_seconds + ${held}, transfers = transfers + 1
      where id = ${contact.id}`);
    await appendContactEvent(tx, {
      contactId: contact.id,
      at,
      kind: 'transferred',
      staffId: me.id,
      details: { fromLine: contact.line, toLine: line.id },
    });
    // A transfer is a change that matters (who handed the caller on, where): on the audit log too.
    await recordAudit(
      tx,
      {
        staffId: me.id,
        action: 'contacts.transferred',
        targetType: 'contact',
        targetId: contact.id,
        ip,
        details: { fromLine: contact.line, toLine: line.id },
      },
      at,
    );
    await releaseAgentLoad(tx, me.id, contact.channel, { to: 'available', at });
    if (contact.callId) {
      await schedulePbxCommand(ctx, tx, {
        command: 'transfer',
        callId: contact.callId,
        contactId: contact.id,
        target: line.id,
        targetType: 'line',
      });
    }
    await wakeDesk(tx, me.id);
    await wakeQueue(tx, contact.line);
    await wakeQueue(tx, line.id);
    await wakeBoard(tx);
    await wakeContact(tx, contact);
    return agentOf(tx, me.id);
  });
  // The new line's next agent, and the next contact for the agent now free.
  await routeLine(ctx, line.id);
  if (agent?.state === 'available') for (const mine of agent.lines) await routeLine(ctx, mine);
}
