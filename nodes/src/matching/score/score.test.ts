import { describe, expect, it } from 'vitest';
import type { MatchProfile } from '../profile.ts';
import { phoneticKey } from '../text/index.ts';
import { FIELD_LEVELS, FIELD_NAMES } from './fields.ts';
import {
  DEFAULT_PARAMETERS,
  DEFAULT_THRESHOLDS,
  type NameFrequencies,
  prepareProfile,
  probabilityFromWeight,
  scorePair,
  weightFromProbability,
} from './index.ts';
import { foundProfile, missingProfile } from './test-fixtures.ts';

const score = (missing: Partial<MatchProfile>, found: Partial<MatchProfile>, frequencies?: NameFrequencies) =>
  scorePair(
    prepareProfile(missingProfile(missing)),
    prepareProfile(foundProfile(found)),
    DEFAULT_PARAMETERS,
    frequencies,
  );

const stepOf = (pair: ReturnType<typeof score>, field: string) => {
  const step = pair.explanation.find((candidate) => candidate.field === field);
  if (!step) throw new Error(`no ${field} step`);
  return step;
};

/** A missing report and a found report of what is plausibly the same boy. */
const RAHUL_MISSING: Partial<MatchProfile> = {
  names: ['Rahul Debnath'],
  guardianNames: ['Ramesh Debnath'],
  sex: 'male',
  age: { min: 10, max: 10, estimated: false },
  eventDate: '2024-01-10',
  place: { country: 'BD', state: 'Khulna', district: 'Satkhira' },
  languages: ['bn'],
};
const RAHUL_FOUND: Partial<MatchProfile> = {
  names: ['Rahul Devnath'],
  guardianNames: ['Ramesh'],
  sex: 'male',
  age: { min: 9, max: 12, estimated: true },
  eventDate: '2024-02-20',
  place: { country: 'IN', state: 'West Bengal', district: 'North 24 Parganas' },
  languages: ['bn'],
};

describe('DEFAULT_PARAMETERS', () => {
  it('has m and u for every level, each summing to 1 over the known levels, unknown neutral', () => {
    for (const field of FIELD_NAMES) {
      const levels = DEFAULT_PARAMETERS.fields[field];
      expect(Object.keys(levels).sort()).toEqual([...FIELD_LEVELS[field]].sort());
      expect(levels.unknown).toEqual({ m: 1, u: 1 });
      const known = Object.entries(levels).filter(([level]) => level !== 'unknown');
      expect(known.reduce((sum, [, p]) => sum + p.m, 0)).toBeCloseTo(1, 6);
      expect(known.reduce((sum, [, p]) => sum + p.u, 0)).toBeCloseTo(1, 6);
    }
    expect(DEFAULT_THRESHOLDS).toEqual({ review: 0.5, alert: 0.9 });
  });
});

describe('scorePair', () => {
  it('adds log2(m/u) per field to the prior log-odds and turns the total into a probability', () => {
    const pair = score(RAHUL_MISSING, RAHUL_FOUND);
    expect(pair.missingId).toBe('case_missing');
    expect(pair.foundId).toBe('case_found');
    const expected =
      Math.log2(0.001 / 0.999) +
      pair.comparisons.reduce((sum, { field, level }) => {
        const { m, u } = DEFAULT_PARAMETERS.fields[field][level] ?? { m: 1, u: 1 };
        return sum + Math.log2(m / u);
      }, 0);
    expect(pair.weight).toBeCloseTo(expected, 9);
    expect(pair.probability).toBeCloseTo(1 / (1 + 2 ** -expected), 12);
    expect(pair.probability).toBeGreaterThan(DEFAULT_THRESHOLDS.alert);
  });

  it('explains the prior and every field, weights rounded to 0.1', () => {
    const pair = score(RAHUL_MISSING, RAHUL_FOUND);
    expect(pair.explanation.map((step) => step.field)).toEqual(['prior', ...FIELD_NAMES]);
    for (const step of pair.explanation) expect(Math.round(step.weight * 10) / 10).toBe(step.weight);
    expect(stepOf(pair, 'prior').text).toBe(
      'prior: about 1 in 1,000 candidate pairs is the same child, −10.0',
    );
    const name = stepOf(pair, 'name');
    expect(name.level).toBe('surname_class+given_phonetic');
    expect(name.text).toBe(
      `name: given name Rahul = Rahul; surname Debnath ≈ Devnath (same phonetic key), +${name.weight.toFixed(1)}`,
    );
    expect(name.weight).toBeCloseTo(Math.log2(0.17 / 0.0006), 1);
    expect(stepOf(pair, 'marks')).toMatchObject({ level: 'unknown', weight: 0 });
    const sum = pair.explanation.reduce((total, step) => total + step.weight, 0);
    expect(Math.abs(sum - pair.weight)).toBeLessThan(0.05 * pair.explanation.length);
  });

  it('weighs a common name less than a rare one (term frequency), within clamps', () => {
    const rahul = { names: ['Rahul Debnath'], sex: 'male' as const };
    const ritwik = { names: ['Ritwik Debnath'], sex: 'male' as const };
    const shares = new Map([
      [phoneticKey('rahul'), 0.05],
      [phoneticKey('ritwik'), 0.000_01],
    ]);
    const frequencies: NameFrequencies = (key) => shares.get(key);
    const plain = stepOf(score(rahul, { names: ['Rahul'] }), 'name');
    const common = stepOf(score(rahul, { names: ['Rahul'] }, frequencies), 'name');
    const rare = stepOf(score(ritwik, { names: ['Ritwik'] }, frequencies), 'name');
    expect(plain.level).toBe('given_phonetic');
    expect(rare.level).toBe('given_phonetic');
    expect(common.weight).toBeLessThan(plain.weight);
    expect(rare.weight).toBeGreaterThan(plain.weight);
    expect(common.detail).toContain('common name (in 5.0% of reports)');
    expect(rare.detail).toContain('rare name');
    // Weighed against a typical name (about 1 report in 150 per token): a rare name gains at most
    // 2 bits, a common one loses at most 2; the commonest name is never evidence against.
    expect(rare.weight).toBeCloseTo(plain.weight + 2, 1);
    expect(common.weight).toBeCloseTo(plain.weight - 2, 1);
    const everyone = stepOf(
      score(rahul, { names: ['Rahul'] }, () => 0.9),
      'name',
    );
    expect(everyone.weight).toBeCloseTo(plain.weight - 2, 1);
    expect(everyone.weight).toBeGreaterThanOrEqual(0);
    // No count for a key: no adjustment.
    expect(
      stepOf(
        score(rahul, { names: ['Rahul'] }, () => undefined),
        'name',
      ).weight,
    ).toBe(plain.weight);
    // A full name's share multiplies its tokens' shares, and needs them all.
    const partly = stepOf(
      score(rahul, { names: ['Debnath Rahul'] }, (key) => shares.get(key)),
      'name',
    );
    expect(partly.weight).toBeCloseTo(Math.log2(0.45 / 0.0005), 1);
    const full = stepOf(
      score(rahul, { names: ['Debnath Rahul'] }, (key) => (key === 'rahal' ? 0.05 : 0.02)),
      'name',
    );
    expect(full.level).toBe('exact_full');
    // 5% × 2% = 0.1% of reports, 22 times a typical two-token name (1 in 150 squared): 2 bits less.
    expect(full.weight).toBeCloseTo(Math.log2(0.45 / (0.0005 * 4)), 1);
  });

  it('lowers the probability of a child found before last seen, without excluding the pair', () => {
    const after = score(RAHUL_MISSING, RAHUL_FOUND);
    const before = score(RAHUL_MISSING, { ...RAHUL_FOUND, eventDate: '2023-10-01' });
    expect(stepOf(before, 'time').level).toBe('found_before');
    expect(stepOf(before, 'time').weight).toBeLessThan(-3);
    expect(before.probability).toBeLessThan(after.probability);
    expect(before.probability).toBeGreaterThan(DEFAULT_THRESHOLDS.review);
  });

  it('keeps unknown fields at zero weight: a pair with only dates scores the prior and the time', () => {
    const pair = score({}, {});
    const { m, u } = DEFAULT_PARAMETERS.fields.time.found_after_soon ?? { m: 1, u: 1 };
    expect(pair.weight).toBeCloseTo(Math.log2(0.001 / 0.999) + Math.log2(m / u), 9);
    expect(pair.explanation.filter((step) => step.field !== 'prior' && step.field !== 'time')).toSatisfy(
      (steps: { weight: number }[]) => steps.every((step) => step.weight === 0),
    );
  });

  it('gives a level the model does not know no weight, and says so', () => {
    const parameters = structuredClone(DEFAULT_PARAMETERS);
    delete parameters.fields.sex.same;
    const pair = scorePair(
      prepareProfile(missingProfile({ sex: 'male' })),
      prepareProfile(foundProfile({ sex: 'male' })),
      parameters,
    );
    expect(stepOf(pair, 'sex').weight).toBe(0);
    expect(stepOf(pair, 'sex').detail).toContain('not in the model');
  });
});

describe('probability', () => {
  it('is monotone in the weight, 50% at 0 bits, and inverts to the weight', () => {
    let previous = 0;
    for (let weight = -40; weight <= 40; weight += 0.25) {
      const probability = probabilityFromWeight(weight);
      expect(probability).toBeGreaterThanOrEqual(previous);
      if (Math.abs(weight) < 30) expect(probability).toBeGreaterThan(previous);
      previous = probability;
    }
    expect(probabilityFromWeight(0)).toBe(0.5);
    expect(weightFromProbability(probabilityFromWeight(3.7))).toBeCloseTo(3.7, 9);
  });

  it('rises with every agreeing field added', () => {
    const steps: Partial<MatchProfile>[] = [
      { names: ['Rahul Debnath'] },
      { sex: 'male' },
      { age: { min: 10, max: 10, estimated: false } },
      { place: { country: 'IN', state: 'WB', district: 'Kolkata' } },
      { marks: ['mole on left cheek'] },
    ];
    let profile: Partial<MatchProfile> = {};
    let previous = score(profile, profile).probability;
    for (const step of steps) {
      profile = { ...profile, ...step };
      const next = score(profile, profile).probability;
      expect(next).toBeGreaterThan(previous);
      previous = next;
    }
  });
});
