import { describe, expect, it } from 'vitest';
import { Random } from '../../demo-data/random.js';
import { exponential, logNormal, outcomeFor, reasonFor } from './draws.js';

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const draws = <T>(count: number, draw: () => T): T[] => Array.from({ length: count }, draw);

describe('what the simulated hotline draws', () => {
  it('gives exponential gaps with the asked mean, as a Poisson process of that rate has', () => {
    const random = new Random(7);
    const gaps = draws(50_000, () => exponential(random, 30));
    expect(mean(gaps)).toBeGreaterThan(29);
    expect(mean(gaps)).toBeLessThan(31);
    // Memoryless: about e^-1 of the gaps are longer than the mean.
    expect(gaps.filter((gap) => gap > 30).length / gaps.length).toBeCloseTo(Math.exp(-1), 2);
  });

  it('gives log-normal talk times with the asked mean, skewed: the median below the mean', () => {
    const random = new Random(8);
    const talks = draws(50_000, () => logNormal(random, 240)).sort((a, b) => a - b);
    expect(mean(talks)).toBeGreaterThan(230);
    expect(mean(talks)).toBeLessThan(250);
    expect(talks[talks.length / 2]).toBeLessThan(220);
    expect(talks.every((talk) => talk > 0)).toBe(true);
  });

  it('draws reasons a line is called about and outcomes an agent gives, never abandoned', () => {
    const random = new Random(9);
    const reasons = new Set(draws(2000, () => reasonFor(random, 'l2')));
    expect(reasons).toEqual(new Set(['no_internet', 'slow_speed', 'equipment', 'other']));
    const outcomes = new Set(draws(2000, () => outcomeFor(random)));
    expect(outcomes.has('resolved')).toBe(true);
    expect(outcomes.has('abandoned')).toBe(false);
  });
});
