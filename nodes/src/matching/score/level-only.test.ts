// `khoj match run` ranks every blocked pair by pairWeight (levels only, no text) and describes only
// the candidates it keeps: the ranking must be exactly what scorePair would give, or the kept
// candidates change. Checked over pairs that reach every level of every field.
import { describe, expect, it } from 'vitest';
import type { MatchProfile } from '../profile.ts';
import { phoneticKey } from '../text/index.ts';
import { compareProfiles } from './compare.ts';
import { FIELD_LEVELS, FIELD_NAMES } from './fields.ts';
import { DEFAULT_PARAMETERS, type ModelParameters, pairWeight, prepareProfile, scorePair } from './index.ts';
import { foundProfile, missingProfile } from './test-fixtures.ts';

const MISSING: Partial<MatchProfile>[] = [
  {
    names: ['Rahul Debnath', 'Bablu'],
    guardianNames: ['Ramesh Debnath'],
    sex: 'male',
    age: { min: 10, max: 10, estimated: false },
    eventDate: '2024-01-10',
    place: { country: 'BD', state: 'Khulna', district: 'Satkhira' },
    languages: ['bn'],
    marks: ['mole on left cheek', 'burn scar on right hand'],
    heightCm: 130,
  },
  {
    names: ['Ayesha Khatun'],
    guardianNames: ['Abdul Karim'],
    sex: 'female',
    age: { min: 7, max: 8, estimated: true },
    eventDate: '2023-06-01',
    place: { country: 'IN', state: 'West Bengal', district: 'North 24 Parganas' },
    languages: ['bn', 'hi'],
    marks: ['mole on cheek', 'squint'],
  },
  {
    names: ['Munni'],
    sex: 'female',
    eventDate: '2024-13-01',
    place: { country: 'NP', state: 'Koshi', district: 'Jhapa' },
    languages: ['ne'],
    marks: ['cut mark on forehead'],
    heightCm: 110,
  },
  { names: ['Priyanka Nayak'], sex: 'other', eventDate: '2022-02-02', place: { country: '' } },
];

const FOUND: Partial<MatchProfile>[] = [
  {
    names: ['Rahul Devnath'],
    guardianNames: ['Ramesh Debnath'],
    sex: 'male',
    age: { min: 10, max: 12, estimated: true },
    eventDate: '2024-02-20',
    place: { country: 'BD', state: 'Khulna', district: 'Satkhira' },
    languages: ['ben'],
    marks: ['mole on right cheek'],
    heightCm: 133,
  },
  {
    names: ['Aisha Khatun', 'Munni'],
    guardianNames: ['Abdul Kareem'],
    sex: 'female',
    age: { min: 9, max: 9, estimated: false },
    eventDate: '2023-05-01',
    place: { country: 'IN', state: 'Maharashtra', district: 'Pune' },
    languages: ['mr'],
    marks: ['mole on neck', 'squint'],
    heightCm: 150,
  },
  {
    names: ['Rahool'],
    sex: 'unknown',
    age: { min: 3, max: 4, estimated: true },
    eventDate: '2031-01-01',
    place: { country: 'IN', state: 'West Bengal', district: 'Kolkata' },
    languages: ['bn'],
    marks: ['burn scar on right hand'],
  },
  {
    names: ['Prianka Naik'],
    guardianNames: ['Sita Devi'],
    sex: 'other',
    eventDate: '2022-03-01',
    place: { country: 'NP' },
    marks: ['tattoo'],
  },
  { names: ['Tuktuk'], sex: 'male', eventDate: '2024-01-12', place: { country: 'IN', state: 'WB' } },
];

const pairs = MISSING.flatMap((missing) =>
  FOUND.map(
    (found) => [prepareProfile(missingProfile(missing)), prepareProfile(foundProfile(found))] as const,
  ),
);
const shares = new Map([
  [phoneticKey('rahul'), 0.03],
  [phoneticKey('khatun'), 0.05],
  [phoneticKey('ayesha'), 0.0004],
]);
const frequencies = (key: string) => shares.get(key);

describe('ranking by levels only', () => {
  it('gives every pair the levels (and name keys) its described comparison has', () => {
    for (const [missing, found] of pairs) {
      const described = compareProfiles(missing, found);
      const levels = compareProfiles(missing, found, undefined, 'level-only');
      expect(levels.map(({ field, level, frequencyKeys }) => ({ field, level, frequencyKeys }))).toEqual(
        described.map(({ field, level, frequencyKeys }) => ({ field, level, frequencyKeys })),
      );
      expect(levels.every((comparison) => comparison.detail === '' || comparison.level === 'unknown')).toBe(
        true,
      );
    }
  });

  it('weighs every pair exactly as scorePair does, with and without name frequencies', () => {
    const uneven: ModelParameters = {
      ...DEFAULT_PARAMETERS,
      priorMatchProbability: 0.02,
      fields: {
        ...DEFAULT_PARAMETERS.fields,
        marks: { ...DEFAULT_PARAMETERS.fields.marks, same_kind_elsewhere: { m: 0.01, u: 0.3 } },
      },
    };
    const weights = new Set<number>();
    for (const parameters of [DEFAULT_PARAMETERS, uneven, DEFAULT_PARAMETERS]) {
      for (const [missing, found] of pairs) {
        for (const counted of [frequencies, undefined]) {
          const expected = scorePair(missing, found, parameters, counted).weight;
          expect(pairWeight(missing, found, parameters, counted)).toBe(expected);
          weights.add(expected);
        }
      }
    }
    // The pairs differ enough for the check to mean something.
    expect(weights.size).toBeGreaterThan(pairs.length);
  });

  it('covers many levels of each field', () => {
    const seen = new Map<string, Set<string>>(FIELD_NAMES.map((field) => [field, new Set()]));
    for (const [missing, found] of pairs) {
      for (const { field, level } of compareProfiles(missing, found, undefined, 'level-only'))
        seen.get(field)?.add(level);
    }
    for (const field of FIELD_NAMES) {
      const reached = seen.get(field)?.size ?? 0;
      expect(reached, field).toBeGreaterThanOrEqual(Math.min(3, FIELD_LEVELS[field].length));
    }
  });
});
