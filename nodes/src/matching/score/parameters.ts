// The model's parameters: for every field level, m = P(level | same child) and u = P(level |
// different children), and the prior share of same-child pairs among blocked candidates. The
// defaults are hand-set from what reports in the region look like; EM over the node's own
// candidates or officers' decisions replace them (estimate.ts).
import type { FieldName } from './fields.ts';

export type LevelParameters = { m: number; u: number };

export type ModelParameters = {
  version: number;
  /** ISO 8601. */
  estimatedAt: string;
  source: 'default' | 'em' | 'labelled';
  /** Share of blocked candidate pairs that are the same child. */
  priorMatchProbability: number;
  fields: Record<FieldName, Record<string, LevelParameters>>;
};

/** Probability thresholds: a candidate at or above `review` is shown to officers; `alert` alerts the owners. */
export const DEFAULT_THRESHOLDS = { review: 0.5, alert: 0.9 } as const;
export type Thresholds = { review: number; alert: number };

/** 'unknown' carries no evidence: m = u, weight 0. */
const NEUTRAL: LevelParameters = { m: 1, u: 1 };

/**
 * Hand-set starting point. Per field the m values of the known levels sum to 1, and so do the u
 * values. m is what a node uses until officers have confirmed enough pairs (train.ts), so it
 * decides how look-alikes with the same common name are told apart: an m set too high for a
 * disagreeing level lets a look-alike that agrees on that field win on it. Reasoning, briefly:
 * - name: found children often give a given name only or a pet name, so given-name-only levels
 *   keep much of m (a quarter on the given name alone); an exact full name among different
 *   children is rare (u 1 in 2,000); no name in common at all, where both reports have names, is
 *   a clerk's or a child's slip (3%).
 * - guardian: often absent on the found side (then unknown); a child may name an uncle or the
 *   mother where the report names the father, so 'different' is only mildly against; a guardian
 *   name that is only similar (fuzzy) is mostly another person.
 * - sex: recording errors happen (m of 'different' 3%), so it is strong but not absolute.
 * - age: estimates of found children are rough, but rarely by more than the tolerance plus a few
 *   years: 'off by 3–4' keeps 4.5%, 'far' half a per cent (never a block).
 * - time: most children are found within three months, most of the rest within the year; more
 *   than three years is unusual (2.5%); a found date before the last-seen date happens only by a
 *   data error (1.5%).
 * - place: children are moved, often along known routes (corridor keeps an eighth of true
 *   matches); same country but another state and no known route is less usual, another country
 *   off every known route rarer still.
 * - languages: a child keeps its language; disjoint lists are a recording gap (4%).
 * - marks: the same mark at the same place and side is rare by chance; a mark does not go away,
 *   so when both reports list marks they mostly share one (different observers note different
 *   marks: 'none in common' keeps 7%). Both reports placing the same kind of mark at different
 *   places (or sides) is mostly two children: a second mole noted by one observer, or left and
 *   right taken from the observer's side, keep a few per cent.
 * - height: a measured height grows predictably; more than 15 cm off the expected growth is a
 *   measuring or recording error (3%).
 * - The u here are for pairs drawn at random; a node's u come from its blocked pairs (train.ts).
 */
export const DEFAULT_PARAMETERS: ModelParameters = {
  // 2: time gained 'found_after_months' (91 days to a year); 'found_after_later' is 1 to 3 years.
  // 3: marks gained 'same_kind_elsewhere' and 'same_mark_place_other_side'; m of disagreeing levels
  // lowered (see above).
  version: 3,
  estimatedAt: '2026-11-28T00:00:00.000Z',
  source: 'default',
  priorMatchProbability: 0.001,
  fields: {
    name: {
      exact_full: { m: 0.45, u: 0.0005 },
      'surname_class+given_phonetic': { m: 0.17, u: 0.0006 },
      given_phonetic: { m: 0.23, u: 0.004 },
      given_fuzzy: { m: 0.03, u: 0.01 },
      alias_or_pet_name: { m: 0.05, u: 0.01 },
      'given_phonetic+surname_different': { m: 0.015, u: 0.005 },
      pet_name_only: { m: 0.025, u: 0.04 },
      different: { m: 0.03, u: 0.9299 },
      unknown: NEUTRAL,
    },
    guardian: {
      exact: { m: 0.25, u: 0.001 },
      phonetic: { m: 0.3, u: 0.003 },
      fuzzy: { m: 0.03, u: 0.01 },
      different: { m: 0.42, u: 0.986 },
      unknown: NEUTRAL,
    },
    sex: {
      same: { m: 0.97, u: 0.5 },
      different: { m: 0.03, u: 0.5 },
      unknown: NEUTRAL,
    },
    age: {
      inside: { m: 0.76, u: 0.15 },
      near: { m: 0.19, u: 0.15 },
      off_by_3_4: { m: 0.045, u: 0.2 },
      far: { m: 0.005, u: 0.5 },
      unknown: NEUTRAL,
    },
    time: {
      found_after_soon: { m: 0.62, u: 0.1 },
      found_after_months: { m: 0.22, u: 0.12 },
      found_after_later: { m: 0.12, u: 0.23 },
      found_after_long: { m: 0.025, u: 0.15 },
      found_before: { m: 0.015, u: 0.4 },
      unknown: NEUTRAL,
    },
    place: {
      same_district: { m: 0.36, u: 0.03 },
      same_state: { m: 0.26, u: 0.12 },
      near_100km: { m: 0.07, u: 0.02 },
      corridor: { m: 0.12, u: 0.02 },
      same_country: { m: 0.135, u: 0.45 },
      different: { m: 0.055, u: 0.36 },
      unknown: NEUTRAL,
    },
    languages: {
      overlap: { m: 0.96, u: 0.6 },
      disjoint: { m: 0.04, u: 0.4 },
      unknown: NEUTRAL,
    },
    marks: {
      same_mark_place_side: { m: 0.4, u: 0.005 },
      same_mark_place: { m: 0.38, u: 0.015 },
      same_mark_place_other_side: { m: 0.03, u: 0.005 },
      same_kind: { m: 0.1, u: 0.1 },
      same_kind_elsewhere: { m: 0.02, u: 0.15 },
      none_in_common: { m: 0.07, u: 0.725 },
      unknown: NEUTRAL,
    },
    height: {
      consistent: { m: 0.85, u: 0.35 },
      near: { m: 0.12, u: 0.3 },
      far: { m: 0.03, u: 0.35 },
      unknown: NEUTRAL,
    },
  },
};
