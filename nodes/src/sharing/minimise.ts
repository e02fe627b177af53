// Minimisation of a case summary to a fields tier, with no I/O — at the origin before sealing and
// again at the receiver, which drops whatever arrived outside the envelope's tier:
//   minimal   phonetic keys of the names (never the names), sex, an age band, the place down to
//             the district (no description), the date;
//   standard  + names and aliases, languages, identifying marks, height, the place's description;
//   full      + guardians and their contacts — only in a detail response, never in a case.summary.
import type { CaseSummary, FieldsTier } from '@khoj/contracts';
import { parseName } from '../matching/text/index.ts';

/** How far an exact age is widened into a band at the `minimal` tier, in years each way. */
const AGE_BAND_YEARS = 1;
const MAX_AGE = 25;

type Child = CaseSummary['child'];
type ChildField = keyof Child;

/** Fields of `child` each tier may carry (a tier carries those of the tiers below it). */
const CHILD_FIELDS: Record<FieldsTier, ReadonlySet<ChildField>> = {
  minimal: new Set<ChildField>(['sex', 'age', 'phoneticNames']),
  standard: new Set<ChildField>([
    'sex',
    'age',
    'phoneticNames',
    'name',
    'aliases',
    'languages',
    'identifyingMarks',
    'heightCm',
  ]),
  full: new Set<ChildField>([
    'sex',
    'age',
    'phoneticNames',
    'name',
    'aliases',
    'languages',
    'identifyingMarks',
    'heightCm',
  ]),
};

/** A case.summary never carries the `full` tier's extras: those go only in detail responses. */
export function summaryTier(tier: FieldsTier): FieldsTier {
  return tier === 'full' ? 'standard' : tier;
}

/** The distinct phonetic keys of a child's name and aliases (the engine's own keys). */
export function phoneticNamesOf(names: readonly (string | undefined)[]): string[] {
  const keys = new Set<string>();
  for (const name of names) {
    if (!name) continue;
    for (const token of parseName(name)) {
      for (const key of token.phonetic.split(' ')) if (/^[a-z0-9]{1,40}$/.test(key)) keys.add(key);
    }
  }
  return [...keys].slice(0, 60);
}

/** The summary with only what `tier` allows; names become phonetic keys below `standard`. */
export function minimiseSummary(summary: CaseSummary, tier: FieldsTier): CaseSummary {
  return withinTier(summary, tier).summary;
}

/**
 * The summary reduced to `tier`, and the paths of the fields that were outside it (what a
 * receiver drops and audits). The origin's phonetic keys are derived from the names when it
 * minimises; a receiver never derives anything, it only removes.
 */
export function withinTier(
  summary: CaseSummary,
  tier: FieldsTier,
  options: { derive?: boolean } = { derive: true },
): { summary: CaseSummary; dropped: string[] } {
  const dropped: string[] = [];
  const allowed = CHILD_FIELDS[tier];
  const child: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(summary.child)) {
    if (value === undefined) continue;
    if (allowed.has(field as ChildField)) child[field] = value;
    else dropped.push(`child.${field}`);
  }
  if (options.derive !== false && tier === 'minimal' && !child.phoneticNames) {
    const keys = phoneticNamesOf([summary.child.name, ...(summary.child.aliases ?? [])]);
    if (keys.length > 0) child.phoneticNames = keys;
  }
  if (tier === 'minimal') {
    if ('years' in summary.child.age) dropped.push('child.age.years');
    child.age = ageBand(summary.child.age);
  }
  const { description, ...coarse } = summary.place;
  const place = tier === 'minimal' ? coarse : summary.place;
  if (tier === 'minimal' && description !== undefined) dropped.push('place.description');
  const { guardians, ...rest } = summary;
  if (guardians !== undefined && tier !== 'full') dropped.push('guardians');
  return {
    summary: {
      ...rest,
      child: child as Child,
      place,
      ...(guardians !== undefined && tier === 'full' ? { guardians } : {}),
    },
    dropped,
  };
}

/** An exact age as a band of AGE_BAND_YEARS each way; an estimate is already a band. */
function ageBand(age: Child['age']): Child['age'] {
  if (!('years' in age)) return age;
  return {
    estimateMin: Math.max(0, age.years - AGE_BAND_YEARS),
    estimateMax: Math.min(MAX_AGE, age.years + AGE_BAND_YEARS),
  };
}
