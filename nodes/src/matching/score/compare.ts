// A missing report against a found report, field by field: one level per field, each with a line
// an officer can read. Nothing here excludes a pair — a found date before the last-seen date or an
// age far off are levels with (strongly) negative weights, because reports carry mistakes.
import type { AgeRange } from '../profile.ts';
import { SELF_PLACED_KINDS } from '../text/index.ts';
import { type Detail, type FieldComparison, levelOnly } from './fields.ts';
import { oneDecimal } from './format.ts';
import { compareChildNames, compareGuardianNames } from './names.ts';
import { comparePlaces, type PlaceOptions } from './place.ts';
import type { PreparedProfile } from './prepare.ts';

export type CompareOptions = PlaceOptions;

/** One comparison per field, in the order of FIELD_NAMES; with `level-only`, without their text. */
export function compareProfiles(
  missing: PreparedProfile,
  found: PreparedProfile,
  options?: CompareOptions,
  detail: Detail = 'describe',
): FieldComparison[] {
  const m = missing.prepared;
  const f = found.prepared;
  const elapsedDays =
    m.eventDay !== undefined && f.eventDay !== undefined ? f.eventDay - m.eventDay : undefined;
  return [
    compareChildNames(m.names, f.names, detail),
    compareGuardianNames(m.guardians, f.guardians, detail),
    compareSex(missing.sex, found.sex, detail),
    compareAge(missing.age, found.age, elapsedDays, detail),
    compareTime(elapsedDays, detail),
    comparePlaces(m.place, f.place, options, detail),
    compareLanguages(m.languages, f.languages, detail),
    compareMarks(m.marks, f.marks, detail),
    compareHeight(missing, found, elapsedDays, detail),
  ];
}

export function compareSex(missing: string, found: string, detail: Detail = 'describe'): FieldComparison {
  const field = 'sex';
  // 'other' is recorded for children whom the other report may have written either way.
  if (missing === 'unknown' || found === 'unknown' || (missing === 'other') !== (found === 'other')) {
    if (detail === 'level-only') return levelOnly(field, 'unknown');
    return { field, level: 'unknown', detail: `sex ${missing} / ${found}: no evidence` };
  }
  if (detail === 'level-only') return levelOnly(field, missing === found ? 'same' : 'different');
  return missing === found
    ? { field, level: 'same', detail: `both ${missing}` }
    : { field, level: 'different', detail: `${missing} / ${found}` };
}

export const DAYS_PER_YEAR = 365.2425;
/** Tolerance (years) around an age given exactly: families round, and birthdays pass. */
const EXACT_AGE_TOLERANCE = 1;
/** Tolerance around an estimate: 2 years plus 10% of the age, as estimates of older children err more. */
const ESTIMATE_TOLERANCE_BASE = 2;
const ESTIMATE_TOLERANCE_SHARE = 0.1;
/** Beyond the tolerance by at most this many years: off, but not far off. */
const OFF_BY_EXTRA_YEARS = 3;

/**
 * The missing child's age moved on to the found date, against the found report's age. Ages are
 * whole years, so "9" covers 9.0 to 10.0; the found range is widened by its tolerance (and one
 * more year when the missing report's age is itself an estimate).
 */
export function compareAge(
  missing: AgeRange | undefined,
  found: AgeRange | undefined,
  elapsedDays: number | undefined,
  detail: Detail = 'describe',
): FieldComparison {
  const field = 'age';
  if (!missing || !found) {
    if (detail === 'level-only') return levelOnly(field, 'unknown');
    return {
      field,
      level: 'unknown',
      detail: `age not known on the ${missing ? 'found' : 'missing'} report`,
    };
  }
  if (elapsedDays === undefined)
    return { field, level: 'unknown', detail: 'a date is missing or not a real date' };
  const elapsed = elapsedDays / DAYS_PER_YEAR;
  const expectedLow = missing.min + elapsed;
  const expectedHigh = missing.max + 1 + elapsed;
  // Ranges that only touch (10 and 11 on the same day) are near, not inside.
  const overlap = Math.min(expectedHigh, found.max + 1) - Math.max(expectedLow, found.min);
  const gap = Math.max(0, -overlap);
  const tolerance =
    (found.estimated ? ESTIMATE_TOLERANCE_BASE + ESTIMATE_TOLERANCE_SHARE * found.max : EXACT_AGE_TOLERANCE) +
    (missing.estimated ? 1 : 0);
  const level =
    overlap > 0
      ? 'inside'
      : gap <= tolerance
        ? 'near'
        : gap <= tolerance + OFF_BY_EXTRA_YEARS
          ? 'off_by_3_4'
          : 'far';
  if (detail === 'level-only') return levelOnly(field, level);
  const expected = `${oneDecimal(expectedLow)}–${oneDecimal(expectedHigh)}`;
  const moved = `${ageText(missing)} when last seen, ${oneDecimal(elapsed)} years before`;
  const off =
    overlap > 0 ? 'within the range' : `${oneDecimal(gap)} years off (tolerance ${oneDecimal(tolerance)})`;
  return { field, level, detail: `expected ${expected} (${moved}); found ${ageText(found)}: ${off}` };
}

function ageText(age: AgeRange): string {
  const years = age.min === age.max ? `${age.min}` : `${age.min}–${age.max}`;
  return age.estimated ? `estimated ${years}` : years;
}

/**
 * Days up to which a found date is "soon" after the last-seen date, then "within months" (most
 * children who are found at all are found within the year), then "later".
 */
const SOON_DAYS = 90;
const MONTHS_DAYS = DAYS_PER_YEAR;
const LATER_DAYS = 3 * DAYS_PER_YEAR;
/**
 * A found date at most this many days before the last-seen date is taken for a date slip (a
 * report dated the day it was filed, a time zone) rather than evidence against.
 */
const DATE_SLIP_DAYS = 2;

export function compareTime(elapsedDays: number | undefined, detail: Detail = 'describe'): FieldComparison {
  const field = 'time';
  if (elapsedDays === undefined)
    return { field, level: 'unknown', detail: 'a date is missing or not a real date' };
  const level = timeLevel(elapsedDays);
  if (detail === 'level-only') return levelOnly(field, level);
  if (level === 'found_before') {
    return { field, level, detail: `found ${daysText(-elapsedDays)} BEFORE last seen` };
  }
  return { field, level, detail: `found ${daysText(Math.max(0, elapsedDays))} after last seen` };
}

function timeLevel(elapsedDays: number): string {
  if (elapsedDays < -DATE_SLIP_DAYS) return 'found_before';
  if (elapsedDays <= SOON_DAYS) return 'found_after_soon';
  if (elapsedDays <= MONTHS_DAYS) return 'found_after_months';
  if (elapsedDays <= LATER_DAYS) return 'found_after_later';
  return 'found_after_long';
}

function daysText(days: number): string {
  if (days < 2 * SOON_DAYS) return days === 1 ? '1 day' : `${days} days`;
  return `${oneDecimal(days / DAYS_PER_YEAR)} years`;
}

export function compareLanguages(
  missing: ReadonlySet<string>,
  found: ReadonlySet<string>,
  detail: Detail = 'describe',
): FieldComparison {
  const field = 'languages';
  if (missing.size === 0 || found.size === 0) {
    return { field, level: 'unknown', detail: 'languages not known on one side' };
  }
  if (detail === 'level-only') {
    for (const code of missing) if (found.has(code)) return levelOnly(field, 'overlap');
    return levelOnly(field, 'disjoint');
  }
  const shared = [...missing].filter((code) => found.has(code));
  return shared.length > 0
    ? { field, level: 'overlap', detail: `both speak ${shared.join(', ')}` }
    : {
        field,
        level: 'disjoint',
        detail: `${[...missing].join(', ')} / ${[...found].join(', ')}: none shared`,
      };
}

/**
 * Mark concepts are 'kind', 'kind@place', 'kind@place@side': the deepest shared one decides. A
 * mark does not move, so when both reports place the shared kind (or side) and no place (or side)
 * agrees, the marks are more likely two children's than one child's: the level says so, apart
 * from a place or side one report leaves unstated.
 */
export function compareMarks(
  missing: ReadonlySet<string>,
  found: ReadonlySet<string>,
  detail: Detail = 'describe',
): FieldComparison {
  const field = 'marks';
  if (missing.size === 0 || found.size === 0) {
    return { field, level: 'unknown', detail: 'no recognised marks on one side' };
  }
  let deepest: string | undefined;
  let depth = -1;
  for (const concept of missing) {
    if (!found.has(concept)) continue;
    const parts = conceptDepth(concept);
    if (parts > depth) {
      depth = parts;
      deepest = concept;
    }
  }
  if (deepest === undefined) {
    if (detail === 'level-only') return levelOnly(field, 'none_in_common');
    return {
      field,
      level: 'none_in_common',
      detail: `no mark in common: ${markList(missing)} / ${markList(found)}`,
    };
  }
  // A missing front tooth or a squint has no other place to be at: the kind is the whole mark.
  const placed = depth === 0 && SELF_PLACED_KINDS.has(deepest) ? 1 : depth;
  if (placed === 0 && bothRefine(deepest, missing, found)) {
    if (detail === 'level-only') return levelOnly(field, 'same_kind_elsewhere');
    return {
      field,
      level: 'same_kind_elsewhere',
      detail: `${deepest} at different places: ${markList(missing)} / ${markList(found)}`,
    };
  }
  if (placed === 1 && depth === 1 && bothRefine(deepest, missing, found)) {
    if (detail === 'level-only') return levelOnly(field, 'same_mark_place_other_side');
    return {
      field,
      level: 'same_mark_place_other_side',
      detail: `${markText(deepest)} on different sides: ${markList(missing)} / ${markList(found)}`,
    };
  }
  const level = placed >= 2 ? 'same_mark_place_side' : placed === 1 ? 'same_mark_place' : 'same_kind';
  if (detail === 'level-only') return levelOnly(field, level);
  return { field, level, detail: `both: ${markText(deepest)}` };
}

/** How many '@' a concept has: 0 for a kind, 1 for kind@place, 2 for kind@place@side. */
function conceptDepth(concept: string): number {
  let depth = 0;
  for (let at = concept.indexOf('@'); at !== -1; at = concept.indexOf('@', at + 1)) depth++;
  return depth;
}

/** Whether both reports say more about `concept` (a place for a kind, a side for a place). */
function bothRefine(concept: string, missing: ReadonlySet<string>, found: ReadonlySet<string>): boolean {
  return refines(concept, missing) && refines(concept, found);
}

/** Whether one of `concepts` is `concept@…`, without building the prefix (called for every pair). */
function refines(concept: string, concepts: ReadonlySet<string>): boolean {
  for (const other of concepts) {
    if (other.length > concept.length && other.charCodeAt(concept.length) === 64 && other.startsWith(concept))
      return true;
  }
  return false;
}

function markText(concept: string): string {
  const [kind, place, side] = concept.split('@');
  if (!place) return kind ?? concept;
  return `${kind} on ${side ? `${side} ` : ''}${place}`;
}

/** The most specific concepts only ('mole on left cheek', not also 'mole'). */
function markList(concepts: ReadonlySet<string>): string {
  const all = [...concepts];
  const specific = all.filter(
    (concept) => !all.some((other) => other !== concept && other.startsWith(`${concept}@`)),
  );
  return specific.map(markText).join(', ');
}

/** Height growth, cm per year, by age: fast in early childhood and puberty, little after 15. */
const GROWTH_BANDS: readonly { until: number; cmPerYear: number }[] = [
  { until: 5, cmPerYear: 7 },
  { until: 12, cmPerYear: 5.5 },
  { until: 15, cmPerYear: 7 },
  { until: 17, cmPerYear: 3 },
  { until: Number.POSITIVE_INFINITY, cmPerYear: 0.5 },
];
/** Age assumed for growth when neither report gives one. */
const UNKNOWN_AGE_YEARS = 10;
const HEIGHT_CONSISTENT_CM = 8;
const HEIGHT_NEAR_CM = 15;

/** Expected growth (cm) from `age` over `years` (negative years: shrinking back in time). */
export function expectedGrowthCm(age: number, years: number): number {
  if (years < 0) return -expectedGrowthCm(age + years, -years);
  let growth = 0;
  let from = age;
  const to = age + years;
  for (const band of GROWTH_BANDS) {
    if (from >= to) break;
    if (from >= band.until) continue;
    const end = Math.min(to, band.until);
    growth += (end - from) * band.cmPerYear;
    from = end;
  }
  return growth;
}

export function compareHeight(
  missing: PreparedProfile,
  found: PreparedProfile,
  elapsedDays: number | undefined,
  detail: Detail = 'describe',
): FieldComparison {
  const field = 'height';
  if (missing.heightCm === undefined || found.heightCm === undefined || elapsedDays === undefined) {
    return { field, level: 'unknown', detail: 'height not known on one side' };
  }
  const elapsed = elapsedDays / DAYS_PER_YEAR;
  const age = missing.age
    ? (missing.age.min + missing.age.max + 1) / 2
    : found.age
      ? (found.age.min + found.age.max + 1) / 2 - elapsed
      : UNKNOWN_AGE_YEARS;
  const growth = expectedGrowthCm(Math.max(0, age), elapsed);
  const expected = missing.heightCm + growth;
  const off = Math.abs(found.heightCm - expected);
  const level = off <= HEIGHT_CONSISTENT_CM ? 'consistent' : off <= HEIGHT_NEAR_CM ? 'near' : 'far';
  if (detail === 'level-only') return levelOnly(field, level);
  return {
    field,
    level,
    detail:
      `expected about ${Math.round(expected)} cm (${missing.heightCm} cm + ${oneDecimal(growth)} cm growth in ` +
      `${oneDecimal(elapsed)} years); found ${found.heightCm} cm`,
  };
}
