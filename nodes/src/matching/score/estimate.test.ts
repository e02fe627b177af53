import { describe, expect, it } from 'vitest';
import { estimateParameters, estimateU, parametersFromDecisions, runEm } from './estimate.ts';
import { FIELD_LEVELS, FIELD_NAMES, type FieldComparison, type FieldName } from './fields.ts';
import { DEFAULT_PARAMETERS } from './parameters.ts';

/** Deterministic random numbers (mulberry32), so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Distribution = Record<string, number>;
type Truth = { prior: number; m: Record<FieldName, Distribution>; u: Record<FieldName, Distribution> };

/** A made-up truth, deliberately unlike DEFAULT_PARAMETERS, over every known level. */
const TRUTH: Truth = {
  prior: 0.05,
  m: {
    name: {
      exact_full: 0.3,
      'surname_class+given_phonetic': 0.2,
      given_phonetic: 0.2,
      given_fuzzy: 0.1,
      alias_or_pet_name: 0.05,
      'given_phonetic+surname_different': 0.05,
      pet_name_only: 0.05,
      different: 0.05,
    },
    guardian: { exact: 0.4, phonetic: 0.2, fuzzy: 0.1, different: 0.3 },
    sex: { same: 0.95, different: 0.05 },
    age: { inside: 0.6, near: 0.25, off_by_3_4: 0.1, far: 0.05 },
    time: { found_after_soon: 0.4, found_after_later: 0.4, found_after_long: 0.15, found_before: 0.05 },
    place: {
      same_district: 0.4,
      same_state: 0.2,
      near_100km: 0.1,
      corridor: 0.1,
      same_country: 0.15,
      different: 0.05,
    },
    languages: { overlap: 0.85, disjoint: 0.15 },
    marks: { same_mark_place_side: 0.3, same_mark_place: 0.3, same_kind: 0.2, none_in_common: 0.2 },
    height: { consistent: 0.7, near: 0.2, far: 0.1 },
  },
  u: {
    name: {
      exact_full: 0.01,
      'surname_class+given_phonetic': 0.01,
      given_phonetic: 0.03,
      given_fuzzy: 0.05,
      alias_or_pet_name: 0.05,
      'given_phonetic+surname_different': 0.05,
      pet_name_only: 0.05,
      different: 0.75,
    },
    guardian: { exact: 0.01, phonetic: 0.04, fuzzy: 0.05, different: 0.9 },
    sex: { same: 0.5, different: 0.5 },
    age: { inside: 0.2, near: 0.2, off_by_3_4: 0.2, far: 0.4 },
    time: { found_after_soon: 0.15, found_after_later: 0.3, found_after_long: 0.25, found_before: 0.3 },
    place: {
      same_district: 0.05,
      same_state: 0.15,
      near_100km: 0.05,
      corridor: 0.05,
      same_country: 0.4,
      different: 0.3,
    },
    languages: { overlap: 0.5, disjoint: 0.5 },
    marks: { same_mark_place_side: 0.02, same_mark_place: 0.05, same_kind: 0.3, none_in_common: 0.63 },
    height: { consistent: 0.35, near: 0.3, far: 0.35 },
  },
};

function draw(distribution: Distribution, next: () => number): string {
  let left = next();
  const entries = Object.entries(distribution);
  for (const [level, share] of entries) {
    left -= share;
    if (left < 0) return level;
  }
  return (entries.at(-1) as [string, number])[0];
}

/** Comparison vectors of `pairs` candidate pairs drawn from the truth; 15% of fields unknown. */
function simulate(
  pairs: number,
  seed: number,
  truth = TRUTH,
): { vectors: FieldComparison[][]; matches: boolean[] } {
  const next = random(seed);
  const vectors: FieldComparison[][] = [];
  const matches: boolean[] = [];
  for (let p = 0; p < pairs; p++) {
    const match = next() < truth.prior;
    matches.push(match);
    vectors.push(
      FIELD_NAMES.map((field) => ({
        field,
        level: next() < 0.15 ? 'unknown' : draw((match ? truth.m : truth.u)[field], next),
        detail: '',
      })),
    );
  }
  return { vectors, matches };
}

describe('estimateParameters (EM)', () => {
  const { vectors } = simulate(30_000, 7);

  it('recovers known m, u and prior from simulated vectors, within 50 iterations', () => {
    const result = runEm(vectors, DEFAULT_PARAMETERS, { now: new Date('2026-11-28T00:00:00Z') });
    expect(result.iterations).toBeLessThanOrEqual(50);
    expect(result.converged).toBe(true);
    const estimated = result.parameters;
    expect(estimated.source).toBe('em');
    expect(estimated.version).toBe(DEFAULT_PARAMETERS.version + 1);
    expect(estimated.estimatedAt).toBe('2026-11-28T00:00:00.000Z');
    expect(estimated.priorMatchProbability).toBeGreaterThan(TRUTH.prior - 0.005);
    expect(estimated.priorMatchProbability).toBeLessThan(TRUTH.prior + 0.005);
    for (const field of FIELD_NAMES) {
      for (const [level, m] of Object.entries(TRUTH.m[field])) {
        expect(Math.abs((estimated.fields[field][level]?.m ?? 0) - m), `m of ${field} ${level}`).toBeLessThan(
          0.05,
        );
      }
      for (const [level, u] of Object.entries(TRUTH.u[field])) {
        expect(Math.abs((estimated.fields[field][level]?.u ?? 0) - u), `u of ${field} ${level}`).toBeLessThan(
          0.01,
        );
      }
    }
  });

  it('keeps unknown neutral and every m and u off 0 and 1', () => {
    const estimated = estimateParameters(vectors, DEFAULT_PARAMETERS);
    for (const field of FIELD_NAMES) {
      expect(estimated.fields[field].unknown).toEqual({ m: 1, u: 1 });
      for (const level of FIELD_LEVELS[field].filter((candidate) => candidate !== 'unknown')) {
        const parameters = estimated.fields[field][level];
        expect(parameters?.m).toBeGreaterThan(0);
        expect(parameters?.m).toBeLessThan(1);
        expect(parameters?.u).toBeGreaterThan(0);
        expect(parameters?.u).toBeLessThan(1);
      }
    }
    // A level never observed keeps a small share, not zero.
    const { vectors: sparse } = simulate(2_000, 3, {
      ...TRUTH,
      m: { ...TRUTH.m, sex: { same: 1, different: 0 } },
      u: { ...TRUTH.u, sex: { same: 1, different: 0 } },
    });
    const sparseEstimate = estimateParameters(sparse, DEFAULT_PARAMETERS);
    expect(sparseEstimate.fields.sex.different?.m).toBeGreaterThan(0);
    expect(sparseEstimate.fields.sex.different?.u).toBeGreaterThan(0);
  });

  it('holds u fixed where given (from random pairs) and still recovers m and the prior', () => {
    const estimated = estimateParameters(vectors, DEFAULT_PARAMETERS, { fixedU: TRUTH.u });
    for (const field of FIELD_NAMES) {
      for (const [level, u] of Object.entries(TRUTH.u[field])) {
        expect(estimated.fields[field][level]?.u).toBeCloseTo(Math.max(u, 1e-6), 5);
      }
      for (const [level, m] of Object.entries(TRUTH.m[field])) {
        expect(Math.abs((estimated.fields[field][level]?.m ?? 0) - m), `m of ${field} ${level}`).toBeLessThan(
          0.05,
        );
      }
    }
    expect(Math.abs(estimated.priorMatchProbability - TRUTH.prior)).toBeLessThan(0.005);
  });

  it('stops at the iteration limit', () => {
    const result = runEm(vectors, DEFAULT_PARAMETERS, { iterations: 3 });
    expect(result.iterations).toBe(3);
    expect(result.converged).toBe(false);
  });

  it('returns the starting parameters, re-dated, for no data', () => {
    const estimated = estimateParameters([], DEFAULT_PARAMETERS);
    expect(estimated.priorMatchProbability).toBeCloseTo(DEFAULT_PARAMETERS.priorMatchProbability);
    expect(estimated.fields.name.exact_full?.m).toBeCloseTo(
      DEFAULT_PARAMETERS.fields.name.exact_full?.m ?? 0,
      3,
    );
  });
});

describe('estimateU', () => {
  it('gives the shares of each level among random pairs', () => {
    const random = simulate(20_000, 11, { ...TRUTH, prior: 0 }).vectors;
    const shares = estimateU(random, DEFAULT_PARAMETERS);
    expect(shares.place?.same_country).toBeCloseTo(0.4, 1);
    expect(shares.sex?.same).toBeCloseTo(0.5, 1);
  });
});

describe('parametersFromDecisions', () => {
  it('learns m from confirmed pairs and keeps u and the prior', () => {
    const confirmed = Array.from({ length: 200 }, () => ({
      match: true,
      comparisons: [{ field: 'name' as const, level: 'exact_full', detail: '' }],
    }));
    // Rejected pairs agree on names too: they must not teach u that exact names are common.
    const rejected = Array.from({ length: 200 }, () => ({
      match: false,
      comparisons: [{ field: 'name' as const, level: 'exact_full', detail: '' }],
    }));
    const learned = parametersFromDecisions([...confirmed, ...rejected], DEFAULT_PARAMETERS, {
      now: new Date('2026-11-28T00:00:00Z'),
    });
    expect(learned.source).toBe('labelled');
    expect(learned.fields.name.exact_full?.m).toBeGreaterThan(0.9);
    expect(learned.fields.name.exact_full?.u).toBeCloseTo(
      DEFAULT_PARAMETERS.fields.name.exact_full?.u ?? 0,
      6,
    );
    expect(learned.priorMatchProbability).toBe(DEFAULT_PARAMETERS.priorMatchProbability);
    // A field no decision said anything about keeps the base.
    expect(learned.fields.sex.same?.m).toBeCloseTo(DEFAULT_PARAMETERS.fields.sex.same?.m ?? 0, 6);
  });
});
