import type { AgentStateName, BoardLine } from '@common/api/contacts.ts';
import { agentStates } from './vocabulary.ts';

/** A share (0..1) as whole percent with a space, as both languages write it: "78 %"; none as "—". */
export function formatShare(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return '—';
  return `${Math.round(share * 100)} %`;
}

/**
 * Below the line's target: the share is compared unrounded, so 79.6 % against 80 % is below even
 * though it shows as "80 %". No contacts today is not below anything.
 */
export const belowTarget = (line: Pick<BoardLine, 'serviceLevel' | 'targetPercent'>) =>
  line.serviceLevel !== null && line.serviceLevel * 100 < line.targetPercent;

/** The forecast says more agents are needed than serve the line now. */
export const shortOfAgents = (forecast: NonNullable<BoardLine['forecast']>) =>
  forecast.agentsNeeded !== null && forecast.agentsNeeded > forecast.agentsServing;

/** The line's agents per state, in the board's order, leaving out states nobody is in. */
export function agentsByState(agents: Record<string, number>): { state: AgentStateName; count: number }[] {
  return agentStates.map((state) => ({ state, count: agents[state] ?? 0 })).filter((entry) => entry.count > 0);
}

/** Seconds since the board's last answer, for "updated N s ago"; whole seconds, never negative. */
export const secondsAgo = (updatedAt: number, browserNow: number) =>
  Math.max(0, Math.floor((browserNow - updatedAt) / 1000));
