/**
 * Seeded randomness for the demo generator. Math.random cannot be seeded, and the demo must give
 * the same rows for the same seed on every machine, so the generator draws only from here.
 */

/** FNV-1a over a string, then finalised with murmur3's mixer: a stable 32-bit key for a label. */
export function hash32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counter): passes PractRand, four 32-bit words of state. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    this.a = hash32('a', seed);
    this.b = hash32('b', seed);
    this.c = hash32('c', seed);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** An independent stream for one part of the generator, so adding draws to one part leaves the others' rows unchanged. */
  fork(label: string): Random {
    return new Random(hash32(label, this.seed));
  }

  /** Fisher-Yates in place; returns the same list. */
  shuffle<List extends { length: number; [index: number]: unknown }>(items: List): List {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

/** Items drawn with given weights: a cumulative table and a binary search, O(log n) per draw. */
export class Weighted<T> {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length === 0 || items.length !== weights.length) throw new Error('Weighted: items and weights differ');
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      sum += weights[i] as number;
      this.cumulative[i] = sum;
    }
    this.total = sum;
  }

  /** Zipf-like weights 1/(rank+offset): the shape of surname and street-size frequencies. */
  static zipf<T>(items: readonly T[], offset: number, exponent = 1): Weighted<T> {
    return new Weighted(
      items,
      items.map((_, rank) => 1 / (rank + 1 + offset) ** exponent),
    );
  }

  share(index: number): number {
    const previous = index === 0 ? 0 : (this.cumulative[index - 1] as number);
    return ((this.cumulative[index] as number) - previous) / this.total;
  }

  pick(random: Random): T {
    const target = random.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.cumulative[mid] as number) > target) high = mid;
      else low = mid + 1;
    }
    return this.items[low] as T;
  }
}

/**
 * A keyed bijection of [0, limit): distinct inputs give distinct outputs that look unrelated, so a
 * counter becomes unique phone numbers or MAC addresses without a set of the ones already used.
 * Invertible rounds on `bits` bits (xorshift, odd multiply, add a key) with cycle walking down to `limit`.
 */
export class Permutation {
  private readonly mask: number;
  private readonly shift: number;
  private readonly keys: number[];

  constructor(
    readonly limit: number,
    key: number,
  ) {
    let bits = 1;
    while (2 ** bits < limit) bits++;
    if (bits > 30) throw new Error('Permutation: limit above 2^30');
    this.mask = 2 ** bits - 1;
    this.shift = Math.max(1, bits >>> 1);
    this.keys = [0, 1, 2, 3].map((round) => hash32(`round${round}`, key));
  }

  at(value: number): number {
    if (value < 0 || value >= this.limit) throw new Error(`Permutation: ${value} outside [0, ${this.limit})`);
    let x = value;
    do {
      for (const key of this.keys) {
        x = (x ^ (x >>> this.shift)) & this.mask;
        x = Math.imul(x, 0x2c1b3c6d) & this.mask;
        x = (x + key) & this.mask;
      }
    } while (x >= this.limit);
    return x;
  }
}
