// The generator's own pseudo-random numbers. Every record is drawn from a generator seeded by
// (benchmark seed, stream, record index), so record k is the same whatever else is generated and
// a found report can re-derive its missing child without keeping a million children in memory.

/** mulberry32: 32-bit state, fast, good enough for test data (not for anything secret). */
function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit avalanche mix (murmur3's finaliser): nearby inputs give unrelated outputs. */
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A seed for one record of one stream (`'missing'`, `'found'`, …) of benchmark `seed`. */
export function streamSeed(seed: number, stream: string, index: number): number {
  return mix32(mix32(mix32(seed >>> 0) ^ hashText(stream)) ^ (index >>> 0));
}

export type Weighted<T> = readonly (readonly [T, number])[];

export class Random {
  readonly #next: () => number;

  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }

  static for(seed: number, stream: string, index: number): Random {
    return new Random(streamSeed(seed, stream, index));
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.#next();
  }

  /** Integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.#next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.#next() * items.length)] as T;
  }

  weighted<T>(items: Weighted<T>): T {
    let total = 0;
    for (const [, weight] of items) total += weight;
    let point = this.#next() * total;
    for (const [item, weight] of items) {
      point -= weight;
      if (point < 0) return item;
    }
    const last = items[items.length - 1];
    if (!last) throw new Error('weighted pick from an empty list');
    return last[0];
  }

  /** Standard normal (Box–Muller). */
  normal(mean = 0, deviation = 1): number {
    const u = 1 - this.#next();
    const v = this.#next();
    return mean + deviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** A weighted table with its total precomputed: picks in O(log n) from long name lists. */
export class WeightedTable<T> {
  readonly items: readonly T[];
  readonly #cumulative: Float64Array;

  constructor(items: readonly T[], weightOf: (item: T) => number) {
    this.items = items;
    this.#cumulative = new Float64Array(items.length);
    let total = 0;
    items.forEach((item, i) => {
      total += weightOf(item);
      this.#cumulative[i] = total;
    });
    if (items.length === 0 || total <= 0) throw new Error('a weighted table needs a positive weight');
  }

  pick(random: Random): T {
    const total = this.#cumulative[this.#cumulative.length - 1] as number;
    const point = random.float() * total;
    let low = 0;
    let high = this.#cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.#cumulative[middle] as number) > point) high = middle;
      else low = middle + 1;
    }
    return this.items[low] as T;
  }
}
