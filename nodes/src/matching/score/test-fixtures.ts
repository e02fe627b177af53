// Profiles for the scoring tests: a missing and a found report that say nothing beyond what each
// test sets, so every field a test does not set compares as unknown.
import type { MatchProfile } from '../profile.ts';
import { type CompareOptions, compareProfiles } from './compare.ts';
import type { FieldComparison, FieldName } from './fields.ts';
import { prepareProfile } from './prepare.ts';

export function missingProfile(overrides: Partial<MatchProfile> = {}): MatchProfile {
  return {
    id: 'case_missing',
    side: 'missing',
    sex: 'unknown',
    names: [],
    guardianNames: [],
    eventDate: '2024-01-10',
    place: { country: '' },
    languages: [],
    marks: [],
    ...overrides,
  };
}

export function foundProfile(overrides: Partial<MatchProfile> = {}): MatchProfile {
  return missingProfile({ id: 'case_found', side: 'found', ...overrides });
}

/** The comparison of one field between a missing report and a found report. */
export function compareField(
  field: FieldName,
  missing: Partial<MatchProfile>,
  found: Partial<MatchProfile>,
  options?: CompareOptions,
): FieldComparison {
  const comparisons = compareProfiles(
    prepareProfile(missingProfile(missing)),
    prepareProfile(foundProfile(found)),
    options,
  );
  const comparison = comparisons.find((candidate) => candidate.field === field);
  if (!comparison) throw new Error(`no ${field} comparison`);
  return comparison;
}
