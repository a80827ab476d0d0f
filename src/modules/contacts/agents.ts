import type { AgentProfile, ListedAgent } from '../../common/api/contacts.js';
import type { SignedInStaff } from '../../common/api/staff.js';
import { recordAudit } from '../audit/service.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { operationalSettings } from '../settings/service.js';
import { ensureAgent, listAgents, setAgentProfile } from '../staff/agent-state.js';
import { listStaff } from '../staff/service.js';
import { routeLine } from './routing.js';
import { wakeBoard, wakeDesk } from './wake-ups.js';

const agentRoles = new Set(['l1', 'l2', 'l3']);

/** Every agent (staff of the three lines) with their routing profile. */
export async function listAgentProfiles(ctx: AppContext): Promise<ListedAgent[]> {
  const staff = (await listStaff(ctx)).filter((member) => member.isActive && agentRoles.has(member.role));
  for (const member of staff) await ensureAgent(ctx.database.db, member.id, member.role, ctx.clock());
  const agents = new Map((await listAgents(ctx.database.db)).map((agent) => [agent.staffId, agent]));
  return staff.flatMap((member) => {
    const agent = agents.get(member.id);
    if (!agent) return [];
    return [
      {
        staffId: member.id,
        login: member.login,
        fullName: member.fullName,
        role: member.role,
        state: agent.state,
        lines: agent.lines,
        skills: agent.skills,
        extension: agent.extension,
      },
    ];
  });
}

/** Which lines an agent serves, their skills and the extension calls ring: set by a supervisor, audited. */
export async function updateAgentProfile(
  ctx: AppContext,
  actor: SignedInStaff,
  staffId: number,
  profile: AgentProfile,
  ip: string,
): Promise<void> {
  const member = (await listStaff(ctx)).find((candidate) => candidate.id === staffId);
  if (!member || !agentRoles.has(member.role)) throw new Problem('contacts.agent_not_found', 404, 'No such agent');
  const { lines } = await operationalSettings(ctx);
  const unknown = profile.lines.filter((line) => !lines.some((candidate) => candidate.id === line));
  if (unknown.length > 0) {
    throw new Problem('contacts.unknown_line', 400, 'No such line', `Lines not configured: ${unknown.join(', ')}`);
  }
  await ensureAgent(ctx.database.db, staffId, member.role, ctx.clock());
  // A taken extension fails the unique index: 409 contacts.extension_taken (core/problem.ts).
  await ctx.database.db.transaction(async (tx) => {
    const updated = await setAgentProfile(tx, staffId, profile);
    if (!updated) throw new Problem('contacts.agent_not_found', 404, 'No such agent');
    await recordAudit(
      tx,
      {
        staffId: actor.id,
        action: 'contacts.agent_profile_changed',
        targetType: 'staff',
        targetId: staffId,
        ip,
        details: { ...profile },
      },
      ctx.clock(),
    );
    await wakeDesk(tx, staffId);
    await wakeBoard(tx);
  });
  for (const line of profile.lines) await routeLine(ctx, line);
}
