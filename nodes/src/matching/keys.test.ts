// Profiles from cases and interchange lines, and the blocking keys and digests made from them:
// the same child written differently shares a key, ages never exclude, and only material changes
// move the digest.
import { describe, expect, it } from 'vitest';
import type { CaseRow } from '../db/schema/index.ts';
import type { InterchangeRecord } from '../interchange/record.ts';
import { profileFromCase, profileFromRecord } from './from-case.ts';
import { birthInterval, materialDigest, profileKeys } from './keys.ts';
import type { MatchProfile } from './profile.ts';
import { prepareProfile } from './score/index.ts';

const missing: MatchProfile = {
  id: 'case_m',
  side: 'missing',
  sex: 'male',
  names: ['Rahul Debnath'],
  guardianNames: ['Sabita Debnath'],
  age: { min: 9, max: 9, estimated: false },
  eventDate: '2026-03-02',
  place: { country: 'IN', state: 'WB', district: 'Nadia' },
  languages: ['bn'],
  marks: ['mole on left cheek'],
};
const found: MatchProfile = {
  ...missing,
  id: 'case_f',
  side: 'found',
  names: ['Devnath Rahul', 'Bappa'],
  guardianNames: [],
  age: { min: 8, max: 11, estimated: true },
  eventDate: '2026-04-05',
};

const keysOf = (profile: MatchProfile) =>
  new Set(profileKeys(prepareProfile(profile)).keys.map((key) => `${key.rule} ${key.key}`));
const shared = (a: MatchProfile, b: MatchProfile) => {
  const other = keysOf(b);
  return [...keysOf(a)].filter((key) => other.has(key));
};
const rules = (keys: string[]) => [...new Set(keys.map((key) => key.split(' ')[0]))].sort();

describe('profiles', () => {
  it('takes a case row apart: names and aliases, guardians, exact or estimated age, place', () => {
    const row = {
      id: 'case_1',
      kind: 'missing',
      child: {
        name: 'Rupa Mondal',
        aliases: ['Rupai', ' ', 'Rupa Mondal'],
        sex: 'female',
        age: { years: 12 },
        identifyingMarks: ['scar on chin'],
        heightCm: 140,
      },
      missing: { guardians: [{ name: 'Anil Mondal', relation: 'father', phones: [] }] },
      country: 'IN',
      state: 'WB',
      district: null,
      eventDate: '2026-09-14',
    } as unknown as CaseRow;
    expect(profileFromCase(row)).toEqual({
      id: 'case_1',
      side: 'missing',
      sex: 'female',
      names: ['Rupa Mondal', 'Rupai'],
      guardianNames: ['Anil Mondal'],
      age: { min: 12, max: 12, estimated: false },
      eventDate: '2026-09-14',
      place: { country: 'IN', state: 'WB' },
      languages: [],
      marks: ['scar on chin'],
      heightCm: 140,
    });
    const estimated = profileFromCase({
      ...row,
      kind: 'found',
      missing: null,
      child: { sex: 'unknown', age: { estimateMin: 6, estimateMax: 8 } },
    } as unknown as CaseRow);
    expect(estimated).toMatchObject({
      side: 'found',
      names: [],
      guardianNames: [],
      age: { min: 6, max: 8, estimated: true },
    });
  });

  it("keeps what an interchange line says, a found child's guardian included", () => {
    const record = {
      id: 'F-1',
      kind: 'found',
      country: 'NP',
      state: 'Bagmati',
      reportedAt: '2024-05-02',
      eventDate: '2024-05-02',
      name: 'Kanchhi',
      sex: 'female',
      ageEstimateMin: 6,
      ageEstimateMax: 8,
      guardianName: 'Maya Tamang',
      languages: ['ne'],
    } as InterchangeRecord;
    expect(profileFromRecord(record)).toEqual({
      id: 'F-1',
      side: 'found',
      sex: 'female',
      names: ['Kanchhi'],
      guardianNames: ['Maya Tamang'],
      age: { min: 6, max: 8, estimated: true },
      eventDate: '2024-05-02',
      place: { country: 'NP', state: 'Bagmati' },
      languages: ['ne'],
      marks: [],
      heightCm: undefined,
    });
  });
});

describe('blocking keys', () => {
  it('the same child spelt another way, in another order, shares name and pair keys', () => {
    expect(rules(shared(missing, found))).toEqual(expect.arrayContaining(['area', 'local', 'name', 'pair']));
    const bengali = { ...found, names: ['রাহুল দেবনাথ'] };
    expect(rules(shared(missing, bengali))).toEqual(expect.arrayContaining(['name']));
  });

  it('a report of unknown sex carries the keys of both sexes; different sexes share none but local', () => {
    const unknown = { ...found, sex: 'unknown' as const };
    const girl = { ...missing, sex: 'female' as const };
    expect(rules(shared(girl, unknown))).toEqual(expect.arrayContaining(['name', 'pair', 'area']));
    expect(rules(shared(girl, found))).toEqual(['local']);
  });

  it('places written in another script are one area', () => {
    const nepal = {
      ...missing,
      names: [],
      guardianNames: [],
      place: { country: 'NP', state: 'Madhesh', district: 'Sarlahi' },
    };
    const written = {
      ...nepal,
      side: 'found' as const,
      place: { country: 'NP', state: 'Madhesh', district: 'सर्लाही' },
    };
    // Neither names the child: besides the district, only the broad state-and-quarter rule joins them.
    expect(rules(shared(nepal, written))).toEqual(['area', 'unnamed']);
    const elsewhere = { ...written, place: { country: 'NP', state: 'Madhesh', district: 'Dhanusha' } };
    expect(rules(shared(nepal, elsewhere))).toEqual(['unnamed']);
  });

  it('ages never exclude a name, and area bands overlap whenever birth ranges (with tolerance) do', () => {
    const older = { ...found, age: { min: 15, max: 16, estimated: true } };
    expect(rules(shared(missing, older))).toEqual(expect.arrayContaining(['name', 'pair', 'local']));
    expect(rules(shared(missing, older))).not.toContain('area');
    for (let years = 0; years <= 16; years++) {
      const other = {
        ...missing,
        side: 'found' as const,
        names: [],
        age: { min: years, max: years, estimated: false },
      };
      const a = birthInterval(missing);
      const b = birthInterval(other);
      const area = rules(shared({ ...missing, names: [] }, other)).includes('area');
      // Overlapping ranges always share a band; ranges a whole band (4 years) apart never do.
      if (a.low <= b.high && b.low <= a.high) expect(area, `aged ${years}`).toBe(true);
      if (Math.max(a.low - b.high, b.low - a.high) > 48) expect(area, `aged ${years}`).toBe(false);
    }
  });

  it('initials and honorifics make no keys of their own', () => {
    const keys = [...keysOf({ ...missing, names: ['Md. R. Sheikh'] })].filter((key) =>
      key.startsWith('name'),
    );
    expect(keys.every((key) => key.split(':')[1]?.replace('~', '').length ?? 0 >= 2)).toBe(true);
    expect(keys.some((key) => key.endsWith(':r'))).toBe(false);
  });
});

describe('material digest', () => {
  it('moves with names, age, date, place, guardians and marks; not with languages or height', () => {
    const base = materialDigest(missing);
    expect(materialDigest({ ...missing, languages: ['bn', 'hi'], heightCm: 130 })).toBe(base);
    for (const change of [
      { names: ['Rahul Debnath', 'Bappa'] },
      { sex: 'female' as const },
      { age: { min: 10, max: 10, estimated: false } },
      { eventDate: '2026-03-03' },
      { place: { country: 'IN', state: 'WB', district: 'Kolkata' } },
      { guardianNames: [] },
      { marks: ['mole on right cheek'] },
    ]) {
      expect(materialDigest({ ...missing, ...change }), JSON.stringify(change)).not.toBe(base);
    }
  });
});

describe('blocking rules for children the name rules miss', () => {
  const ofRule = (keys: string[], rule: string) => keys.filter((key) => key.startsWith(`${rule} `));

  it('keys a name with the quarter of the event: a found report reaches back two quarters', () => {
    // Taken from Nadia in March, found in Mumbai in May: no place in common, the quarter is.
    const far: MatchProfile = {
      ...found,
      names: ['Rahul'],
      place: { country: 'IN', state: 'Maharashtra', district: 'Mumbai' },
    };
    expect(ofRule(shared(missing, far), 'when')).toHaveLength(1);
    const muchLater: MatchProfile = { ...far, eventDate: '2027-03-01' };
    expect(ofRule(shared(missing, muchLater), 'when')).toEqual([]);
    // Found before the child went missing: the rule does not reach forward.
    const before: MatchProfile = { ...far, eventDate: '2025-09-01' };
    expect(ofRule(shared(missing, before), 'when')).toEqual([]);
  });

  it("keys a guardian's full name without a place: a child found across the border names the parent", () => {
    const abroad: MatchProfile = {
      ...found,
      names: ['Montu'],
      guardianNames: ['Debnath Sabita'],
      place: { country: 'BD', state: 'Khulna', district: 'Jashore' },
    };
    expect(ofRule(shared(missing, abroad), 'kin')).toHaveLength(1);
    const otherParent: MatchProfile = { ...abroad, guardianNames: ['Sabita Mondal'] };
    expect(ofRule(shared(missing, otherParent), 'kin')).toEqual([]);
  });

  it('keys a found child without a formal name by state, sex, birth band and quarter', () => {
    const unnamed: MatchProfile = {
      ...found,
      names: [],
      place: { country: 'IN', state: 'West Bengal', district: 'Kolkata' },
    };
    expect(ofRule(shared(missing, unnamed), 'unnamed').length).toBeGreaterThan(0);
    const petOnly: MatchProfile = { ...unnamed, names: ['Bappa'] };
    expect(ofRule(shared(missing, petOnly), 'unnamed').length).toBeGreaterThan(0);
    // A found child with a formal name is blocked by it, not by this broad rule.
    const named: MatchProfile = { ...unnamed, names: ['Sourav Ghosh'] };
    expect(ofRule([...keysOf(named)], 'unnamed')).toEqual([]);
    const otherSex: MatchProfile = { ...unnamed, sex: 'female' };
    expect(ofRule(shared(missing, otherSex), 'unnamed')).toEqual([]);
  });
});
