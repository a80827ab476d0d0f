/**
 * The ISP's tariffs and their price history, with one increase already applied (8 months ago) and
 * one announced for the start of next month, so the portal's "how to protect yourself from tariff
 * increases" article has something real to point at. Dates are relative to the reference day.
 */

import type { TableBuffer } from './bulk-insert.js';
import { epochAt, isoOf, monthStart } from './calendar.js';
import { type Random, Weighted } from './random.js';

export interface Tariff {
  id: number;
  code: string;
  name: string;
  downloadMbps: number;
  archived: boolean;
  /** [months from the reference month (negative: past), monthly fee in kopecks]. */
  prices: [number, number][];
  /** Needs a fibre (GPON) line. */
  fibreOnly?: boolean;
}

export const TARIFFS: Tariff[] = [
  {
    id: 1,
    code: 'home-100',
    name: 'Домашний 100',
    downloadMbps: 100,
    archived: false,
    prices: [
      [-120, 45_000],
      [-40, 50_000],
      [-8, 55_000],
      [1, 60_000],
    ],
  },
  {
    id: 2,
    code: 'home-300',
    name: 'Домашний 300',
    downloadMbps: 300,
    archived: false,
    prices: [
      [-120, 65_000],
      [-40, 69_000],
      [-8, 75_000],
    ],
  },
  {
    id: 3,
    code: 'max-500',
    name: 'Максимум 500',
    downloadMbps: 500,
    archived: false,
    prices: [
      [-72, 89_000],
      [-8, 95_000],
      [1, 99_000],
    ],
  },
  {
    id: 4,
    code: 'gigabit',
    name: 'Гигабит',
    downloadMbps: 1000,
    archived: false,
    prices: [[-36, 129_000]],
    fibreOnly: true,
  },
  { id: 5, code: 'social-50', name: 'Социальный 50', downloadMbps: 50, archived: false, prices: [[-96, 30_000]] },
  {
    id: 6,
    code: 'start-30',
    name: 'Стартовый 30',
    downloadMbps: 30,
    archived: true,
    prices: [
      [-240, 35_000],
      [-8, 40_000],
    ],
  },
];

export const tariffById = (id: number): Tariff => TARIFFS[id - 1] as Tariff;

/** Price schedule as day numbers, for fast lookups while charging millions of months. */
export class PriceBook {
  private readonly schedule: { from: number; kopecks: number }[][];

  constructor(readonly today: number) {
    this.schedule = TARIFFS.map((tariff) =>
      tariff.prices.map(([months, kopecks]) => ({ from: monthStart(today, months), kopecks })),
    );
  }

  /** The monthly fee of a tariff on a day (the first price applies to any earlier day too). */
  feeOn(tariffId: number, day: number): number {
    const prices = this.schedule[tariffId - 1] as { from: number; kopecks: number }[];
    let fee = (prices[0] as { kopecks: number }).kopecks;
    for (const price of prices) if (price.from <= day) fee = price.kopecks;
    return fee;
  }

  insertRows(tariffs: TableBuffer, prices: TableBuffer): void {
    for (const tariff of TARIFFS) {
      tariffs.add(tariff.id, tariff.code, tariff.name, tariff.downloadMbps, tariff.archived ? 1 : 0);
      for (const [months, kopecks] of tariff.prices) {
        const from = monthStart(this.today, months);
        // Past increases were announced a month ahead; the coming one two weeks ago.
        const announcedDay = months > 0 ? this.today - 14 : monthStart(this.today, months - 1) + 2;
        prices.add(tariff.id, isoOf(from), kopecks, epochAt(announcedDay, 10));
      }
    }
  }
}

const CURRENT_TARIFF = new Weighted([1, 2, 3, 4, 5, 6], [34, 30, 15, 7, 6, 8]);
const BUSINESS_TARIFF = new Weighted([2, 3, 4], [30, 45, 25]);

/** The tariff an account is on now; the gigabit plan only where fibre reaches. */
export function pickCurrentTariff(random: Random, fibre: boolean, organisation: boolean): number {
  const id = (organisation ? BUSINESS_TARIFF : CURRENT_TARIFF).pick(random);
  return tariffById(id).fibreOnly && !fibre ? 3 : id;
}

/** The first day a tariff could be chosen (its first price). */
export function introducedOn(tariffId: number, today: number): number {
  return monthStart(today, (tariffById(tariffId).prices[0] as [number, number])[0]);
}

/**
 * The plan before the last change: a slower one that already existed when the contract was signed,
 * often the archived «Стартовый 30» (which always did). Null for the archived plan itself: nobody
 * can move onto it any more, so whoever is on it has always been.
 */
export function pickEarlierTariff(random: Random, current: number, signedDay: number, today: number): number | null {
  if (tariffById(current).archived) return null;
  const slower = [5, 1, 2, 3].filter(
    (id) => tariffById(id).downloadMbps < tariffById(current).downloadMbps && introducedOn(id, today) <= signedDay,
  );
  return slower.length === 0 || random.chance(0.45) ? 6 : random.pick(slower);
}
