/**
 * The demo city: streets, and buildings on them with room for exactly the subscribers asked for.
 * Apartment blocks hold most subscribers (a few dozen each, spread over their apartments); runs of
 * private houses hold one each.
 */
import { type Random, Weighted } from './random.js';
import { cityStreets } from './streets.js';

export const CITY = 'Екатеринбург';

export const DISTRICTS = [
  'Ленинский',
  'Кировский',
  'Октябрьский',
  'Верх-Исетский',
  'Железнодорожный',
  'Орджоникидзевский',
  'Чкаловский',
  'Академический',
] as const;

/** What stands along a street: old low-rise centre, Soviet panel blocks, new towers, private houses. */
export type StreetProfile = 'center' | 'soviet' | 'new' | 'private';

export interface Street {
  id: number;
  type: string;
  name: string;
  district: number;
  profile: StreetProfile;
}

export type Technology = 'copper' | 'gpon';

export interface Building {
  id: number;
  street: Street;
  house: string;
  korpus: string | null;
  stroenie: string | null;
  litera: string | null;
  floors: number | null;
  entrances: number | null;
  /** 0 for a private house. */
  apartments: number;
  /** How many subscriber addresses (contracts) it holds. */
  slots: number;
  /** Index of its first slot in the city's slot list. */
  firstSlot: number;
  technology: Technology;
  /** Spreads the subscribers over the apartments: apartment = (k * step + offset) mod apartments + 1. */
  apartmentStep: number;
  apartmentOffset: number;
}

export interface City {
  streets: Street[];
  buildings: Building[];
  /** Slot index → building index: one entry per address a contract can be signed at. */
  slotBuilding: Int32Array;
}

/** ~60 streets at 20,000 subscribers, ~600 at 1,000,000. */
export function streetCountFor(subscribers: number, available: number): number {
  return Math.min(available, Math.max(12, Math.round(60 * (subscribers / 20_000) ** 0.59)));
}

function profileFor(type: string, rank: number, random: Random): StreetProfile {
  const roll = random.next();
  if (type === 'мкр') return roll < 0.6 ? 'new' : 'soviet';
  if (type === 'пер' || type === 'проезд' || type === 'ш')
    return roll < 0.6 ? 'private' : roll < 0.85 ? 'soviet' : 'center';
  if (rank < 25) return roll < 0.45 ? 'center' : roll < 0.8 ? 'soviet' : roll < 0.92 ? 'new' : 'private';
  return roll < 0.2 ? 'center' : roll < 0.55 ? 'soviet' : roll < 0.75 ? 'new' : 'private';
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

interface Shape {
  floors: number | null;
  entrances: number | null;
  apartments: number;
}

function blockShape(profile: StreetProfile, random: Random): Shape {
  if (profile === 'center') {
    const floors = random.pick([5, 5, 5, 6, 7, 9]);
    const entrances = random.int(1, 6);
    return { floors, entrances, apartments: floors * entrances * random.int(2, 4) };
  }
  if (profile === 'new') {
    const floors = random.int(16, 25);
    const entrances = random.int(1, 4);
    return { floors, entrances, apartments: floors * entrances * random.int(6, 10) };
  }
  const floors = random.pick([5, 5, 5, 9, 9, 9, 9, 10, 12, 14, 16]);
  const entrances = floors <= 5 ? random.int(3, 9) : floors <= 10 ? random.int(2, 8) : random.int(1, 3);
  return { floors, entrances, apartments: floors * entrances * 4 };
}

const GPON_SHARE: Record<StreetProfile, number> = { center: 0.06, soviet: 0.08, new: 0.4, private: 0.3 };

/** Builds streets and buildings until they hold `slotsNeeded` addresses; deterministic for a Random. */
export function buildCity(subscribers: number, slotsNeeded: number, random: Random): City {
  const names = cityStreets();
  const streets: Street[] = names.slice(0, streetCountFor(subscribers, names.length)).map((street, index) => ({
    id: index + 1,
    type: street.type,
    name: street.name,
    district: random.int(0, DISTRICTS.length - 1),
    profile: profileFor(street.type, index, random),
  }));
  const streetTable = Weighted.zipf(streets, 8, 0.9);
  const nextNumber = new Map<number, number>();
  const buildings: Building[] = [];
  const slotBuilding = new Int32Array(slotsNeeded);
  let slots = 0;

  const add = (
    street: Street,
    house: string,
    extra: Partial<Pick<Building, 'korpus' | 'stroenie' | 'litera'>>,
    shape: Shape,
  ) => {
    if (slots >= slotsNeeded) return;
    const isPrivate = shape.apartments === 0;
    const wanted = isPrivate ? 1 : Math.max(1, Math.round(shape.apartments * (0.06 + random.next() * 0.24)));
    const count = Math.min(wanted, slotsNeeded - slots);
    let step = 1;
    if (!isPrivate) {
      step = 1 + Math.floor(random.next() * shape.apartments);
      while (gcd(step, shape.apartments) !== 1) step++;
    }
    const building: Building = {
      id: buildings.length + 1,
      street,
      house,
      korpus: extra.korpus ?? null,
      stroenie: extra.stroenie ?? null,
      litera: extra.litera ?? null,
      ...shape,
      slots: count,
      firstSlot: slots,
      technology: random.chance(GPON_SHARE[isPrivate ? 'private' : street.profile]) ? 'gpon' : 'copper',
      apartmentStep: step,
      apartmentOffset: isPrivate ? 0 : random.int(0, shape.apartments - 1),
    };
    slotBuilding.fill(buildings.length, slots, slots + count);
    buildings.push(building);
    slots += count;
  };

  const takeNumber = (street: Street) => {
    const number = (nextNumber.get(street.id) ?? 0) + random.pick([1, 1, 1, 2, 2, 3, 4]);
    nextNumber.set(street.id, number);
    return number;
  };

  while (slots < slotsNeeded) {
    const street = streetTable.pick(random);
    if (street.profile === 'private') {
      // A run of private houses along one stretch of the street.
      const run = random.int(4, 14);
      for (let i = 0; i < run; i++) {
        const number = takeNumber(street);
        const shape: Shape = { floors: random.chance(0.3) ? 2 : 1, entrances: null, apartments: 0 };
        const roll = random.next();
        if (roll < 0.06) add(street, `${number}А`, {}, shape);
        else if (roll < 0.1) add(street, `${number}/${random.int(1, 40)}`, {}, shape);
        else if (roll < 0.12) add(street, String(number), { litera: 'Б' }, shape);
        else add(street, String(number), {}, shape);
      }
      continue;
    }
    const number = takeNumber(street);
    const roll = random.next();
    if (street.profile === 'new' && roll < 0.5) {
      const korpuses = random.int(2, 4);
      for (let k = 1; k <= korpuses; k++) add(street, String(number), { korpus: String(k) }, blockShape('new', random));
    } else if (roll < 0.07) {
      add(street, String(number), {}, blockShape(street.profile, random));
      add(street, `${number}А`, {}, blockShape(street.profile, random));
    } else if (roll < 0.11) {
      add(street, `${number}/${random.int(1, 60)}`, {}, blockShape(street.profile, random));
    } else if (roll < 0.125) {
      add(street, String(number), { stroenie: '1' }, blockShape(street.profile, random));
    } else if (roll < 0.145) {
      add(street, String(number), { litera: 'Б' }, blockShape(street.profile, random));
    } else {
      add(street, String(number), {}, blockShape(street.profile, random));
    }
  }
  return { streets, buildings, slotBuilding };
}

/** The apartment of the k-th subscriber address in a building, or null for a private house. */
export function apartmentOf(building: Building, k: number): string | null {
  if (building.apartments === 0) return null;
  return String(((k * building.apartmentStep + building.apartmentOffset) % building.apartments) + 1);
}
