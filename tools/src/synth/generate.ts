// The synthetic matching benchmark: missing reports, found reports and the truth of which found
// report is which missing child. Deterministic for a seed. Every record is a pure function of
// (seed, its index), so a million missing reports stream out without a million children in
// memory, and a found report re-derives its missing child from the child's index.
//
// What makes it hard, on purpose: names written in different scripts and romanisations by the two
// sides, surnames and "Md." dropped, pet names, no names, ages guessed years off, marks in other
// words and languages, children found far from home along real corridors, many children with the
// same common names, look-alike missing reports, and found children who look like a missing child
// but are not (a sibling, another family's child of the same name, a different age, found before
// the missing child went missing).
import { type Child, drawChild, LAST_FOUND, lookAlike, type TwinChange } from './child.ts';
import { anyPlace, type Finding, findingOf, foundReport } from './found.ts';
import { missingReport } from './missing.ts';
import { Random } from './random.ts';
import type { SyntheticReport, TruthRow } from './report.ts';

export type { SyntheticReport, TruthRow } from './report.ts';

export interface BenchmarkOptions {
  readonly seed: number;
  /** Number of missing reports. */
  readonly missing: number;
  /** Number of found reports. */
  readonly found: number;
  /** Share of found reports that are about a reported missing child (default 0.7). */
  readonly matchedShare?: number;
}

export interface FoundWithTruth {
  readonly report: SyntheticReport;
  readonly truth: TruthRow;
}

export interface Benchmark {
  readonly options: Required<BenchmarkOptions>;
  /** Missing reports in id order, generated as iterated. */
  readonly missing: Iterable<SyntheticReport>;
  readonly found: Iterable<SyntheticReport>;
  readonly truth: Iterable<TruthRow>;
  /** Found reports with their truth rows, in one pass. */
  readonly foundWithTruth: Iterable<FoundWithTruth>;
}

/** Share of missing reports that are look-alikes of an earlier one (same name and place, not the same child). */
const LOOK_ALIKE_MISSING = 0.04;
/** Of the found reports with no true match: share that look like a missing child (else unrelated children). */
const LOOK_ALIKE_FOUND = 0.5;

export const missingId = (index: number) => `M-${String(index + 1).padStart(7, '0')}`;
export const foundId = (index: number) => `F-${String(index + 1).padStart(7, '0')}`;

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number ≥ 0 (got ${value})`);
  if (value > 9_999_999) throw new Error(`${name} must be at most 9,999,999 (got ${value})`);
}

export function generateBenchmark(input: BenchmarkOptions): Benchmark {
  const options = { matchedShare: 0.7, ...input };
  const { seed, missing, found, matchedShare } = options;
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a whole number (got ${seed})`);
  assertCount('missing', missing);
  assertCount('found', found);
  if (!(matchedShare >= 0 && matchedShare <= 1))
    throw new Error(`matchedShare must be between 0 and 1 (got ${matchedShare})`);

  const childCache = new Map<number, Child>();
  const missingChild = (index: number): Child => {
    const cached = childCache.get(index);
    if (cached) return cached;
    const random = Random.for(seed, 'missing-child', index);
    let child: Child;
    if (index > 0 && random.chance(LOOK_ALIKE_MISSING)) {
      const base = random.int(0, index - 1);
      child = lookAlike(random, missingChild(base), twinChanges(random, false));
    } else {
      child = drawChild(random);
    }
    // Bases of look-alikes are asked for again; a small bounded cache saves re-deriving chains.
    if (childCache.size > 10_000) childCache.clear();
    childCache.set(index, child);
    return child;
  };

  const target = planMatches(seed, missing, found, matchedShare);
  const matchedIndices = target.filter((index) => index >= 0);

  const foundAt = (slot: number): FoundWithTruth => {
    const id = foundId(slot);
    const random = Random.for(seed, 'found', slot);
    const index = target[slot] as number;
    if (index >= 0) {
      const child = missingChild(index);
      return {
        report: foundReport(child, id, findingOf(child, random), random),
        truth: { foundId: id, missingId: missingId(index) },
      };
    }
    return { report: unmatchedFound(random, id), truth: { foundId: id, missingId: null } };
  };

  const unmatchedFound = (random: Random, id: string): SyntheticReport => {
    if (missing > 0 && random.chance(LOOK_ALIKE_FOUND)) {
      // Mostly look-alikes of children who are also found (the hardest case), some of any missing child.
      const base =
        matchedIndices.length > 0 && random.chance(0.7)
          ? (matchedIndices[random.int(0, matchedIndices.length - 1)] as number)
          : random.int(0, missing - 1);
      const original = missingChild(base);
      const changes = twinChanges(random, true);
      if (changes.includes('last-seen')) {
        // Found well before the missing child was last seen: the same child could not be there.
        const twin = lookAlike(
          random,
          original,
          changes.filter((change) => change !== 'last-seen'),
        );
        const finding = findingOf(twin, random);
        const day = original.lastSeenDay - random.int(30, 400);
        return foundReport(twin, id, { place: finding.place, day }, random);
      }
      const twin = lookAlike(random, original, changes);
      return foundReport(twin, id, findingOf(twin, random), random);
    }
    // A child nobody reported here: found near home or along a corridor, at any time.
    const child = drawChild(random);
    const finding: Finding = random.chance(0.85)
      ? findingOf(child, random)
      : {
          place: anyPlace(random),
          day: random.int(child.lastSeenDay, Math.max(child.lastSeenDay, LAST_FOUND)),
        };
    return foundReport(child, id, finding, random);
  };

  const iterable = <T>(make: () => Generator<T>): Iterable<T> => ({ [Symbol.iterator]: make });

  return {
    options,
    missing: iterable(function* () {
      for (let index = 0; index < missing; index++) {
        yield missingReport(missingChild(index), missingId(index), Random.for(seed, 'missing-report', index));
      }
    }),
    foundWithTruth: iterable(function* () {
      for (let slot = 0; slot < found; slot++) yield foundAt(slot);
    }),
    found: iterable(function* () {
      for (let slot = 0; slot < found; slot++) yield foundAt(slot).report;
    }),
    truth: iterable(function* () {
      for (let slot = 0; slot < found; slot++) {
        const index = target[slot] as number;
        yield { foundId: foundId(slot), missingId: index >= 0 ? missingId(index) : null };
      }
    }),
  };
}

/** One or two fields in which a look-alike differs from the child it resembles. */
function twinChanges(random: Random, found: boolean): TwinChange[] {
  const first = random.weighted<TwinChange>([
    ['age', 3],
    ['sibling', found ? 2.5 : 2],
    ['family', 2.5],
    ['last-seen', found ? 2 : 1],
    ['district', found ? 0 : 1.5],
  ]);
  if (!random.chance(0.4)) return [first];
  const second = random.weighted<TwinChange>([
    ['marks', 3],
    ['family', first === 'family' || first === 'sibling' ? 0 : 2],
    ['district', 1],
  ]);
  return [first, second];
}

/**
 * For each found slot, the index of its true missing report or -1: a random `matchedShare` of the
 * slots, each matched to a different random missing report.
 */
function planMatches(seed: number, missing: number, found: number, matchedShare: number): Int32Array {
  const random = Random.for(seed, 'plan', 0);
  const matched = Math.min(Math.round(found * matchedShare), missing);
  const target = new Int32Array(found).fill(-1);
  const slots = partialShuffle(found, matched, random);
  const children = partialShuffle(missing, matched, random);
  for (let i = 0; i < matched; i++) target[slots[i] as number] = children[i] as number;
  return target;
}

/** The first `count` entries of a random permutation of 0..size-1 (partial Fisher–Yates). */
function partialShuffle(size: number, count: number, random: Random): Int32Array {
  const order = new Int32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  for (let i = 0; i < count; i++) {
    const j = random.int(i, size - 1);
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  return order.subarray(0, count);
}
