// Parameters from data. `estimateParameters` runs the Fellegi–Sunter EM over the comparison
// vectors of blocked candidate pairs: it treats "same child or not" as hidden, and alternates
// between the chance of each pair being a match (E) and the m, u and prior that make those
// chances most likely (M). An 'unknown' level is missing data: it neither counts for a level nor
// against, and stays neutral (m = u). u can be fixed from random pairs (`estimateU`), which keeps
// EM from drifting when blocked candidates are few. `parametersFromDecisions` learns m from the
// pairs officers confirmed.
import { FIELD_LEVELS, FIELD_NAMES, type FieldComparison, type FieldName, UNKNOWN } from './fields.ts';
import type { LevelParameters, ModelParameters } from './parameters.ts';

export type LevelShares = Partial<Record<FieldName, Record<string, number>>>;

export type EstimateOptions = {
  /** At most this many EM iterations (default 50). */
  iterations?: number;
  /** u per level for these fields, not re-estimated (from `estimateU` over random pairs). */
  fixedU?: LevelShares;
  /**
   * m per level for these fields, not re-estimated. Blocked candidates hold few same-child pairs
   * (a few per thousand): m learnt from them drifts onto whatever else splits the pairs, while u
   * and the prior are well determined by the many different children.
   */
  fixedM?: LevelShares;
  /** u to start from and smooth towards (default: the initial parameters' u). */
  startU?: LevelShares;

  /** Stop when no parameter moves more than this (default 1e-6). */
  tolerance?: number;
  /** When the estimate is made (default: now). */
  now?: Date;
};

export type EstimateResult = {
  parameters: ModelParameters;
  iterations: number;
  converged: boolean;
  /** Log-likelihood of the comparison vectors under the final parameters (natural log). */
  logLikelihood: number;
};

const DEFAULT_ITERATIONS = 50;
const DEFAULT_TOLERANCE = 1e-6;
/** Every m and u stays within [CLAMP, 1 − CLAMP]: a level never seen is unlikely, not impossible. */
const CLAMP = 1e-6;
/**
 * Pseudo-pairs drawn toward the starting parameters in every M step (Dirichlet smoothing), so a
 * level with no observations keeps its prior share instead of collapsing to 0.
 */
const PSEUDO_PAIRS = 1;
/** Pseudo-pairs behind the base m when learning from officers' decisions. */
const LABEL_PSEUDO_PAIRS = 10;

type Encoded = {
  fields: FieldName[];
  /** Per field, the known levels (unknown excluded). */
  levels: string[][];
  /** vectors[pair * fields.length + f]: index into levels[f], or −1 for unknown. */
  vectors: Int16Array;
  pairs: number;
};

export function estimateParameters(
  comparisons: readonly (readonly FieldComparison[])[],
  initial: ModelParameters,
  options: EstimateOptions = {},
): ModelParameters {
  return runEm(comparisons, initial, options).parameters;
}

export function runEm(
  comparisons: readonly (readonly FieldComparison[])[],
  initial: ModelParameters,
  options: EstimateOptions = {},
): EstimateResult {
  const encoded = encode(comparisons, initial);
  const { fields, levels, pairs } = encoded;
  const start = startingShares(encoded, initial);
  const fixedU = fields.map((field, f) => fixedShares(options.fixedU, field, levels[f] ?? []));
  const fixedM = fields.map((field, f) => fixedShares(options.fixedM, field, levels[f] ?? []));
  const startU = start.u.map(
    (shares, f) => fixedShares(options.startU, fields[f] as FieldName, levels[f] ?? []) ?? shares,
  );
  let m = start.m.map((shares, f) => fixedM[f] ?? [...shares]);
  let u = startU.map((shares, f) => fixedU[f] ?? [...shares]);
  let prior = clamp(initial.priorMatchProbability);
  const maxIterations = Math.max(1, Math.min(options.iterations ?? DEFAULT_ITERATIONS, 1000));
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;

  let iterations = 0;
  let converged = pairs === 0;
  const posterior = new Float64Array(pairs);
  while (!converged && iterations < maxIterations) {
    iterations++;
    const matchSum = expectation(encoded, m, u, prior, posterior);
    const counts = maximisation(encoded, posterior);
    const newM = counts.m.map(
      (levelCounts, f) => fixedM[f] ?? smooth(levelCounts, start.m[f] as number[], PSEUDO_PAIRS),
    );
    const newU = counts.u.map(
      (levelCounts, f) => fixedU[f] ?? smooth(levelCounts, startU[f] as number[], PSEUDO_PAIRS),
    );
    const newPrior = clamp(matchSum / pairs);
    const change = Math.max(largestChange(m, newM), largestChange(u, newU), Math.abs(newPrior - prior));
    m = newM;
    u = newU;
    prior = newPrior;
    converged = change < tolerance;
  }

  let logLikelihood = 0;
  for (let p = 0; p < pairs; p++) logLikelihood += pairLogLikelihood(encoded, p, m, u, prior);

  return {
    parameters: {
      version: initial.version + 1,
      estimatedAt: (options.now ?? new Date()).toISOString(),
      source: 'em',
      priorMatchProbability: prior,
      fields: assemble(encoded, m, u),
    },
    iterations,
    converged,
    logLikelihood,
  };
}

/** u per level from pairs drawn at random (almost all different children): plain shares. */
export function estimateU(
  randomPairs: readonly (readonly FieldComparison[])[],
  base: ModelParameters,
): LevelShares {
  const encoded = encode(randomPairs, base);
  const start = startingShares(encoded, base);
  const shares: LevelShares = {};
  encoded.fields.forEach((field, f) => {
    const counts = new Float64Array(encoded.levels[f]?.length ?? 0);
    for (let p = 0; p < encoded.pairs; p++) {
      const level = encoded.vectors[p * encoded.fields.length + f] as number;
      if (level >= 0) counts[level] = (counts[level] ?? 0) + 1;
    }
    const smoothed = smooth(counts, start.u[f] as number[], PSEUDO_PAIRS);
    shares[field] = Object.fromEntries(
      (encoded.levels[f] ?? []).map((level, i) => [level, smoothed[i] as number]),
    );
  });
  return shares;
}

/**
 * m from the pairs officers confirmed, drawn toward `base` by a few pseudo-pairs. u and the prior
 * stay as in `base`: officers decide only on candidates that scored high, so rejected pairs agree
 * far more than different children do at large and would wreck u (an exact name among rejected
 * pairs is common); u belongs to random pairs (`estimateU`). Confirmed pairs are biased the same
 * way, which the pseudo-pairs temper.
 */
export function parametersFromDecisions(
  labelled: readonly { comparisons: readonly FieldComparison[]; match: boolean }[],
  base: ModelParameters,
  options: { now?: Date } = {},
): ModelParameters {
  const confirmed = labelled.filter((decision) => decision.match).map((decision) => decision.comparisons);
  const encoded = encode(confirmed, base);
  const start = startingShares(encoded, base);
  const m = encoded.levels.map((list, f) => {
    const counts = new Float64Array(list.length);
    for (let p = 0; p < encoded.pairs; p++) {
      const level = encoded.vectors[p * encoded.fields.length + f] as number;
      if (level >= 0) counts[level] = (counts[level] ?? 0) + 1;
    }
    return smooth(counts, start.m[f] as number[], LABEL_PSEUDO_PAIRS);
  });
  return {
    version: base.version + 1,
    estimatedAt: (options.now ?? new Date()).toISOString(),
    source: 'labelled',
    priorMatchProbability: base.priorMatchProbability,
    fields: assemble(encoded, m, start.u),
  };
}

// --- helpers ----------------------------------------------------------------------------------

function encode(comparisons: readonly (readonly FieldComparison[])[], initial: ModelParameters): Encoded {
  const fields = FIELD_NAMES;
  const levels = fields.map((field) => {
    const known = new Set<string>(FIELD_LEVELS[field]);
    for (const level of Object.keys(initial.fields[field] ?? {})) known.add(level);
    known.delete(UNKNOWN);
    return [...known];
  });
  const lookup = levels.map((list) => new Map(list.map((level, i) => [level, i])));
  const fieldIndex = new Map(fields.map((field, f) => [field, f]));
  const vectors = new Int16Array(comparisons.length * fields.length).fill(-1);
  comparisons.forEach((vector, p) => {
    for (const comparison of vector) {
      const f = fieldIndex.get(comparison.field);
      if (f === undefined) continue;
      const level = lookup[f]?.get(comparison.level);
      if (level !== undefined) vectors[p * fields.length + f] = level;
    }
  });
  return { fields, levels, vectors, pairs: comparisons.length };
}

/** The initial m and u as normalised shares over the known levels (absent levels get a small share). */
function startingShares(encoded: Encoded, initial: ModelParameters): { m: number[][]; u: number[][] } {
  const share = (pick: (parameters: LevelParameters) => number) =>
    encoded.fields.map((field, f) =>
      normalise(
        (encoded.levels[f] ?? []).map((level) => {
          const parameters = initial.fields[field]?.[level];
          return parameters ? pick(parameters) : 0.01;
        }),
      ),
    );
  return { m: share((p) => p.m), u: share((p) => p.u) };
}

function fixedShares(
  fixedU: LevelShares | undefined,
  field: FieldName,
  levels: string[],
): number[] | undefined {
  const given = fixedU?.[field];
  if (!given) return undefined;
  return normalise(levels.map((level) => given[level] ?? CLAMP));
}

/** E step: each pair's chance of being the same child, into `posterior`; returns their sum. */
function expectation(
  { fields, vectors, pairs }: Encoded,
  m: number[][],
  u: number[][],
  prior: number,
  posterior: Float64Array,
): number {
  const logRatios = m.map((shares, f) =>
    shares.map((share, i) => Math.log(share / ((u[f] as number[])[i] as number))),
  );
  const priorLogOdds = Math.log(prior / (1 - prior));
  const width = fields.length;
  let sum = 0;
  for (let p = 0; p < pairs; p++) {
    let logOdds = priorLogOdds;
    for (let f = 0; f < width; f++) {
      const level = vectors[p * width + f] as number;
      if (level >= 0) logOdds += (logRatios[f] as number[])[level] as number;
    }
    const chance = 1 / (1 + Math.exp(-logOdds));
    posterior[p] = chance;
    sum += chance;
  }
  return sum;
}

/** M step counts: per field and level, the expected number of matches and of non-matches. */
function maximisation(
  { fields, levels, vectors, pairs }: Encoded,
  posterior: Float64Array,
): { m: Float64Array[]; u: Float64Array[] } {
  const m = levels.map((list) => new Float64Array(list.length));
  const u = levels.map((list) => new Float64Array(list.length));
  const width = fields.length;
  for (let p = 0; p < pairs; p++) {
    const g = posterior[p] as number;
    for (let f = 0; f < width; f++) {
      const level = vectors[p * width + f] as number;
      if (level < 0) continue;
      const matches = m[f] as Float64Array;
      const others = u[f] as Float64Array;
      matches[level] = (matches[level] as number) + g;
      others[level] = (others[level] as number) + 1 - g;
    }
  }
  return { m, u };
}

function pairLogLikelihood(encoded: Encoded, p: number, m: number[][], u: number[][], prior: number): number {
  let logM = Math.log(prior);
  let logU = Math.log(1 - prior);
  for (let f = 0; f < encoded.fields.length; f++) {
    const level = encoded.vectors[p * encoded.fields.length + f] as number;
    if (level < 0) continue;
    logM += Math.log((m[f] as number[])[level] as number);
    logU += Math.log((u[f] as number[])[level] as number);
  }
  const top = Math.max(logM, logU);
  return top + Math.log(Math.exp(logM - top) + Math.exp(logU - top));
}

function smooth(counts: ArrayLike<number>, start: number[], pseudo: number): number[] {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  return normalise(
    Array.from({ length: counts.length }, (_, i) =>
      clamp(((counts[i] as number) + pseudo * (start[i] ?? 0)) / (total + pseudo)),
    ),
  );
}

function normalise(values: number[]): number[] {
  const total = values.reduce((sum, value) => sum + value, 0);
  return total > 0 ? values.map((value) => clamp(value / total)) : values.map(() => 1 / values.length);
}

function clamp(value: number): number {
  return Math.min(Math.max(value, CLAMP), 1 - CLAMP);
}

function largestChange(before: number[][], after: number[][]): number {
  let largest = 0;
  before.forEach((shares, f) => {
    shares.forEach((value, i) => {
      largest = Math.max(largest, Math.abs(value - ((after[f] as number[])[i] as number)));
    });
  });
  return largest;
}

function assemble(encoded: Encoded, m: number[][], u: number[][]): ModelParameters['fields'] {
  const fields = {} as ModelParameters['fields'];
  encoded.fields.forEach((field, f) => {
    const levels: Record<string, LevelParameters> = {};
    (encoded.levels[f] ?? []).forEach((level, i) => {
      levels[level] = { m: (m[f] as number[])[i] as number, u: (u[f] as number[])[i] as number };
    });
    levels[UNKNOWN] = { m: 1, u: 1 };
    fields[field] = levels;
  });
  return fields;
}

/** One side (m or u) of parameters as level shares, for `fixedM` / `fixedU` / `startU`. */
export function levelShares(parameters: ModelParameters, side: 'm' | 'u'): LevelShares {
  const shares: LevelShares = {};
  for (const field of FIELD_NAMES) {
    const levels = parameters.fields[field];
    if (!levels) continue;
    shares[field] = Object.fromEntries(
      Object.entries(levels)
        .filter(([level]) => level !== UNKNOWN)
        .map(([level, values]) => [level, values[side]]),
    );
  }
  return shares;
}

/** Parameters with u replaced, per field given, by these shares. */
export function withU(parameters: ModelParameters, u: LevelShares): ModelParameters {
  const fields = { ...parameters.fields };
  for (const field of FIELD_NAMES) {
    const given = u[field];
    const levels = fields[field];
    if (!given || !levels) continue;
    fields[field] = Object.fromEntries(
      Object.entries(levels).map(([level, values]) => [
        level,
        level === UNKNOWN ? values : { m: values.m, u: given[level] ?? values.u },
      ]),
    );
  }
  return { ...parameters, fields };
}
