import { describe, expect, it } from 'vitest';
import { agentsByState, belowTarget, formatShare, secondsAgo, shortOfAgents } from './board-figures.ts';

describe('the board’s figures', () => {
  it('show shares as whole percent, and a dash when there is nothing to count', () => {
    expect(formatShare(0.78)).toBe('78 %');
    expect(formatShare(0.996)).toBe('100 %');
    expect(formatShare(0)).toBe('0 %');
    expect(formatShare(null)).toBe('—');
  });

  it('mark a service level below target even when it rounds up to the target', () => {
    expect(belowTarget({ serviceLevel: 0.78, targetPercent: 80 })).toBe(true);
    expect(belowTarget({ serviceLevel: 0.796, targetPercent: 80 })).toBe(true);
    expect(belowTarget({ serviceLevel: 0.8, targetPercent: 80 })).toBe(false);
    expect(belowTarget({ serviceLevel: 0.95, targetPercent: 80 })).toBe(false);
  });

  it('do not mark a line with no contacts today as below target', () => {
    expect(belowTarget({ serviceLevel: null, targetPercent: 80 })).toBe(false);
  });

  it('say a line is short of agents only when the forecast needs more than serve it', () => {
    const forecast = {
      arrivalsPerHour: 120,
      trafficErlangs: 10,
      agentsServing: 11,
      probabilityOfWaiting: 0.682,
      averageSpeedOfAnswerSeconds: 122.8,
      serviceLevel: 0.39,
      agentsNeeded: 13,
    };
    expect(shortOfAgents(forecast)).toBe(true);
    expect(shortOfAgents({ ...forecast, agentsServing: 13 })).toBe(false);
    expect(shortOfAgents({ ...forecast, agentsNeeded: null })).toBe(false);
  });

  it('count agents per state in the board’s order, leaving out empty states', () => {
    expect(agentsByState({ offline: 2, on_contact: 3, available: 1, break: 0 })).toEqual([
      { state: 'available', count: 1 },
      { state: 'on_contact', count: 3 },
      { state: 'offline', count: 2 },
    ]);
  });

  it('say how long ago the board was updated in whole seconds', () => {
    expect(secondsAgo(10_000, 10_999)).toBe(0);
    expect(secondsAgo(10_000, 13_500)).toBe(3);
    expect(secondsAgo(10_000, 9_000)).toBe(0);
  });
});
