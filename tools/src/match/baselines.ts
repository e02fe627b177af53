// Two naive matchers that any real engine must beat, run on the same files and scored the same
// way: (a) exact — the same Latin-script name, the same sex, and ages within two years; (b) fuzzy —
// Jaro–Winkler similarity ≥ 0.85 of the Latin-script names, nothing else. Names in other scripts
// never match: that is what a matcher without transliteration does. Written here on purpose,
// independent of the engine in nodes/src/matching, so the comparison means something.
import type { Candidate } from './evaluate.ts';

/** The fields the baselines look at, as they appear in an interchange record. */
export interface BaselineReport {
  readonly id: string;
  readonly name?: string;
  readonly sex: string;
  readonly eventDate: string;
  readonly ageYears?: number;
  readonly ageEstimateMin?: number;
  readonly ageEstimateMax?: number;
}

export type BaselineKind = 'exact' | 'fuzzy';

/** How many candidates a found report gets at most. */
export const TOP_CANDIDATES = 10;
export const FUZZY_THRESHOLD = 0.85;
/** Years the exact baseline lets the ages differ by. */
export const AGE_TOLERANCE = 2;

const LATIN_NAME = /^[\p{Script=Latin}\s.'’-]+$/u;

/** The name lowercased with whitespace collapsed, or undefined when absent or not in Latin script. */
export function latinName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const normalised = name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  return normalised !== '' && LATIN_NAME.test(normalised) ? normalised : undefined;
}

const DAY_MS = 86_400_000;
const yearsBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS / 365.25;

/** The report's age in years: stated, or the midpoint of the estimate. */
export function ageOf(report: BaselineReport): number | undefined {
  if (report.ageYears !== undefined) return report.ageYears;
  if (report.ageEstimateMin !== undefined && report.ageEstimateMax !== undefined) {
    return (report.ageEstimateMin + report.ageEstimateMax) / 2;
  }
  return undefined;
}

/** |missing age carried forward to the found date − found age|, in years. */
export function ageGap(missing: BaselineReport, found: BaselineReport): number | undefined {
  const missingAge = ageOf(missing);
  const foundAge = ageOf(found);
  if (missingAge === undefined || foundAge === undefined) return undefined;
  return Math.abs(missingAge + yearsBetween(missing.eventDate, found.eventDate) - foundAge);
}

/**
 * Jaro–Winkler similarity in [0, 1]: Jaro's matching characters within a window and their
 * transpositions, plus Winkler's bonus of 0.1 per common leading character (up to 4) when the
 * Jaro similarity is above 0.7.
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Uint8Array(a.length);
  const bMatched = new Uint8Array(b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a.charCodeAt(i) !== b.charCodeAt(j)) continue;
      aMatched[i] = 1;
      bMatched[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let outOfOrder = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) outOfOrder++;
    k++;
  }
  const transpositions = outOfOrder / 2;
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions) / matches) / 3;
  if (jaro <= 0.7) return jaro;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

interface IndexedMissing {
  readonly report: BaselineReport;
  readonly name: string;
}

/** Best first; equal scores by missing id, so runs are reproducible. */
function topCandidates(candidates: Candidate[]): Candidate[] {
  return candidates
    .sort((x, y) => y.score - x.score || (x.missingId < y.missingId ? -1 : x.missingId > y.missingId ? 1 : 0))
    .slice(0, TOP_CANDIDATES);
}

const round = (score: number) => Math.round(score * 1e4) / 1e4;

/** A baseline matcher over an index of the missing reports. */
export interface Baseline {
  candidatesFor(found: BaselineReport): Candidate[];
}

/** Exact: equal Latin names, same sex, ages within two years. Score 1 − gap/10, so closer ages rank first. */
export function exactBaseline(missing: Iterable<BaselineReport>): Baseline {
  const byName = new Map<string, IndexedMissing[]>();
  for (const report of missing) {
    const name = latinName(report.name);
    if (name === undefined) continue;
    const list = byName.get(name);
    if (list) list.push({ report, name });
    else byName.set(name, [{ report, name }]);
  }
  return {
    candidatesFor(found) {
      const name = latinName(found.name);
      if (name === undefined) return [];
      const candidates: Candidate[] = [];
      for (const { report } of byName.get(name) ?? []) {
        if (report.sex !== found.sex) continue;
        const gap = ageGap(report, found);
        if (gap === undefined || gap > AGE_TOLERANCE) continue;
        candidates.push({
          foundId: found.id,
          missingId: report.id,
          score: round(1 - gap / 10),
          explanation: `exact name '${name}', same sex, ages ${gap.toFixed(1)} years apart`,
        });
      }
      return topCandidates(candidates);
    },
  };
}

/** Fuzzy: Jaro–Winkler ≥ 0.85 on the Latin names; score = the similarity. Compares names with the same first letter. */
export function fuzzyBaseline(missing: Iterable<BaselineReport>): Baseline {
  const byInitial = new Map<string, IndexedMissing[]>();
  for (const report of missing) {
    const name = latinName(report.name);
    if (name === undefined) continue;
    const initial = name.charAt(0);
    const list = byInitial.get(initial);
    if (list) list.push({ report, name });
    else byInitial.set(initial, [{ report, name }]);
  }
  return {
    candidatesFor(found) {
      const name = latinName(found.name);
      if (name === undefined) return [];
      const candidates: Candidate[] = [];
      for (const entry of byInitial.get(name.charAt(0)) ?? []) {
        const similarity = jaroWinkler(name, entry.name);
        if (similarity < FUZZY_THRESHOLD) continue;
        candidates.push({
          foundId: found.id,
          missingId: entry.report.id,
          score: round(similarity),
          explanation: `Jaro–Winkler ${similarity.toFixed(3)} between '${name}' and '${entry.name}'`,
        });
      }
      return topCandidates(candidates);
    },
  };
}

export function baseline(kind: BaselineKind, missing: Iterable<BaselineReport>): Baseline {
  return kind === 'exact' ? exactBaseline(missing) : fuzzyBaseline(missing);
}
