import { describe, expect, it } from 'vitest';
import type { MatchProfile } from '../profile.ts';
import { expectedGrowthCm } from './compare.ts';
import { FIELD_LEVELS, FIELD_NAMES } from './fields.ts';
import { compareProfiles, prepareProfile } from './index.ts';
import { compareField, foundProfile, missingProfile } from './test-fixtures.ts';

describe('compareProfiles', () => {
  it('gives one comparison per field, in field order, all unknown for empty reports', () => {
    const comparisons = compareProfiles(prepareProfile(missingProfile()), prepareProfile(foundProfile()));
    expect(comparisons.map((comparison) => comparison.field)).toEqual(FIELD_NAMES);
    // Missing fields are unknown, never "different".
    expect(comparisons.filter((c) => c.field !== 'time').map((c) => c.level)).toEqual(
      Array(FIELD_NAMES.length - 1).fill('unknown'),
    );
  });
});

describe('sex', () => {
  it('reaches every level', () => {
    expect(compareField('sex', { sex: 'female' }, { sex: 'female' }).level).toBe('same');
    expect(compareField('sex', { sex: 'female' }, { sex: 'male' }).level).toBe('different');
    expect(compareField('sex', { sex: 'unknown' }, { sex: 'male' }).level).toBe('unknown');
    expect(compareField('sex', { sex: 'other' }, { sex: 'male' }).level).toBe('unknown');
    expect(compareField('sex', { sex: 'other' }, { sex: 'other' }).level).toBe('same');
  });
});

describe('age', () => {
  const exact = (years: number) => ({ min: years, max: years, estimated: false });
  const age = (
    missing: number,
    found: { min: number; max: number; estimated: boolean },
    foundDate = '2024-01-10',
  ) =>
    compareField(
      'age',
      { age: exact(missing), eventDate: '2024-01-10' },
      { age: found, eventDate: foundDate },
    );

  it('reaches every level, with ±1 year tolerance for exact ages', () => {
    expect(age(10, exact(10)).level).toBe('inside');
    expect(age(10, exact(12)).level).toBe('near');
    expect(age(10, exact(8)).level).toBe('near');
    expect(age(10, exact(14)).level).toBe('off_by_3_4');
    expect(age(10, exact(16)).level).toBe('far');
    expect(compareField('age', {}, { age: exact(10) }).level).toBe('unknown');
  });

  it('moves the missing age on by the years between the two dates', () => {
    const result = compareField(
      'age',
      { age: exact(10), eventDate: '2020-01-10' },
      { age: exact(14), eventDate: '2024-01-10' },
    );
    expect(result.level).toBe('inside');
    expect(result.detail).toContain('expected 14–15');
  });

  it('widens the tolerance for estimates (2 years + 10% of the age)', () => {
    // Two years beyond the expected age: near for an estimate, off for an exact age.
    expect(age(10, { min: 13, max: 15, estimated: true }).level).toBe('near');
    expect(age(10, exact(13)).level).toBe('off_by_3_4');
    // Never a hard block: far is a level.
    expect(age(10, { min: 20, max: 22, estimated: true }).level).toBe('far');
  });
});

describe('time', () => {
  const time = (found: string) => compareField('time', { eventDate: '2024-01-10' }, { eventDate: found });

  it('reaches every level', () => {
    expect(time('2024-01-10').level).toBe('found_after_soon');
    expect(time('2024-04-09').level).toBe('found_after_soon');
    expect(time('2024-04-10').level).toBe('found_after_months');
    expect(time('2025-01-09').level).toBe('found_after_months');
    expect(time('2025-01-11').level).toBe('found_after_later');
    expect(time('2026-12-31').level).toBe('found_after_later');
    expect(time('2027-02-01').level).toBe('found_after_long');
    expect(time('2023-12-20').level).toBe('found_before');
    expect(time('2024-02-30').level).toBe('unknown');
  });

  it('takes a found date a day or two early for a date slip, not for evidence against', () => {
    expect(time('2024-01-08').level).toBe('found_after_soon');
    expect(time('2024-01-07').level).toBe('found_before');
    expect(time('2023-12-20').detail).toBe('found 21 days BEFORE last seen');
  });
});

describe('languages', () => {
  it('reaches every level, 639-2 codes meeting 639-1', () => {
    expect(compareField('languages', { languages: ['bn', 'hi'] }, { languages: ['ben'] }).level).toBe(
      'overlap',
    );
    expect(compareField('languages', { languages: ['bn-IN'] }, { languages: ['bn'] }).level).toBe('overlap');
    expect(compareField('languages', { languages: ['ne'] }, { languages: ['bn'] }).level).toBe('disjoint');
    expect(compareField('languages', { languages: [] }, { languages: ['bn'] }).level).toBe('unknown');
  });
});

describe('marks', () => {
  const marks = (missing: string[], found: string[]) =>
    compareField('marks', { marks: missing }, { marks: found });

  it('reaches every level', () => {
    const same = marks(['mole on left cheek'], ['তিল বাম গালে']);
    expect(same.level).toBe('same_mark_place_side');
    expect(same.detail).toBe('both: mole on left cheek');
    expect(marks(['mole on cheek'], ['mole on left cheek']).level).toBe('same_mark_place');
    expect(marks(['mole on left cheek'], ['mole on cheek']).level).toBe('same_mark_place');
    expect(marks(['mole on right cheek'], ['mole on left cheek']).level).toBe('same_mark_place_other_side');
    expect(marks(['mole'], ['mole on neck']).level).toBe('same_kind');
    const elsewhere = marks(['mole on left cheek'], ['mole on neck']);
    expect(elsewhere.level).toBe('same_kind_elsewhere');
    expect(elsewhere.detail).toBe('mole at different places: mole on left cheek / mole on neck');
    expect(marks(['mole on left cheek'], ['burn scar on right hand']).level).toBe('none_in_common');
    expect(marks([], ['burn scar on right hand']).level).toBe('unknown');
  });
});

describe('marks that are their own place', () => {
  const marks = (missing: string[], found: string[]) =>
    compareField('marks', { marks: missing }, { marks: found });

  it('a missing front tooth, a squint or a stammer on both sides agrees as a mark at the same place', () => {
    expect(marks(['one front tooth missing'], ['সামনের দাঁত নেই']).level).toBe('same_mark_place');
    expect(marks(['squint'], ['ট্যারা']).level).toBe('same_mark_place');
    expect(marks(['stammers'], ['हकलाहट']).level).toBe('same_mark_place');
    // A kind placed elsewhere on each side is not the same mark.
    expect(marks(['mole on left cheek'], ['mole on chin']).level).toBe('same_kind_elsewhere');
  });
});

describe('height', () => {
  const height = (found: number, foundDate = '2026-01-10') =>
    compareField(
      'height',
      { heightCm: 130, age: { min: 10, max: 10, estimated: false }, eventDate: '2024-01-10' },
      { heightCm: found, eventDate: foundDate },
    );

  it('expects about 5–6 cm a year at 5–12, 6–8 at 12–15, little after', () => {
    expect(expectedGrowthCm(6, 2)).toBeCloseTo(11);
    expect(expectedGrowthCm(12, 2)).toBeCloseTo(14);
    expect(expectedGrowthCm(18, 2)).toBeCloseTo(1);
    expect(expectedGrowthCm(11, 2)).toBeCloseTo(12.5);
    expect(expectedGrowthCm(12, -1)).toBeCloseTo(-5.5);
  });

  it('reaches every level', () => {
    // Aged 10.5 on average, two years on: about 11.5 cm taller, 141.5 cm.
    expect(height(141).level).toBe('consistent');
    expect(height(131).level).toBe('near');
    expect(height(160).level).toBe('far');
    expect(compareField('height', { heightCm: 130 }, {}).level).toBe('unknown');
    expect(height(141).detail).toContain('expected about 142 cm');
  });
});

describe('every level of every field is reachable', () => {
  const exact = (years: number) => ({ min: years, max: years, estimated: false });
  const cases: Record<
    'sex' | 'age' | 'time' | 'languages' | 'marks' | 'height',
    [Partial<MatchProfile>, Partial<MatchProfile>][]
  > = {
    sex: [
      [{ sex: 'male' }, { sex: 'male' }],
      [{ sex: 'male' }, { sex: 'female' }],
      [{ sex: 'male' }, {}],
    ],
    age: [
      [{ age: exact(10) }, { age: exact(10) }],
      [{ age: exact(10) }, { age: exact(11) }],
      [{ age: exact(10) }, { age: exact(13) }],
      [{ age: exact(10) }, { age: exact(17) }],
      [{}, { age: exact(10) }],
    ],
    time: [
      [{}, { eventDate: '2024-02-01' }],
      [{}, { eventDate: '2024-08-01' }],
      [{}, { eventDate: '2025-02-01' }],
      [{}, { eventDate: '2028-02-01' }],
      [{}, { eventDate: '2023-02-01' }],
      [{}, { eventDate: 'soon' }],
    ],
    languages: [
      [{ languages: ['bn'] }, { languages: ['bn'] }],
      [{ languages: ['bn'] }, { languages: ['ne'] }],
      [{ languages: ['bn'] }, {}],
    ],
    marks: [
      [{ marks: ['mole on left cheek'] }, { marks: ['mole on left cheek'] }],
      [{ marks: ['mole on cheek'] }, { marks: ['mole on left cheek'] }],
      [{ marks: ['mole on right cheek'] }, { marks: ['mole on left cheek'] }],
      [{ marks: ['mole'] }, { marks: ['mole on left cheek'] }],
      [{ marks: ['mole on neck'] }, { marks: ['mole on left cheek'] }],
      [{ marks: ['burn on neck'] }, { marks: ['mole on left cheek'] }],
      [{}, { marks: ['mole on left cheek'] }],
    ],
    height: [
      [{ heightCm: 130 }, { heightCm: 131 }],
      [{ heightCm: 130 }, { heightCm: 141 }],
      [{ heightCm: 130 }, { heightCm: 150 }],
      [{ heightCm: 130 }, {}],
    ],
  };
  for (const [field, pairs] of Object.entries(cases) as [keyof typeof cases, (typeof cases)['sex']][]) {
    it(field, () => {
      const reached = pairs.map(([missing, found]) => compareField(field, missing, found).level);
      expect(reached).toEqual([...FIELD_LEVELS[field]]);
    });
  }
});
