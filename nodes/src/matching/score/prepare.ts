// A profile parsed once for scoring: name tokens with their latin and phonetic keys, mark
// concepts, the place reduced to keys, languages normalised and the event date as a day number.
// The DB side prepares each profile once and scores it against many candidates.
import type { MatchProfile } from '../profile.ts';
import { markConcepts } from '../text/index.ts';
import { type PreparedName, prepareNames } from './names.ts';
import { type PreparedPlace, preparePlace } from './place.ts';

export type PreparedProfile = MatchProfile & {
  prepared: {
    names: PreparedName[];
    guardians: PreparedName[];
    place: PreparedPlace;
    /** Concepts of the identifying marks: 'mole', 'mole@cheek', 'mole@cheek@left'. */
    marks: ReadonlySet<string>;
    /** ISO 639-1 codes where one exists ('ben' → 'bn'), lower case, no region. */
    languages: ReadonlySet<string>;
    /** Days since 1970-01-01 of the event date; undefined when the date is not a real date. */
    eventDay: number | undefined;
  };
};

export function prepareProfile(profile: MatchProfile): PreparedProfile {
  return {
    ...profile,
    prepared: {
      names: prepareNames(profile.names),
      guardians: prepareNames(profile.guardianNames),
      place: preparePlace(profile.place),
      marks: new Set(profile.marks.length > 0 ? markConcepts(profile.marks) : []),
      languages: new Set(profile.languages.map(normaliseLanguage).filter((code) => code !== '')),
      eventDay: dayNumber(profile.eventDate),
    },
  };
}

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date, or undefined for anything else (2024-02-30). */
export function dayNumber(date: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  return ms / MS_PER_DAY;
}

/** ISO 639-2/3 codes of the region's languages, to their 639-1 code, so 'ben' meets 'bn'. */
const TWO_LETTER: Record<string, string> = {
  ben: 'bn',
  hin: 'hi',
  nep: 'ne',
  npi: 'ne',
  urd: 'ur',
  eng: 'en',
  asm: 'as',
  ori: 'or',
  ory: 'or',
  pan: 'pa',
  guj: 'gu',
  mar: 'mr',
  tam: 'ta',
  tel: 'te',
  kan: 'kn',
  mal: 'ml',
  snd: 'sd',
  sin: 'si',
  bod: 'bo',
  tib: 'bo',
  mya: 'my',
  bur: 'my',
};

function normaliseLanguage(code: string): string {
  const base = code.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return TWO_LETTER[base] ?? base;
}
