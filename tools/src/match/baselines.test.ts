// The naive baselines: a correct Jaro–Winkler, Latin-only names, and candidates on a tiny case.
import { describe, expect, it } from 'vitest';
import {
  ageGap,
  type BaselineReport,
  exactBaseline,
  fuzzyBaseline,
  jaroWinkler,
  latinName,
} from './baselines.ts';

describe('jaroWinkler', () => {
  it.each([
    // Reference values from Winkler's papers and the usual test pairs.
    ['martha', 'marhta', 0.961],
    ['dwayne', 'duane', 0.84],
    ['dixon', 'dicksonx', 0.813],
    ['rafiqul islam', 'rofiqul islam', 0.954],
  ])('%s ~ %s = %f', (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 3);
  });

  it('is 1 for equal strings, 0 with nothing in common or an empty side, and symmetric', () => {
    expect(jaroWinkler('puja', 'puja')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'puja')).toBe(0);
    expect(jaroWinkler('sumaiya akter', 'sumaya akhter')).toBeCloseTo(
      jaroWinkler('sumaya akhter', 'sumaiya akter'),
      10,
    );
  });
});

describe('latinName', () => {
  it('lowercases and collapses whitespace', () => {
    expect(latinName('  Md.  Rafiqul\tIslam ')).toBe('md. rafiqul islam');
  });
  it('refuses names in other scripts, or partly in them', () => {
    expect(latinName('রফিকুল ইসলাম')).toBeUndefined();
    expect(latinName('राहुल')).toBeUndefined();
    expect(latinName('Rahul राहुल')).toBeUndefined();
    expect(latinName(undefined)).toBeUndefined();
    expect(latinName('   ')).toBeUndefined();
  });
});

const missing: BaselineReport[] = [
  { id: 'm1', name: 'Rahul Das', sex: 'male', eventDate: '2023-01-01', ageYears: 12 },
  { id: 'm2', name: 'Rahul  das', sex: 'male', eventDate: '2023-01-01', ageYears: 15 },
  { id: 'm3', name: 'Rahul Das', sex: 'female', eventDate: '2023-01-01', ageYears: 12 },
  { id: 'm4', name: 'রাহুল দাস', sex: 'male', eventDate: '2023-01-01', ageYears: 12 },
  { id: 'm5', name: 'Rahool Das', sex: 'male', eventDate: '2023-01-01', ageYears: 12 },
  {
    id: 'm6',
    name: 'Puja Kumari',
    sex: 'female',
    eventDate: '2023-01-01',
    ageEstimateMin: 9,
    ageEstimateMax: 11,
  },
];

describe('ageGap', () => {
  it('carries the missing age forward to the found date and compares with the estimate midpoint', () => {
    const found: BaselineReport = {
      id: 'f',
      sex: 'male',
      eventDate: '2025-01-01',
      ageEstimateMin: 13,
      ageEstimateMax: 15,
    };
    expect(ageGap(missing[0] as BaselineReport, found)).toBeCloseTo(0, 1);
    expect(ageGap(missing[5] as BaselineReport, found)).toBeCloseTo(2, 1);
  });
});

describe('exact baseline', () => {
  const matcher = exactBaseline(missing);
  it('needs the same Latin name, the same sex and ages within two years', () => {
    const found: BaselineReport = {
      id: 'f1',
      name: 'RAHUL DAS',
      sex: 'male',
      eventDate: '2023-07-01',
      ageYears: 13,
    };
    const candidates = matcher.candidatesFor(found);
    // m2 is three years off, m3 a girl, m4 in Bengali script, m5 spelt differently.
    expect(candidates.map((candidate) => candidate.missingId)).toEqual(['m1']);
    expect(candidates[0]?.score).toBeGreaterThan(0.9);
    expect(candidates[0]?.explanation).toContain('rahul das');
  });
  it('never matches a name in another script or a found child with no name', () => {
    expect(
      matcher.candidatesFor({ id: 'f2', name: 'রাহুল দাস', sex: 'male', eventDate: '2023-02-01', ageYears: 12 }),
    ).toEqual([]);
    expect(matcher.candidatesFor({ id: 'f3', sex: 'male', eventDate: '2023-02-01', ageYears: 12 })).toEqual(
      [],
    );
  });
});

describe('fuzzy baseline', () => {
  const matcher = fuzzyBaseline(missing);
  it('ranks Latin names by Jaro–Winkler at or above 0.85, ignoring sex and age', () => {
    const candidates = matcher.candidatesFor({
      id: 'f1',
      name: 'Rahul Das',
      sex: 'male',
      eventDate: '2023-02-01',
      ageYears: 5,
    });
    expect(candidates.map((candidate) => candidate.missingId)).toEqual(['m1', 'm2', 'm3', 'm5']);
    expect(candidates.slice(0, 3).map((candidate) => candidate.score)).toEqual([1, 1, 1]);
    expect(candidates[3]?.score).toBeCloseTo(jaroWinkler('rahul das', 'rahool das'), 4);
    expect(candidates.every((candidate) => candidate.foundId === 'f1')).toBe(true);
  });
  it('keeps at most ten candidates, best first', () => {
    const many: BaselineReport[] = Array.from({ length: 15 }, (_, i) => ({
      id: `m${String(i).padStart(2, '0')}`,
      name: i < 12 ? 'Puja Kumari' : 'Puja Kumar',
      sex: 'female',
      eventDate: '2023-01-01',
      ageYears: 10,
    }));
    const candidates = fuzzyBaseline(many).candidatesFor({
      id: 'f',
      name: 'Puja Kumari',
      sex: 'female',
      eventDate: '2023-01-01',
      ageYears: 10,
    });
    expect(candidates).toHaveLength(10);
    expect(candidates.map((candidate) => candidate.missingId)).toEqual(
      many.slice(0, 10).map((report) => report.id),
    );
  });
  it('finds nothing below the threshold or across scripts', () => {
    expect(
      matcher.candidatesFor({
        id: 'f2',
        name: 'Sumaiya Akter',
        sex: 'female',
        eventDate: '2023-02-01',
        ageYears: 9,
      }),
    ).toEqual([]);
    expect(
      matcher.candidatesFor({
        id: 'f3',
        name: 'राहुल दास',
        sex: 'male',
        eventDate: '2023-02-01',
        ageYears: 12,
      }),
    ).toEqual([]);
  });
});
