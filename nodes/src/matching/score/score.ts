// Fellegi–Sunter scoring: each field's level adds log2(m/u) bits of evidence to the prior
// log-odds, and the total becomes a probability. Name agreement is adjusted for how common the
// name is: agreeing on "Rahul" says less than agreeing on "Tuktuk".
import { type CompareOptions, compareProfiles } from './compare.ts';
import { type FieldComparison, type FieldName, UNKNOWN } from './fields.ts';
import { signed } from './format.ts';
import type { LevelParameters, ModelParameters } from './parameters.ts';
import type { PreparedProfile } from './prepare.ts';

/** Share (0..1) of the node's profiles whose names contain this phonetic key; undefined when not counted. */
export type NameFrequencies = (phoneticKey: string) => number | undefined;

export type ExplanationStep = {
  field: FieldName | 'prior';
  level: string;
  /** Bits of evidence, rounded to 0.1. */
  weight: number;
  /** "name: surname Debnath ≈ Devnath (same phonetic key), +6.1" */
  text: string;
  /** The same without the field and weight, for tables. */
  detail: string;
};

export type ScoredPair = {
  missingId: string;
  foundId: string;
  /** Total log2 odds (prior included), unrounded. */
  weight: number;
  probability: number;
  explanation: ExplanationStep[];
  /** The comparison vector, kept so that parameters can be re-estimated from stored candidates. */
  comparisons: FieldComparison[];
};

export type ScoreOptions = CompareOptions;

export function scorePair(
  missing: PreparedProfile,
  found: PreparedProfile,
  parameters: ModelParameters,
  frequencies?: NameFrequencies,
  options?: ScoreOptions,
): ScoredPair {
  const comparisons = compareProfiles(missing, found, options);
  const { weight, explanation } = scoreComparisons(comparisons, parameters, frequencies);
  return {
    missingId: missing.id,
    foundId: found.id,
    weight,
    probability: probabilityFromWeight(weight),
    explanation,
    comparisons,
  };
}

/**
 * The total weight scorePair gives the pair (prior included), from the levels alone: no text, no
 * explanation. For ranking many candidates and describing only the ones kept (`khoj match run`
 * scores millions of blocked pairs and keeps ten per found report); exactly scorePair's weight.
 */
export function pairWeight(
  missing: PreparedProfile,
  found: PreparedProfile,
  parameters: ModelParameters,
  frequencies?: NameFrequencies,
  options?: ScoreOptions,
): number {
  const comparisons = compareProfiles(missing, found, options, 'level-only');
  if (levelWeights?.parameters !== parameters) levelWeights = { parameters, weights: new Map() };
  const { weights } = levelWeights;
  let weight = weightFromProbability(parameters.priorMatchProbability);
  for (const comparison of comparisons) {
    if (comparison.level === UNKNOWN) continue; // no weight (fieldWeight's 0)
    // A name agreement is weighed by its name's frequency; every other comparison here is one of
    // levelOnly's shared objects, whose weight depends on the parameters only.
    if (comparison.frequencyKeys !== undefined) {
      weight += fieldWeight(comparison, parameters, frequencies);
      continue;
    }
    let known = weights.get(comparison);
    if (known === undefined) {
      known = fieldWeight(comparison, parameters, frequencies);
      weights.set(comparison, known);
    }
    weight += known;
  }
  return weight;
}

/**
 * The weight of each of levelOnly's comparisons under the parameters last used (parameters are
 * never changed in place): a field's level weighs the same in every pair.
 */
let levelWeights: { parameters: ModelParameters; weights: Map<FieldComparison, number> } | undefined;

/** Scores a comparison vector: for re-scoring stored candidates under new parameters. */
export function scoreComparisons(
  comparisons: readonly FieldComparison[],
  parameters: ModelParameters,
  frequencies?: NameFrequencies,
): { weight: number; explanation: ExplanationStep[] } {
  const prior = weightFromProbability(parameters.priorMatchProbability);
  const explanation: ExplanationStep[] = [priorStep(parameters, prior)];
  let weight = prior;
  for (const comparison of comparisons) {
    const step = fieldStep(comparison, parameters, frequencies);
    weight += step.exact;
    explanation.push(step.step);
  }
  return { weight, explanation };
}

/** log2 odds → probability. Monotone; 0 bits is 50%. */
export function probabilityFromWeight(weight: number): number {
  return 1 / (1 + 2 ** -weight);
}

/** Probability → log2 odds, with the probability kept off 0 and 1. */
export function weightFromProbability(probability: number): number {
  const p = Math.min(Math.max(probability, 1e-12), 1 - 1e-12);
  return Math.log2(p / (1 - p));
}

/** Name levels whose agreement is on a name itself (not a spelling similarity): adjusted for frequency. */
const FREQUENCY_ADJUSTED = new Set([
  'exact_full',
  'surname_class+given_phonetic',
  'given_phonetic',
  'alias_or_pet_name',
  'given_phonetic+surname_different',
]);
/**
 * Share of reports carrying one typical agreeing name token (a name key of a candidate pair).
 * A level's u is measured over all candidate pairs at that level, so it already holds the
 * typical name; a name is weighed by how much rarer or commoner it is than that: u × share /
 * TYPICAL_TOKEN_SHARE^tokens. About 1 in 150 reports carries a given token an agreeing pair
 * shares (common given names and surname classes dominate agreements).
 */
const TYPICAL_TOKEN_SHARE = 1 / 150;
/**
 * A name can move its level's evidence by at most this factor (2 bits) either way: frequencies
 * counted on a small node are noisy, a name never seen before has a share of 0, and look-alike
 * children with the same rare name exist.
 */
const FREQUENCY_MAX_GAIN = 4;

function fieldStep(
  comparison: FieldComparison,
  parameters: ModelParameters,
  frequencies: NameFrequencies | undefined,
): { exact: number; step: ExplanationStep } {
  const { field, level, detail } = comparison;
  const exact = fieldWeight(comparison, parameters, frequencies);
  if (level === UNKNOWN || !parameters.fields[field]?.[level]) {
    const note = level === UNKNOWN ? '' : ` (level ${level} not in the model: no weight)`;
    return { exact, step: stepOf(field, level, exact, `${detail}${note}`) };
  }
  const share = frequencyShare(comparison, frequencies);
  const note =
    share === undefined
      ? ''
      : `; ${relativeShare(comparison, share) > 1 ? 'common' : 'rare'} name (in ${percent(share)} of reports)`;
  return { exact, step: stepOf(field, level, exact, `${detail}${note}`) };
}

/** The level's bits of evidence, the name's frequency allowed for: 0 for unknown or unmodelled levels. */
function fieldWeight(
  comparison: FieldComparison,
  parameters: ModelParameters,
  frequencies: NameFrequencies | undefined,
): number {
  const { field, level } = comparison;
  const levelParameters = parameters.fields[field]?.[level];
  if (level === UNKNOWN || !levelParameters) return 0;
  const { m } = levelParameters;
  let { u } = levelParameters;
  const share = frequencyShare(comparison, frequencies);
  if (share !== undefined) {
    const relative = relativeShare(comparison, share);
    const factor = Math.min(Math.max(relative, 1 / FREQUENCY_MAX_GAIN), FREQUENCY_MAX_GAIN);
    // The commonest name is never evidence against: u stays at most m.
    u = Math.min(u * factor, Math.max(m, u));
  }
  return levelWeight({ m, u });
}

/** The share of reports with the agreeing name, when the level is weighed by it and it is counted. */
function frequencyShare(
  comparison: FieldComparison,
  frequencies: NameFrequencies | undefined,
): number | undefined {
  if (comparison.field !== 'name' || !frequencies || !FREQUENCY_ADJUSTED.has(comparison.level))
    return undefined;
  const share = nameShare(comparison.frequencyKeys, frequencies);
  const tokens = comparison.frequencyKeys?.length ?? 0;
  return share !== undefined && tokens > 0 ? share : undefined;
}

/** How much commoner (above 1) or rarer the name is than a typical agreeing one. */
function relativeShare(comparison: FieldComparison, share: number): number {
  return share / TYPICAL_TOKEN_SHARE ** (comparison.frequencyKeys?.length ?? 0);
}

/**
 * How often different children share this agreement: per agreeing token pair the share of its
 * (more common) key, multiplied over the pairs as if independent. Undefined unless every pair's
 * share is counted: leaving an uncounted surname out would make "Rahul Debnath" as common as
 * "Rahul".
 */
function nameShare(keys: string[][] | undefined, frequencies: NameFrequencies): number | undefined {
  if (!keys || keys.length === 0) return undefined;
  let share = 1;
  for (const pair of keys) {
    let pairShare: number | undefined;
    for (const key of pair) {
      const value = frequencies(key);
      if (value !== undefined && Number.isFinite(value) && value >= 0) {
        pairShare = Math.max(pairShare ?? 0, Math.min(value, 1));
      }
    }
    if (pairShare === undefined) return undefined;
    share *= pairShare;
  }
  return share;
}

export function levelWeight({ m, u }: LevelParameters): number {
  return Math.log2(m / u);
}

function stepOf(field: FieldName, level: string, weight: number, detail: string): ExplanationStep {
  const rounded = roundWeight(weight);
  return { field, level, weight: rounded, detail, text: `${field}: ${detail}, ${signed(rounded)}` };
}

/**
 * The prior step is the same for every pair under one set of parameters (never changed in place):
 * built once, for the parameters last used.
 */
let lastPrior: { parameters: ModelParameters; step: ExplanationStep } | undefined;

function priorStep(parameters: ModelParameters, weight: number): ExplanationStep {
  if (lastPrior?.parameters === parameters) return lastPrior.step;
  const probability = parameters.priorMatchProbability;
  const rounded = roundWeight(weight);
  const detail = `about 1 in ${Math.round(1 / probability).toLocaleString('en-US')} candidate pairs is the same child`;
  const step = Object.freeze({
    field: 'prior' as const,
    level: 'prior',
    weight: rounded,
    detail,
    text: `prior: ${detail}, ${signed(rounded)}`,
  });
  lastPrior = { parameters, step };
  return step;
}

function roundWeight(weight: number): number {
  const rounded = Math.round(weight * 10) / 10;
  return Object.is(rounded, -0) ? 0 : rounded;
}

function percent(share: number): string {
  const value = share * 100;
  return `${value >= 1 ? value.toFixed(1) : value.toPrecision(1)}%`;
}
