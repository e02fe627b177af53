// Match profiles from what the node holds: a case row of this node, or a line of an interchange
// file. Plain functions, no I/O. Whatever a report does not say stays absent (unknown), never
// empty-but-present, so the scorer treats it as no evidence rather than as a disagreement.
import type { CaseRow } from '../db/schema/index.ts';
import type { InterchangeRecord } from '../interchange/record.ts';
import type { AgeRange, MatchPlace, MatchProfile } from './profile.ts';

export function profileFromCase(row: CaseRow): MatchProfile {
  const { child } = row;
  return {
    id: row.id,
    side: row.kind,
    sex: child.sex,
    names: present([child.name, ...(child.aliases ?? [])]),
    guardianNames: present((row.missing?.guardians ?? []).map((guardian) => guardian.name)),
    age:
      'years' in child.age
        ? { min: child.age.years, max: child.age.years, estimated: false }
        : { min: child.age.estimateMin, max: child.age.estimateMax, estimated: true },
    eventDate: row.eventDate,
    place: place(row.country, row.state, row.district),
    languages: child.languages ?? [],
    marks: present(child.identifyingMarks ?? []),
    heightCm: child.heightCm,
  };
}

/** A line of `khoj match run`'s input: its `id` is the profile's id. */
export function profileFromRecord(record: InterchangeRecord): MatchProfile {
  const age: AgeRange =
    record.ageYears !== undefined
      ? { min: record.ageYears, max: record.ageYears, estimated: false }
      : { min: record.ageEstimateMin, max: record.ageEstimateMax, estimated: true };
  return {
    id: record.id,
    side: record.kind,
    sex: record.sex,
    names: present([record.name, ...(record.aliases ?? [])]),
    // A found child sometimes names a parent; the format carries it for either side.
    guardianNames: present([record.guardianName]),
    age,
    eventDate: record.eventDate,
    place: place(record.country, record.state, record.district),
    languages: record.languages ?? [],
    marks: present(record.identifyingMarks ?? []),
    heightCm: record.heightCm,
  };
}

function place(
  country: string,
  state: string | null | undefined,
  district: string | null | undefined,
): MatchPlace {
  return { country, ...(state ? { state } : {}), ...(district ? { district } : {}) };
}

/** Non-blank texts, each once, in their first order. */
function present(texts: (string | null | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const text of texts) {
    const trimmed = text?.trim();
    if (trimmed) seen.add(trimmed);
  }
  return [...seen];
}
