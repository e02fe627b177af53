// What the matcher stores about a report to find its candidates: the blocking keys (match_keys),
// the estimated birth month they are ordered by, the transliterated name for trigram similarity,
// the phonetic name keys for term frequencies, and the digest of the material fields. Plain
// functions, no I/O.
//
// Rules (a candidate must share at least one key, or a similar transliterated name):
//   name      phonetic key of each name token (or its surname class), with sex
//   local     phonetic key of each name token, with the state (a common name within one state)
//   pair      the phonetic keys of first and last token, order-free (name order swaps), with sex
//   guardian  phonetic key of each guardian name token, with the state (or country)
//   area      district with sex and 4-year birth band
//   when      phonetic key of each name token, with sex and the quarter of the event: most children
//             are found within months, wherever they are taken, so a common name read nationwide
//             around one quarter is a short list (a found report also carries the two quarters
//             before its own, a missing report only its own)
//   kin       the guardian's first and last phonetic keys, order-free, anywhere: a parent's full
//             name is rare enough to block on without a place, and a child moved across a border
//             is often found with only a pet name but still names the parent
//   unnamed   for a found report with no formal name (none, or pet names only), and every missing
//             report: sex, 4-year birth band and quarter of the event, with the state
// Places are keyed as the scorer reads them (transliterated, aliases resolved), so "सर्लाही" and
// "Sarlahi" are one district.
// Ages never block: a name key is read in order of birth-month distance, so its cap keeps the
// closest ages first, and the area rule covers every band the age range (with tolerance) touches.
import { digestOf } from '@khoj/contracts';
import type { MatchProfile, MatchSex } from './profile.ts';
import type { PreparedProfile } from './score/index.ts';

export type BlockingRule = 'name' | 'local' | 'pair' | 'guardian' | 'area' | 'when' | 'kin' | 'unnamed';
export type BlockingKey = { rule: BlockingRule; key: string };

/** Width of an age band, in months. */
const BAND_MONTHS = 48;
/** How far an age may be off, in months, beyond the range a report gives. */
const EXACT_TOLERANCE_MONTHS = 12;
const ESTIMATE_TOLERANCE_MONTHS = 24;
/** Assumed age (years) when a report gives none: only orders capped reads, never excludes. */
const UNKNOWN_AGE_YEARS = 10;
/** Shorter phonetic keys (initials) would tie together most of the node. */
const MIN_KEY_LENGTH = 2;
/** Quarters before its own a found report is keyed under (found up to about half a year later). */
const FOUND_QUARTERS_BACK = 2;

export type ProfileKeys = {
  birth: number;
  keys: BlockingKey[];
  latinName: string;
  nameKeys: string[];
  digest: string;
};

/** The keys of a prepared profile (its names are parsed once, for keys and scoring alike). */
export function profileKeys(profile: PreparedProfile): ProfileKeys {
  const sexes = sexCodes(profile.sex);
  const keys = new Map<string, BlockingKey>();
  const add = (rule: BlockingRule, key: string) => keys.set(`${rule}\u0000${key}`, { rule, key });
  const latinWords: string[] = [];
  const nameKeys = new Set<string>();
  const { country, state, district } = profile.prepared.place;
  const region = `${country}:${state?.key ?? ''}`;

  const quarters = eventQuarters(profile);
  let formalNames = 0;
  for (const name of profile.prepared.names) {
    const tokens = name.tokens.filter((token) => token.phonetic.length >= MIN_KEY_LENGTH);
    for (const token of tokens) {
      latinWords.push(token.latin);
      nameKeys.add(token.phonetic);
      for (const sex of sexes) {
        add('name', `${sex}:${token.phonetic}`);
        if (token.surnameClass) add('name', `${sex}:~${token.surnameClass}`);
      }
      if (state) add('local', `${region}:${token.phonetic}`);
      for (const quarter of quarters)
        for (const sex of sexes) add('when', `${sex}:${quarter}:${token.phonetic}`);
    }
    const formal = tokens.filter((token) => !token.petName);
    formalNames += formal.length;
    const first = formal[0];
    const last = formal.at(-1);
    if (first && last && first.phonetic !== last.phonetic) {
      const pair = [first.phonetic, last.phonetic].sort().join('+');
      for (const sex of sexes) add('pair', `${sex}:${pair}`);
    }
  }

  for (const guardian of profile.prepared.guardians) {
    const tokens = guardian.tokens.filter((token) => token.phonetic.length >= MIN_KEY_LENGTH);
    for (const token of tokens) add('guardian', `${region}:${token.phonetic}`);
    const first = tokens[0];
    const last = tokens.at(-1);
    if (first && last && first.phonetic !== last.phonetic) {
      const keyOf = (token: typeof first) => (token.surnameClass ? `~${token.surnameClass}` : token.phonetic);
      add('kin', [keyOf(first), keyOf(last)].sort().join('+'));
    }
  }

  const { low, high } = birthInterval(profile);
  if (profile.side === 'missing' || formalNames === 0) {
    for (let band = Math.floor(low / BAND_MONTHS); band <= Math.floor(high / BAND_MONTHS); band++) {
      for (const sex of sexes)
        for (const quarter of quarters) add('unnamed', `${region}:${sex}:${band}:${quarter}`);
    }
  }
  if (district) {
    const area = `${region}:${district.key}`;
    for (let band = Math.floor(low / BAND_MONTHS); band <= Math.floor(high / BAND_MONTHS); band++) {
      for (const sex of sexes) add('area', `${area}:${sex}:${band}`);
    }
  }

  return {
    birth: birthMonth(profile),
    keys: [...keys.values()],
    latinName: [...new Set(latinWords)].join(' '),
    nameKeys: [...nameKeys],
    digest: materialDigest(profile),
  };
}

/**
 * The quarters (since 1970) a report is keyed under for the time rules: a missing report its
 * own; a found report its own and the ones before, when its child may have gone missing.
 */
function eventQuarters(profile: Pick<MatchProfile, 'eventDate' | 'side'>): number[] {
  const quarter = Math.floor(monthIndex(profile.eventDate) / 3);
  if (!Number.isFinite(quarter)) return [];
  if (profile.side === 'missing') return [quarter];
  return Array.from({ length: FOUND_QUARTERS_BACK + 1 }, (_, back) => quarter - back);
}

/** A report of unknown sex may be either: it carries the keys of both. */
function sexCodes(sex: MatchSex): string[] {
  if (sex === 'female') return ['f'];
  if (sex === 'male') return ['m'];
  return ['f', 'm'];
}

/** Months since 1970-01 of a YYYY-MM-DD date. */
export function monthIndex(date: string): number {
  return (Number(date.slice(0, 4)) - 1970) * 12 + Number(date.slice(5, 7)) - 1;
}

/** The months the child may have been born in, widened by the tolerance for the age's kind. */
export function birthInterval(profile: Pick<MatchProfile, 'age' | 'eventDate'>): {
  low: number;
  high: number;
} {
  const event = monthIndex(profile.eventDate);
  const age = profile.age ?? { min: UNKNOWN_AGE_YEARS, max: UNKNOWN_AGE_YEARS, estimated: true };
  const tolerance = age.estimated ? ESTIMATE_TOLERANCE_MONTHS : EXACT_TOLERANCE_MONTHS;
  // Aged N whole years at the event: born between N+1 years (less a month) and N years before it.
  return { low: event - (age.max + 1) * 12 + 1 - tolerance, high: event - age.min * 12 + tolerance };
}

/** The middle of the birth interval: what capped key reads are ordered by. */
export function birthMonth(profile: Pick<MatchProfile, 'age' | 'eventDate'>): number {
  const { low, high } = birthInterval(profile);
  return Math.round((low + high) / 2);
}

/**
 * The fields whose change may turn a rejected pair into a match: names, sex, age, date, place,
 * guardians and marks (languages and height are refinements, not reasons to ask again).
 */
export function materialDigest(profile: MatchProfile): string {
  return digestOf({
    side: profile.side,
    sex: profile.sex,
    names: profile.names,
    guardianNames: profile.guardianNames,
    age: profile.age ?? null,
    eventDate: profile.eventDate,
    place: profile.place,
    marks: profile.marks,
  });
}
